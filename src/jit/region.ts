// Region formation: from a hot entry, the blocks reachable by direct control flow
// (jump and branch targets, fall-throughs, direct call targets and their return
// sites) and the targets indirect calls and jumps were seen to reach, breadth first,
// up to a block and instruction cap. Each block is lifted to IR; blocks that cannot be
// decoded stay outside (their edges exit to the dispatcher).

import type { GuestMemory } from '../mem/memory.js';
import type { Insn } from '../x86/insn.js';
import type { Block, Region } from '../ir/ir.js';
import { liftBlock } from '../ir/lift.js';
import { successors } from '../ir/passes.js';
import type { DecodeFn } from './decode-block.js';
import { decodeBlock } from './decode-block.js';

export interface RegionLimits {
  maxBlocks: number;
  maxInsns: number;
  maxBlockInsns: number;
  /** Lift without the flag writes a later instruction of the block overwrites (liftBlock). */
  deadFlags?: boolean;
  /** Instructions without a lifter run as `helper` ops instead of ending their block (liftBlock). */
  helpers?: boolean;
}

export interface BuiltRegion {
  region: Region;
  /** Decoded instructions per block address (for invalidation pages and diagnostics). */
  insns: Map<number, Insn[]>;
  /** Instructions the lifter refused (mnemonic: reason), for stats. */
  fallbacks: string[];
  /** Instructions lifted to `helper` ops (mnemonic: reason), for stats. */
  helpers: string[];
}

/** What the caller knows about the code around a region: all optional. */
export interface RegionHints {
  /**
   * Keeps a block out of the region. `viaIndirect`: the block was reached through an
   * observed target of an indirect call (a comparator called from a sort loop), where
   * duplicating code another region holds pays: the call then stays inside this region.
   */
  skip?: (addr: number, viaIndirect: boolean) => boolean;
  /** A block the caller has already decoded with the same cap (the cold tier's), saving a second decode. */
  decoded?: (addr: number) => Insn[] | undefined;
  /** Where the indirect call or jump ending the block at `addr` was seen to go. */
  indirectTargets?: (addr: number) => readonly number[];
}

export function buildRegion(mem: GuestMemory, decode: DecodeFn, entry: number, lim: RegionLimits,
  hints: RegionHints = {}): BuiltRegion {
  const { skip, decoded, indirectTargets } = hints;
  const blocks: Block[] = [];
  const insns = new Map<number, Insn[]>();
  const fallbacks: string[] = [];
  const helpers: string[] = [];
  const queue = [entry];
  const seen = new Set<number>([entry]);
  /** Queued addresses first reached through an observed indirect target (or from such a block). */
  const viaIndirect = new Set<number>();
  const targets: number[] = [];
  const enqueue = (t: number, indirect: boolean): void => {
    if (seen.has(t)) return;
    seen.add(t);
    queue.push(t);
    if (indirect) viaIndirect.add(t);
  };
  let total = 0;
  while (queue.length > 0 && blocks.length < lim.maxBlocks && total < lim.maxInsns) {
    const addr = queue.shift()!;
    const indirect = viaIndirect.has(addr);
    if (addr !== entry && skip?.(addr, indirect) === true) continue;
    let insnsHere = decoded?.(addr);
    if (insnsHere === undefined) {
      try {
        insnsHere = decodeBlock(mem, decode, addr, lim.maxBlockInsns);
      } catch {
        if (addr === entry) throw new Error('region entry cannot be decoded');
        continue;
      }
    }
    const lifted = liftBlock(insnsHere, lim.deadFlags === true, lim.helpers === true);
    const { block, stoppedAt } = lifted;
    if (stoppedAt) fallbacks.push(stoppedAt.why);
    if (lifted.helpers) helpers.push(...lifted.helpers);
    if (block.count === 0 && addr !== entry) continue;
    blocks.push(block);
    insns.set(addr, insnsHere);
    total += block.count;
    const next = successors(block);
    const last = block.insts[block.insts.length - 1]!;
    if (last.op === 'call' || last.op === 'callind') next.push(last.k2);
    for (const t of next) enqueue(t, indirect);
    if ((last.op === 'callind' || last.op === 'jumpind') && indirectTargets !== undefined) {
      // Only a call's targets may be copied in from other regions (a sort's comparator);
      // a jump's are typically an import stub's library function (malloc), which other
      // regions call just as often: copying it into each cost more compile time than the
      // region transition it saves, and measured slower even without the compile time.
      for (const t of indirectTargets(addr)) { targets.push(t); enqueue(t, last.op === 'callind' || indirect); }
    }
  }
  const inRegion = new Set(blocks.map((b) => b.addr));
  const indirectInRegion = [...new Set(targets)].filter((t) => inRegion.has(t));
  return { region: { entry, blocks, ...(indirectInRegion.length > 0 ? { indirectTargets: indirectInRegion } : {}) }, insns, fallbacks, helpers };
}

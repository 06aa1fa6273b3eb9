// Region formation: from a hot entry, the blocks reachable by direct control flow
// (jump and branch targets, fall-throughs, direct call targets and their return
// sites), breadth first, up to a block and instruction cap. Each block is lifted to IR;
// blocks that cannot be decoded stay outside (their edges exit to the dispatcher).

import type { GuestMemory } from '../mem/memory.js';
import type { Insn } from '../x86/insn.js';
import type { Block, Region } from '../ir/ir.js';
import { liftBlock } from '../ir/lift.js';
import { liveIn, successors } from '../ir/passes.js';
import { ALL_FLAGS } from '../ir/ir.js';
import type { DecodeFn } from './decode-block.js';
import { decodeBlock } from './decode-block.js';

export interface RegionLimits {
  maxBlocks: number;
  maxInsns: number;
  maxBlockInsns: number;
}

export interface BuiltRegion {
  region: Region;
  /**
   * Decoded instructions per block address (for invalidation pages and diagnostics):
   * the region's blocks and the blocks its direct exits lead to (see flagsLiveAt).
   */
  insns: Map<number, Insn[]>;
  /**
   * Flags live on entry to the block at a direct exit's target outside the region:
   * those it reads before writing (all of them when it cannot be decoded). Dead-flag
   * elimination relies on this, so those blocks' pages are watched like the region's.
   */
  flagsLiveAt: (addr: number) => number;
  /** Instructions the lifter refused (mnemonic: reason), for stats. */
  fallbacks: string[];
}

export function buildRegion(mem: GuestMemory, decode: DecodeFn, entry: number, lim: RegionLimits,
  skip: (addr: number) => boolean = () => false): BuiltRegion {
  const blocks: Block[] = [];
  const insns = new Map<number, Insn[]>();
  const fallbacks: string[] = [];
  const queue = [entry];
  const seen = new Set<number>([entry]);
  let total = 0;
  while (queue.length > 0 && blocks.length < lim.maxBlocks && total < lim.maxInsns) {
    const addr = queue.shift()!;
    if (addr !== entry && skip(addr)) continue;
    let decoded: Insn[];
    try {
      decoded = decodeBlock(mem, decode, addr, lim.maxBlockInsns);
    } catch {
      if (addr === entry) throw new Error('region entry cannot be decoded');
      continue;
    }
    const { block, stoppedAt } = liftBlock(decoded);
    if (stoppedAt) fallbacks.push(stoppedAt.why);
    if (block.count === 0 && addr !== entry) continue;
    blocks.push(block);
    insns.set(addr, decoded);
    total += block.count;
    const next = successors(block);
    const last = block.insts[block.insts.length - 1]!;
    if (last.op === 'call' || last.op === 'callind') next.push(last.k2);
    for (const t of next) if (!seen.has(t)) { seen.add(t); queue.push(t); }
  }
  const inRegion = new Set(blocks.map((b) => b.addr));
  const exitLive = new Map<number, number>();
  for (const b of blocks) {
    for (const t of successors(b)) {
      if (inRegion.has(t) || exitLive.has(t)) continue;
      exitLive.set(t, ALL_FLAGS);
      try {
        const decoded = decodeBlock(mem, decode, t, lim.maxBlockInsns);
        const { block } = liftBlock(decoded);
        if (block.count === 0) continue;
        exitLive.set(t, liveIn(block, ALL_FLAGS));
        insns.set(t, decoded);
      } catch {
        // Not decodable (yet): every flag stays live.
      }
    }
  }
  return { region: { entry, blocks }, insns, fallbacks, flagsLiveAt: (a) => exitLive.get(a) ?? ALL_FLAGS };
}

// Read-modify-write accesses (add [mem], 1; inc; xchg; the load and store of one guest
// instruction at the same address): one guard for both. The load checks the mirror's
// Read and Write bits together, so the store needs no guard of its own. This is exact:
// a failed check leaves before the instruction (state as before it), and the cold tier
// then runs the whole instruction, as it would have after the store's own check failed;
// nothing between the two accesses can change the mirror (only runtime calls do, and
// those are excluded below). A comparator doing comparisons++ paid two guards per call.

import type { Block, Inst, Op, Ty } from '../../ir/ir.js';
import { bitsOf } from '../../ir/ir.js';

/** Ops that call the runtime (which may change the mirror) or leave the block. */
const BARRIERS: ReadonlySet<Op> = new Set<Op>(['helper', 'repmovs', 'repstos', 'sse', 'insn',
  'jump', 'branch', 'jumpind', 'call', 'callind', 'ret', 'interp']);

export interface RmwPairs {
  /** Loads whose guard also checks the Write bit, for a store after them. */
  readonly loads: ReadonlySet<Inst>;
  /** Stores whose guard a load of the same instruction did. */
  readonly stores: ReadonlySet<Inst>;
}

const NONE: RmwPairs = { loads: new Set(), stores: new Set() };

/**
 * Pairs each load with a later store of the same guest instruction, address value and
 * size; `types` gives each value's type.
 */
export function rmwPairs(b: Block, types: readonly Ty[]): RmwPairs {
  let loads: Set<Inst> | undefined, stores: Set<Inst> | undefined;
  const insts = b.insts;
  for (let n = 0; n < insts.length; n++) {
    const l = insts[n]!;
    if (l.op !== 'load') continue;
    for (let m = n + 1; m < insts.length; m++) {
      const s = insts[m]!;
      if (BARRIERS.has(s.op)) break;
      if (s.op !== 'store' || s.args[0] !== l.args[0]) continue;
      if (bitsOf(types[s.args[1]!]!) === bitsOf(l.ty)) {
        (loads ??= new Set()).add(l);
        (stores ??= new Set()).add(s);
      }
      break;
    }
  }
  return loads === undefined ? NONE : { loads, stores: stores! };
}


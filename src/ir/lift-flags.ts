// Which arithmetic flags a block's instructions compute for nothing: a flag that a
// later instruction of the same block overwrites before any instruction reads it.
// The lifter then skips those computations instead of emitting them for
// eliminateDeadFlags to remove (about a third of all lifted IR was such flags: every
// add/sub/cmp writes six, each a few instructions).
//
// Same rule as eliminateDeadFlags inside a block (a memory access or bail between the
// two writers does not keep the first: at a guest fault, flags no later code reads may
// be stale, see src/jit/README.md). Conservative by table: only the mnemonics below
// count as writers, and any mnemonic not listed counts as reading every flag.

import type { Insn } from '../x86/insn.js';
import { Flow } from '../x86/insn.js';
import { ALL_FLAGS, F } from './ir.js';

const ARITH = (1 << F.CF) | (1 << F.PF) | (1 << F.AF) | (1 << F.ZF) | (1 << F.SF) | (1 << F.OF);

/** Flags written on every path (through flagsAdd/flagsSub/flagsLogic) and flags read, by mnemonic. */
const EFFECTS: Record<string, { w: number; r: number }> = {};
for (const m of ['Add', 'Sub', 'Cmp', 'And', 'Or', 'Xor', 'Test', 'Neg']) EFFECTS[m] = { w: ARITH, r: 0 };
for (const m of ['Adc', 'Sbb']) EFFECTS[m] = { w: ARITH, r: 1 << F.CF };
for (const m of ['Inc', 'Dec']) EFFECTS[m] = { w: ARITH & ~(1 << F.CF), r: 0 };
// Neither read nor write a flag.
for (const m of ['Mov', 'Movzx', 'Movsx', 'Movsxd', 'Lea', 'Push', 'Pop', 'Not', 'Nop', 'Endbr64', 'Bswap', 'Cdqe']) EFFECTS[m] = { w: 0, r: 0 };
// SETcc and CMOVcc read the flags of their condition.
const CF = 1 << F.CF, ZF = 1 << F.ZF, SF = 1 << F.SF, OF = 1 << F.OF, PF = 1 << F.PF;
const CC_READS: [string, number][] = [['o', OF], ['no', OF], ['b', CF], ['ae', CF], ['e', ZF], ['ne', ZF], ['be', CF | ZF],
  ['a', CF | ZF], ['s', SF], ['ns', SF], ['p', PF], ['np', PF], ['l', SF | OF], ['ge', SF | OF], ['le', ZF | SF | OF], ['g', ZF | SF | OF]];
for (const [cc, r] of CC_READS) { EFFECTS[`Set${cc}`] = { w: 0, r }; EFFECTS[`Cmov${cc}`] = { w: 0, r }; }

/**
 * Per instruction of insns[0..end): the flags dead after it within the block (every
 * flag is live after the last one, and after `end`, which ends the block early).
 */
export function deadFlagsAfter(insns: readonly Insn[], end: number): Uint8Array {
  const dead = new Uint8Array(end);
  let n = 0;
  while (n < end && insns[n]!.flow === Flow.None) n++;
  if (n < end) n++; // the control transfer ends the block
  let live = ALL_FLAGS;
  for (let i = n - 1; i >= 0; i--) {
    dead[i] = ~live & ALL_FLAGS;
    const e = EFFECTS[insns[i]!.mnemonic];
    live = e === undefined ? ALL_FLAGS : (live & ~e.w) | e.r;
  }
  return dead;
}

// Which fuzz cases the JIT compiles: a case whose instructions the lifter takes whole
// runs in compiled code under the 'jit' engine; any other case runs (from the first
// refused instruction on) in the JIT's cold tier, which uses the interpreter's
// instruction semantics, already proven by the interpreter's run against the CPU.

import { liftBlock } from '../../src/ir/lift.js';
import { decode } from '../../src/x86/decode.js';
import type { Insn } from '../../src/x86/insn.js';
import type { CpuCase } from '../native/case.js';
import { CODE_ADDRESS } from '../native/case.js';

function decodeWhole(code: Uint8Array): Insn[] | undefined {
  const out: Insn[] = [];
  try {
    for (let off = 0; off < code.length;) {
      const i = decode(code, off, CODE_ADDRESS + off);
      if (i.mnemonic === 'INVALID') return undefined;
      out.push(i);
      off += i.len;
    }
  } catch {
    return undefined;
  }
  return out;
}

/**
 * Whether the lifter takes every instruction of the case (so the JIT runs it compiled):
 * without helper ops, or with them (the direct backend) where the only ones are REP MOVS
 * / REP STOS, whose repmovs/repstos ops run compiled (memory.copy / memory.fill) when
 * their run-time checks allow.
 */
export function jitLifts(c: CpuCase): boolean {
  const insns = decodeWhole(c.code);
  if (insns === undefined || insns.length === 0) return false;
  if (liftBlock(insns).stoppedAt === undefined) return true;
  const withHelpers = liftBlock(insns, false, true);
  return withHelpers.stoppedAt === undefined && withHelpers.block.insts.some((i) => i.op === 'repmovs' || i.op === 'repstos')
    && !withHelpers.block.insts.some((i) => i.op === 'helper');
}

/** The indices of at most `perForm` lifted cases per form, in order. */
export function liftedCaseIndices(cases: readonly (CpuCase & { formId: number })[], perForm: number): number[] {
  const taken = new Map<number, number>();
  const out: number[] = [];
  cases.forEach((c, i) => {
    const n = taken.get(c.formId) ?? 0;
    if (n >= perForm || !jitLifts(c)) return;
    taken.set(c.formId, n + 1);
    out.push(i);
  });
  return out;
}

// Runs fuzz cases on the real CPU and on a wexe engine chosen by name, and compares
// them: all GPRs, RIP-relative fault position, the flags the SDM defines (undefined
// ones masked per instruction from src/x86/undefined-flags.ts), XMM, MXCSR, x87 and
// the scratch page. Per-form pass/fail counts feed the coverage report.

import { createEngine } from '../../src/engines.js';
import type { EngineName } from '../../src/engines.js';
import { DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import type { Backend } from '../../src/jit/codegen.js';
import type { Engine, EngineStats } from '../../src/engine.js';
import type { CpuState } from '../../src/cpu/state.js';
import { decode } from '../../src/x86/decode.js';
import { OpKind, Seg } from '../../src/x86/insn.js';
import type { Insn } from '../../src/x86/insn.js';
import { undefinedFlags } from '../../src/x86/undefined-flags.js';
import { runOnCpu } from '../native/cpu.js';
import type { CpuCase, CpuResult } from '../native/case.js';
import { CASE_FLAGS, CODE_ADDRESS, GS_BASE, SCRATCH_ADDRESS, caseGprs, caseX87, f80ToNumber } from '../native/case.js';
import { compareResults, runCaseOnEmu } from '../native/emu.js';
import type { CompareOptions, Executor } from '../native/emu.js';
import { FORMS } from './forms.js';
import type { FuzzCase } from './gen.js';
import { applyTolerance } from './tolerance.js';

const ourDecode = (bytes: Uint8Array, addr: number): Insn | undefined => decode(bytes, 0, addr);

const engines = new Map<string, { st: CpuState; engine: Engine }>();

/** The counters of the engine an engineExecutor created (undefined before its first case). */
export function executorStats(name: EngineName): EngineStats | undefined { return engines.get(name)?.engine.stats; }

/** An Executor that runs the case's code with the named engine, up to the end of the code. */
export function engineExecutor(name: EngineName, backend?: Backend): Executor {
  const key = backend ? `${name}/${backend}` : name;
  return (m, _insns, end) => {
    let e = engines.get(key);
    if (!e || e.st !== m.st) {
      e = { st: m.st, engine: createEngine(name, m.st, m.mem, backend ? { jit: { codegen: { ...DEFAULT_JIT_OPTIONS.codegen, backend } } } : {}) };
      engines.set(key, e);
    }
    e.engine.run({ stopAt: end.stopAt, maxInstructions: 256 });
  };
}

/** The first instruction of a case, decoded by our decoder. */
export function firstInsn(c: CpuCase): Insn { return decode(c.code, 0, CODE_ADDRESS); }

/** What a case's instruction leaves undefined: flags (always) and, for SHLD/SHRD past the width, the destination. */
export function compareOptionsFor(c: CpuCase): CompareOptions & { undefinedDest: boolean } {
  const insn = firstInsn(c);
  let shift: { count: number; size: number } | undefined;
  const countOp = insn.ops[insn.ops.length - 1];
  if (/^(Rol|Ror|Rcl|Rcr|Shl|Sal|Shr|Sar|Shld|Shrd)$/.test(insn.mnemonic) && countOp) {
    const count = countOp.kind === OpKind.Imm ? countOp.immLo : countOp.kind === OpKind.Reg ? Number(caseGprs(c).values[1]! & 0xffn) : 1;
    shift = { count, size: insn.opSize };
  }
  const undef = undefinedFlags(insn.mnemonic, shift);
  const undefinedDest = /^Sh[lr]d$/.test(insn.mnemonic) && shift !== undefined && (shift.count & 31) > shift.size * 8;
  const ignore: NonNullable<CompareOptions['ignore']> = {};
  if (undefinedDest) {
    const d = insn.ops[0]!;
    if (d.kind === OpKind.Reg) ignore.gpr = [d.reg]; else ignore.scratch = true;
  }
  // FYL2XP1 outside |x| < 1 - sqrt(2)/2: the SDM leaves the result undefined.
  if (insn.mnemonic === 'Fyl2xp1') {
    const x = caseX87(c);
    if ((x.validSt & 1) && !(Math.abs(f80ToNumber(x.st[0]!)) < 1 - Math.SQRT2 / 2)) ignore.x87 = true;
  }
  return { flagMask: CASE_FLAGS & ~undef, ignore, undefinedDest };
}

/** Byte ranges (relative to the operand) of instruction/data pointers stored by state-saving instructions. */
function pointerFields(insn: Insn): [number, number][] {
  switch (insn.mnemonic) {
    case 'Fxsave': case 'Fxsave64': return [[6, 24], [28, 32]];
    case 'Fnstenv': case 'Fnsave': return insn.ops[0]?.size === 14 || insn.ops[0]?.size === 94 ? [[6, 14]] : [[12, 28]];
    default: return [];
  }
}

export function memoryAddress(insn: Insn, c: CpuCase): number | undefined {
  const op = insn.ops.find((o) => o.kind === OpKind.Mem);
  if (!op) return undefined;
  const regs = caseGprs(c).values;
  let a = BigInt(op.disp);
  if (op.base >= 0) a += regs[op.base]!;
  if (op.index >= 0) a += regs[op.index]! * BigInt(op.scale);
  a = BigInt.asUintN(insn.addrSize === 4 ? 32 : 64, a);
  return Number(op.seg === Seg.Gs ? BigInt.asUintN(64, a + BigInt(GS_BASE)) : a);
}

/** Copies the CPU's bytes for fields the engines do not model (FIP/FDP/FOP, MXCSR_MASK) into the engine's result. */
function normalizePointers(c: CpuCase, cpu: CpuResult, emu: CpuResult): void {
  const insn = firstInsn(c);
  const fields = pointerFields(insn);
  if (fields.length === 0) return;
  const ea = memoryAddress(insn, c);
  if (ea === undefined) return;
  for (const [from, to] of fields) {
    for (let i = from; i < to; i++) {
      const off = ea - SCRATCH_ADDRESS + i;
      if (off >= 0 && off < emu.scratch.length) emu.scratch[off] = cpu.scratch[off]!;
    }
  }
}

export interface FormTally { passed: number; failed: number }

export interface FuzzOutcome {
  cases: number;
  failures: { c: FuzzCase; message: string }[];
  /** Cases the engine could not run at all (threw something other than a guest fault). */
  errors: { c: FuzzCase; message: string }[];
  perForm: Map<number, FormTally>;
}

/** Runs the cases natively and on the engine; counts per form; keeps up to `keep` failures. */
export function runFuzzCases(cases: readonly FuzzCase[], engine: EngineName, keep = 50, native: readonly CpuResult[] = runOnCpu(cases), backend?: Backend): FuzzOutcome {
  const exec = engineExecutor(engine, backend);
  const out: FuzzOutcome = { cases: cases.length, failures: [], errors: [], perForm: new Map() };
  cases.forEach((c, n) => {
    const tally = out.perForm.get(c.formId) ?? { passed: 0, failed: 0 };
    out.perForm.set(c.formId, tally);
    let emu: CpuResult;
    try {
      emu = runCaseOnEmu(c, exec, { decode: ourDecode });
    } catch (e) {
      tally.failed++;
      if (out.errors.length < keep) out.errors.push({ c, message: `${(e as Error).message}` });
      return;
    }
    const cpu = native[n]!;
    normalizePointers(c, cpu, emu);
    applyTolerance(firstInsn(c).mnemonic, cpu, emu);
    const opts = compareOptionsFor(c);
    const d = compareResults(cpu, emu, { ...opts, case: c, labels: ['cpu', engine] });
    if (d) {
      tally.failed++;
      if (out.failures.length < keep) out.failures.push({ c, message: d });
    } else {
      tally.passed++;
    }
  });
  return out;
}

export function formLabel(id: number): string {
  const f = FORMS[id];
  return f ? `${f.form.mnemonic}#${id}` : `form#${id}`;
}

// Runs CpuCases on the wexe side, with the same memory layout and initial state the
// native harness gives them, and returns CpuResults of the same shape, so a test can
// run one case list on both and compare:
//
//   const diffs = diffAgainstCpu(cases, stepEach((m, insn) => table[insn.mnemonic]!(m, insn)));
//   assert.deepEqual(diffs, []);
//
// Memory: a GuestMemory with only the scratch page (RW, at SCRATCH_ADDRESS) and the code
// page (RX, at CODE_ADDRESS) mapped, as in the harness; the CpuState at 0x1000 sits in
// unmapped memory, so a guest load from there faults on both sides. The bytes are
// decoded with iced-x86 (test/support/iced-insn.ts) unless a `decode` function is
// given; an undecodable instruction raises SIGILL at its offset, after the
// instructions before it have run.
//
// Faults: the executor throws GuestFault; its Windows code maps to the signal Linux
// gives for the same CPU exception (below). `faultOffset` is RIP - CODE_ADDRESS at the
// throw: engines leave RIP at the faulting instruction (src/mem/fault.ts); stepEach
// does that for handler-level tests.

import type { CpuState } from '../../src/cpu/state.js';
import { CpuState as CpuStateClass, Off } from '../../src/cpu/state.js';
import { ExceptionCode, GuestFault } from '../../src/mem/fault.js';
import { GuestMemory, Prot } from '../../src/mem/memory.js';
import type { Machine } from '../../src/interp/machine.js';
import type { Insn } from '../../src/x86/insn.js';
import { icedDecode } from '../support/iced-insn.js';
import type { CpuCase, CpuResult, FaultSignal } from './case.js';
import {
  CODE_ADDRESS, GS_BASE, SCRATCH_ADDRESS, SCRATCH_SIZE, caseGprs, caseMxcsr, caseRflags, caseScratch, caseX87, caseXmm,
  classifyF80,
} from './case.js';
import type { CompareOptions } from './compare.js';
import { compareResults } from './compare.js';
import { runOnCpu } from './cpu.js';

export { compareResults, describeCase, definedFlagMask, flagNames } from './compare.js';
export type { CompareOptions } from './compare.js';

/**
 * Where a case ends on the wexe side. The code page holds the case's code, then (as in
 * the native harness) `jmp [rip+0]; dq CASE_RETURN_ADDRESS`, then INT3 to the end of
 * the page. A whole engine runs from CODE_ADDRESS until RIP reaches `stopAt`: the
 * return address, or the first undecodable instruction. CASE_RETURN_ADDRESS lies on
 * the unmapped page after the code, so an engine that runs past it faults loudly;
 * because the jump to it is an indirect one, a JIT compiles the case's code into a
 * region that exits there instead of stopping inside it.
 */
export interface CaseEnd { stopAt: number; codeEnd: number }

/** Runs a case's decoded instructions, in order, on the machine (or a whole engine up to `end.stopAt`). */
export type Executor = (machine: Machine, insns: Insn[], end: CaseEnd) => void;

/** Where the tail jump after a case's code goes; an engine stops there. */
export const CASE_RETURN_ADDRESS = CODE_ADDRESS + SCRATCH_SIZE;
/** Bytes that fill the code page after the code and its tail jump: INT3, so a stray jump traps. */
export const CODE_FILL = 0xcc;
export type Decode = (bytes: Uint8Array, addr: number) => Insn | undefined;

export interface EmuOptions {
  /** Decoder to use instead of iced-x86 (for testing wexe's own decoder end to end). */
  decode?: Decode;
}

/** Turns a one-instruction handler into an Executor that keeps RIP at the running instruction. */
export function stepEach(handler: (machine: Machine, insn: Insn) => void): Executor {
  return (m, insns) => {
    for (const insn of insns) {
      m.st.rip = insn.addr;
      handler(m, insn);
    }
    const last = insns[insns.length - 1];
    if (last) m.st.rip = last.addr + last.len;
  };
}

/** The Linux signal for the CPU exception behind a Windows exception code. */
export function faultSignal(f: GuestFault): FaultSignal {
  switch (f.code) {
    case ExceptionCode.AccessViolation:
    case ExceptionCode.GuardPage:
    case ExceptionCode.PrivilegedInstruction:
    case ExceptionCode.StackOverflow:
      return 'SIGSEGV';
    case ExceptionCode.IntegerDivideByZero:
    case ExceptionCode.IntegerOverflow:
    case ExceptionCode.FloatDenormalOperand:
    case ExceptionCode.FloatDivideByZero:
    case ExceptionCode.FloatInexactResult:
    case ExceptionCode.FloatInvalidOperation:
    case ExceptionCode.FloatOverflow:
    case ExceptionCode.FloatStackCheck:
    case ExceptionCode.FloatUnderflow:
      return 'SIGFPE';
    case ExceptionCode.IllegalInstruction:
      return 'SIGILL';
    case ExceptionCode.Breakpoint:
    case ExceptionCode.SingleStep:
      return 'SIGTRAP';
    default:
      throw new Error(`guest fault ${f.message} has no native signal equivalent`);
  }
}

interface EmuEnv { mem: GuestMemory; st: CpuState; machine: Machine }
let env: EmuEnv | undefined;

/** One 4 GiB GuestMemory for the whole test process: creating it per case would dominate. */
function emuEnv(): EmuEnv {
  if (!env) {
    const mem = new GuestMemory();
    const st = new CpuStateClass(mem.buffer);
    env = { mem, st, machine: { mem, st } };
  }
  return env;
}

function decodeAll(code: Uint8Array, decode: Decode): { insns: Insn[]; invalidAt?: number } {
  const insns: Insn[] = [];
  let off = 0;
  while (off < code.length) {
    const insn = decode(code.subarray(off), CODE_ADDRESS + off);
    if (!insn || insn.mnemonic === 'INVALID' || off + insn.len > code.length) return { insns, invalidAt: off };
    insns.push(insn);
    off += insn.len;
  }
  return { insns };
}

/** The code page as both sides see it: code, `jmp [rip+0]; dq return`, INT3 fill. */
export function codePage(code: Uint8Array, returnAddress = BigInt(CASE_RETURN_ADDRESS)): Uint8Array {
  const page = new Uint8Array(SCRATCH_SIZE).fill(CODE_FILL);
  page.set(code);
  page.set([0xff, 0x25, 0, 0, 0, 0], code.length);
  new DataView(page.buffer).setBigUint64(code.length + 6, returnAddress, true);
  return page;
}

const icedOnly: Decode = (bytes, addr) => icedDecode(bytes, addr)?.insn;

function loadCase(e: EmuEnv, c: CpuCase): void {
  const { mem, st } = e;
  // Fresh pages each time: unmap zeroes them, and an executor may have changed protections.
  mem.unmap(SCRATCH_ADDRESS, SCRATCH_SIZE);
  mem.unmap(CODE_ADDRESS, SCRATCH_SIZE);
  mem.map(SCRATCH_ADDRESS, SCRATCH_SIZE, Prot.RW);
  mem.map(CODE_ADDRESS, SCRATCH_SIZE, Prot.RX);
  if (c.scratch) mem.poke(SCRATCH_ADDRESS, caseScratch(c));
  mem.poke(CODE_ADDRESS, codePage(c.code));

  st.reset();
  const { values } = caseGprs(c);
  for (let i = 0; i < 16; i++) st.setBig(i, values[i]!);
  st.rflags = caseRflags(c);
  st.mxcsr = caseMxcsr(c);
  for (let i = 0; i < 16; i++) st.u8.set(caseXmm(c, i), Off.xmm + 16 * i);
  const x = caseX87(c);
  st.dv.setUint16(Off.fpuControl, x.control, true);
  st.dv.setUint16(Off.fpuStatus, x.status | (x.top << 11), true);
  let tag = 0;
  for (let p = 0; p < 8; p++) {
    const i = (p - x.top) & 7;
    st.u8.set(x.st[i]!, Off.st + 16 * p);
    tag |= ((x.validSt >> i) & 1 ? classifyF80(x.st[i]!) : 3) << (2 * p);
  }
  st.dv.setUint16(Off.fpuTag, tag, true);
  st.gsBase = GS_BASE;
  st.rip = CODE_ADDRESS;
}

function readResult(e: EmuEnv): CpuResult {
  const { mem, st } = e;
  const gpr: bigint[] = [];
  for (let i = 0; i < 16; i++) gpr.push(st.getBig(i));
  const xmm: Uint8Array[] = [];
  for (let i = 0; i < 16; i++) xmm.push(st.u8.slice(Off.xmm + 16 * i, Off.xmm + 16 * i + 16));
  const status = st.dv.getUint16(Off.fpuStatus, true);
  const top = (status >> 11) & 7;
  const stRegs: Uint8Array[] = [];
  for (let i = 0; i < 8; i++) {
    const p = (top + i) & 7;
    stRegs.push(st.u8.slice(Off.st + 16 * p, Off.st + 16 * p + 10));
  }
  return {
    gpr, rflags: st.rflags, xmm, mxcsr: st.mxcsr,
    x87: { control: st.dv.getUint16(Off.fpuControl, true), status, tag: st.dv.getUint16(Off.fpuTag, true), st: stRegs },
    scratch: mem.u8.slice(SCRATCH_ADDRESS, SCRATCH_ADDRESS + SCRATCH_SIZE),
  };
}

/** Runs one case on the wexe side. Errors other than GuestFault (unimplemented, bugs) propagate. */
export function runCaseOnEmu(c: CpuCase, execute: Executor, opts: EmuOptions = {}): CpuResult {
  const e = emuEnv();
  loadCase(e, c);
  const { insns, invalidAt } = decodeAll(c.code, opts.decode ?? icedOnly);
  let fault: GuestFault | undefined;
  try {
    const codeEnd = CODE_ADDRESS + c.code.length;
    if (insns.length) execute(e.machine, insns, { stopAt: invalidAt === undefined ? CASE_RETURN_ADDRESS : CODE_ADDRESS + invalidAt, codeEnd });
    if (e.st.rip === CASE_RETURN_ADDRESS) e.st.rip = codeEnd;
    if (invalidAt !== undefined) {
      e.st.rip = CODE_ADDRESS + invalidAt;
      fault = new GuestFault(ExceptionCode.IllegalInstruction, CODE_ADDRESS + invalidAt);
    }
  } catch (err) {
    if (!(err instanceof GuestFault)) throw err;
    fault = err;
  }
  const r = readResult(e);
  if (fault) {
    r.fault = faultSignal(fault);
    r.faultOffset = e.st.rip - CODE_ADDRESS;
    if (fault.code === ExceptionCode.AccessViolation) r.faultAddress = BigInt(fault.address);
  }
  return r;
}

export function runOnEmu(cases: readonly CpuCase[], execute: Executor, opts: EmuOptions = {}): CpuResult[] {
  return cases.map((c) => runCaseOnEmu(c, execute, opts));
}

/**
 * Runs the cases natively and on wexe; returns one paragraph per case that differs
 * (empty when all agree). `opts.case` is filled in per case.
 */
export function diffAgainstCpu(cases: readonly CpuCase[], execute: Executor, opts: CompareOptions & EmuOptions = {}): string[] {
  const native = runOnCpu(cases);
  const diffs: string[] = [];
  cases.forEach((c, n) => {
    let emu: CpuResult;
    try {
      emu = runCaseOnEmu(c, execute, opts);
    } catch (err) {
      if (err instanceof Error) err.message = `${err.message} (while running ${compareDescribe(c)})`;
      throw err;
    }
    const d = compareResults(native[n]!, emu, { ...opts, case: c });
    if (d) diffs.push(d);
  });
  return diffs;
}

/** Like diffAgainstCpu, but throws one error listing the first differences. */
export function assertSameAsCpu(cases: readonly CpuCase[], execute: Executor, opts: CompareOptions & EmuOptions = {}): void {
  const diffs = diffAgainstCpu(cases, execute, opts);
  if (diffs.length === 0) return;
  const shown = diffs.slice(0, 10);
  throw new Error(`${diffs.length} of ${cases.length} cases differ from the CPU:\n${shown.join('\n')}`
    + (diffs.length > shown.length ? `\n... and ${diffs.length - shown.length} more` : ''));
}

function compareDescribe(c: CpuCase): string {
  return `${c.name ? `${c.name} ` : ''}[${Array.from(c.code, (b) => b.toString(16).padStart(2, '0')).join(' ')}]`;
}

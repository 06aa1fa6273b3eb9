// Differential tests of `helper` ops: instructions without a lifter (string
// instructions, pushf/popf, lahf/sahf, xlatb, cpuid, SSE compares...) run inside compiled
// code as the interpreter's own handler. Each case runs from the same start state on the
// interpreter and on the JIT (compiled at first sight, direct backend); registers, RFLAGS,
// RIP, XMM, MXCSR, the data pages and faults must be equal, and the JIT must really have
// run the instruction in place: helper calls, no hand-over to the interpreter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, DATA, icedDecodeFn } from '../interp/support/machine.js';
import type { TestMachine } from '../interp/support/machine.js';
import { GuestFault } from '../../src/mem/fault.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import type { JitOptions } from '../../src/jit/engine.js';
import { sseHandlers } from '../../src/interp/sse/index.js';
import { x87Handlers } from '../../src/interp/x87/index.js';
import { Rng } from '../support/prng.js';
import { Prot } from '../../src/mem/memory.js';

const TABLES = [sseHandlers, x87Handlers];
const DATA_SIZE = 0x10000;
const MID = DATA + 0x8000;
const DF = 0x400;

interface Case {
  name: string;
  code: number[];
  /** RAX..R15 (unset: random; RSP is the stack). */
  regs?: Partial<Record<number, bigint>>;
  rflags?: number;
  /** The interpreter faults here (the JIT must fault identically). */
  faults?: boolean;
  /** REP MOVS/STOS the inline bulk path must take (no helper call at all); else the helper must run. */
  bulk?: boolean;
  /** Pages (addresses) of the data area made read-only before the run. */
  readOnly?: number[];
}

interface Outcome { state: Uint8Array; data: Uint8Array; fault?: string; instructions: number }

function setUp(m: TestMachine, c: Case, seed: number): void {
  const r = new Rng(seed);
  for (let i = 0; i < 16; i++) if (i !== 4) m.st.setBig(i, r.u64());
  m.st.setNum(6, MID - 0x100); // rsi
  m.st.setNum(7, MID); // rdi
  m.st.setNum(3, MID + 0x40); // rbx (xlatb's table)
  m.st.setNum(1, 1 + r.int(40)); // rcx
  for (const [k, v] of Object.entries(c.regs ?? {})) m.st.setBig(Number(k), BigInt.asUintN(64, v!));
  m.st.rflags = (c.rflags ?? 0x202) | 2;
  const data = new Uint8Array(DATA_SIZE);
  for (let i = 0; i < DATA_SIZE; i += 4) new DataView(data.buffer).setUint32(i, r.u32() & (r.int(4) === 0 ? 0xff : 0xffffffff), true);
  m.mem.u8.set(data, DATA);
  const xmm = new Uint8Array(256);
  for (let i = 0; i < 256; i += 4) new DataView(xmm.buffer).setUint32(i, r.u32(), true);
  m.mem.u8.set(xmm, m.st.xmmAddr(0));
  for (const a of c.readOnly ?? []) m.mem.protect(a, 0x1000, Prot.R);
}

function run(c: Case, seed: number, engine: 'interp' | 'jit', opts: Partial<JitOptions> = {}, prepare?: (m: TestMachine) => void): Outcome & { rt?: JitRuntime } {
  const end = CODE + c.code.length + 5;
  const m = makeMachine({ handlers: TABLES });
  m.load(Uint8Array.from([...c.code, 0xe9, 0, 0, 0, 0, 0xcc])); // jmp end; int3
  setUp(m, c, seed);
  prepare?.(m);
  let fault: string | undefined, rt: JitRuntime | undefined;
  const counted = (): number => (rt !== undefined ? rt.instructions : m.interp.instructions);
  try {
    if (engine === 'interp') m.interp.run({ stopAt: end });
    else {
      rt = new JitRuntime(m.st, m.mem, icedDecodeFn, TABLES, {
        ...DEFAULT_JIT_OPTIONS, threshold: 0, ...opts, codegen: { ...DEFAULT_JIT_OPTIONS.codegen, validate: true, ...opts.codegen },
      });
      rt.run({ stopAt: end });
    }
  } catch (e) {
    if (!(e instanceof GuestFault)) throw e;
    fault = `${e.message} at 0x${m.st.rip.toString(16)}`;
  }
  return { state: m.st.snapshot(), data: m.mem.u8.slice(DATA, DATA + DATA_SIZE), fault, rt, instructions: counted() };
}

function firstDiff(a: Uint8Array, b: Uint8Array): number { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i; return -1; }

function check(c: Case, seeds = 6, opts: Partial<JitOptions> = {}): void {
  for (let seed = 1; seed <= seeds; seed++) {
    const ref = run(c, seed, 'interp');
    const got = run(c, seed, 'jit', opts);
    const where = `${c.name} (seed ${seed})`;
    assert.equal(got.fault, ref.fault, `${where}: fault`);
    assert.equal(got.instructions, ref.instructions, `${where}: instructions counted`);
    assert.equal(ref.fault !== undefined, c.faults === true, `${where}: the interpreter ${ref.fault ? 'faults' : 'does not fault'}`);
    assert.equal(firstDiff(got.state, ref.state), -1, `${where}: CPU state differs at offset ${firstDiff(got.state, ref.state)}`);
    assert.equal(firstDiff(got.data, ref.data), -1, `${where}: data differs at 0x${(DATA + firstDiff(got.data, ref.data)).toString(16)}`);
    const s = got.rt!.stats;
    if (c.bulk === true && opts.codegen?.forceSlowMemory !== true) assert.equal(s.helperCalls, 0, `${where}: took the bulk path`);
    else assert.ok(s.helperCalls > 0, `${where}: ran as a helper op`);
    assert.equal(s.bails, 0, `${where}: no hand-over to the interpreter`);
    assert.equal(s.coldInstructions, 0, `${where}: nothing ran in the cold tier`);
  }
}

const REP_STOSB = [0xf3, 0xaa], REP_STOSQ = [0xf3, 0x48, 0xab], REP_MOVSB = [0xf3, 0xa4], REP_MOVSQ = [0xf3, 0x48, 0xa5];
const REP_STOSW = [0xf3, 0x66, 0xab], REP_STOSD = [0xf3, 0xab], REP_MOVSW = [0xf3, 0x66, 0xa5], REP_MOVSD = [0xf3, 0xa5];
/** After the string instruction: code reading what it left (rcx, rdi, rsi, flags). */
const READ_BACK = [0x48, 0x89, 0xc8, 0x48, 0x01, 0xf8, 0x48, 0x31, 0xf0, 0x0f, 0x94, 0xc3]; // mov rax, rcx; add rax, rdi; xor rax, rsi; sete bl
/** Before it: code whose flags and registers must reach the handler (add rdx, rax; mov r9, rcx). */
const PREFIX = [0x48, 0x01, 0xc2, 0x49, 0x89, 0xc9];

const CASES: Case[] = [
  { name: 'rep stosb DF=0', code: [...PREFIX, ...REP_STOSB, ...READ_BACK], bulk: true },
  { name: 'rep stosb DF=1', code: [...PREFIX, ...REP_STOSB, ...READ_BACK], rflags: 0x202 | DF },
  { name: 'rep stosq DF=0', code: [...PREFIX, ...REP_STOSQ, ...READ_BACK], bulk: true },
  { name: 'rep stosq DF=1', code: [...PREFIX, ...REP_STOSQ, ...READ_BACK], rflags: 0x202 | DF },
  { name: 'rep stosq rcx=0', code: [...PREFIX, ...REP_STOSQ, ...READ_BACK], regs: { 1: 0n }, bulk: true },
  { name: 'rep stosq rax=0, 3000 elements over six pages', code: [...PREFIX, ...REP_STOSQ, ...READ_BACK], regs: { 0: 0n, 7: BigInt(DATA + 0x123), 1: 3000n }, bulk: true },
  { name: 'rep stosq, an element of differing bytes, 1000 of them (doubling copies)', code: [...REP_STOSQ, ...READ_BACK], regs: { 1: 1000n }, bulk: true },
  { name: 'rep stosd 0x01010101 (one fill)', code: [...REP_STOSD, ...READ_BACK], regs: { 0: 0x1234567801010101n, 1: 77n }, bulk: true },
  { name: 'rep stosw, differing bytes, odd count', code: [...REP_STOSW, ...READ_BACK], regs: { 1: 333n }, bulk: true },
  { name: 'rep stosw, 1 element', code: [...REP_STOSW, ...READ_BACK], regs: { 1: 1n }, bulk: true },
  { name: 'rep movsb DF=0', code: [...PREFIX, ...REP_MOVSB, ...READ_BACK], bulk: true },
  { name: 'rep movsb DF=1', code: [...PREFIX, ...REP_MOVSB, ...READ_BACK], rflags: 0x202 | DF },
  { name: 'rep movsb overlapping forward (rsi = rdi - 3): replicates, the helper runs it', code: [...REP_MOVSB, ...READ_BACK], regs: { 6: BigInt(MID - 3), 1: 50n } },
  { name: 'rep movsb overlapping forward by one byte (rsi = rdi - 1)', code: [...REP_MOVSB, ...READ_BACK], regs: { 6: BigInt(MID - 1), 1: 2n } },
  { name: 'rep movsb overlapping backward (rsi = rdi + 3)', code: [...REP_MOVSB, ...READ_BACK], regs: { 6: BigInt(MID + 3), 1: 50n }, bulk: true },
  { name: 'rep movsb onto itself (rsi = rdi)', code: [...REP_MOVSB, ...READ_BACK], regs: { 6: BigInt(MID), 1: 50n }, bulk: true },
  { name: 'rep movsb, destination right after the source (rdi = rsi + n)', code: [...REP_MOVSB, ...READ_BACK], regs: { 6: BigInt(MID - 50), 1: 50n }, bulk: true },
  { name: 'rep movsq overlapping forward (rdi = rsi + 8)', code: [...REP_MOVSQ, ...READ_BACK], regs: { 6: BigInt(MID - 8), 1: 20n } },
  { name: 'rep movsq DF=0, across pages', code: [...PREFIX, ...REP_MOVSQ, ...READ_BACK], regs: { 6: BigInt(DATA + 0x10), 7: BigInt(DATA + 0x2ff9), 1: 1500n }, bulk: true },
  { name: 'rep movsw, rep movsd', code: [...REP_MOVSW, 0x48, 0x89, 0xd1, ...REP_MOVSD, ...READ_BACK], regs: { 1: 41n, 2: 23n, 6: BigInt(MID + 0x1000) }, bulk: true },
  { name: 'rep movsq DF=1', code: [...PREFIX, ...REP_MOVSQ, ...READ_BACK], rflags: 0x202 | DF },
  { name: 'rep movsq rcx=0', code: [...REP_MOVSQ, ...READ_BACK], regs: { 1: 0n }, bulk: true },
  {
    name: 'rep movsb into a read-only page: faults at the first byte', code: [...PREFIX, ...REP_MOVSB, ...READ_BACK],
    regs: { 7: BigInt(DATA + 0x3000), 1: 0x40n }, readOnly: [DATA + 0x3000], faults: true,
  },
  {
    name: 'rep stosq running into a read-only page: faults part-way (RCX, RDI as the interpreter leaves them)', code: [...PREFIX, ...REP_STOSQ, ...READ_BACK],
    regs: { 7: BigInt(DATA + 0x2fc0), 1: 0x40n }, readOnly: [DATA + 0x3000], faults: true,
  },
  {
    name: 'rep movsb from a read-only page (reads are fine)', code: [...REP_MOVSB, ...READ_BACK],
    regs: { 6: BigInt(DATA + 0x3000), 1: 0x400n }, readOnly: [DATA + 0x3000], bulk: true,
  },
  {
    name: 'rep stosb with a count that wraps the address space: faults', code: [...REP_STOSB, ...READ_BACK],
    regs: { 1: 0x4000_0000_0000_0000n, 7: BigInt(DATA + DATA_SIZE - 16) }, faults: true,
  },
  {
    name: 'rep movsb with RSI near 2^64: faults', code: [...REP_MOVSB, ...READ_BACK],
    regs: { 6: 0xffff_ffff_ffff_fff0n, 1: 0x40n }, faults: true,
  },
  {
    name: 'addr32 rep movsb (a plain helper)', code: [0x67, ...REP_MOVSB, ...READ_BACK],
    regs: { 6: BigInt(MID - 0x200), 1: 0x40n },
  },
  { name: 'repe cmpsb', code: [0xf3, 0xa6, ...READ_BACK], regs: { 6: BigInt(MID) } },
  { name: 'repne scasb', code: [0xf2, 0xae, ...READ_BACK] },
  { name: 'lodsq; stosd; movsw (no rep)', code: [0x48, 0xad, 0xab, 0x66, 0xa5, ...READ_BACK] },
  {
    name: 'rep stosb faulting in the middle (into an unmapped page)', code: [...PREFIX, ...REP_STOSB, ...READ_BACK],
    regs: { 7: BigInt(DATA + DATA_SIZE - 16), 1: 0x100n }, faults: true,
  },
  {
    name: 'rep movsb faulting on the source', code: [...PREFIX, ...REP_MOVSB, ...READ_BACK],
    regs: { 6: BigInt(DATA + DATA_SIZE - 5), 7: BigInt(MID), 1: 0x40n }, faults: true,
  },
  { name: 'std; pushfq; pop rax; cld; push rax; popfq; stosb', code: [0xfd, 0x9c, 0x58, 0xfc, 0x50, 0x9d, 0xaa, ...READ_BACK] },
  { name: 'cmp; sahf; je (no fusion across the helper)', code: [0x48, 0x39, 0xd8, 0x9e, 0x74, 0x02, 0xb3, 0x07, 0x9f, 0x48, 0x89, 0xc1] },
  { name: 'sub; lahf; add ah, 1; sahf; adc rcx, rdx', code: [0x48, 0x29, 0xd1, 0x9f, 0x80, 0xc4, 0x01, 0x9e, 0x48, 0x11, 0xd1] },
  { name: 'xlatb', code: [0xd7, 0x48, 0x01, 0xc1] },
  { name: 'cpuid', code: [0xb8, 0x01, 0, 0, 0, 0x0f, 0xa2, 0x48, 0x01, 0xd8] },
  { name: 'cmpltsd; cmpneqps; pmaddwd; psadbw', code: [0xf2, 0x0f, 0xc2, 0xc1, 0x01, 0x0f, 0xc2, 0xd3, 0x04, 0x66, 0x0f, 0xf5, 0xe5, 0x66, 0x0f, 0xf6, 0xf7, 0x66, 0x0f, 0xd4, 0xc2] },
  {
    name: 'pxor (lifted, reaches memory first); fxsave; mov into the image\'s xmm0; fxrstor; paddd reads the restored xmm0',
    code: [0x66, 0x0f, 0xef, 0xd3, 0x0f, 0xae, 0x07, 0x48, 0x89, 0x87, 0xa0, 0, 0, 0, 0x0f, 0xae, 0x0f, 0x66, 0x0f, 0xfe, 0xc8],
  },
  { name: 'fld; fadd; fstp (x87)', code: [0xdd, 0x07, 0xdc, 0x47, 0x08, 0xdd, 0x5f, 0x10, 0x48, 0x01, 0xc1] },
  { name: 'cmpxchg8b; lock cmpxchg16b', code: [0x0f, 0xc7, 0x0f, 0xf0, 0x48, 0x0f, 0xc7, 0x4f, 0x10, 0x0f, 0x94, 0xc3] },
  { name: 'add; rcl rax, cl; rcr eax, 1; adc', code: [...PREFIX, 0x48, 0xd3, 0xd0, 0xd1, 0xd8, 0x48, 0x11, 0xc2] },
  { name: 'enter 0x20, 0; mov [rbp-8], rax; leave', code: [0xc8, 0x20, 0, 0, 0x48, 0x89, 0x45, 0xf8, 0xc9, 0x48, 0x89, 0xe0] },
  { name: 'stmxcsr; or; ldmxcsr (rounding changed); addsd', code: [0x0f, 0xae, 0x1f, 0x81, 0x0f, 0x00, 0x60, 0, 0, 0x0f, 0xae, 0x17, 0xf2, 0x0f, 0x58, 0xc1] },
];

for (const c of CASES) test(`helper op agrees with the interpreter: ${c.name}`, () => check(c));

test('helper ops agree with the interpreter with guest registers in memory and every access through the slow path', () => {
  for (const c of CASES) check(c, 2, { codegen: { ...DEFAULT_JIT_OPTIONS.codegen, registerCache: false, forceSlowMemory: true } });
});

test('fences, prefetch, non-temporal moves and lddqu are lifted (no helper), and agree with the interpreter', () => {
  const c: Case = {
    name: 'mfence; lfence; sfence; prefetch [rdi]; movnti [rdi], rax; movnti [rdi+8], ecx; movntdq [rdi+16], xmm1; '
      + 'movntps [rdi+32], xmm2; lddqu xmm3, [rdi+3]; movntdqa xmm4, [rdi+16]; movntdqa xmm5, [rdi+8] (#GP: unaligned)',
    code: [0x0f, 0xae, 0xf0, 0x0f, 0xae, 0xe8, 0x0f, 0xae, 0xf8, 0x0f, 0x0d, 0x07, 0x48, 0x0f, 0xc3, 0x07, 0x0f, 0xc3, 0x4f, 0x08,
      0x66, 0x0f, 0xe7, 0x4f, 0x10, 0x0f, 0x2b, 0x57, 0x20, 0xf2, 0x0f, 0xf0, 0x5f, 0x03, 0x66, 0x0f, 0x38, 0x2a, 0x67, 0x10,
      0x66, 0x0f, 0x38, 0x2a, 0x6f, 0x08],
    faults: true,
  };
  for (let seed = 1; seed <= 3; seed++) {
    const ref = run(c, seed, 'interp');
    const got = run(c, seed, 'jit');
    assert.equal(got.fault, ref.fault);
    assert.match(ref.fault ?? '', /movntdqa at 0x508008 at 0x400028$/);
    assert.equal(firstDiff(got.state, ref.state), -1, `state differs at ${firstDiff(got.state, ref.state)}`);
    assert.equal(firstDiff(got.data, ref.data), -1);
    assert.equal(got.rt!.stats.helperCalls, 0);
    assert.equal(got.rt!.stats.helperOps, 0);
    assert.equal(got.rt!.stats.bails, 1); // the last one's alignment guard: the cold tier raises the #GP
    assert.equal(got.rt!.stats.coldInstructions, 0);
  }
});

test('a loop around rep stosq stays in compiled code (few region calls, no helper calls: memory.fill), and with helpers off it does not', () => {
  // top: mov rdi, rdx; mov ecx, 8; rep stosq; dec r8; jnz top
  const code = [0x48, 0x89, 0xd7, 0xb9, 0x08, 0, 0, 0, 0xf3, 0x48, 0xab, 0x49, 0xff, 0xc8, 0x75, 0xf0];
  const c: Case = { name: 'loop', code, regs: { 2: BigInt(MID), 8: 1000n } };
  const ref = run(c, 1, 'interp');
  for (const helperOps of [true, false]) {
    const got = run(c, 1, 'jit', { helperOps });
    assert.equal(firstDiff(got.state, ref.state), -1);
    assert.equal(firstDiff(got.data, ref.data), -1);
    const s = got.rt!.stats;
    if (helperOps) {
      assert.equal(s.helperCalls, 0); // the bulk path
      assert.ok(s.regionCalls <= 3, `region calls ${s.regionCalls}`);
      assert.equal(s.jitInstructions, 5001); // and the final jmp
    } else assert.ok(s.regionCalls >= 1000, `region calls ${s.regionCalls}`);
  }
});

test('rep movsb over translated code invalidates it: the bulk path declines code pages, the helper writes and invalidates', () => {
  // main: call f; rep movsb (f's bytes <- the patch); call f; add rax, rbx; jmp (the harness's jmp end after f)
  // f (its own page): mov eax, 1; ret. The patch: mov eax, 2; ret.
  const F = 0x1000, PATCH = [0xb8, 2, 0, 0, 0, 0xc3];
  const main = [0xe8, ...le32(F - 5), ...REP_MOVSB, 0xe8, ...le32(F - 12), 0x48, 0x01, 0xd8, 0xe9, ...le32(F + 6 - 20)];
  const code = new Array<number>(F + 6).fill(0xcc);
  code.splice(0, main.length, ...main);
  code.splice(F, 6, 0xb8, 1, 0, 0, 0, 0xc3);
  const c: Case = { name: 'patch f', code, regs: { 6: BigInt(MID), 7: BigInt(0x400000 + F), 1: 6n, 3: 0n } };
  const patch = (m: TestMachine): void => { m.mem.u8.set(PATCH, MID); };
  // Block at a time: a region holding both main and f would go on running its old copy
  // of f until it exits (a documented limitation, src/jit/README.md), helper or not.
  for (const regions of [false]) {
    const ref = run(c, 1, 'interp', {}, patch);
    const got = run(c, 1, 'jit', { regions }, patch);
    assert.equal(got.fault, undefined);
    assert.equal(ref.fault, undefined);
    assert.equal(firstDiff(got.state, ref.state), -1, `regions ${regions}: state differs at ${firstDiff(got.state, ref.state)}`);
    assert.equal(got.rt!.stats.helperCalls, 1, 'the copy ran in the helper');
    assert.ok(got.rt!.stats.invalidations >= 1, 'f was invalidated');
  }
});

function le32(v: number): number[] { return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]; }

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
}

function run(c: Case, seed: number, engine: 'interp' | 'jit', opts: Partial<JitOptions> = {}): Outcome & { rt?: JitRuntime } {
  const end = CODE + c.code.length + 5;
  const m = makeMachine({ handlers: TABLES });
  m.load(Uint8Array.from([...c.code, 0xe9, 0, 0, 0, 0, 0xcc])); // jmp end; int3
  setUp(m, c, seed);
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
    assert.ok(s.helperCalls > 0, `${where}: ran as a helper op`);
    assert.equal(s.bails, 0, `${where}: no hand-over to the interpreter`);
    assert.equal(s.coldInstructions, 0, `${where}: nothing ran in the cold tier`);
  }
}

const REP_STOSB = [0xf3, 0xaa], REP_STOSQ = [0xf3, 0x48, 0xab], REP_MOVSB = [0xf3, 0xa4], REP_MOVSQ = [0xf3, 0x48, 0xa5];
/** After the string instruction: code reading what it left (rcx, rdi, rsi, flags). */
const READ_BACK = [0x48, 0x89, 0xc8, 0x48, 0x01, 0xf8, 0x48, 0x31, 0xf0, 0x0f, 0x94, 0xc3]; // mov rax, rcx; add rax, rdi; xor rax, rsi; sete bl
/** Before it: code whose flags and registers must reach the handler (add rdx, rax; mov r9, rcx). */
const PREFIX = [0x48, 0x01, 0xc2, 0x49, 0x89, 0xc9];

const CASES: Case[] = [
  { name: 'rep stosb DF=0', code: [...PREFIX, ...REP_STOSB, ...READ_BACK] },
  { name: 'rep stosb DF=1', code: [...PREFIX, ...REP_STOSB, ...READ_BACK], rflags: 0x202 | DF },
  { name: 'rep stosq DF=0', code: [...PREFIX, ...REP_STOSQ, ...READ_BACK] },
  { name: 'rep stosq DF=1', code: [...PREFIX, ...REP_STOSQ, ...READ_BACK], rflags: 0x202 | DF },
  { name: 'rep stosq rcx=0', code: [...PREFIX, ...REP_STOSQ, ...READ_BACK], regs: { 1: 0n } },
  { name: 'rep movsb DF=0', code: [...PREFIX, ...REP_MOVSB, ...READ_BACK] },
  { name: 'rep movsb DF=1', code: [...PREFIX, ...REP_MOVSB, ...READ_BACK], rflags: 0x202 | DF },
  { name: 'rep movsb overlapping forward (rsi = rdi - 3)', code: [...REP_MOVSB, ...READ_BACK], regs: { 6: BigInt(MID - 3), 1: 50n } },
  { name: 'rep movsb overlapping backward (rsi = rdi + 3)', code: [...REP_MOVSB, ...READ_BACK], regs: { 6: BigInt(MID + 3), 1: 50n } },
  { name: 'rep movsq DF=1', code: [...PREFIX, ...REP_MOVSQ, ...READ_BACK], rflags: 0x202 | DF },
  { name: 'rep movsq rcx=0', code: [...REP_MOVSQ, ...READ_BACK], regs: { 1: 0n } },
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

test('a loop around rep stosq stays in compiled code (few region calls), and with helpers off it does not', () => {
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
      assert.equal(s.helperCalls, 1000);
      assert.ok(s.regionCalls <= 3, `region calls ${s.regionCalls}`);
      assert.equal(s.jitInstructions, 5001); // and the final jmp
    } else assert.ok(s.regionCalls >= 1000, `region calls ${s.regionCalls}`);
  }
});

// Differential tests for the SSE lifters: generated SSE/SSE2 sequences run from the same
// state on the reference interpreter (checked against the CPU by test/native and
// test/interp/sse) and on the JIT compiled at first sight. XMM registers, MXCSR (flags
// and all), RFLAGS, GPRs, RIP, the data area and faults must agree bit for bit.
// Operands come from edge-value pools (NaNs with payloads, infinities, denormals, ±0,
// halfway cases, integer-conversion limits) and MXCSR from all rounding modes, DAZ/FTZ
// and preset or clear flags, half of the time the fast environment the inline paths
// need (RC nearest, no DAZ/FTZ, PE set).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, DATA, icedDecodeFn } from '../interp/support/machine.js';
import { GuestFault } from '../../src/mem/fault.js';
import { loadBinaryen } from '../../src/jit/wasm.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import type { JitOptions } from '../../src/jit/engine.js';
import { BACKENDS } from '../../src/jit/codegen.js';
import { Rng } from '../support/prng.js';
import { sseHandlers } from '../../src/interp/sse/index.js';
import { liftBlock } from '../../src/ir/lift.js';
import { verifyBlock } from '../../src/ir/verify.js';
import type { Insn } from '../../src/x86/insn.js';

/** Lifts the code as one block and returns why lifting stopped, if it stopped before the end. */
function unlifted(code: number[]): string | undefined {
  const bytes = Uint8Array.from(code);
  const insns: Insn[] = [];
  for (let off = 0; off < bytes.length;) { const i = icedDecodeFn(bytes, off, CODE + off); insns.push(i); off += i.len; }
  const { block, stoppedAt } = liftBlock(insns);
  verifyBlock(block);
  return stoppedAt?.why;
}

await loadBinaryen();

// ---- operand pools ---------------------------------------------------------------------

const F64_EDGES: bigint[] = [
  0x0000000000000000n, 0x8000000000000000n, // ±0
  0x3ff0000000000000n, 0xbff0000000000000n, // ±1
  0x7ff0000000000000n, 0xfff0000000000000n, // ±inf
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff8000000012345n, // QNaNs
  0x7ff0000000000001n, 0xfff4000000abcdefn, // SNaNs
  0x0000000000000001n, 0x000fffffffffffffn, 0x800ffffffffffff0n, // denormals
  0x0010000000000000n, 0x8010000000000000n, 0x0010000000000001n, // smallest normals
  0x7fefffffffffffffn, 0xffefffffffffffffn, // largest
  0x3ff0000000000001n, 0x3ca0000000000000n, // 1 + ulp, 2^-53 (halfway sums)
  0x41dfffffffc00000n, 0x41e0000000000000n, 0xc1e0000000000000n, 0xc1e0000000100000n, // around ±2^31
  0x43e0000000000000n, 0xc3e0000000000000n, 0x4340000000000001n, // 2^63, -2^63, 2^53+2
  0x3fe0000000000000n, 0x3ff8000000000000n, 0x4004000000000000n, 0xc002000000000000n, // halves: 0.5, 1.5, 2.5, -2.25
  0x47efffffe0000000n, 0x36a0000000000000n, 0x3810000000000000n, // float32 max, around float32 min normal
  0x2000000000000000n, 0x5ff0000000000000n, // tiny and huge: products under/overflow
];
const F32_EDGES: number[] = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
  0x7fc00000, 0xffc00000, 0x7fc01234, 0x7f800001, 0xffa00000, // NaNs (quiet, signalling)
  0x00000001, 0x007fffff, 0x807ffff0, 0x00800000, 0x80800000, 0x00800001,
  0x7f7fffff, 0xff7fffff, 0x3f800001, 0x33800000, 0x4effffff, 0x4f000000, 0xcf000000, 0x5f000000, 0xdf000000,
  0x3f000000, 0x3fc00000, 0x40200000, 0x1f800000, 0x5f800000,
];

/**
 * Values whose sums, products, quotients and square roots are often exact and often
 * not (PE decided by the inline fast path when it is clear): small integers, halves
 * and eighths, 0.1-style values, integers of 26-30 bits (products needing more than
 * the significand), squares, and values around the limits of Dekker's product
 * (2^995 and 2^-969 for double, 2^114 and 2^-100 for float), with neighbours one ulp away.
 */
function exactish(r: Rng, single: boolean): number {
  const round = single ? Math.fround : (x: number): number => x;
  const sign = r.bool() ? -1 : 1;
  let v: number;
  switch (r.int(8)) {
    case 0: v = r.int(1000); break;
    case 1: v = r.int(1 << 12) / 2 ** r.int(7); break;
    case 2: v = r.pick([0.1, 0.2, 0.3, 0.7, 1 / 3, 0.125, 0.375]) * (1 + r.int(20)); break;
    case 3: v = (2 ** (single ? 11 : 25) + r.int(2 ** (single ? 14 : 30))) * 2 ** (r.int(9) - 4); break;
    case 4: { const k = 1 + r.int(single ? 4096 : 2 ** 26); v = r.chance(0.5) ? k * k : k; break; }
    case 5: v = 2 ** (single ? 114 - r.int(3) : 995 - r.int(3)) * (1 + r.int(8) / 8); break;
    case 6: v = 2 ** (single ? -50 - r.int(3) : -485 - r.int(3)) * (1 + r.int(8) / 8); break; // products near the low limit
    default: v = 2 ** (single ? -100 + r.int(3) - 1 : -969 + r.int(3) - 1) * (1 + r.int(8) / 8);
  }
  v = round(sign * v);
  if (r.chance(0.2)) v = round(v * (1 + (r.bool() ? 1 : -1) * 2 ** (single ? -23 : -52))); // an ulp away
  return v;
}
function f64bitsOf(v: number): bigint { const dv = new DataView(new ArrayBuffer(8)); dv.setFloat64(0, v, true); return dv.getBigUint64(0, true); }
function f32bitsOf(v: number): number { const dv = new DataView(new ArrayBuffer(4)); dv.setFloat32(0, v, true); return dv.getUint32(0, true); }

function f64Value(r: Rng): bigint {
  if (r.chance(0.3)) return f64bitsOf(exactish(r, false));
  if (r.chance(0.5)) return r.pick(F64_EDGES);
  const sign = r.bool() ? 1n << 63n : 0n;
  const exp = BigInt(r.chance(0.8) ? 1023 - 20 + r.int(40) : 1 + r.int(2046));
  return sign | (exp << 52n) | (r.u64() & 0xfffffffffffffn);
}
function f32Value(r: Rng): number {
  if (r.chance(0.3)) return f32bitsOf(exactish(r, true));
  if (r.chance(0.5)) return r.pick(F32_EDGES);
  const sign = r.bool() ? 0x80000000 : 0;
  const exp = r.chance(0.8) ? 127 - 10 + r.int(20) : 1 + r.int(254);
  return (sign | (exp << 23) | (r.u32() & 0x7fffff)) >>> 0;
}
/** Integers around the exactness limits of float32 (2^24) and float64 (2^53) conversions, as [lo, hi]. */
const INT_EDGES: [number, number][] = [[0, 0], [1, 0], [0xffffffff, 0xffffffff], [0x01000001, 0], [0xfeffffff, 0xffffffff],
  [0x80000000, 0], [0x7fffffff, 0], [0, 0x80000000], [1, 0x00200000], [0xffffffff, 0xffdfffff], [0xffffffff, 0x7fffffff],
  [0x01000000, 0], [0x01000003, 0xffffffff], [3, 0x00200000], [0, 0x00200000], [0x12345678, 0x9abcdef0]];
function intValue(r: Rng): [number, number] {
  return r.chance(0.5) ? r.pick(INT_EDGES) : [r.u32(), r.chance(0.5) ? (r.bool() ? 0 : 0xffffffff) : r.u32()];
}

function fill16(r: Rng, out: Uint8Array, off: number): void {
  const dv = new DataView(out.buffer, out.byteOffset);
  const kind = r.int(4);
  if (kind === 0) { dv.setBigUint64(off, f64Value(r), true); dv.setBigUint64(off + 8, f64Value(r), true); }
  else if (kind === 1) for (let i = 0; i < 4; i++) dv.setUint32(off + 4 * i, f32Value(r), true);
  else if (kind === 2) for (let i = 0; i < 16; i++) out[off + i] = r.pick([0, 1, 0x7f, 0x80, 0xff, r.int(256)]);
  else { dv.setBigUint64(off, f64Value(r), true); dv.setUint32(off + 8, f32Value(r), true); dv.setUint32(off + 12, r.u32(), true); }
}

function mxcsr(r: Rng): number {
  if (r.chance(0.4)) return 0x1f80 | 0x20 | (r.chance(0.2) ? r.int(0x20) : 0); // the fast environment
  if (r.chance(0.5)) return 0x1f80 | (r.chance(0.2) ? r.int(0x20) & ~0x20 : 0); // round to nearest, PE clear: PE decided inline
  const rc = r.int(4) << 13;
  const daz = r.chance(0.3) ? 0x40 : 0, ftz = r.chance(0.3) ? 0x8000 : 0;
  return 0x1f80 | rc | daz | ftz | (r.chance(0.5) ? r.int(0x40) : 0);
}

// ---- instruction generator ---------------------------------------------------------------

/** One SSE row: prefix, opcode byte after 0F, and the operand shape. */
interface Row { p: number[]; op: number; shape: 'xx' | 'xm' | 'mx' | 'xg' | 'gx' | 'xxi' | 'si'; mem?: number; w?: boolean; ext?: number }

const ARITH = [0x58, 0x59, 0x5c, 0x5d, 0x5e, 0x5f, 0x51];
const ROWS: Row[] = [];
for (const [p, mem] of [[[0xf2], 8], [[0xf3], 4], [[0x66], 16], [[], 16]] as const) {
  for (const op of ARITH) { ROWS.push({ p: [...p], op, shape: 'xx' }, { p: [...p], op, shape: 'xm', mem }); }
}
ROWS.push(
  // comisd, ucomisd, comiss, ucomiss
  { p: [0x66], op: 0x2f, shape: 'xx' }, { p: [0x66], op: 0x2e, shape: 'xm', mem: 8 }, { p: [], op: 0x2f, shape: 'xm', mem: 4 }, { p: [], op: 0x2e, shape: 'xx' },
  // cvtsi2sd/ss (32 and 64), cvt(t)sd2si, cvt(t)ss2si (32 and 64)
  { p: [0xf2], op: 0x2a, shape: 'xg' }, { p: [0xf2], op: 0x2a, shape: 'xg', w: true }, { p: [0xf3], op: 0x2a, shape: 'xg' }, { p: [0xf3], op: 0x2a, shape: 'xg', w: true },
  { p: [0xf2], op: 0x2a, shape: 'xm', mem: 4 },
  { p: [0xf2], op: 0x2c, shape: 'gx' }, { p: [0xf2], op: 0x2c, shape: 'gx', w: true }, { p: [0xf2], op: 0x2d, shape: 'gx' }, { p: [0xf2], op: 0x2d, shape: 'gx', w: true },
  { p: [0xf3], op: 0x2c, shape: 'gx' }, { p: [0xf3], op: 0x2c, shape: 'gx', w: true }, { p: [0xf3], op: 0x2d, shape: 'gx' }, { p: [0xf3], op: 0x2d, shape: 'gx', w: true },
  // cvtsd2ss, cvtss2sd, cvtps2pd, cvtpd2ps, cvtdq2pd, cvttpd2dq, cvtpd2dq, cvtdq2ps, cvtps2dq, cvttps2dq
  { p: [0xf2], op: 0x5a, shape: 'xx' }, { p: [0xf3], op: 0x5a, shape: 'xx' }, { p: [0xf3], op: 0x5a, shape: 'xm', mem: 4 }, { p: [], op: 0x5a, shape: 'xx' }, { p: [0x66], op: 0x5a, shape: 'xx' },
  { p: [0xf3], op: 0xe6, shape: 'xx' }, { p: [0x66], op: 0xe6, shape: 'xx' }, { p: [0xf2], op: 0xe6, shape: 'xx' },
  { p: [], op: 0x5b, shape: 'xx' }, { p: [0x66], op: 0x5b, shape: 'xx' }, { p: [0xf3], op: 0x5b, shape: 'xx' },
  // moves: movsd, movss, movapd, movaps, movupd, movups, movdqa, movdqu (load, store, register)
  { p: [0xf2], op: 0x10, shape: 'xx' }, { p: [0xf2], op: 0x10, shape: 'xm', mem: 8 }, { p: [0xf2], op: 0x11, shape: 'mx', mem: 8 },
  { p: [0xf3], op: 0x10, shape: 'xx' }, { p: [0xf3], op: 0x10, shape: 'xm', mem: 4 }, { p: [0xf3], op: 0x11, shape: 'mx', mem: 4 },
  { p: [0x66], op: 0x28, shape: 'xx' }, { p: [0x66], op: 0x28, shape: 'xm', mem: 16 }, { p: [0x66], op: 0x29, shape: 'mx', mem: 16 },
  { p: [], op: 0x28, shape: 'xm', mem: 16 }, { p: [], op: 0x29, shape: 'mx', mem: 16 },
  { p: [0x66], op: 0x10, shape: 'xx' }, { p: [0x66], op: 0x10, shape: 'xm', mem: 16 }, { p: [0x66], op: 0x11, shape: 'mx', mem: 16 },
  { p: [], op: 0x10, shape: 'xm', mem: 16 }, { p: [], op: 0x11, shape: 'mx', mem: 16 },
  { p: [0x66], op: 0x6f, shape: 'xm', mem: 16 }, { p: [0x66], op: 0x7f, shape: 'mx', mem: 16 }, { p: [0xf3], op: 0x6f, shape: 'xm', mem: 16 }, { p: [0xf3], op: 0x7f, shape: 'mx', mem: 16 },
  // movq/movd: xmm<-xmm, xmm<-r/m, r/m<-xmm, m64<-xmm (66 0F D6)
  { p: [0xf3], op: 0x7e, shape: 'xx' }, { p: [0x66], op: 0x6e, shape: 'xg', w: true }, { p: [0x66], op: 0x6e, shape: 'xg' }, { p: [0x66], op: 0x6e, shape: 'xm', mem: 4 },
  { p: [0x66], op: 0x7e, shape: 'gx', w: true }, { p: [0x66], op: 0x7e, shape: 'gx' }, { p: [0x66], op: 0xd6, shape: 'mx', mem: 8 },
  // movlpd/movhpd/movlps/movhps (memory), movhlps/movlhps (registers)
  { p: [0x66], op: 0x12, shape: 'xm', mem: 8 }, { p: [0x66], op: 0x13, shape: 'mx', mem: 8 }, { p: [0x66], op: 0x16, shape: 'xm', mem: 8 }, { p: [0x66], op: 0x17, shape: 'mx', mem: 8 },
  { p: [], op: 0x12, shape: 'xm', mem: 8 }, { p: [], op: 0x17, shape: 'mx', mem: 8 }, { p: [], op: 0x12, shape: 'xx' }, { p: [], op: 0x16, shape: 'xx' },
  // logic: andpd andnpd orpd xorpd, ps forms, pand pandn por pxor
  ...[0x54, 0x55, 0x56, 0x57].flatMap((op) => [{ p: [0x66], op, shape: 'xx' as const }, { p: [], op, shape: 'xm' as const, mem: 16 }]),
  ...[0xdb, 0xdf, 0xeb, 0xef].map((op) => ({ p: [0x66], op, shape: 'xx' as const })),
  // unpck*, punpck*dq/qdq, shufpd, shufps, pshufd
  ...[0x14, 0x15].flatMap((op) => [{ p: [0x66], op, shape: 'xx' as const }, { p: [], op, shape: 'xx' as const }, { p: [0x66], op, shape: 'xm' as const, mem: 16 }]),
  ...[0x62, 0x6a, 0x6c, 0x6d].map((op) => ({ p: [0x66], op, shape: 'xx' as const })),
  { p: [0x66], op: 0xc6, shape: 'xxi' }, { p: [], op: 0xc6, shape: 'xxi' }, { p: [0x66], op: 0x70, shape: 'xxi' },
  { p: [0xf2], op: 0x70, shape: 'xxi' }, { p: [0xf3], op: 0x70, shape: 'xxi' },
  // packed integers: add/sub, compares, multiplies, saturating, min/max, average, packs, unpacks
  ...[0xfc, 0xfd, 0xfe, 0xd4, 0xf8, 0xf9, 0xfa, 0xfb, 0x74, 0x75, 0x76, 0x64, 0x65, 0x66, 0xd5, 0xf4, 0xdc, 0xdd, 0xd8, 0xd9,
    0xec, 0xed, 0xe8, 0xe9, 0xda, 0xde, 0xea, 0xee, 0xe0, 0xe3, 0x63, 0x67, 0x6b, 0x60, 0x61, 0x68, 0x69]
    .map((op) => ({ p: [0x66], op, shape: 'xx' as const })),
  { p: [0x66], op: 0xfe, shape: 'xm', mem: 16 },
  // shifts by imm8 (66 0F 71/72/73 /ext ib), pmovmskb, movmskps, movmskpd
  ...([[0x71, 2], [0x71, 4], [0x71, 6], [0x72, 2], [0x72, 4], [0x72, 6], [0x73, 2], [0x73, 3], [0x73, 6], [0x73, 7]] as const)
    .map(([op, ext]) => ({ p: [0x66], op, shape: 'si' as const, ext })),
  { p: [0x66], op: 0xd7, shape: 'gx' }, { p: [], op: 0x50, shape: 'gx' }, { p: [0x66], op: 0x50, shape: 'gx' },
);

const GPRS = [0, 1, 2, 3, 6]; // rax rcx rdx rbx rsi (rdi holds DATA)

function genInsn(r: Rng): number[] {
  const row = r.pick(ROWS);
  const x = r.int(8), y = r.int(8), g = r.pick(GPRS);
  const rex = row.w ? [0x48] : [];
  const head = [...row.p, ...rex, 0x0f, row.op];
  switch (row.shape) {
    case 'xx': return [...head, 0xc0 | (x << 3) | y];
    case 'xxi': return [...head, 0xc0 | (x << 3) | y, r.int(256)];
    case 'xg': return [...head, 0xc0 | (x << 3) | g];
    case 'gx': return [...head, 0xc0 | (g << 3) | x];
    case 'si': return [...head, 0xc0 | (row.ext! << 3) | x, r.chance(0.2) ? r.int(256) : r.int(70)];
    default: {
      // [rdi + d8]: aligned to the operand size, now and then misaligned (#GP for m128).
      const size = row.mem!;
      const d = r.chance(0.05) ? 1 + r.int(15) : size * r.int(Math.floor(128 / size));
      return [...head, 0x47 | (x << 3), d];
    }
  }
}

// ---- running both ---------------------------------------------------------------------------

interface Outcome { state: Uint8Array; data: Uint8Array; fault?: string; slowCalls: number }

function setup(m: ReturnType<typeof makeMachine>, seed: number): void {
  const r = new Rng(seed * 7 + 1);
  for (const g of GPRS) { const [lo, hi] = intValue(r); m.st.set64(g, lo, hi); }
  m.st.setNum(7, DATA);
  m.st.rflags = 0x202 | (r.u32() & 0x8d5);
  m.st.mxcsr = mxcsr(r);
  const xmm = new Uint8Array(256);
  for (let i = 0; i < 16; i++) fill16(r, xmm, 16 * i);
  m.mem.u8.set(xmm, m.st.xmmAddr(0));
  const data = new Uint8Array(256);
  for (let i = 0; i < 16; i++) fill16(r, data, 16 * i);
  m.mem.u8.set(data, DATA);
}

function runBoth(code: number[], seed: number, opts: Partial<JitOptions> = {}): [Outcome, Outcome] {
  const end = CODE + code.length + 5;
  const bytes = [...code, 0xe9, 0, 0, 0, 0, 0xcc]; // jmp end; int3
  const results: Outcome[] = [];
  for (const engine of ['interp', 'jit'] as const) {
    const m = makeMachine({ handlers: [sseHandlers] });
    m.load(Uint8Array.from(bytes));
    setup(m, seed);
    let fault: string | undefined, slowCalls = 0;
    try {
      if (engine === 'interp') m.interp.run({ stopAt: end });
      else {
        const rt = new JitRuntime(m.st, m.mem, icedDecodeFn, [sseHandlers], {
          ...DEFAULT_JIT_OPTIONS, threshold: 0, ...opts, codegen: { ...DEFAULT_JIT_OPTIONS.codegen, validate: true, ...opts.codegen },
        });
        try { rt.run({ stopAt: end }); } finally { slowCalls = rt.sseSlowCalls; }
      }
    } catch (e) {
      if (!(e instanceof GuestFault)) throw e;
      fault = `${e.message} at 0x${m.st.rip.toString(16)}`;
    }
    results.push({ state: m.st.snapshot(), data: m.mem.u8.slice(DATA, DATA + 256), fault, slowCalls });
  }
  return results as [Outcome, Outcome];
}

function hexOf(a: number[]): string { return a.map((b) => b.toString(16).padStart(2, '0')).join(' '); }

for (const backend of BACKENDS) {
const withBackend = (opts: Partial<JitOptions> = {}): Partial<JitOptions> => ({ ...opts, codegen: { ...DEFAULT_JIT_OPTIONS.codegen, ...opts.codegen, backend } });

test(`JIT agrees with the interpreter on 500 generated SSE sequences: results, MXCSR, flags, faults (${backend})`, () => {
  const r = new Rng(2024);
  let slow = 0;
  for (let n = 0; n < 500; n++) {
    const code: number[] = [];
    const len = 1 + r.int(8);
    for (let i = 0; i < len; i++) code.push(...genInsn(r));
    const [a, b] = runBoth(code, n, withBackend());
    const what = `sequence ${n}: ${hexOf(code)}`;
    assert.equal(b.fault, a.fault, what);
    assert.deepEqual(b.state, a.state, what);
    assert.deepEqual(b.data, a.data, what);
    // Every generated form is lifted: the comparison is of compiled code, not of the interpreter with itself.
    assert.equal(unlifted(code), undefined, `${what}: a form was not lifted`);
    slow += b.slowCalls;
  }
  assert.ok(slow > 0, 'the slow path ran');
});

test(`every form on every pair of edge operands, in the fast environment and in two of the others (${backend})`, () => {
  // One program runs each form once: xmm2 = xmm0 (f64 pair a,b) or xmm5 = xmm3 (f32
  // lanes a,b,a,b); OP it with xmm1 (b,a) / xmm4 (b,a,b,a); store it to the data area.
  // The same program (compiled once) then runs from every state.
  const code: number[] = [];
  let slot = 0;
  const store = (x: number): void => { code.push(0x66, 0x0f, 0x7f, 0x87 | (x << 3), ...le32(16 * slot++)); }; // movdqa [rdi+disp32], x
  const le32 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];
  for (const [p, single] of [[[0xf2], false], [[0xf3], true], [[0x66], false], [[], true]] as const) {
    for (const op of ARITH) {
      const [d, a, b] = single ? [5, 3, 4] : [2, 0, 1];
      code.push(0x66, 0x0f, 0x6f, 0xc0 | (d << 3) | a, ...p, 0x0f, op, 0xc0 | (d << 3) | b);
      store(d);
    }
  }
  // comisd xmm0, xmm1; ucomisd xmm1, xmm0; comiss xmm3, xmm4; ucomiss xmm4, xmm3; then SETE/SETB/SETP/SETO/SETS [rdi+disp+j].
  for (const bytes of [[0x66, 0x0f, 0x2f, 0xc1], [0x66, 0x0f, 0x2e, 0xc8], [0x0f, 0x2f, 0xdc], [0x0f, 0x2e, 0xe3]]) {
    code.push(...bytes);
    [4, 2, 10, 0, 8].forEach((cc, j) => code.push(0x0f, 0x90 + cc, 0x87, ...le32(16 * slot + j)));
    slot++;
  }
  for (const [bytes, x] of [[[0xf2, 0x0f, 0x5a, 0xd0], 2], [[0xf3, 0x0f, 0x5a, 0xd3], 2], [[0x0f, 0x5a, 0xd3], 2], [[0x66, 0x0f, 0x5a, 0xd0], 2],
    [[0xf2, 0x0f, 0x2a, 0xd6], 2], [[0xf2, 0x48, 0x0f, 0x2a, 0xd6], 2], [[0xf3, 0x0f, 0x2a, 0xd6], 2], [[0xf3, 0x48, 0x0f, 0x2a, 0xd6], 2]] as const) {
    code.push(...bytes);
    store(x);
  }
  for (const bytes of [[0xf2, 0x0f, 0x2c, 0xc0], [0xf2, 0x48, 0x0f, 0x2c, 0xc1], [0xf2, 0x0f, 0x2d, 0xc1], [0xf2, 0x48, 0x0f, 0x2d, 0xc0],
    [0xf3, 0x0f, 0x2c, 0xc3], [0xf3, 0x48, 0x0f, 0x2c, 0xc4], [0xf3, 0x0f, 0x2d, 0xc4], [0xf3, 0x48, 0x0f, 0x2d, 0xc3]]) {
    code.push(...bytes, 0x48, 0x89, 0x87, ...le32(16 * slot++)); // mov [rdi+disp], rax
  }
  assert.equal(unlifted(code), undefined);
  const end = CODE + code.length + 5;
  const bytes = Uint8Array.from([...code, 0xe9, 0, 0, 0, 0, 0xcc]);
  const size = 16 * slot;
  const machines = (['interp', 'jit'] as const).map((engine) => {
    const m = makeMachine({ handlers: [sseHandlers] });
    m.load(bytes);
    const rt = engine === 'jit' ? new JitRuntime(m.st, m.mem, icedDecodeFn, [sseHandlers], { ...DEFAULT_JIT_OPTIONS, threshold: 0, ...withBackend() }) : undefined;
    return { m, run: (): void => { m.st.rip = CODE; if (rt) rt.run({ stopAt: end }); else m.interp.run({ stopAt: end }); } };
  });
  const others = [0x1f80, 0x1fbf, 0x3fa0, 0x5f80, 0x7fa0, 0x1fe0, 0x9fa0, 0x9fc0];
  const n64 = F64_EDGES.length, n32 = F32_EDGES.length;
  let k = 0;
  for (let i = 0; i < n64 * n64; i++) {
    const [a64, b64] = [F64_EDGES[i % n64]!, F64_EDGES[Math.floor(i / n64)]!];
    const [a32, b32] = [F32_EDGES[i % n32]!, F32_EDGES[Math.floor(i / n32) % n32]!];
    for (const mx of [0x1fa0, others[k++ % others.length]!, others[k++ % others.length]!]) {
      const outs = machines.map(({ m, run }) => {
        const dv = new DataView(m.mem.buffer);
        const x = (r: number, o: number): number => m.st.xmmAddr(r) + o;
        dv.setBigUint64(x(0, 0), a64, true); dv.setBigUint64(x(0, 8), b64, true);
        dv.setBigUint64(x(1, 0), b64, true); dv.setBigUint64(x(1, 8), a64, true);
        for (let l = 0; l < 4; l++) { dv.setUint32(x(3, 4 * l), l & 1 ? b32 : a32, true); dv.setUint32(x(4, 4 * l), l & 1 ? a32 : b32, true); }
        const [lo, hi] = INT_EDGES[i % INT_EDGES.length]!;
        m.st.set64(6, lo, hi);
        m.st.setNum(7, DATA);
        m.st.mxcsr = mx;
        m.st.rflags = 0x202;
        run();
        return { st: m.st.snapshot(), data: m.mem.u8.slice(DATA, DATA + size) };
      });
      const what = `operands ${a64.toString(16)} ${b64.toString(16)} / ${a32.toString(16)} ${b32.toString(16)}, MXCSR ${mx.toString(16)}`;
      assert.deepEqual(outs[1]!.data, outs[0]!.data, what);
      assert.deepEqual(outs[1]!.st, outs[0]!.st, what);
    }
  }
});

test(`the fast path runs without runtime calls with round to nearest, PE set or clear, and sets PE itself when a result is inexact (${backend})`, () => {
  // addsd xmm0, xmm1; mulsd xmm0, xmm1; divsd xmm0, xmm1; sqrtsd xmm2, xmm0; comisd xmm0, xmm1
  const code = [0xf2, 0x0f, 0x58, 0xc1, 0xf2, 0x0f, 0x59, 0xc1, 0xf2, 0x0f, 0x5e, 0xc1, 0xf2, 0x0f, 0x51, 0xd0, 0x66, 0x0f, 0x2f, 0xc1];
  for (const [mx, a, b, want] of [[0x1fa0, 1.1, 3.3, 0x1fa0], [0x1f80, 1.1, 3.3, 0x1fa0], [0x1f80, 1.5, 2.5, 0x1f80], [0x1f81, 1.5, 2.5, 0x1f81]] as const) {
    const end = CODE + code.length + 5;
    const m = makeMachine({ handlers: [sseHandlers] });
    m.load(Uint8Array.from([...code, 0xe9, 0, 0, 0, 0, 0xcc]));
    m.st.mxcsr = mx;
    m.st.setXmmF64(0, a); m.st.setXmmF64(1, b);
    const rt = new JitRuntime(m.st, m.mem, icedDecodeFn, [sseHandlers], { ...DEFAULT_JIT_OPTIONS, threshold: 0, ...withBackend() });
    rt.run({ stopAt: end });
    assert.equal(m.st.xmmF64(0), (a + b) * b / b);
    assert.equal(m.st.xmmF64(2), Math.sqrt((a + b) * b / b));
    assert.equal(m.st.mxcsr, want, `MXCSR ${mx.toString(16)} with ${a}, ${b}`);
    assert.equal(rt.sseSlowCalls, 0);
  }
});

test(`with PE clear, every arithmetic form decides exactness as the interpreter does, exact and inexact alike (${backend})`, () => {
  // One program per form: OP xmm0, xmm1 (the sqrt forms take xmm1 alone). Operands are
  // exactish values, MXCSR round to nearest with PE clear (now and then another flag):
  // a JIT that got exactness wrong either way leaves a different MXCSR.
  const r = new Rng(77);
  let exact = 0, inexact = 0, runs = 0, slow = 0;
  for (const [p, single, lanes] of [[[0xf2], false, 1], [[0xf3], true, 1], [[0x66], false, 2], [[], true, 4]] as const) {
    for (const op of [0x58, 0x59, 0x5c, 0x5e, 0x51]) {
      const code = [...p, 0x0f, op, 0xc1];
      const end = CODE + code.length + 5;
      const machines = (['interp', 'jit'] as const).map((engine) => {
        const m = makeMachine({ handlers: [sseHandlers] });
        m.load(Uint8Array.from([...code, 0xe9, 0, 0, 0, 0, 0xcc]));
        const rt = engine === 'jit' ? new JitRuntime(m.st, m.mem, icedDecodeFn, [sseHandlers], { ...DEFAULT_JIT_OPTIONS, threshold: 0, ...withBackend() }) : undefined;
        return { m, rt, run: (): void => { m.st.rip = CODE; if (rt) rt.run({ stopAt: end }); else m.interp.run({ stopAt: end }); } };
      });
      for (let n = 0; n < 400; n++) {
        const xs: number[] = [], ys: number[] = [];
        for (let l = 0; l < lanes; l++) {
          const y = exactish(r, single);
          // Now and then a quotient or square root known to be exact: x = y * small or a square.
          const x = r.chance(0.25) ? (single ? Math.fround(y * r.int(64)) : y * r.int(64)) : exactish(r, single);
          xs.push(x); ys.push(op === 0x51 && r.chance(0.3) ? (single ? Math.fround(y * y) : y * y) : y);
        }
        const mx = 0x1f80 | (r.chance(0.2) ? r.int(0x20) & ~0x20 : 0);
        const outs = machines.map(({ m, run }) => {
          const dv = new DataView(m.mem.buffer);
          for (let l = 0; l < lanes; l++) {
            if (single) { dv.setUint32(m.st.xmmAddr(0) + 4 * l, f32bitsOf(xs[l]!), true); dv.setUint32(m.st.xmmAddr(1) + 4 * l, f32bitsOf(ys[l]!), true); }
            else { dv.setBigUint64(m.st.xmmAddr(0) + 8 * l, f64bitsOf(xs[l]!), true); dv.setBigUint64(m.st.xmmAddr(1) + 8 * l, f64bitsOf(ys[l]!), true); }
          }
          m.st.mxcsr = mx;
          run();
          return m.st.snapshot();
        });
        assert.deepEqual(outs[1], outs[0], `${hexOf(code)} on ${xs} / ${ys}, MXCSR ${mx.toString(16)}`);
        const pe = machines[0]!.m.st.mxcsr & 0x20;
        if (pe) inexact++; else exact++;
        runs++;
      }
      slow += machines[1]!.rt!.sseSlowCalls;
    }
  }
  assert.ok(exact > runs / 8 && inexact > runs / 8, `${exact} exact and ${inexact} inexact results of ${runs}`);
  // Operands at Dekker's limits take the slow path; the others (most of them) are decided inline.
  assert.ok(slow < runs / 2, `${slow} slow calls in ${runs} runs: the fast path decides exactness`);
});
}

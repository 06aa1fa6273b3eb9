// The x87 instruction forms the tests run on the host CPU and on wexe, with generators
// for their operands and starting states (stacks of every depth, all RC/PC settings).

import type { F80 } from '../../../src/interp/x87/float80.js';
import { f80ToBytes } from '../../../src/interp/x87/float80.js';
import type { HostCase } from './host-x87.js';
import { Rng, edgeValues, randomValue, randomNormal } from './values.js';

export type Gen = (r: Rng) => F80;
export interface Template {
  name: string;
  code: number[];
  /** Initial memory at [rdi] (default: none). */
  mem?: (r: Rng) => Uint8Array;
  /** Generator of stack values (default: mixed edge and random values). */
  values?: Gen;
  /** Results may be 1 ulp off hardware (transcendentals). */
  ulp?: boolean;
  /** Byte ranges [from, to) of the memory operand not compared. */
  ignoreMem?: [number, number][];
  /** Force the stack depth (default: random, mostly 2..3). */
  depth?: number;
  /** Control word generator (default: all masked, random RC and PC). */
  cw?: (r: Rng) => number;
}

const EDGES = edgeValues();
const mixed: Gen = (r) => randomValue(r, EDGES);
const bytes = (n: number) => (r: Rng): Uint8Array => Uint8Array.from({ length: n }, () => r.int(256));
const zeros = (n: number) => (): Uint8Array => new Uint8Array(n);
const le = (v: bigint, n: number): Uint8Array => {
  const b = new Uint8Array(n);
  let x = BigInt.asUintN(8 * n, v);
  for (let i = 0; i < n; i++) { b[i] = Number(x & 0xffn); x >>= 8n; }
  return b;
};

function realBits(r: Rng, size: 4 | 8): Uint8Array {
  const fracBits = size === 4 ? 23 : 52;
  const expBits = size === 4 ? 8 : 11;
  const maxE = (1 << expBits) - 1;
  const bias = maxE >> 1;
  const e = r.pick([0, maxE, 1, bias, bias + 1, bias - 1, r.int(maxE), r.int(maxE), r.int(maxE)]);
  const frac = r.int(4) === 0 ? r.pick([0n, 1n, 1n << BigInt(fracBits - 1)]) : BigInt.asUintN(fracBits, r.u64());
  return le((BigInt(r.int(2)) << BigInt(size * 8 - 1)) | (BigInt(e) << BigInt(fracBits)) | frac, size);
}
const real = (size: 4 | 8) => (r: Rng): Uint8Array => realBits(r, size);
const real80 = (r: Rng): Uint8Array => f80ToBytes(mixed(r));
const int = (n: number) => (r: Rng): Uint8Array => {
  const edge = [0n, 1n, -1n, -(1n << BigInt(8 * n - 1)), (1n << BigInt(8 * n - 1)) - 1n];
  return le(r.int(4) === 0 ? r.pick(edge) : r.u64() >> BigInt(r.int(8 * n)), n);
};

// ---- value generators for the transcendentals' domains ----
const scaled = (r: Rng, maxExp: number, minExp: number): F80 => {
  const exp = 0x3fff + minExp + r.int(maxExp - minExp + 1);
  return { sign: r.int(2), exp, sig: (1n << 63n) | (r.u64() >> 1n) };
};
const unitRange: Gen = (r) => (r.int(10) === 0 ? mixed(r) : scaled(r, -1, -70));
const smallRange: Gen = (r) => (r.int(10) === 0 ? mixed(r) : scaled(r, -3, -70));
const positive: Gen = (r) => { const v = r.int(10) === 0 ? mixed(r) : randomNormal(r, 0x3fff, 200); return r.int(8) === 0 ? v : { ...v, sign: 0 }; };
const angle: Gen = (r) => (r.int(10) === 0 ? mixed(r) : scaled(r, r.int(3) === 0 ? 62 : 8, -40));

// ---- image generators ----
function fpuEnvImage(r: Rng, size: number): Uint8Array {
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, 0x7f | (r.int(4) << 8) | (r.int(4) << 10), true);
  dv.setUint16(4, (r.int(8) << 11) | (r.u32() & 0x4700) | (r.u32() & 0x7f & (r.int(2) ? 0x3f : 0)), true);
  dv.setUint16(8, r.u32() & 0xffff, true);
  for (let i = 0; i < 8 && size > 28; i++) f80ToBytes(mixed(r), b, 28 + 10 * i);
  return b;
}
function fxImage(r: Rng): Uint8Array {
  const b = bytes(512)(r);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, 0x7f | (r.int(4) << 8) | (r.int(4) << 10), true);
  dv.setUint16(2, (r.int(8) << 11) | (r.u32() & 0x4700) | (r.u32() & 0x3f & (r.int(2) ? 0x3f : 0)), true);
  dv.setUint32(24, 0x1f80 | (r.u32() & 0x3f) | (r.int(4) << 13), true);
  for (let i = 0; i < 8; i++) f80ToBytes(mixed(r), b, 32 + 16 * i);
  return b;
}

// ---- templates ----
const rm = (op: number, reg: number): number[] => [op, (reg << 3) | 7];
const sti = (op: number, base: number, i: number): number[] => [op, base + i];
/** Every instruction form under test. */
export const TEMPLATES: Template[] = [];
const T = TEMPLATES;
const add = (t: Template): void => { T.push(t); };

for (const [name, size, code] of [['fld m32', 4, rm(0xd9, 0)], ['fld m64', 8, rm(0xdd, 0)]] as const) add({ name, code: [...code], mem: real(size as 4 | 8) });
add({ name: 'fld m80', code: rm(0xdb, 5), mem: real80 });
for (const i of [0, 1, 3]) add({ name: `fld st(${i})`, code: sti(0xd9, 0xc0, i) });
add({ name: 'fild m16', code: rm(0xdf, 0), mem: int(2) });
add({ name: 'fild m32', code: rm(0xdb, 0), mem: int(4) });
add({ name: 'fild m64', code: rm(0xdf, 5), mem: int(8) });
add({ name: 'fst m32', code: rm(0xd9, 2), mem: zeros(4) });
add({ name: 'fstp m32', code: rm(0xd9, 3), mem: zeros(4) });
add({ name: 'fst m64', code: rm(0xdd, 2), mem: zeros(8) });
add({ name: 'fstp m64', code: rm(0xdd, 3), mem: zeros(8) });
add({ name: 'fstp m80', code: rm(0xdb, 7), mem: zeros(10) });
for (const i of [0, 2]) add({ name: `fst st(${i})`, code: sti(0xdd, 0xd0, i) });
for (const i of [0, 1, 5]) add({ name: `fstp st(${i})`, code: sti(0xdd, 0xd8, i) });
add({ name: 'fist m16', code: rm(0xdf, 2), mem: zeros(2) });
add({ name: 'fistp m16', code: rm(0xdf, 3), mem: zeros(2) });
add({ name: 'fist m32', code: rm(0xdb, 2), mem: zeros(4) });
add({ name: 'fistp m32', code: rm(0xdb, 3), mem: zeros(4) });
add({ name: 'fistp m64', code: rm(0xdf, 7), mem: zeros(8) });
add({ name: 'fisttp m16', code: rm(0xdf, 1), mem: zeros(2) });
add({ name: 'fisttp m32', code: rm(0xdb, 1), mem: zeros(4) });
add({ name: 'fisttp m64', code: rm(0xdd, 1), mem: zeros(8) });
for (const [n, b] of [['fld1', 0xe8], ['fldl2t', 0xe9], ['fldl2e', 0xea], ['fldpi', 0xeb], ['fldlg2', 0xec], ['fldln2', 0xed], ['fldz', 0xee]] as const) {
  add({ name: n, code: [0xd9, b] });
}

// Arithmetic: [name, /digit for D8/DC/DA/DE memory forms, D8 reg base, DC reg base (st(i),st), DE popping base]
const ARITH: [string, number, number, number][] = [
  ['add', 0, 0xc0, 0xc0], ['mul', 1, 0xc8, 0xc8], ['sub', 4, 0xe0, 0xe8], ['subr', 5, 0xe8, 0xe0], ['div', 6, 0xf0, 0xf8], ['divr', 7, 0xf8, 0xf0],
];
for (const [n, digit, d8, dc] of ARITH) {
  add({ name: `f${n} m32`, code: rm(0xd8, digit), mem: real(4) });
  add({ name: `f${n} m64`, code: rm(0xdc, digit), mem: real(8) });
  add({ name: `fi${n} m32`, code: rm(0xda, digit), mem: int(4) });
  add({ name: `fi${n} m16`, code: rm(0xde, digit), mem: int(2) });
  for (const i of [0, 1, 2]) add({ name: `f${n} st,st(${i})`, code: sti(0xd8, d8, i) });
  for (const i of [1, 2]) add({ name: `f${n} st(${i}),st`, code: sti(0xdc, dc, i) });
  for (const i of [1, 3]) add({ name: `f${n}p st(${i}),st`, code: sti(0xde, dc, i) });
}
for (const [n, b] of [['fchs', 0xe0], ['fabs', 0xe1], ['ftst', 0xe4], ['fxam', 0xe5], ['fxtract', 0xf4], ['fprem1', 0xf5],
  ['fdecstp', 0xf6], ['fincstp', 0xf7], ['fprem', 0xf8], ['fsqrt', 0xfa], ['frndint', 0xfc], ['fscale', 0xfd], ['fnop', 0xd0]] as const) {
  add({ name: n, code: [0xd9, b] });
}
add({ name: 'fscale small', code: [0xd9, 0xfd], values: (r) => (r.bool() ? mixed(r) : scaled(r, 14, 0)) });
add({ name: 'fprem close', code: [0xd9, 0xf8], values: (r) => randomNormal(r, 0x3fff, 40) });
add({ name: 'fprem1 close', code: [0xd9, 0xf5], values: (r) => randomNormal(r, 0x3fff, 40) });
add({ name: 'fprem far', code: [0xd9, 0xf8], values: (r) => randomNormal(r, 0x3fff, 400) });
add({ name: 'fprem1 far', code: [0xd9, 0xf5], values: (r) => randomNormal(r, 0x3fff, 400) });
add({ name: 'f2xm1', code: [0xd9, 0xf0], values: unitRange, ulp: true });
add({ name: 'fyl2x', code: [0xd9, 0xf1], values: positive, ulp: true });
add({ name: 'fyl2xp1', code: [0xd9, 0xf9], values: smallRange, ulp: true });
add({ name: 'fpatan', code: [0xd9, 0xf3], values: mixed, ulp: true });
add({ name: 'fptan', code: [0xd9, 0xf2], values: angle, ulp: true });
add({ name: 'fsin', code: [0xd9, 0xfe], values: angle, ulp: true });
add({ name: 'fcos', code: [0xd9, 0xff], values: angle, ulp: true });
add({ name: 'fsincos', code: [0xd9, 0xfb], values: angle, ulp: true });

add({ name: 'fcom m32', code: rm(0xd8, 2), mem: real(4) });
add({ name: 'fcomp m32', code: rm(0xd8, 3), mem: real(4) });
add({ name: 'fcom m64', code: rm(0xdc, 2), mem: real(8) });
add({ name: 'fcomp m64', code: rm(0xdc, 3), mem: real(8) });
add({ name: 'ficom m16', code: rm(0xde, 2), mem: int(2) });
add({ name: 'ficomp m16', code: rm(0xde, 3), mem: int(2) });
add({ name: 'ficom m32', code: rm(0xda, 2), mem: int(4) });
add({ name: 'ficomp m32', code: rm(0xda, 3), mem: int(4) });
for (const i of [1, 2]) {
  add({ name: `fcom st(${i})`, code: sti(0xd8, 0xd0, i) });
  add({ name: `fcomp st(${i})`, code: sti(0xd8, 0xd8, i) });
  add({ name: `fucom st(${i})`, code: sti(0xdd, 0xe0, i) });
  add({ name: `fucomp st(${i})`, code: sti(0xdd, 0xe8, i) });
  add({ name: `fcomi st(${i})`, code: sti(0xdb, 0xf0, i) });
  add({ name: `fcomip st(${i})`, code: sti(0xdf, 0xf0, i) });
  add({ name: `fucomi st(${i})`, code: sti(0xdb, 0xe8, i) });
  add({ name: `fucomip st(${i})`, code: sti(0xdf, 0xe8, i) });
  add({ name: `fxch st(${i})`, code: sti(0xd9, 0xc8, i) });
  add({ name: `ffree st(${i})`, code: sti(0xdd, 0xc0, i) });
  add({ name: `ffreep st(${i})`, code: sti(0xdf, 0xc0, i) });
}
add({ name: 'fcompp', code: [0xde, 0xd9] });
add({ name: 'fucompp', code: [0xda, 0xe9] });
for (const [n, op, base] of [['fcmovb', 0xda, 0xc0], ['fcmove', 0xda, 0xc8], ['fcmovbe', 0xda, 0xd0], ['fcmovu', 0xda, 0xd8],
  ['fcmovnb', 0xdb, 0xc0], ['fcmovne', 0xdb, 0xc8], ['fcmovnbe', 0xdb, 0xd0], ['fcmovnu', 0xdb, 0xd8]] as const) {
  add({ name: `${n} st(2)`, code: sti(op, base, 2) });
}
add({ name: 'fwait', code: [0x9b] });
add({ name: 'fldcw', code: rm(0xd9, 5), mem: (r) => le(BigInt(0x7f | (r.int(4) << 8) | (r.int(4) << 10) | (r.int(4) === 0 ? r.u32() & 0xf080 : 0)), 2) });
add({ name: 'fnstcw', code: rm(0xd9, 7), mem: zeros(2) });
add({ name: 'fnstsw m16', code: rm(0xdd, 7), mem: zeros(2) });
add({ name: 'fnstsw ax', code: [0xdf, 0xe0] });
add({ name: 'fnclex', code: [0xdb, 0xe2] });
add({ name: 'fninit', code: [0xdb, 0xe3] });
add({ name: 'fnstenv', code: rm(0xd9, 6), mem: bytes(28), ignoreMem: [[12, 28]] });
add({ name: 'fldenv', code: rm(0xd9, 4), mem: (r) => fpuEnvImage(r, 28) });
add({ name: 'fnsave', code: rm(0xdd, 6), mem: bytes(108), ignoreMem: [[12, 28]] });
add({ name: 'frstor', code: rm(0xdd, 4), mem: (r) => fpuEnvImage(r, 108) });
// FXSAVE: FOP/FIP/FDP (6..24) and the XMM area (host XMM contents are unknown here) are not compared.
// MXCSR_MASK (28..32) is model-specific (0xFFFF on Intel, 0x2FFFF on AMD with MM); wexe reports 0xFFFF.
add({ name: 'fxsave', code: [0x0f, 0xae, 0x07], mem: bytes(512), ignoreMem: [[6, 24], [28, 32], [160, 416]] });
add({ name: 'fxsave64', code: [0x48, 0x0f, 0xae, 0x07], mem: bytes(512), ignoreMem: [[6, 24], [28, 32], [160, 416]] });
add({ name: 'fxrstor', code: [0x0f, 0xae, 0x0f], mem: fxImage });
add({ name: 'fxrstor64', code: [0x48, 0x0f, 0xae, 0x0f], mem: fxImage });


function stackDepth(r: Rng): number {
  const k = r.int(16);
  return k === 0 ? 0 : k === 1 ? 1 : k === 2 ? 8 : k === 3 ? 7 : 2 + r.int(2);
}

/** A random starting state for one instruction form (memory operands at [rdi]). */
export function buildCase(t: Template, r: Rng): HostCase {
  const depth = t.depth ?? stackDepth(r);
  const top = r.int(8);
  const cw = t.cw ? t.cw(r) : 0x7f | (r.int(4) << 8) | (r.int(4) << 10);
  const sw = (top << 11) | (r.u32() & 0x4700) | (r.int(4) === 0 ? r.u32() & 0x3f : 0);
  const img = new Uint8Array(108);
  const dv = new DataView(img.buffer);
  dv.setUint16(0, cw, true);
  dv.setUint16(4, sw, true);
  let tag = 0;
  const gen = t.values ?? mixed;
  for (let i = 0; i < 8; i++) {
    // Empty registers get values too: their contents must survive untouched.
    f80ToBytes(i < depth ? gen(r) : mixed(r), img, 28 + 10 * i);
    if (i >= depth) tag |= 3 << (2 * ((top + i) & 7));
  }
  dv.setUint16(8, tag, true);
  const mem = t.mem ? t.mem(r) : new Uint8Array(0);
  // RFLAGS: random arithmetic flags (for FCMOVcc), IF and bit 1 set.
  return { code: Uint8Array.from(t.code), image: img, mem, rax: r.u64(), rflags: BigInt((r.u32() & 0x8d5) | 0x202) };
}


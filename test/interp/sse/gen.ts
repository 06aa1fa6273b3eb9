// Random but reproducible CpuCases for the SSE forms: operands mix edge values (zeros,
// denormals, extremes, infinities, QNaN/SNaN with payloads, halfway and integer
// boundary values) with random bit patterns and ordinary numbers; MXCSR mixes the
// default with random rounding modes, DAZ/FTZ and pre-set flags (always masked).

import type { CpuCase } from '../../native/case.js';
import { SCRATCH_ADDRESS } from '../../native/case.js';
import type { Data, Form } from './forms.js';

export class Rng {
  constructor(private s: number) {}
  u32(): number {
    // xorshift32
    let x = this.s;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number { return this.u32() % n; }
  chance(p: number): boolean { return this.u32() / 0x100000000 < p; }
  pick<T>(a: readonly T[]): T { return a[this.below(a.length)]!; }
}

const F32_EDGES = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x3effffff,
  0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x00000001, 0x80000001, 0x007fffff, 0x00400000, 0x807fffff,
  0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0xffe00001, 0x7f800001, 0xff800001, 0x7fa00000,
  0x7fbfffff, 0x4f000000, 0x4effffff, 0xcf000000, 0xcf000001, 0x5f000000, 0x5effffff, 0xdf000000, 0xdf000001,
  0x4b000000, 0x4b7fffff, 0x4affffff, 0x3f7fffff, 0x00ffffff, 0x01000000, 0x7f000000, 0x0c000000, 0x1f800000,
];

const F64_EDGES: [number, number][] = [
  [0, 0], [0, 0x80000000], [0, 0x3ff00000], [0, 0xbff00000], [0, 0x3fe00000], [0, 0x3ff80000], [0, 0x40040000],
  [0, 0xc0040000], [0, 0x00100000], [0, 0x80100000], [0xffffffff, 0x7fefffff], [0xffffffff, 0xffefffff],
  [1, 0], [1, 0x80000000], [0xffffffff, 0x000fffff], [0, 0x00080000], [0, 0x7ff00000], [0, 0xfff00000],
  [0, 0x7ff80000], [0, 0xfff80000], [0x12345678, 0x7ff91234], [1, 0x7ff00000], [0, 0x7ff40000],
  [0x9abcdef0, 0xfff12345], [0, 0x41e00000], [0xffc00000, 0x41dfffff], [0, 0xc1e00000], [0x00200000, 0xc1e00000],
  [0, 0x43e00000], [0xffffffff, 0x43dfffff], [0, 0xc3e00000], [1, 0xc3e00000], [0, 0x43300000],
  [0xffffffff, 0x432fffff], [0xe0000000, 0x47efffff], [0xf0000000, 0x47efffff], [0x10000000, 0x380fffff],
  [0, 0x36a00000], [0, 0x36900000], [0x20000000, 0x3ff00000], [0x10000000, 0x3ff00000], [0, 0x7fe00000],
  [0, 0x00200000], [0xffffffff, 0x3fefffff],
];

function randomF32(r: Rng): number {
  const k = r.below(10);
  if (k < 3) return r.pick(F32_EDGES);
  if (k < 5) return r.u32();
  const sign = r.chance(0.3) ? 0x80000000 : 0;
  // Ordinary magnitudes, sometimes with short significands (exact results), sometimes near the extremes.
  // Exponents around 2^-63 and 2^63 put products and quotients at the subnormal and overflow boundaries.
  const exp = k === 9 ? r.pick([1, 2, 3, 20, 40, 100, 150, 200, 230, 250, 253, 254]) : k === 8 ? r.pick([60, 61, 62, 63, 64, 65, 66, 188, 189, 190, 191, 192]) : 120 + r.below(16);
  let mant = r.u32() & 0x7fffff;
  if (r.chance(0.4)) mant &= 0x7f0000;
  return (sign | (exp << 23) | mant) >>> 0;
}

function randomF64(r: Rng): [number, number] {
  const k = r.below(10);
  if (k < 3) return r.pick(F64_EDGES);
  if (k < 5) return [r.u32(), r.u32()];
  const sign = r.chance(0.3) ? 0x80000000 : 0;
  const exp = k === 9 ? r.pick([1, 2, 3, 50, 200, 500, 900, 1200, 1500, 1900, 2040, 2046]) : k === 8 ? 508 + r.below(8) + (r.chance(0.5) ? 1024 : 0) : 1016 + r.below(16);
  let hi = r.u32() & 0xfffff;
  let lo = r.u32();
  if (r.chance(0.4)) { lo = 0; hi &= 0xff000; }
  return [lo, (sign | (exp << 20) | hi) >>> 0];
}

const INT_LANE_EDGES = [0x00, 0xff, 0x7f, 0x80, 0x01];

function randomInt128(r: Rng, out: Uint8Array): void {
  const style = r.below(4);
  for (let i = 0; i < 16; i++) {
    out[i] = style === 0 ? r.pick(INT_LANE_EDGES) : style === 1 && r.chance(0.5) ? r.pick(INT_LANE_EDGES) : r.u32() & 0xff;
  }
  if (style === 2) {
    // Word/dword boundary patterns: 0x7fff.., 0x8000.., 0xffff.., small values.
    for (let i = 0; i < 16; i += 2) {
      if (r.chance(0.5)) { const w = r.pick([0x7fff, 0x8000, 0xffff, 0x0001, 0x0000, 0x00ff, 0xff00]); out[i] = w & 0xff; out[i + 1] = w >> 8; }
    }
  }
}

function fill128(r: Rng, data: Data, out: Uint8Array): void {
  const dv = new DataView(out.buffer, out.byteOffset, 16);
  if (data === 'f32') { for (let i = 0; i < 4; i++) dv.setUint32(4 * i, randomF32(r), true); return; }
  if (data === 'f64') {
    for (let i = 0; i < 2; i++) { const [lo, hi] = randomF64(r); dv.setUint32(8 * i, lo, true); dv.setUint32(8 * i + 4, hi, true); }
    return;
  }
  if (data === 'shift') {
    randomInt128(r, out);
    const count = r.pick([0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 200]);
    dv.setUint32(0, r.chance(0.1) ? r.u32() : count, true);
    dv.setUint32(4, r.chance(0.1) ? 1 : 0, true);
    return;
  }
  randomInt128(r, out);
}

const I32_EDGES = [0, 1, -1, 0x7fffffff, -0x80000000, 16777216, 16777217, -16777217, 0x7fffff80, 0x7fffffc0, 33554435];
const I64_EDGES = [0n, 1n, -1n, (1n << 63n) - 1n, -(1n << 63n), 1n << 53n, (1n << 53n) + 1n, -((1n << 53n) + 1n),
  (1n << 63n) - 1024n, (1n << 63n) - 512n, 0x7fffffbfffffffffn, (1n << 24n) + 1n, 0x20000000000001n];

function randomGpr(r: Rng, data: Data): bigint {
  if (data === 'i32src') {
    const v = r.chance(0.3) ? r.pick(I32_EDGES) : r.chance(0.5) ? (r.u32() | 0) >> r.below(31) : r.u32() | 0;
    // Upper half garbage must not matter for 32-bit sources.
    return (BigInt(r.u32()) << 32n) | BigInt(v >>> 0);
  }
  if (data === 'i64src' && r.chance(0.4)) return BigInt.asUintN(64, r.pick(I64_EDGES));
  const v = (BigInt(r.u32()) << 32n) | BigInt(r.u32());
  return data === 'i64src' && r.chance(0.4) ? BigInt.asUintN(64, BigInt.asIntN(64, v) >> BigInt(r.below(63))) : v;
}

function randomMxcsr(r: Rng): number {
  if (r.chance(0.6)) return 0x1f80;
  let m = 0x1f80 | (r.below(4) << 13);
  if (r.chance(0.3)) m |= 0x40; // DAZ
  if (r.chance(0.3)) m |= 0x8000; // FTZ
  if (r.chance(0.3)) m |= r.u32() & 0x3f;
  return m;
}

/** GPRs a case may name in ModRM (RSP is the harness's; RBX is the memory base). */
const FREE_GPRS = [0, 1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

export function generateCase(form: Form, r: Rng, index: number): CpuCase {
  const xmm: Uint8Array[] = [];
  for (let i = 0; i < 16; i++) { const v = new Uint8Array(16); fill128(r, form.data === 'mxcsr' ? 'int' : form.data, v); xmm.push(v); }
  const gpr: (bigint | undefined)[] = new Array(16).fill(undefined);
  for (const g of FREE_GPRS) gpr[g] = randomGpr(r, form.data);
  const scratch = new Uint8Array(4096);
  for (let i = 0; i < 4096; i += 16) fill128(r, form.data === 'i32src' || form.data === 'i64src' || form.data === 'mxcsr' ? 'int' : form.data, scratch.subarray(i, i + 16));

  const useMem = form.rm === 'm' || ((form.rm === 'xm' || form.rm === 'gm') && r.chance(0.35));
  let rm: number;
  let mod: number;
  let offset = 0;
  if (useMem) {
    mod = 0; rm = 3; // [rbx]
    offset = 16 * (1 + r.below(200));
    if (r.chance(0.1)) offset += 1 + r.below(15);
    if (form.data === 'i32src' || form.data === 'i64src') {
      const v = randomGpr(r, form.data);
      new DataView(scratch.buffer).setBigUint64(offset, v, true);
    }
    if (form.data === 'mxcsr') {
      // Reserved bits fault; bit 17 is left out: AMD CPUs accept it (MXCSR.MM, misaligned-SSE mode).
      const v = r.chance(0.1) ? (randomMxcsr(r) | (1 << r.pick([16, 18, 20, 24, 31]))) >>> 0 : randomMxcsr(r);
      new DataView(scratch.buffer).setUint32(offset, v, true);
    }
    gpr[3] = BigInt(SCRATCH_ADDRESS + offset);
  } else {
    mod = 3;
    rm = form.rm === 'g' || form.rm === 'gm' ? r.pick(FREE_GPRS) : r.below(16);
  }
  const reg = typeof form.reg === 'number' ? form.reg : form.reg === 'g' ? r.pick(FREE_GPRS) : r.below(16);
  const rex = (form.w ? 8 : 0) | (reg & 8 ? 4 : 0) | (rm & 8 ? 1 : 0);
  const code: number[] = [];
  if (form.pfx) code.push(form.pfx);
  if (rex) code.push(0x40 | rex);
  code.push(...form.op, (mod << 6) | ((reg & 7) << 3) | (rm & 7));
  if (form.imm) code.push(r.chance(0.2) ? r.pick([0, 1, 2, 3, 4, 7, 8, 0x0f, 0x10, 0xff]) : r.below(256));
  const flags = r.u32() & 0x8d5;
  return {
    name: `${form.name} #${index}`, code: new Uint8Array(code), gpr, rflags: flags, xmm,
    mxcsr: form.data === 'int' ? (r.chance(0.8) ? 0x1f80 : randomMxcsr(r)) : randomMxcsr(r), scratch,
  };
}

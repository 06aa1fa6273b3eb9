// Operand values for the differential fuzzer: a seeded PRNG and pools of edge values per
// type (integers at sign boundaries, shift counts around the width, floats at zeros,
// denormals, extremes, infinities, NaNs and rounding halfway points, x87 specials),
// mixed with random bit patterns.

import { edgeValues, randomNormal } from '../interp/x87/values.js';

/** Every draw goes through one seeded generator, so one seed replays one case list. */
export { Rng } from '../support/prng.js';
import { Rng } from '../support/prng.js';

const INT_EDGES: bigint[] = [
  0n, 1n, 2n, 3n, 0x7fn, 0x80n, 0xffn, 0x100n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n,
  0xffffffffffffffffn, 0xfffffffffffffffen, 0xffffffff80000000n, 0xffffffffffff8000n, 0xffffffffffffff80n,
  0x5555555555555555n, 0xaaaaaaaaaaaaaaaan, 0x0123456789abcdefn, 0x8000000000000001n, 0x00000000ffff0000n,
];

/** A 64-bit integer: edges, small numbers, sign-extended small negatives, or random bits. */
export function randomInt64(r: Rng): bigint {
  const k = r.int(10);
  if (k < 3) return r.pick(INT_EDGES);
  if (k < 5) return BigInt(r.int(20));
  if (k === 5) return BigInt.asUintN(64, -BigInt(1 + r.int(20)));
  if (k === 6) return BigInt(r.u32()) ^ (r.chance(0.5) ? 0xffffffff00000000n : 0n);
  return r.u64();
}

/** Shift/rotate counts around the operand widths. */
export function shiftCount(r: Rng): number {
  return r.chance(0.75) ? r.pick([0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff]) : r.int(256);
}

const F32_EDGES = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x3effffff,
  0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x00000001, 0x80000001, 0x007fffff, 0x00400000, 0x807fffff,
  0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0xffe00001, 0x7f800001, 0xff800001, 0x7fa00000,
  0x4f000000, 0x4effffff, 0xcf000000, 0xcf000001, 0x5f000000, 0x5effffff, 0xdf000000, 0xdf000001,
  0x4b000000, 0x4b7fffff, 0x4affffff, 0x3f7fffff, 0x00ffffff, 0x01000000, 0x7f000000, 0x46fffe00, 0x47000000,
  0xc7000100, 0x3fa00000, 0x40100000, 0xbfa00000, // 1.25, 2.25, -1.25: halfway points when converted to integers
];

const F64_EDGES: bigint[] = [
  0x0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x3fe0000000000000n, 0x3ff8000000000000n,
  0x4004000000000000n, 0xc004000000000000n, 0x0010000000000000n, 0x8010000000000000n, 0x7fefffffffffffffn,
  0xffefffffffffffffn, 0x1n, 0x8000000000000001n, 0x000fffffffffffffn, 0x0008000000000000n, 0x7ff0000000000000n,
  0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff9123412345678n, 0x7ff0000000000001n,
  0x7ff4000000000000n, 0xfff123459abcdef0n, 0x41e0000000000000n, 0x41dfffffffc00000n, 0xc1e0000000000000n,
  0xc1e0000000200000n, 0x43e0000000000000n, 0x43dfffffffffffffn, 0xc3e0000000000000n, 0xc3e0000000000001n,
  0x4330000000000000n, 0x432fffffffffffffn, 0x47efffffe0000000n, 0x47efffffe8000000n, 0x47effffff0000000n,
  0x380fffff10000000n, 0x36a0000000000000n, 0x3690000000000000n, 0x3ff0000020000000n, 0x3ff0000010000000n,
  0x7fe0000000000000n, 0x0020000000000000n, 0x3fefffffffffffffn, 0x3ff4000000000000n, 0x4002000000000000n,
  0xbff4000000000000n, 0x3ff0000000000001n, 0x3ca0000000000000n,
];

function randomF32(r: Rng): number {
  const k = r.int(10);
  if (k < 4) return r.pick(F32_EDGES);
  if (k < 6) return r.u32();
  const sign = r.chance(0.3) ? 0x80000000 : 0;
  const exp = k === 9 ? r.pick([1, 2, 3, 20, 100, 150, 200, 250, 253, 254]) : 120 + r.int(16);
  let mant = r.u32() & 0x7fffff;
  if (r.chance(0.4)) mant &= 0x7f0000;
  return (sign | (exp << 23) | mant) >>> 0;
}

function randomF64(r: Rng): bigint {
  const k = r.int(10);
  if (k < 4) return r.pick(F64_EDGES);
  if (k < 6) return r.u64();
  const sign = r.chance(0.3) ? 1n << 63n : 0n;
  const exp = BigInt(k === 9 ? r.pick([1, 2, 3, 100, 800, 1300, 2000, 2045, 2046]) : 1015 + r.int(20));
  let mant = r.u64() & 0xfffffffffffffn;
  if (r.chance(0.4)) mant &= 0xff00000000000n;
  return sign | (exp << 52n) | mant;
}

export type Lanes = 'f32' | 'f64' | 'int';

/** 16 bytes of lanes of one kind. */
export function randomVector(r: Rng, lanes: Lanes): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  if (lanes === 'f32') for (let i = 0; i < 4; i++) dv.setUint32(4 * i, randomF32(r), true);
  else if (lanes === 'f64') for (let i = 0; i < 2; i++) dv.setBigUint64(8 * i, randomF64(r), true);
  else {
    const k = r.int(4);
    for (let i = 0; i < 2; i++) dv.setBigUint64(8 * i, k === 0 ? randomInt64(r) : r.u64(), true);
    if (k === 1) for (let i = 0; i < 16; i++) if (r.chance(0.3)) out[i] = r.pick([0, 0x7f, 0x80, 0xff, 1]);
  }
  return out;
}

/** Bytes for a memory operand of `size` bytes holding a value of the given kind. */
export function randomMemory(r: Rng, size: number, kind: Lanes | 'f80'): Uint8Array {
  if (kind === 'f80' && size === 10) return randomF80(r);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  if (size === 4 && kind === 'f32') { dv.setUint32(0, randomF32(r), true); return out; }
  if (size === 8 && (kind === 'f64' || kind === 'f80')) { dv.setBigUint64(0, randomF64(r), true); return out; }
  if (size === 4 && kind === 'f80') { dv.setUint32(0, randomF32(r), true); return out; }
  for (let off = 0; off < size; off += 16) {
    const v = randomVector(r, kind === 'f80' ? 'int' : kind);
    out.set(v.subarray(0, Math.min(16, size - off)), off);
  }
  return out;
}

const X87_EDGES = edgeValues();

function f80Bytes(sign: number, exp: number, sig: bigint): Uint8Array {
  const out = new Uint8Array(10);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, sig, true);
  dv.setUint16(8, (sign << 15) | exp, true);
  return out;
}

/** An 80-bit value: x87 specials and boundaries, ordinary numbers, or doubles widened. */
export function randomF80(r: Rng): Uint8Array {
  const k = r.int(10);
  if (k < 4) { const v = r.pick(X87_EDGES); return f80Bytes(v.sign, v.exp, v.sig); }
  if (k < 8) { const v = randomNormal(new Rng(r.u32())); return f80Bytes(v.sign, v.exp, v.sig); }
  if (k === 8) return f80Bytes(r.int(2), r.int(0x8000), r.u64() | (r.chance(0.9) ? 1n << 63n : 0n));
  // Small integers (FIST/FRNDINT/FPREM inputs), exactly representable.
  const n = r.int(2000) - 1000;
  if (n === 0) return f80Bytes(0, 0, 0n);
  const mag = BigInt(Math.abs(n));
  const bits = mag.toString(2).length;
  return f80Bytes(n < 0 ? 1 : 0, 16383 + bits - 1, mag << BigInt(64 - bits));
}

// Raw IEEE-754 views. Guest doubles travel as 64-bit patterns (vararg slots, XMM registers) and
// NaN payloads and signs matter for printing (-1.#IND vs 1.#QNAN), so conversions go through bits.

const view = new DataView(new ArrayBuffer(8));

export function bitsToDouble(bits: bigint): number {
  view.setBigUint64(0, BigInt.asUintN(64, bits), true);
  return view.getFloat64(0, true);
}

/** Bits of a JS number. A NaN produced by JS arithmetic has no meaningful payload; callers that
 * must keep a guest NaN's payload carry its bits instead of the number. */
export function doubleToBits(x: number): bigint {
  view.setFloat64(0, x, true);
  return view.getBigUint64(0, true);
}

export function floatToBits(x: number): number {
  view.setFloat32(0, x, true);
  return view.getUint32(0, true);
}

/** The x86 "default NaN" (real indefinite) that SSE produces for invalid operations such as
 * 0/0 or sqrt(-1); msvcrt prints it as -1.#IND. */
export const INDEFINITE_NAN_BITS = 0xfff8000000000000n;

export type DoubleClass = 'zero' | 'subnormal' | 'normal' | 'infinity' | 'snan' | 'qnan' | 'indefinite';

/** Classifies a double the way msvcrt's float-to-text converter does: the indefinite NaN is
 * only the negative quiet NaN with an empty payload; every other quiet NaN is a QNAN. */
export function classifyDouble(bits: bigint): DoubleClass {
  const exp = Number((bits >> 52n) & 0x7ffn);
  const mant = bits & 0xfffffffffffffn;
  if (exp === 0) return mant === 0n ? 'zero' : 'subnormal';
  if (exp !== 0x7ff) return 'normal';
  if (mant === 0n) return 'infinity';
  const quiet = (mant & 0x8000000000000n) !== 0n;
  if (!quiet) return 'snan';
  const negative = (bits >> 63n) !== 0n;
  return negative && mant === 0x8000000000000n ? 'indefinite' : 'qnan';
}

export function signBit(bits: bigint): boolean {
  return (bits >> 63n) !== 0n;
}

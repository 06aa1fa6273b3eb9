// Test inputs for the x87 tests: a seeded PRNG and generators of 80-bit values that hit
// the interesting corners (near-equal exponents, halfway cases at 24/53/64 bits, every
// special encoding).

import type { F80 } from '../../../src/interp/x87/float80.js';

export { Rng } from '../../support/prng.js';
import type { Rng } from '../../support/prng.js';

const INT = 1n << 63n;
const MASK64 = (1n << 64n) - 1n;
const f = (sign: number, exp: number, sig: bigint): F80 => ({ sign, exp, sig: sig & MASK64 });

/** Every special encoding and boundary value, both signs. */
export function edgeValues(): F80[] {
  const out: F80[] = [];
  for (const sign of [0, 1]) {
    out.push(
      f(sign, 0, 0n), // zero
      f(sign, 0, 1n), // smallest denormal
      f(sign, 0, INT - 1n), // largest denormal
      f(sign, 0, 0x123456789abcdefn),
      f(sign, 0, INT), // pseudo-denormal
      f(sign, 0, INT | 0x1234n),
      f(sign, 1, INT), // smallest normal
      f(sign, 1, MASK64),
      f(sign, 0x7ffe, MASK64), // largest finite
      f(sign, 0x7ffe, INT),
      f(sign, 0x3fff, INT), // 1.0
      f(sign, 0x3fff, MASK64),
      f(sign, 0x3ffe, MASK64), // just below 1
      f(sign, 0x4000, INT | (INT >> 1n)), // 3.0
      f(sign, 0x403e, MASK64), // 2^64 - 1
      f(sign, 0x403d, INT), // 2^62
      f(sign, 0x403e, INT), // 2^63
      f(sign, 0x401e, INT), // 2^31
      f(sign, 0x400e, INT), // 2^15
      f(sign, 0x7fff, INT), // infinity
      f(sign, 0x7fff, 0xc000000000000000n), // QNaN (indefinite when negative)
      f(sign, 0x7fff, 0xc000000000000001n),
      f(sign, 0x7fff, 0xe123456789abcdefn),
      f(sign, 0x7fff, 0x8000000000000001n), // SNaN
      f(sign, 0x7fff, 0xa123456789abcdefn),
      f(sign, 0x7fff, 0n), // pseudo-infinity (unsupported)
      f(sign, 0x7fff, 0x4000000000000000n), // pseudo-NaN (unsupported)
      f(sign, 0x3fff, 0x4000000000000000n), // unnormal (unsupported)
      f(sign, 0x3fff, 0x8000000000000400n), // halfway at 53 bits
      f(sign, 0x3fff, 0x8000008000000000n), // halfway at 24 bits
      f(sign, 0x3fff, 0x8000018000000000n),
      f(sign, 0x3fff, 0x8000000000000c00n),
    );
  }
  return out;
}

/** A finite normal value with an exponent near `center` (spread `spread`) and a patterned significand. */
export function randomNormal(r: Rng, center = 0x3fff, spread = 70): F80 {
  const exp = Math.min(0x7ffe, Math.max(1, center + r.int(2 * spread + 1) - spread));
  return f(r.int(2), exp, INT | randomSignificandBits(r));
}

function randomSignificandBits(r: Rng): bigint {
  switch (r.int(6)) {
    case 0: { // halfway or near-halfway at one of the precisions
      const at = r.pick([11, 40, 1]);
      const hi = r.u64() >> BigInt(at);
      const tail = r.pick([1n << BigInt(at - 1), (1n << BigInt(at - 1)) + 1n, (1n << BigInt(at - 1)) - 1n, 0n]);
      return ((hi << BigInt(at)) | tail) & MASK64;
    }
    case 1: return r.u64() | ((1n << BigInt(r.int(64))) - 1n); // long runs of ones
    case 2: return r.u64() & ~((1n << BigInt(r.int(64))) - 1n); // long runs of zeros
    default: return r.u64();
  }
}

/** Mostly ordinary values, sometimes an edge value, a denormal or an extreme exponent. */
export function randomValue(r: Rng, edges: F80[]): F80 {
  const k = r.int(20);
  if (k === 0) return r.pick(edges);
  if (k === 1) return f(r.int(2), 0, r.u64() >> BigInt(1 + r.int(63)));
  if (k === 2) return randomNormal(r, r.bool() ? 40 : 0x7fff - 40, 40);
  if (k === 3) return randomNormal(r, 0x3fff, 16000);
  return randomNormal(r);
}

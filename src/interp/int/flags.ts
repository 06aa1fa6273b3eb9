// Arithmetic flag computation, eagerly, from operands and result. Narrow helpers take
// unsigned operands/results already masked to the operand width, the width mask `m`
// and sign bit `sb`; 64-bit helpers take halves.

export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
export const ARITH = 0x8d5;

/** PF for each low byte: 4 when the number of set bits is even. */
export const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let n = 0;
  for (let b = i; b; b >>= 1) n += b & 1;
  PARITY[i] = n & 1 ? 0 : PF;
}

export function maskOf(size: number): number { return size === 4 ? 0xffffffff : (1 << (8 * size)) - 1; }
export function signOf(size: number): number { return size === 4 ? 0x80000000 : 1 << (8 * size - 1); }

/** ZF, SF, PF of a narrow result. */
export function szp(r: number, sb: number): number {
  return (r === 0 ? ZF : 0) | ((r & sb) !== 0 ? SF : 0) | PARITY[r & 0xff]!;
}
/** ZF, SF, PF of a 64-bit result. */
export function szp64(lo: number, hi: number): number {
  return ((lo | hi) === 0 ? ZF : 0) | ((hi & 0x80000000) !== 0 ? SF : 0) | PARITY[lo & 0xff]!;
}

/** Flags of a + b (+carry) = r, where `sum` is the exact unmasked sum. */
export function addFlags(a: number, b: number, r: number, sum: number, m: number, sb: number): number {
  return (sum > m ? CF : 0) | szp(r, sb) | ((a ^ b ^ r) & AF) | (((a ^ r) & (b ^ r) & sb) !== 0 ? OF : 0);
}
/** Flags of a - b (-borrow) = r, where `borrow` is 1 when the exact difference is negative. */
export function subFlags(a: number, b: number, r: number, borrow: boolean, sb: number): number {
  return (borrow ? CF : 0) | szp(r, sb) | ((a ^ b ^ r) & AF) | (((a ^ b) & (a ^ r) & sb) !== 0 ? OF : 0);
}
/** Flags of a logical operation: CF=OF=0, AF cleared (architecturally undefined). */
export function logicFlags(r: number, sb: number): number { return szp(r, sb); }

export function add32Flags(a: number, b: number, r: number): number {
  return (r < a ? CF : 0) | (r === 0 ? ZF : 0) | (r & 0x80000000 ? SF : 0) | PARITY[r & 0xff]!
    | ((a ^ b ^ r) & AF) | ((a ^ r) & (b ^ r) & 0x80000000 ? OF : 0);
}
export function sub32Flags(a: number, b: number, r: number): number {
  return (a < b ? CF : 0) | (r === 0 ? ZF : 0) | (r & 0x80000000 ? SF : 0) | PARITY[r & 0xff]!
    | ((a ^ b ^ r) & AF) | ((a ^ b) & (a ^ r) & 0x80000000 ? OF : 0);
}
export function logic32Flags(r: number): number {
  return (r === 0 ? ZF : 0) | (r & 0x80000000 ? SF : 0) | PARITY[r & 0xff]!;
}

/** Evaluates condition code cc (0..15: O NO B AE E NE BE A S NS P NP L GE LE G) on RFLAGS. */
export function condTrue(cc: number, f: number): boolean {
  switch (cc) {
    case 0: return (f & OF) !== 0;
    case 1: return (f & OF) === 0;
    case 2: return (f & CF) !== 0;
    case 3: return (f & CF) === 0;
    case 4: return (f & ZF) !== 0;
    case 5: return (f & ZF) === 0;
    case 6: return (f & (CF | ZF)) !== 0;
    case 7: return (f & (CF | ZF)) === 0;
    case 8: return (f & SF) !== 0;
    case 9: return (f & SF) === 0;
    case 10: return (f & PF) !== 0;
    case 11: return (f & PF) === 0;
    case 12: return ((f >>> 7) ^ (f >>> 11)) & 1 ? true : false;
    case 13: return ((f >>> 7) ^ (f >>> 11)) & 1 ? false : true;
    case 14: return (f & ZF) !== 0 || (((f >>> 7) ^ (f >>> 11)) & 1) !== 0;
    default: return (f & ZF) === 0 && (((f >>> 7) ^ (f >>> 11)) & 1) === 0;
  }
}

/** A specialised predicate for one condition code (chosen at block-decode time). */
export function condPredicate(cc: number): (f: number) => boolean {
  switch (cc) {
    case 0: return (f) => (f & OF) !== 0;
    case 1: return (f) => (f & OF) === 0;
    case 2: return (f) => (f & CF) !== 0;
    case 3: return (f) => (f & CF) === 0;
    case 4: return (f) => (f & ZF) !== 0;
    case 5: return (f) => (f & ZF) === 0;
    case 6: return (f) => (f & (CF | ZF)) !== 0;
    case 7: return (f) => (f & (CF | ZF)) === 0;
    case 8: return (f) => (f & SF) !== 0;
    case 9: return (f) => (f & SF) === 0;
    case 10: return (f) => (f & PF) !== 0;
    case 11: return (f) => (f & PF) === 0;
    case 12: return (f) => (((f >>> 7) ^ (f >>> 11)) & 1) !== 0;
    case 13: return (f) => (((f >>> 7) ^ (f >>> 11)) & 1) === 0;
    case 14: return (f) => (f & ZF) !== 0 || (((f >>> 7) ^ (f >>> 11)) & 1) !== 0;
    default: return (f) => (f & ZF) === 0 && (((f >>> 7) ^ (f >>> 11)) & 1) === 0;
  }
}

// MUL IMUL DIV IDIV.
//
// 32x32 products and 64/32 quotients are computed exactly with 16-bit limbs (no
// BigInt); only the 64-bit forms (64x64->128 products, 128/64 quotients) use BigInt.
//
// Division faults: the CPU raises #DE both for a zero divisor and for a quotient that
// does not fit. The Windows NT kernel tells them apart by looking at the divisor:
// zero is reported as STATUS_INTEGER_DIVIDE_BY_ZERO (0xC0000094), anything else as
// STATUS_INTEGER_OVERFLOW (0xC0000095). (Raymond Chen, "In the red corner,
// EXCEPTION_INT_DIVIDE_BY_ZERO ...; and in the blue corner, EXCEPTION_INT_OVERFLOW",
// The Old New Thing, 2014-10-02: "If the divisor is zero, then the exception is
// reported as EXCEPTION_INT_DIVIDE_BY_ZERO. If the divisor is nonzero, then the
// exception is reported as EXCEPTION_INT_OVERFLOW.") x64 Windows keeps that behaviour,
// which is why INT_MIN / -1 in a Win64 program dies with 0xC0000095.

import type { ExecContext } from '../context.js';
import type { Insn } from '../../x86/insn.js';
import { GuestFault, ExceptionCode } from '../../mem/fault.js';
import type { CompilerTable, Exec } from './types.js';
import { narrowLoc, wideLoc } from './operands.js';
import { CF, OF } from './flags.js';

const RAX = 0, RDX = 2;

/** Unsigned 32x32 -> 64: returns the low half, high half in c.hi. */
function mulU32(c: ExecContext, a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  c.hi = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  return ((mid << 16) | (p00 & 0xffff)) >>> 0;
}
/** Signed 32x32 -> 64 on unsigned representations. */
function mulS32(c: ExecContext, a: number, b: number): number {
  const lo = mulU32(c, a, b);
  let hi = c.hi;
  if (a & 0x80000000) hi -= b;
  if (b & 0x80000000) hi -= a;
  c.hi = hi >>> 0;
  return lo;
}

function big64(lo: number, hi: number): bigint { return (BigInt(hi) << 32n) | BigInt(lo); }
function bigS64(lo: number, hi: number): bigint { return BigInt.asIntN(64, big64(lo, hi)); }

/** The 128-bit product of two 64-bit values as four 32-bit words (low first), in W. */
const W = new Uint32Array(4);
const scratch = { hi: 0 } as ExecContext;

function mul64(aLo: number, aHi: number, bLo: number, bHi: number, signed: boolean): void {
  const p0lo = mulU32(scratch, aLo, bLo), p0hi = scratch.hi;
  const p1lo = mulU32(scratch, aLo, bHi), p1hi = scratch.hi;
  const p2lo = mulU32(scratch, aHi, bLo), p2hi = scratch.hi;
  const p3lo = mulU32(scratch, aHi, bHi), p3hi = scratch.hi;
  const s1 = p0hi + p1lo + p2lo;
  const s2 = p1hi + p2hi + p3lo + Math.floor(s1 / 0x100000000);
  let w2 = s2 >>> 0;
  let w3 = (p3hi + Math.floor(s2 / 0x100000000)) >>> 0;
  if (signed) {
    // Two's complement correction of the high half: subtract the other operand for
    // each negative operand.
    if (aHi & 0x80000000) { const t = w2 - bLo; w2 = t >>> 0; w3 = (w3 - bHi - (t < 0 ? 1 : 0)) >>> 0; }
    if (bHi & 0x80000000) { const t = w2 - aLo; w2 = t >>> 0; w3 = (w3 - aHi - (t < 0 ? 1 : 0)) >>> 0; }
  }
  W[0] = p0lo; W[1] = s1 >>> 0; W[2] = w2; W[3] = w3;
}

/** After mul64(signed): does the product fit in 64 signed bits? */
function fitsSigned64(): boolean {
  const ext = (W[1]! & 0x80000000) ? 0xffffffff : 0;
  return W[2] === ext && W[3] === ext;
}

function divideError(divisorIsZero: boolean): GuestFault {
  return divisorIsZero
    ? new GuestFault(ExceptionCode.IntegerDivideByZero, 0, 0, 'integer division by zero')
    : new GuestFault(ExceptionCode.IntegerOverflow, 0, 0, 'integer division overflow');
}

function setCfOf(c: ExecContext, overflow: boolean): void {
  const fi = c.fi;
  c.u32[fi] = (c.u32[fi]! & ~(CF | OF)) | (overflow ? CF | OF : 0);
}

function compileMul(signed: boolean) {
  return (c: ExecContext, insn: Insn): Exec => {
    const ops = insn.ops;
    if (signed && ops.length >= 2) return compileImulTruncating(c, insn);
    const s = ops[0]!;
    const u32 = c.u32, u16 = c.u16, u8 = c.u8;
    const rax = c.gi + 2 * RAX, rdx = c.gi + 2 * RDX, ax = c.gb >>> 1, dx = ax + 4 * RDX;
    switch (s.size) {
      case 1: {
        const l = narrowLoc(c, s, insn.addrSize);
        return () => {
          const b = l.read(), a = u8[c.gb]!;
          const p = signed ? ((a << 24) >> 24) * ((b << 24) >> 24) : a * b;
          u16[ax] = p & 0xffff;
          setCfOf(c, signed ? p !== (p << 24) >> 24 : p > 0xff);
        };
      }
      case 2: {
        const l = narrowLoc(c, s, insn.addrSize);
        return () => {
          const b = l.read(), a = u16[ax]!;
          const p = signed ? ((a << 16) >> 16) * ((b << 16) >> 16) : a * b;
          u16[ax] = p & 0xffff; u16[dx] = (p >>> 16) & 0xffff;
          setCfOf(c, signed ? p !== (p << 16) >> 16 : p > 0xffff);
        };
      }
      case 4: {
        const l = narrowLoc(c, s, insn.addrSize);
        return () => {
          const b = l.read(), a = u32[rax]!;
          const lo = signed ? mulS32(c, a, b) : mulU32(c, a, b);
          const hi = c.hi;
          u32[rax] = lo; u32[rax + 1] = 0; u32[rdx] = hi; u32[rdx + 1] = 0;
          setCfOf(c, signed ? hi !== ((lo & 0x80000000) ? 0xffffffff : 0) : hi !== 0);
        };
      }
      default: {
        const l = wideLoc(c, s, insn.addrSize);
        return () => {
          const bLo = l.read(), bHi = c.hi;
          mul64(u32[rax]!, u32[rax + 1]!, bLo, bHi, signed);
          u32[rax] = W[0]!; u32[rax + 1] = W[1]!;
          u32[rdx] = W[2]!; u32[rdx + 1] = W[3]!;
          setCfOf(c, signed ? !fitsSigned64() : (W[2]! | W[3]!) !== 0);
        };
      }
    }
  };
}

/** IMUL r, r/m and IMUL r, r/m, imm: the product truncated to the destination size. */
function compileImulTruncating(c: ExecContext, insn: Insn): Exec {
  const d = insn.ops[0]!;
  const srcA = insn.ops.length === 3 ? insn.ops[1]! : insn.ops[0]!;
  const srcB = insn.ops.length === 3 ? insn.ops[2]! : insn.ops[1]!;
  const u32 = c.u32;
  const di = c.gi + 2 * d.reg;
  if (d.size === 8) {
    const al = wideLoc(c, srcA, insn.addrSize), bl = wideLoc(c, srcB, insn.addrSize);
    return () => {
      const bLo = bl.read(), bHi = c.hi;
      const aLo = al.read(), aHi = c.hi;
      mul64(aLo, aHi, bLo, bHi, true);
      u32[di] = W[0]!; u32[di + 1] = W[1]!;
      setCfOf(c, !fitsSigned64());
    };
  }
  const size = d.size;
  const al = narrowLoc(c, srcA, insn.addrSize, size);
  const bl = narrowLoc(c, srcB, insn.addrSize, size);
  if (size === 4) {
    return () => {
      const b = bl.read() | 0, a = al.read() | 0;
      const lo = Math.imul(a, b);
      u32[di] = lo >>> 0; u32[di + 1] = 0;
      setCfOf(c, lo !== a * b);
    };
  }
  const u16 = c.u16, j = (c.gb >>> 1) + 4 * d.reg;
  return () => {
    const b = (bl.read() << 16) >> 16, a = (al.read() << 16) >> 16;
    const p = a * b;
    u16[j] = p & 0xffff;
    setCfOf(c, p !== (p << 16) >> 16);
  };
}

/** Unsigned (hi:lo) / d for 32-bit halves with hi < d: quotient returned, remainder in c.hi. */
function divU64by32(c: ExecContext, lo: number, hi: number, d: number): number {
  const n1 = hi * 0x10000 + (lo >>> 16);
  const q1 = Math.floor(n1 / d), r1 = n1 - q1 * d;
  const n0 = r1 * 0x10000 + (lo & 0xffff);
  const q0 = Math.floor(n0 / d);
  c.hi = n0 - q0 * d;
  return q1 * 0x10000 + q0;
}

function compileDiv(signed: boolean) {
  return (c: ExecContext, insn: Insn): Exec => {
    const s = insn.ops[0]!;
    const u32 = c.u32, u16 = c.u16;
    const rax = c.gi + 2 * RAX, rdx = c.gi + 2 * RDX, ax = c.gb >>> 1, dx = ax + 4 * RDX;
    switch (s.size) {
      case 1: {
        const l = narrowLoc(c, s, insn.addrSize);
        return () => {
          const raw = l.read();
          if (raw === 0) throw divideError(true);
          const n = signed ? (u16[ax]! << 16) >> 16 : u16[ax]!;
          const d = signed ? (raw << 24) >> 24 : raw;
          const q = Math.trunc(n / d), r = n - q * d;
          if (signed ? q < -128 || q > 127 : q > 0xff) throw divideError(false);
          u16[ax] = ((r & 0xff) << 8) | (q & 0xff);
        };
      }
      case 2: {
        const l = narrowLoc(c, s, insn.addrSize);
        return () => {
          const raw = l.read();
          if (raw === 0) throw divideError(true);
          const nu = ((u16[dx]! << 16) | u16[ax]!) >>> 0;
          const n = signed ? nu | 0 : nu;
          const d = signed ? (raw << 16) >> 16 : raw;
          const q = Math.trunc(n / d), r = n - q * d;
          if (signed ? q < -32768 || q > 32767 : q > 0xffff) throw divideError(false);
          u16[ax] = q & 0xffff; u16[dx] = r & 0xffff;
        };
      }
      case 4: {
        const l = narrowLoc(c, s, insn.addrSize);
        return () => {
          const d = l.read();
          if (d === 0) throw divideError(true);
          let lo = u32[rax]!, hi = u32[rdx]!;
          let q: number, r: number;
          if (!signed) {
            if (hi >= d) throw divideError(false);
            q = divU64by32(c, lo, hi, d); r = c.hi;
          } else {
            const negN = (hi & 0x80000000) !== 0, negD = (d & 0x80000000) !== 0;
            if (negN) { lo = (~lo + 1) >>> 0; hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0; }
            const ad = negD ? (-(d | 0)) >>> 0 : d;
            if (hi >= ad) throw divideError(false);
            const qa = divU64by32(c, lo, hi, ad), ra = c.hi;
            if (qa > (negN !== negD ? 0x80000000 : 0x7fffffff)) throw divideError(false);
            q = negN !== negD ? (-qa) >>> 0 : qa;
            r = negN ? (-ra) >>> 0 : ra;
          }
          u32[rax] = q >>> 0; u32[rax + 1] = 0; u32[rdx] = r >>> 0; u32[rdx + 1] = 0;
        };
      }
      default: {
        const l = wideLoc(c, s, insn.addrSize);
        return () => {
          const dLo = l.read(), dHi = c.hi;
          if ((dLo | dHi) === 0) throw divideError(true);
          const nu = (big64(u32[rdx]!, u32[rdx + 1]!) << 64n) | big64(u32[rax]!, u32[rax + 1]!);
          let q: bigint, r: bigint;
          if (signed) {
            const n = BigInt.asIntN(128, nu), d = bigS64(dLo, dHi);
            q = n / d; r = n % d;
            if (q < -(1n << 63n) || q >= 1n << 63n) throw divideError(false);
          } else {
            const d = big64(dLo, dHi);
            q = nu / d; r = nu % d;
            if (q >= 1n << 64n) throw divideError(false);
          }
          const qu = BigInt.asUintN(64, q), ru = BigInt.asUintN(64, r);
          u32[rax] = Number(qu & 0xffffffffn); u32[rax + 1] = Number(qu >> 32n);
          u32[rdx] = Number(ru & 0xffffffffn); u32[rdx + 1] = Number(ru >> 32n);
        };
      }
    }
  };
}

export const mulDivCompilers: CompilerTable = {
  Mul: compileMul(false),
  Imul: compileMul(true),
  Div: compileDiv(false),
  Idiv: compileDiv(true),
};

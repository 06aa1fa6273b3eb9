// The final CPU state of a raw run as plain JSON-ready data: GPRs, RIP, RFLAGS, XMM
// registers, x87 stack (raw 80-bit hex plus a decimal rendering), and MXCSR.

import type { CpuState } from '../cpu/state.js';
import { GPR_NAMES, Off } from '../cpu/state.js';

export interface RawX87Register {
  /** Physical register number. */
  physical: number;
  /** Sign+exponent word and 64-bit significand, "0xSEEE:MMMMMMMMMMMMMMMM". */
  hex: string;
  /** Decimal value (about 21 significant digits), "inf", "-inf", "nan", "snan", "unsupported". */
  value: string;
  tag: 'valid' | 'zero' | 'special' | 'empty';
}

export interface RawStateDump {
  gpr: Record<string, string>;
  rip: string;
  rflags: string;
  /** Names of the set status flags and DF, e.g. "ZF PF". */
  flags: string;
  xmm: Record<string, string>;
  mxcsr: string;
  x87: { control: string; status: string; top: number; tag: string; st: RawX87Register[] };
  fsbase: string;
  gsbase: string;
}

const hex = (v: number | bigint, digits: number): string => `0x${v.toString(16).padStart(digits, '0')}`;
const FLAG_NAMES: [number, string][] = [[0x1, 'CF'], [0x4, 'PF'], [0x10, 'AF'], [0x40, 'ZF'], [0x80, 'SF'], [0x400, 'DF'], [0x800, 'OF']];
const TAGS = ['valid', 'zero', 'special', 'empty'] as const;

export function flagText(rflags: number): string {
  return FLAG_NAMES.filter(([b]) => rflags & b).map(([, n]) => n).join(' ');
}

/** Decimal text of an 80-bit extended value given as sign/exponent word and significand. */
export function f80Decimal(se: number, sig: bigint, digits = 21): string {
  const sign = se & 0x8000 ? '-' : '';
  const exp = se & 0x7fff;
  const intBit = (sig >> 63n) & 1n;
  if (exp === 0x7fff) {
    if (intBit === 0n) return 'unsupported';
    const frac = sig & ((1n << 63n) - 1n);
    if (frac === 0n) return `${sign}inf`;
    return (frac >> 62n) & 1n ? 'nan' : 'snan';
  }
  if (exp !== 0 && intBit === 0n) return 'unsupported';
  if (sig === 0n) return `${sign}0`;
  const e2 = (exp === 0 ? 1 : exp) - 16383 - 63;
  // value = sig * 2^e2; scale by 10^k so the integer part has at least `digits` digits.
  const approxLog10 = (sig.toString(2).length + e2) * Math.log10(2);
  const k = Math.max(0, Math.ceil(digits - approxLog10) + 1);
  let num = sig * 10n ** BigInt(k);
  let den = 1n;
  if (e2 >= 0) num <<= BigInt(e2); else den <<= BigInt(-e2);
  let q = num / den;
  let text = q.toString();
  let dropped = 0;
  if (text.length > digits) {
    dropped = text.length - digits;
    const p = 10n ** BigInt(dropped);
    q = (q + p / 2n) / p; // round half up on the decimal digits
    text = q.toString();
    if (text.length > digits) { text = text.slice(0, digits); dropped++; }
  }
  const decExp = text.length - 1 + dropped - k;
  const mant = text.replace(/0+$/, '');
  const body = mant.length > 1 ? `${mant[0]}.${mant.slice(1)}` : mant;
  return `${sign}${body}e${decExp >= 0 ? '+' : ''}${decExp}`;
}

export function dumpState(st: CpuState): RawStateDump {
  const gpr: Record<string, string> = {};
  GPR_NAMES.forEach((n, i) => { gpr[n] = hex(st.getBig(i), 16); });
  const xmm: Record<string, string> = {};
  for (let i = 0; i < 16; i++) {
    const lo = st.dv.getBigUint64(Off.xmm + 16 * i, true);
    const hi = st.dv.getBigUint64(Off.xmm + 16 * i + 8, true);
    xmm[`xmm${i}`] = hex((hi << 64n) | lo, 32);
  }
  const status = st.dv.getUint16(Off.fpuStatus, true);
  const tag = st.dv.getUint16(Off.fpuTag, true);
  const top = (status >> 11) & 7;
  const regs: RawX87Register[] = [];
  for (let i = 0; i < 8; i++) {
    const p = (top + i) & 7;
    const sig = st.dv.getBigUint64(Off.st + 16 * p, true);
    const se = st.dv.getUint16(Off.st + 16 * p + 8, true);
    regs.push({ physical: p, hex: `${hex(se, 4)}:${sig.toString(16).padStart(16, '0')}`, value: f80Decimal(se, sig), tag: TAGS[(tag >> (2 * p)) & 3]! });
  }
  return {
    gpr, rip: hex(st.rip, 16), rflags: hex(st.rflags, 8), flags: flagText(st.rflags), xmm, mxcsr: hex(st.mxcsr, 8),
    x87: { control: hex(st.dv.getUint16(Off.fpuControl, true), 4), status: hex(status, 4), top, tag: hex(tag, 4), st: regs },
    fsbase: hex(st.dv.getBigUint64(Off.fsBase, true), 16), gsbase: hex(st.dv.getBigUint64(Off.gsBase, true), 16),
  };
}

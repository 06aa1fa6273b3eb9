// The x87 register stack over the shared CPU state: control/status/tag words and the
// eight physical 80-bit registers. ST(i) is physical register (TOP + i) & 7; the full
// tag word is kept up to date on every register write, so FNSTENV/FNSAVE can store it
// as is.

import type { CpuState } from '../../cpu/state.js';
import { Off, STATE_BASE } from '../../cpu/state.js';
import type { F80 } from './float80.js';
import { FpClass, classify } from './float80.js';

/** Status word bits besides the exception flags (which match float80's Exc). */
export const enum Sw {
  ExceptionFlags = 0x3f, SF = 0x40, ES = 0x80, C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, B = 0x8000,
  TopMask = 0x3800, ConditionCodes = 0x4700,
}

export const enum Tag { Valid = 0, Zero = 1, Special = 2, Empty = 3 }

export function fpuControl(st: CpuState): number { return st.dv.getUint16(Off.fpuControl, true); }
export function setFpuControl(st: CpuState, v: number): void { st.dv.setUint16(Off.fpuControl, v, true); }
export function fpuStatus(st: CpuState): number { return st.dv.getUint16(Off.fpuStatus, true); }
export function setFpuStatus(st: CpuState, v: number): void { st.dv.setUint16(Off.fpuStatus, v, true); }
export function fpuTagWord(st: CpuState): number { return st.dv.getUint16(Off.fpuTag, true); }
export function setFpuTagWord(st: CpuState, v: number): void { st.dv.setUint16(Off.fpuTag, v, true); }

export function fpuTop(st: CpuState): number { return (fpuStatus(st) >> 11) & 7; }
export function setFpuTop(st: CpuState, top: number): void {
  setFpuStatus(st, (fpuStatus(st) & ~Sw.TopMask) | ((top & 7) << 11));
}

export function physicalOf(st: CpuState, i: number): number { return (fpuTop(st) + i) & 7; }

export function physicalTag(st: CpuState, p: number): Tag { return ((fpuTagWord(st) >> (2 * p)) & 3) as Tag; }
export function setPhysicalTag(st: CpuState, p: number, t: Tag): void {
  setFpuTagWord(st, (fpuTagWord(st) & ~(3 << (2 * p))) | (t << (2 * p)));
}

export function isEmpty(st: CpuState, i: number): boolean { return physicalTag(st, physicalOf(st, i)) === Tag.Empty; }

/** The tag hardware computes for a register's contents. */
export function tagOf(v: F80): Tag {
  const c = classify(v);
  return c === FpClass.Normal ? Tag.Valid : c === FpClass.Zero ? Tag.Zero : Tag.Special;
}

export function readPhysical(st: CpuState, p: number): F80 {
  const w = (STATE_BASE + Off.st + 16 * p) >>> 2;
  const u32 = st.u32;
  const se = u32[w + 2]! & 0xffff;
  return { sign: se >> 15, exp: se & 0x7fff, sig: (BigInt(u32[w + 1]!) << 32n) | BigInt(u32[w]!) };
}

/** Writes the register bytes only (the tag is the caller's business). */
export function writePhysicalBits(st: CpuState, p: number, v: F80): void {
  const w = (STATE_BASE + Off.st + 16 * p) >>> 2;
  const u32 = st.u32;
  u32[w] = Number(v.sig & 0xffffffffn);
  u32[w + 1] = Number(v.sig >> 32n);
  st.dv.setUint16(Off.st + 16 * p + 8, (v.sign << 15) | v.exp, true);
}

export function writePhysical(st: CpuState, p: number, v: F80): void {
  writePhysicalBits(st, p, v);
  setPhysicalTag(st, p, tagOf(v));
}

export function readST(st: CpuState, i: number): F80 { return readPhysical(st, physicalOf(st, i)); }
export function writeST(st: CpuState, i: number, v: F80): void { writePhysical(st, physicalOf(st, i), v); }

export function push(st: CpuState, v: F80): void {
  const top = (fpuTop(st) - 1) & 7;
  setFpuTop(st, top);
  writePhysical(st, top, v);
}

export function pop(st: CpuState): void {
  const top = fpuTop(st);
  setPhysicalTag(st, top, Tag.Empty);
  setFpuTop(st, top + 1);
}

/** Recomputes every non-empty tag from the register contents (after FLDENV/FRSTOR/FXRSTOR). */
export function retag(st: CpuState, emptyMask: number): void {
  let tw = 0;
  for (let p = 0; p < 8; p++) {
    const t = (emptyMask >> p) & 1 ? Tag.Empty : tagOf(readPhysical(st, p));
    tw |= t << (2 * p);
  }
  setFpuTagWord(st, tw);
}

// MOVS STOS LODS SCAS CMPS in every size, with REP / REPE / REPNE, honouring DF and
// the address size. A fault part-way through a REP leaves RCX, RSI and RDI describing
// the elements already done, with RIP still on the instruction, as the hardware does.
//
// REP MOVS and REP STOS with DF=0 take a bulk path (copyWithin / fill) when the whole
// source and destination ranges are accessible, contain no decoded code, and a
// forward element-by-element copy would give the same bytes as a memmove.

import type { ExecContext } from '../context.js';
import type { Insn } from '../../x86/insn.js';
import { Rep, OpKind, RegClass, Seg } from '../../x86/insn.js';
import type { CompilerTable, Exec } from './types.js';
import { narrowOp, wideOp, Alu } from './alu.js';
import { DF, ZF, maskOf, signOf } from './flags.js';

const TWO32 = 0x100000000;
const TWO64 = 2 ** 64;
const RCX = 1, RSI = 6, RDI = 7;
const enum Str { Movs, Stos, Lods, Scas, Cmps }

const SIZE_OF: Record<string, number> = { b: 1, w: 2, d: 4, q: 8 };

/** True when every page of [a, a+n) has `need` (1 read, 2 write) without Guard, and for writes holds no code. */
function rangeOk(c: ExecContext, a: number, n: number, write: boolean): boolean {
  if (a + n > TWO32) return false;
  const need = write ? 2 : 1;
  const last = (a + n - 1) >>> 12;
  for (let p = a >>> 12; p <= last; p++) {
    if ((c.prot[p]! & (need | 8)) !== need) return false;
    if (write && c.codePages[p] !== 0) return false;
  }
  return true;
}

/**
 * The FS or GS override of the source operand (DS:RSI for MOVS, LODS and CMPS; the
 * destination ES:RDI cannot be overridden). The decoded form has no memory operands, so
 * this reads the prefixes as the decoder does: the last FS/GS prefix counts, CS/DS/ES/SS
 * are ignored in 64-bit mode.
 */
export function sourceSegment(insn: Insn): Seg {
  let seg = Seg.None;
  for (const b of insn.bytes) {
    if (b === 0x64) seg = Seg.Fs;
    else if (b === 0x65) seg = Seg.Gs;
    else if (!LEGACY_PREFIX.has(b) && (b & 0xf0) !== 0x40) break;
  }
  return seg;
}
const LEGACY_PREFIX = new Set([0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e]);

function compileString(kind: Str) {
  return (c: ExecContext, insn: Insn): Exec | undefined => {
    // SSE MOVSD / CMPSD share these mnemonics; the string forms have no XMM operand.
    if (insn.ops.some((o) => o.kind === OpKind.Reg && o.regClass === RegClass.Xmm)) return undefined;
    const e = SIZE_OF[insn.mnemonic.slice(-1)]!;
    const u32 = c.u32, fi = c.fi, g = c.gi;
    const a32 = insn.addrSize === 4;
    const rep = insn.rep !== Rep.None;
    // For SCAS/CMPS, F3 is REPE and F2 is REPNE; for the others either prefix means REP.
    const until = kind === Str.Scas || kind === Str.Cmps ? insn.rep : Rep.None;
    const m = e === 8 ? 0 : maskOf(e), sb = e === 8 ? 0 : signOf(e);
    const getR = (r: number): number => (a32 ? u32[g + 2 * r]! : u32[g + 2 * r + 1]! * TWO32 + u32[g + 2 * r]!);
    const setR = (r: number, v: number): void => {
      if (a32) { u32[g + 2 * r] = v >>> 0; u32[g + 2 * r + 1] = 0; return; }
      const w = v < 0 ? v + TWO64 : v >= TWO64 ? v - TWO64 : v;
      u32[g + 2 * r] = w % TWO32 >>> 0; u32[g + 2 * r + 1] = Math.floor(w / TWO32) >>> 0;
    };
    const read = (a: number): number => (e === 8 ? c.rd64(a) : c.rdN(a, e));
    // The source address: RSI (or ESI) plus the FS/GS base of an override, wrapping at 2^64.
    const seg = kind === Str.Stos || kind === Str.Scas ? Seg.None : sourceSegment(insn);
    const source = seg === Seg.None ? (a: number): number => a : (a: number): number => {
      const v = a + (seg === Seg.Gs ? c.st.gsBase : c.st.fsBase);
      return v >= TWO64 ? v - TWO64 : v;
    };
    const write = (a: number, lo: number, hi: number): void => { if (e === 8) c.wr64(a, lo, hi); else c.wrN(a, e, lo); };
    const acc = (): number => { c.hi = u32[g + 1]!; return e === 8 ? u32[g]! : c.getReg(0, e); };
    const compare = (aLo: number, aHi: number, bLo: number, bHi: number): void => {
      if (e === 8) wideOp(Alu.Cmp, c, aLo, aHi, bLo, bHi); else narrowOp(Alu.Cmp, c, aLo, bLo, m, sb);
    };

    /** One element; returns nothing, updates the registers. */
    const step = (d: number): void => {
      switch (kind) {
        case Str.Movs: {
          const s = getR(RSI), t = getR(RDI);
          const lo = read(source(s)), hi = c.hi;
          write(t, lo, hi);
          setR(RSI, s + d); setR(RDI, t + d);
          return;
        }
        case Str.Stos: {
          const t = getR(RDI);
          const lo = acc();
          write(t, lo, c.hi);
          setR(RDI, t + d);
          return;
        }
        case Str.Lods: {
          const s = getR(RSI);
          const lo = read(source(s));
          if (e === 8) { u32[g] = lo; u32[g + 1] = c.hi; } else c.setReg(0, e, lo);
          setR(RSI, s + d);
          return;
        }
        case Str.Scas: {
          const t = getR(RDI);
          const bLo = read(t), bHi = c.hi;
          const aLo = acc();
          compare(aLo, c.hi, bLo, bHi);
          setR(RDI, t + d);
          return;
        }
        default: {
          const s = getR(RSI), t = getR(RDI);
          const aLo = read(source(s)), aHi = c.hi;
          const bLo = read(t), bHi = c.hi;
          compare(aLo, aHi, bLo, bHi);
          setR(RSI, s + d); setR(RDI, t + d);
        }
      }
    };

    /** Bulk REP MOVS / STOS (DF=0, 64-bit addressing); false when the slow path must run. */
    const bulk = (count: number): boolean => {
      if (a32 || count > TWO32) return false;
      const n = count * e;
      const t = getR(RDI);
      if (!rangeOk(c, t, n, true)) return false;
      if (kind === Str.Movs) {
        const s = getR(RSI);
        if (!rangeOk(c, s, n, false)) return false;
        if (t > s && t < s + n) return false; // forward copy into its own tail: not a memmove
        c.u8.copyWithin(t, s, s + n);
        setR(RSI, s + n);
      } else {
        if (e === 1) c.u8.fill(u32[g]! & 0xff, t, t + n);
        else if (n <= 256) {
          // Short runs (a struct or a small array zeroed in a loop): element stores are
          // cheaper than the copyWithin calls below (rep stosq of 64 bytes: 400 -> 150 ns).
          const lo = acc(), hi = c.hi;
          for (let o = 0; o < n; o += e) write(t + o, lo, hi);
        } else {
          write(t, acc(), c.hi);
          for (let done = e; done < n; done *= 2) c.u8.copyWithin(t + done, t, t + Math.min(done, n - done));
        }
      }
      setR(RDI, t + n);
      setR(RCX, 0);
      return true;
    };

    if (!rep) return () => step(u32[fi]! & DF ? -e : e);
    const canBulk = (kind === Str.Movs && seg === Seg.None) || kind === Str.Stos;
    const rcx = g + 2 * RCX;
    return () => {
      const d = u32[fi]! & DF ? -e : e;
      // The count is exact in halves (REPNE SCASB with RCX = -1 is the strlen idiom).
      if ((u32[rcx]! | (a32 ? 0 : u32[rcx + 1]!)) === 0) return;
      if (canBulk && d > 0 && (a32 || u32[rcx + 1] === 0) && bulk(u32[rcx]!)) return;
      for (;;) {
        step(d);
        let lo = u32[rcx]!, hi = a32 ? 0 : u32[rcx + 1]!;
        if (lo === 0) { lo = 0xffffffff; hi = (hi - 1) >>> 0; } else lo--;
        u32[rcx] = lo; u32[rcx + 1] = hi;
        if ((lo | hi) === 0) return;
        if (until === Rep.Rep && (u32[fi]! & ZF) === 0) return;
        if (until === Rep.Repne && (u32[fi]! & ZF) !== 0) return;
      }
    };
  };
}

export const stringCompilers: CompilerTable = {};
for (const s of ['b', 'w', 'd', 'q']) {
  stringCompilers[`Movs${s}`] = compileString(Str.Movs);
  stringCompilers[`Stos${s}`] = compileString(Str.Stos);
  stringCompilers[`Lods${s}`] = compileString(Str.Lods);
  stringCompilers[`Scas${s}`] = compileString(Str.Scas);
  stringCompilers[`Cmps${s}`] = compileString(Str.Cmps);
}

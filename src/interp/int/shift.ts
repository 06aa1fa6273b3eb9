// ROL ROR RCL RCR SHL/SAL SHR SAR SHLD SHRD.
//
// Counts are masked to 5 bits (6 for 64-bit operands); a masked count of 0 changes no
// flags (the destination is still written, which zero-extends a 32-bit register, as
// the hardware does). RCL/RCR on 8/16-bit operands rotate through 9/17 bits.
// Flags the SDM leaves undefined (OF for counts above 1, AF) get deterministic values;
// the tests mask them (src/x86/undefined-flags.ts).

import type { ExecContext } from '../context.js';
import type { Insn, Operand } from '../../x86/insn.js';
import { OpKind } from '../../x86/insn.js';
import type { CompilerTable, Exec } from './types.js';
import { narrowLoc, wideLoc } from './operands.js';
import { CF, OF, ZF, SF, PF, szp, szp64, maskOf, signOf } from './flags.js';

const enum Sh { Rol, Ror, Rcl, Rcr, Shl, Shr, Sar }

/** Replaces CF, OF, ZF, SF, PF with the given bits (AF is left alone). */
function setShiftFlags(c: ExecContext, bits: number): void {
  const fi = c.fi;
  c.u32[fi] = (c.u32[fi]! & ~(CF | OF | ZF | SF | PF)) | bits;
}
/** Replaces CF and OF only (rotates). */
function setRotFlags(c: ExecContext, bits: number): void {
  const fi = c.fi;
  c.u32[fi] = (c.u32[fi]! & ~(CF | OF)) | bits;
}

/** One narrow shift/rotate with a non-zero masked count; sets flags, returns the result. */
function shiftNarrow(kind: Sh, c: ExecContext, v: number, n: number, w: number): number {
  const m = maskOf(w / 8), sb = signOf(w / 8);
  switch (kind) {
    case Sh.Shl: {
      const r = ((v << n) & m) >>> 0;
      const cf = n <= w ? (v >>> (w - n)) & 1 : 0;
      const of = ((r & sb) !== 0 ? 1 : 0) ^ cf;
      setShiftFlags(c, cf | szp(r, sb) | (of ? OF : 0));
      return r;
    }
    case Sh.Shr: {
      const r = v >>> n;
      const cf = (v >>> (n - 1)) & 1;
      setShiftFlags(c, cf | szp(r, sb) | ((v & sb) !== 0 ? OF : 0));
      return r;
    }
    case Sh.Sar: {
      const sv = w === 32 ? v | 0 : w === 16 ? (v << 16) >> 16 : (v << 24) >> 24;
      const r = ((sv >> n) & m) >>> 0;
      const cf = (sv >> (n - 1)) & 1;
      setShiftFlags(c, cf | szp(r, sb));
      return r;
    }
    case Sh.Rol: {
      const t = n % w;
      const r = t === 0 ? v : (((v << t) | (v >>> (w - t))) & m) >>> 0;
      const cf = r & 1;
      setRotFlags(c, cf | ((((r & sb) !== 0 ? 1 : 0) ^ cf) ? OF : 0));
      return r;
    }
    case Sh.Ror: {
      const t = n % w;
      const r = t === 0 ? v : (((v >>> t) | (v << (w - t))) & m) >>> 0;
      const msb = (r & sb) !== 0 ? 1 : 0;
      const next = (r & (sb >>> 1)) !== 0 ? 1 : 0;
      setRotFlags(c, msb | (msb ^ next ? OF : 0));
      return r;
    }
    case Sh.Rcl: {
      const t = w === 8 ? n % 9 : w === 16 ? n % 17 : n;
      const f = c.u32[c.fi]!;
      let cf = f & CF, r = v;
      for (let i = 0; i < t; i++) { const out = (r & sb) !== 0 ? 1 : 0; r = (((r << 1) | cf) & m) >>> 0; cf = out; }
      const of = n === 1 ? (((r & sb) !== 0 ? 1 : 0) ^ cf) : (f & OF ? 1 : 0);
      setRotFlags(c, cf | (of ? OF : 0));
      return r;
    }
    default: { // Rcr
      const t = w === 8 ? n % 9 : w === 16 ? n % 17 : n;
      const f = c.u32[c.fi]!;
      let cf = f & CF, r = v;
      const of = n === 1 ? (((v & sb) !== 0 ? 1 : 0) ^ cf) : (f & OF ? 1 : 0);
      for (let i = 0; i < t; i++) { const out = r & 1; r = ((r >>> 1) | (cf ? sb : 0)) >>> 0; cf = out; }
      setRotFlags(c, cf | (of ? OF : 0));
      return r;
    }
  }
}

// ---- 64-bit helpers on halves (n in 0..63); results: low returned, high in c.hi --------

function shl64(c: ExecContext, lo: number, hi: number, n: number): number {
  if (n === 0) { c.hi = hi; return lo; }
  if (n < 32) { c.hi = ((hi << n) | (lo >>> (32 - n))) >>> 0; return (lo << n) >>> 0; }
  c.hi = (lo << (n - 32)) >>> 0; return 0;
}
function shr64(c: ExecContext, lo: number, hi: number, n: number): number {
  if (n === 0) { c.hi = hi; return lo; }
  if (n < 32) { c.hi = hi >>> n; return ((lo >>> n) | (hi << (32 - n))) >>> 0; }
  c.hi = 0; return hi >>> (n - 32);
}
function sar64(c: ExecContext, lo: number, hi: number, n: number): number {
  if (n === 0) { c.hi = hi; return lo; }
  if (n < 32) { c.hi = (hi >> n) >>> 0; return ((lo >>> n) | (hi << (32 - n))) >>> 0; }
  c.hi = (hi >> 31) >>> 0; return (hi >> (n - 32)) >>> 0;
}
function bit64(lo: number, hi: number, n: number): number {
  return n < 32 ? (lo >>> n) & 1 : (hi >>> (n - 32)) & 1;
}

function shiftWide(kind: Sh, c: ExecContext, lo: number, hi: number, n: number): number {
  switch (kind) {
    case Sh.Shl: {
      const rl = shl64(c, lo, hi, n), rh = c.hi;
      const cf = bit64(lo, hi, 64 - n);
      setShiftFlags(c, cf | szp64(rl, rh) | ((rh >>> 31) ^ cf ? OF : 0));
      c.hi = rh; return rl;
    }
    case Sh.Shr: {
      const rl = shr64(c, lo, hi, n), rh = c.hi;
      setShiftFlags(c, bit64(lo, hi, n - 1) | szp64(rl, rh) | (hi & 0x80000000 ? OF : 0));
      c.hi = rh; return rl;
    }
    case Sh.Sar: {
      const rl = sar64(c, lo, hi, n), rh = c.hi;
      setShiftFlags(c, bit64(lo, hi, n - 1) | szp64(rl, rh));
      c.hi = rh; return rl;
    }
    case Sh.Rol: {
      const al = shl64(c, lo, hi, n), ah = c.hi;
      const bl = shr64(c, lo, hi, (64 - n) & 63), bh = c.hi;
      const rl = (al | bl) >>> 0, rh = (ah | bh) >>> 0;
      const cf = rl & 1;
      setRotFlags(c, cf | ((rh >>> 31) ^ cf ? OF : 0));
      c.hi = rh; return rl;
    }
    case Sh.Ror: {
      const al = shr64(c, lo, hi, n), ah = c.hi;
      const bl = shl64(c, lo, hi, (64 - n) & 63), bh = c.hi;
      const rl = (al | bl) >>> 0, rh = (ah | bh) >>> 0;
      const msb = rh >>> 31;
      setRotFlags(c, msb | (msb ^ ((rh >>> 30) & 1) ? OF : 0));
      c.hi = rh; return rl;
    }
    case Sh.Rcl: {
      const f = c.u32[c.fi]!;
      let cf = f & CF, rl = lo, rh = hi;
      for (let i = 0; i < n; i++) {
        const out = rh >>> 31;
        rh = ((rh << 1) | (rl >>> 31)) >>> 0; rl = ((rl << 1) | cf) >>> 0; cf = out;
      }
      const of = n === 1 ? (rh >>> 31) ^ cf : (f & OF ? 1 : 0);
      setRotFlags(c, cf | (of ? OF : 0));
      c.hi = rh; return rl;
    }
    default: { // Rcr
      const f = c.u32[c.fi]!;
      let cf = f & CF, rl = lo, rh = hi;
      const of = n === 1 ? (hi >>> 31) ^ cf : (f & OF ? 1 : 0);
      for (let i = 0; i < n; i++) {
        const out = rl & 1;
        rl = ((rl >>> 1) | (rh << 31)) >>> 0; rh = ((rh >>> 1) | (cf << 31)) >>> 0; cf = out;
      }
      setRotFlags(c, cf | (of ? OF : 0));
      c.hi = rh; return rl;
    }
  }
}

/** Reads a shift count operand (an immediate or CL). */
function countReader(c: ExecContext, op: Operand | undefined, mask: number): () => number {
  if (op === undefined) return () => 1;
  if (op.kind === OpKind.Imm) { const n = op.immLo & mask; return () => n; }
  const u8 = c.u8, cl = c.gb + 8 * 1;
  return () => u8[cl]! & mask;
}

function compileShift(kind: Sh) {
  return (c: ExecContext, insn: Insn): Exec => {
    const d = insn.ops[0]!;
    const mask = d.size === 8 ? 63 : 31;
    const count = countReader(c, insn.ops[1], mask);
    if (d.size === 8) {
      const l = wideLoc(c, d, insn.addrSize);
      return () => {
        const lo = l.read(), hi = c.hi;
        const n = count();
        if (n === 0) { l.writeBack(lo, hi); return; }
        const rl = shiftWide(kind, c, lo, hi, n);
        l.writeBack(rl, c.hi);
      };
    }
    const w = d.size * 8;
    const fast = fastShift32(kind, c, d, insn.ops[1]);
    if (fast) return fast;
    const l = narrowLoc(c, d, insn.addrSize);
    return () => {
      const v = l.read();
      const n = count();
      l.writeBack(n === 0 ? v : shiftNarrow(kind, c, v, n, w));
    };
  };
}

/** SHL/SHR/SAR r32, imm8 (the compiled-C staples) without the generic accessors. */
function fastShift32(kind: Sh, c: ExecContext, d: Operand, count: Operand | undefined): Exec | undefined {
  if (d.size !== 4 || d.kind !== OpKind.Reg || count === undefined || count.kind !== OpKind.Imm) return undefined;
  if (kind !== Sh.Shl && kind !== Sh.Shr && kind !== Sh.Sar) return undefined;
  const n = count.immLo & 31;
  if (n === 0) return undefined;
  const u32 = c.u32, fi = c.fi; const i = c.gi + 2 * d.reg;
  const keep = ~(CF | OF | ZF | SF | PF);
  switch (kind) {
    case Sh.Shl: return () => {
      const v = u32[i]!; const r = (v << n) >>> 0; const cf = (v >>> (32 - n)) & 1;
      u32[i] = r; u32[i + 1] = 0;
      u32[fi] = (u32[fi]! & keep) | cf | szp(r, 0x80000000) | ((r >>> 31) ^ cf ? OF : 0);
    };
    case Sh.Shr: return () => {
      const v = u32[i]!; const r = v >>> n;
      u32[i] = r; u32[i + 1] = 0;
      u32[fi] = (u32[fi]! & keep) | ((v >>> (n - 1)) & 1) | szp(r, 0x80000000) | (v & 0x80000000 ? OF : 0);
    };
    default: return () => {
      const v = u32[i]! | 0; const r = (v >> n) >>> 0;
      u32[i] = r; u32[i + 1] = 0;
      u32[fi] = (u32[fi]! & keep) | ((v >> (n - 1)) & 1) | szp(r, 0x80000000);
    };
  }
}

function compileDoubleShift(left: boolean) {
  return (c: ExecContext, insn: Insn): Exec => {
    const d = insn.ops[0]!, s = insn.ops[1]!;
    const size = d.size;
    const count = countReader(c, insn.ops[2], size === 8 ? 63 : 31);
    if (size === 8) {
      const dl = wideLoc(c, d, insn.addrSize), sl = wideLoc(c, s, insn.addrSize);
      return () => {
        const sLo = sl.read(), sHi = c.hi;
        const lo = dl.read(), hi = c.hi;
        const n = count();
        if (n === 0) { dl.writeBack(lo, hi); return; }
        let rl: number, rh: number, cf: number;
        if (left) {
          const al = shl64(c, lo, hi, n), ah = c.hi; const bl = shr64(c, sLo, sHi, 64 - n), bh = c.hi;
          rl = (al | bl) >>> 0; rh = (ah | bh) >>> 0; cf = bit64(lo, hi, 64 - n);
        } else {
          const al = shr64(c, lo, hi, n), ah = c.hi; const bl = shl64(c, sLo, sHi, 64 - n), bh = c.hi;
          rl = (al | bl) >>> 0; rh = (ah | bh) >>> 0; cf = bit64(lo, hi, n - 1);
        }
        dl.writeBack(rl, rh);
        setShiftFlags(c, cf | szp64(rl, rh) | ((rh ^ hi) >>> 31 ? OF : 0));
      };
    }
    const w = size * 8, m = maskOf(size), sb = signOf(size);
    const dl = narrowLoc(c, d, insn.addrSize), sl = narrowLoc(c, s, insn.addrSize);
    return () => {
      const sv = sl.read();
      const v = dl.read();
      const n = count();
      if (n === 0) { dl.writeBack(v); return; }
      let r: number, cf: number;
      if (w === 32) {
        r = left ? ((v << n) | (sv >>> (32 - n))) >>> 0 : ((v >>> n) | (sv << (32 - n))) >>> 0;
        cf = left ? (v >>> (32 - n)) & 1 : (v >>> (n - 1)) & 1;
      } else {
        // 16-bit: shift through the 32-bit concatenation (counts above 16 are undefined).
        const k = n > 16 ? n - 16 : n;
        const x = left ? ((v << 16) | sv) >>> 0 : ((sv << 16) | v) >>> 0;
        r = left ? ((x << k) >>> 16) & m : ((x >>> k) & m) >>> 0;
        cf = left ? (v >>> (16 - k)) & 1 : (v >>> (k - 1)) & 1;
      }
      dl.writeBack(r);
      setShiftFlags(c, cf | szp(r, sb) | ((r ^ v) & sb ? OF : 0));
    };
  };
}

export const shiftCompilers: CompilerTable = {
  Rol: compileShift(Sh.Rol),
  Ror: compileShift(Sh.Ror),
  Rcl: compileShift(Sh.Rcl),
  Rcr: compileShift(Sh.Rcr),
  Shl: compileShift(Sh.Shl),
  Sal: compileShift(Sh.Shl),
  Shr: compileShift(Sh.Shr),
  Sar: compileShift(Sh.Sar),
  Shld: compileDoubleShift(true),
  Shrd: compileDoubleShift(false),
};

// SSE2 integer instructions on XMM registers: add/subtract (wrapping and saturating),
// multiplies, averages, min/max, SAD, compares, logic, shifts, packs, unpacks,
// word/dword shuffles, PINSRW/PEXTRW, PMOVMSKB. SSE4.2 PCMPGTQ lives here too.

import type { Handler, HandlerTable } from '../machine.js';
import { OpKind } from '../../x86/insn.js';
import { xmmOp } from './forms.js';
import { imm8, loadOperand, loadXmm, readGpr32, storeMemory, storeXmm } from './operands.js';
import { vA, vB, vR, type Vec } from './vec.js';

export const sat8s = (x: number): number => (x < -128 ? -128 : x > 127 ? 127 : x);
export const sat8u = (x: number): number => (x < 0 ? 0 : x > 255 ? 255 : x);
export const sat16s = (x: number): number => (x < -32768 ? -32768 : x > 32767 ? 32767 : x);
export const sat16u = (x: number): number => (x < 0 ? 0 : x > 65535 ? 65535 : x);

type Lanes = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32';
const COUNT: Record<Lanes, number> = { u8: 16, i8: 16, u16: 8, i16: 8, u32: 4, i32: 4 };

/** a[i] = f(a[i], b[i]) over one lane type; typed-array stores wrap to the lane width. */
export const lanewise = (t: Lanes, f: (x: number, y: number) => number): Handler => xmmOp((a, b) => {
  const x = a[t], y = b[t];
  for (let i = 0; i < COUNT[t]; i++) x[i] = f(x[i]!, y[i]!);
  return a;
});

function add64(a: Vec, b: Vec, sub: boolean): Vec {
  for (let i = 0; i < 2; i++) {
    const alo = a.u32[2 * i]!, blo = b.u32[2 * i]!;
    const lo = sub ? alo - blo : alo + blo;
    const carry = sub ? (lo < 0 ? -1 : 0) : (lo > 0xffffffff ? 1 : 0);
    a.u32[2 * i] = lo >>> 0;
    a.u32[2 * i + 1] = (sub ? a.u32[2 * i + 1]! - b.u32[2 * i + 1]! : a.u32[2 * i + 1]! + b.u32[2 * i + 1]!) + carry;
  }
  return a;
}

/** Unsigned 32x32 -> 64-bit product into out.u32[2k], out.u32[2k+1]. */
export function mulU32(x: number, y: number, out: Vec, k: number): void {
  const xl = x & 0xffff, xh = x >>> 16, yl = y & 0xffff, yh = y >>> 16;
  const ll = xl * yl, lh = xl * yh, hl = xh * yl, hh = xh * yh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  out.u32[2 * k] = ((mid << 16) | (ll & 0xffff)) >>> 0;
  out.u32[2 * k + 1] = (hh + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 0x10000)) >>> 0;
}

/** 64-bit signed compare of lane k: a > b. */
function gt64(a: Vec, b: Vec, k: number): boolean {
  const ah = a.i32[2 * k + 1]!, bh = b.i32[2 * k + 1]!;
  return ah > bh || (ah === bh && a.u32[2 * k]! > b.u32[2 * k]!);
}

/** The shift count of PSLL/PSRL/PSRA: imm8, or the low 64 bits of the xmm/m128 source (saturated). */
function shiftCount(b: Vec, insn: { ops: { kind: OpKind; immLo: number }[] }): number {
  const src = insn.ops[1]!;
  if (src.kind === OpKind.Imm) return src.immLo & 0xff;
  return b.u32[1] !== 0 ? 0xffffffff : b.u32[0]!;
}

const shift = (t: 'u16' | 'u32', kind: 'll' | 'rl' | 'ra'): Handler => xmmOp((a, b, insn) => {
  const n = shiftCount(b, insn);
  const width = t === 'u16' ? 16 : 32;
  const lanes = t === 'u16' ? 8 : 4;
  const u = a[t];
  const s = t === 'u16' ? a.i16 : a.i32;
  for (let i = 0; i < lanes; i++) {
    if (kind === 'ra') s[i] = s[i]! >> Math.min(n, width - 1);
    else if (n >= width) u[i] = 0;
    else u[i] = kind === 'll' ? u[i]! << n : u[i]! >>> n;
  }
  return a;
});

const shiftQ = (left: boolean): Handler => xmmOp((a, b, insn) => {
  const n = shiftCount(b, insn);
  for (let k = 0; k < 2; k++) {
    const lo = a.u32[2 * k]!, hi = a.u32[2 * k + 1]!;
    let rlo = 0, rhi = 0;
    if (n === 0) { rlo = lo; rhi = hi; }
    else if (n < 32) {
      if (left) { rhi = (hi << n) | (lo >>> (32 - n)); rlo = lo << n; } else { rlo = (lo >>> n) | (hi << (32 - n)); rhi = hi >>> n; }
    } else if (n < 64) {
      if (left) rhi = lo << (n - 32); else rlo = hi >>> (n - 32);
    }
    a.u32[2 * k] = rlo; a.u32[2 * k + 1] = rhi;
  }
  return a;
});

/** PSLLDQ/PSRLDQ: byte shifts of the whole register by imm8 (16 or more clears it). */
const shiftBytes = (left: boolean): Handler => xmmOp((a, b, insn) => {
  const n = imm8(insn);
  for (let i = 0; i < 16; i++) {
    const from = left ? i - n : i + n;
    vR.u8[i] = from >= 0 && from < 16 ? a.u8[from]! : 0;
  }
  return vR;
});

/** Packs with saturation: a's lanes then b's lanes, narrowed. */
const pack = (src: 'i16' | 'i32', dst: 'i8' | 'u8' | 'i16' | 'u16', sat: (x: number) => number): Handler => xmmOp((a, b) => {
  const n = src === 'i16' ? 8 : 4;
  const out = vR[dst];
  for (let i = 0; i < n; i++) { out[i] = sat(a[src][i]!); out[i + n] = sat(b[src][i]!); }
  return vR;
});

/** PUNPCKLxx and PUNPCKHxx: interleaves the low or high halves' lanes of a and b. */
const unpack = (bytes: number, high: boolean): Handler => xmmOp((a, b) => unpackBytes(a, b, bytes, high));

export function unpackBytes(a: Vec, b: Vec, bytes: number, high: boolean): Vec {
  const lanes = 8 / bytes;
  const base = high ? 8 : 0;
  for (let i = 0; i < lanes; i++) {
    for (let j = 0; j < bytes; j++) {
      vR.u8[2 * i * bytes + j] = a.u8[base + i * bytes + j]!;
      vR.u8[(2 * i + 1) * bytes + j] = b.u8[base + i * bytes + j]!;
    }
  }
  return vR;
}

const pinsrw: Handler = (m, insn) => {
  const d = insn.ops[0]!;
  const v = readGpr32(m, insn, insn.ops[1]!);
  loadXmm(m, d.reg, vA);
  vA.u16[imm8(insn) & 7] = v;
  storeXmm(m, d.reg, vA);
};

/** PEXTRW r32/r64, xmm, imm8 (zero-extended) or m16, xmm, imm8 (SSE4.1 form). */
const pextrw: Handler = (m, insn) => {
  const d = insn.ops[0]!;
  loadXmm(m, insn.ops[1]!.reg, vB);
  const v = vB.u16[imm8(insn) & 7]!;
  if (d.kind === OpKind.Mem) { vB.u16[0] = v; storeMemory(m, insn, d, vB); return; }
  m.st.set32(d.reg, v);
};

const pmovmskb: Handler = (m, insn) => {
  loadOperand(m, insn, insn.ops[1]!, vB);
  let mask = 0;
  for (let i = 0; i < 16; i++) mask |= (vB.u8[i]! >>> 7) << i;
  m.st.set32(insn.ops[0]!.reg, mask);
};

export const integerHandlers: HandlerTable = {
  Paddb: lanewise('u8', (x, y) => x + y), Paddw: lanewise('u16', (x, y) => x + y), Paddd: lanewise('u32', (x, y) => x + y),
  Paddq: xmmOp((a, b) => add64(a, b, false)),
  Psubb: lanewise('u8', (x, y) => x - y), Psubw: lanewise('u16', (x, y) => x - y), Psubd: lanewise('u32', (x, y) => x - y),
  Psubq: xmmOp((a, b) => add64(a, b, true)),
  Paddsb: lanewise('i8', (x, y) => sat8s(x + y)), Paddsw: lanewise('i16', (x, y) => sat16s(x + y)),
  Paddusb: lanewise('u8', (x, y) => sat8u(x + y)), Paddusw: lanewise('u16', (x, y) => sat16u(x + y)),
  Psubsb: lanewise('i8', (x, y) => sat8s(x - y)), Psubsw: lanewise('i16', (x, y) => sat16s(x - y)),
  Psubusb: lanewise('u8', (x, y) => sat8u(x - y)), Psubusw: lanewise('u16', (x, y) => sat16u(x - y)),
  Pmullw: lanewise('i16', (x, y) => Math.imul(x, y)),
  Pmulhw: lanewise('i16', (x, y) => (x * y) >> 16),
  Pmulhuw: lanewise('u16', (x, y) => (x * y) >>> 16),
  Pmuludq: xmmOp((a, b) => { mulU32(a.u32[0]!, b.u32[0]!, vR, 0); mulU32(a.u32[2]!, b.u32[2]!, vR, 1); return vR; }),
  Pmaddwd: xmmOp((a, b) => {
    for (let i = 0; i < 4; i++) vR.i32[i] = (a.i16[2 * i]! * b.i16[2 * i]! + a.i16[2 * i + 1]! * b.i16[2 * i + 1]!) | 0;
    return vR;
  }),
  Pavgb: lanewise('u8', (x, y) => (x + y + 1) >>> 1), Pavgw: lanewise('u16', (x, y) => (x + y + 1) >>> 1),
  Pminub: lanewise('u8', Math.min), Pmaxub: lanewise('u8', Math.max),
  Pminsw: lanewise('i16', Math.min), Pmaxsw: lanewise('i16', Math.max),
  Psadbw: xmmOp((a, b) => {
    vR.clear();
    for (let k = 0; k < 2; k++) {
      let sum = 0;
      for (let i = 0; i < 8; i++) sum += Math.abs(a.u8[8 * k + i]! - b.u8[8 * k + i]!);
      vR.u16[4 * k] = sum;
    }
    return vR;
  }),
  Pcmpeqb: lanewise('u8', (x, y) => (x === y ? -1 : 0)), Pcmpeqw: lanewise('u16', (x, y) => (x === y ? -1 : 0)),
  Pcmpeqd: lanewise('u32', (x, y) => (x === y ? -1 : 0)),
  Pcmpgtb: lanewise('i8', (x, y) => (x > y ? -1 : 0)), Pcmpgtw: lanewise('i16', (x, y) => (x > y ? -1 : 0)),
  Pcmpgtd: lanewise('i32', (x, y) => (x > y ? -1 : 0)),
  Pcmpgtq: xmmOp((a, b) => {
    for (let k = 0; k < 2; k++) { const r = gt64(a, b, k) ? 0xffffffff : 0; vR.u32[2 * k] = r; vR.u32[2 * k + 1] = r; }
    return vR;
  }),
  Pand: lanewise('u32', (x, y) => x & y), Pandn: lanewise('u32', (x, y) => ~x & y),
  Por: lanewise('u32', (x, y) => x | y), Pxor: lanewise('u32', (x, y) => x ^ y),
  Andps: lanewise('u32', (x, y) => x & y), Andpd: lanewise('u32', (x, y) => x & y),
  Andnps: lanewise('u32', (x, y) => ~x & y), Andnpd: lanewise('u32', (x, y) => ~x & y),
  Orps: lanewise('u32', (x, y) => x | y), Orpd: lanewise('u32', (x, y) => x | y),
  Xorps: lanewise('u32', (x, y) => x ^ y), Xorpd: lanewise('u32', (x, y) => x ^ y),
  Psllw: shift('u16', 'll'), Pslld: shift('u32', 'll'), Psllq: shiftQ(true),
  Psrlw: shift('u16', 'rl'), Psrld: shift('u32', 'rl'), Psrlq: shiftQ(false),
  Psraw: shift('u16', 'ra'), Psrad: shift('u32', 'ra'),
  Pslldq: shiftBytes(true), Psrldq: shiftBytes(false),
  Packsswb: pack('i16', 'i8', sat8s), Packssdw: pack('i32', 'i16', sat16s),
  Packuswb: pack('i16', 'u8', sat8u), Packusdw: pack('i32', 'u16', sat16u),
  Punpcklbw: unpack(1, false), Punpcklwd: unpack(2, false), Punpckldq: unpack(4, false), Punpcklqdq: unpack(8, false),
  Punpckhbw: unpack(1, true), Punpckhwd: unpack(2, true), Punpckhdq: unpack(4, true), Punpckhqdq: unpack(8, true),
  Pshufd: xmmOp((a, b, insn) => {
    const imm = imm8(insn);
    for (let i = 0; i < 4; i++) vR.u32[i] = b.u32[(imm >> (2 * i)) & 3]!;
    return vR;
  }),
  Pshuflw: xmmOp((a, b, insn) => {
    const imm = imm8(insn);
    vR.copyFrom(b);
    for (let i = 0; i < 4; i++) vR.u16[i] = b.u16[(imm >> (2 * i)) & 3]!;
    return vR;
  }),
  Pshufhw: xmmOp((a, b, insn) => {
    const imm = imm8(insn);
    vR.copyFrom(b);
    for (let i = 0; i < 4; i++) vR.u16[4 + i] = b.u16[4 + ((imm >> (2 * i)) & 3)]!;
    return vR;
  }),
  Pinsrw: pinsrw, Pextrw: pextrw, Pmovmskb: pmovmskb,
};

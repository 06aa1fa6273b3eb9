// SSE/SSE2 lifters: XMM registers are v128 values (getxmm/setxmm). Moves, shuffles and
// bitwise logic are plain lane operations (bits only, so NaNs pass through untouched);
// every floating-point instruction becomes one `sse` op naming its form (sse-forms.ts),
// whose semantics are the interpreter's, MXCSR included. Operand loads and the
// alignment check of m128 operands (#GP: a bail, so the interpreter raises it) come
// before any state write, as the verifier requires.
//
// Forms not handled here (MMX registers, VEX encodings reaching these mnemonics,
// anything else unexpected) throw CannotLift and go to the interpreter.

import type { Insn, Operand } from '../x86/insn.js';
import { OpKind, RegClass } from '../x86/insn.js';
import type { Op, Ty } from './ir.js';
import { F, newInst } from './ir.js';
import type { LiftCtx } from './lift-ctx.js';
import type { Lifter } from './lift-int.js';
import { sseFormIndex } from './sse-forms.js';
import { VEC_OPS, vecOpIndex } from './vec-ops.js';

/** Legacy-SSE forms whose m128 operand may be misaligned (as in src/interp/sse/operands.ts). */
const UNALIGNED_OK = new Set(['Movups', 'Movupd', 'Movdqu', 'Lddqu']);

// ---- IR helpers (instructions the Builder has no method for) ------------------------------

function def(x: LiftCtx, op: Op, ty: Ty, args: number[], k = 0, c = 0n): number {
  const b = x.b;
  const dst = b.block.nextValue++;
  b.block.insts.push(newInst(op, dst, ty, args, k, 0, c));
  b.types[dst] = ty;
  return dst;
}
const lane = (x: LiftCtx, v: number, ty: Ty, k: number): number => def(x, 'vlane', ty, [v], k);
const insert = (x: LiftCtx, v: number, k: number, e: number): number => def(x, 'vinsert', 'v128', [v, e], k);
const zero = (x: LiftCtx): number => x.c('v128', 0);
/** dst byte i = byte sel[i] of a ++ b. */
function shuffle(x: LiftCtx, a: number, b: number, sel: number[]): number {
  let c = 0n;
  sel.forEach((s, i) => { c |= BigInt(s) << BigInt(8 * i); });
  return def(x, 'vshuffle', 'v128', [a, b], 0, c);
}
/** Byte selectors for 32-bit lanes (0..3 of a, 4..7 of b). */
const dwords = (...l: number[]): number[] => l.flatMap((d) => [0, 1, 2, 3].map((j) => 4 * d + j));
const qwords = (...l: number[]): number[] => l.flatMap((q) => [0, 1, 2, 3, 4, 5, 6, 7].map((j) => 8 * q + j));

// ---- operands ----------------------------------------------------------------------------

function isXmm(op: Operand | undefined): boolean { return op !== undefined && op.kind === OpKind.Reg && op.regClass === RegClass.Xmm; }
function needXmm(x: LiftCtx, op: Operand | undefined): number {
  if (!isXmm(op)) x.cannot('not an XMM register');
  return op!.reg;
}

/** A memory operand's address, with the #GP check of a legacy m128 operand as a bail. */
function memAddr(x: LiftCtx, insn: Insn, op: Operand): number {
  const a = x.addr(op);
  if (op.size === 16 && !UNALIGNED_OK.has(insn.mnemonic)) {
    const b = x.b;
    b.bail(b.cmp('ne', b.bin('and', a, x.c('i64', 15)), x.c('i64', 0)));
  }
  return a;
}

/** An XMM register or memory source as v128 (memory zero-extended from its size). */
function readVec(x: LiftCtx, insn: Insn, op: Operand): number {
  if (isXmm(op)) return x.b.getxmm(op.reg);
  if (op.kind !== OpKind.Mem) return x.cannot('source is neither XMM nor memory');
  const a = memAddr(x, insn, op);
  switch (op.size) {
    case 16: return x.b.load('v128', a);
    case 8: return insert(x, zero(x), 0, x.b.load('i64', a));
    case 4: return insert(x, zero(x), 0, x.b.load('i32', a));
    default: return x.cannot(`memory source of ${op.size} bytes`);
  }
}

function isGprOrMem(x: LiftCtx, op: Operand): boolean { return x.isGpr(op) || op.kind === OpKind.Mem; }

// ---- moves -------------------------------------------------------------------------------

/** MOVAPS/MOVUPS/MOVAPD/MOVUPD/MOVDQA/MOVDQU: whole register moves. */
const move128: Lifter = (x, insn) => {
  const [d, s] = [insn.ops[0]!, insn.ops[1]!];
  if (d.kind === OpKind.Mem) {
    const v = x.b.getxmm(needXmm(x, s));
    const a = memAddr(x, insn, d);
    x.b.store(a, v);
    return;
  }
  x.b.setxmm(needXmm(x, d), readVec(x, insn, s));
};

/** MOVSD/MOVSS (SSE forms): register to register merges lane 0; a load zeroes the rest. */
function moveScalar(ty: 'i64' | 'i32'): Lifter {
  return (x, insn) => {
    const [d, s] = [insn.ops[0]!, insn.ops[1]!];
    if (!isXmm(d) && !isXmm(s)) x.cannot('string form');
    if (d.kind === OpKind.Mem) { const v = lane(x, x.b.getxmm(needXmm(x, s)), ty, 0); x.b.store(x.addr(d), v); return; }
    const r = needXmm(x, d);
    if (s.kind === OpKind.Mem) { x.b.setxmm(r, insert(x, zero(x), 0, x.b.load(ty, x.addr(s)))); return; }
    const v = lane(x, x.b.getxmm(needXmm(x, s)), ty, 0);
    x.b.setxmm(r, insert(x, x.b.getxmm(r), 0, v));
  };
}

/** MOVD/MOVQ: GPR/memory <-> XMM lane 0 (upper lanes zeroed on the way in); MOVQ xmm, xmm. */
const moveDQ: Lifter = (x, insn) => {
  const [d, s] = [insn.ops[0]!, insn.ops[1]!];
  const ty: Ty = insn.mnemonic === 'Movq' ? 'i64' : 'i32';
  if (isXmm(d)) {
    let v: number;
    if (isXmm(s)) v = lane(x, x.b.getxmm(s.reg), 'i64', 0);
    else if (isGprOrMem(x, s)) v = x.read(s, ty === 'i64' ? 8 : 4);
    else return x.cannot('MMX operand');
    x.b.setxmm(d.reg, insert(x, zero(x), 0, v));
    return;
  }
  if (!isXmm(s) || !isGprOrMem(x, d)) x.cannot('MMX operand');
  const v = lane(x, x.b.getxmm(s.reg), ty, 0);
  x.write(d, v);
};

/** MOVLPD/MOVLPS (lane 0) and MOVHPD/MOVHPS (lane 1) between XMM and m64. */
function moveHalf(k: number): Lifter {
  return (x, insn) => {
    const [d, s] = [insn.ops[0]!, insn.ops[1]!];
    if (d.kind === OpKind.Mem) { const v = lane(x, x.b.getxmm(needXmm(x, s)), 'i64', k); x.b.store(x.addr(d), v); return; }
    if (s.kind !== OpKind.Mem) x.cannot('register form');
    const r = needXmm(x, d);
    const v = x.b.load('i64', x.addr(s));
    x.b.setxmm(r, insert(x, x.b.getxmm(r), k, v));
  };
}

// ---- logic and shuffles --------------------------------------------------------------------

/** dst = f(dst, src) on whole registers, without MXCSR. */
function vecOp(f: (x: LiftCtx, a: number, b: number, insn: Insn) => number): Lifter {
  return (x, insn) => {
    const r = needXmm(x, insn.ops[0]);
    const b = readVec(x, insn, insn.ops[1]!);
    const a = x.b.getxmm(r);
    x.b.setxmm(r, f(x, a, b, insn));
  };
}
const logic = (op: 'and' | 'or' | 'xor'): Lifter => vecOp((x, a, b) => x.b.bin(op, a, b));
const andn = vecOp((x, a, b) => def(x, 'vandn', 'v128', [a, b]));
const shuf = (sel: number[]): Lifter => vecOp((x, a, b) => shuffle(x, a, b, sel));
const imm = (insn: Insn): number => insn.ops[insn.ops.length - 1]!.immLo & 0xff;

const shufpd = vecOp((x, a, b, insn) => { const i = imm(insn); return shuffle(x, a, b, qwords(i & 1, 2 + ((i >> 1) & 1))); });
const shufps = vecOp((x, a, b, insn) => {
  const i = imm(insn);
  return shuffle(x, a, b, dwords(i & 3, (i >> 2) & 3, 4 + ((i >> 4) & 3), 4 + ((i >> 6) & 3)));
});
const pshufd = vecOp((x, _a, b, insn) => { const i = imm(insn); return shuffle(x, b, b, dwords(i & 3, (i >> 2) & 3, (i >> 4) & 3, (i >> 6) & 3)); });

// ---- packed integers ---------------------------------------------------------------------

/** dst:v128|i32 = VEC_OPS row `name` on a (and b); `count` for shifts. */
function vop(x: LiftCtx, name: string, a: number, b?: number, count = 0): number {
  const k = vecOpIndex(name);
  const o = VEC_OPS[k]!;
  const b_ = x.b;
  const dst = b_.block.nextValue++;
  b_.block.insts.push(newInst('vop', dst, o.result, b === undefined ? [a] : [a, b], k, count));
  b_.types[dst] = o.result;
  return dst;
}
const packed = (name: string): Lifter => vecOp((x, a, b) => vop(x, name, a, b));

/** PMULUDQ: the unsigned products of dwords 0 and 2 as two qwords. */
const pmuludq = vecOp((x, a, b) => vop(x, 'i64x2.extmul_low_i32x4_u', shuffle(x, a, a, dwords(0, 2, 0, 2)), shuffle(x, b, b, dwords(0, 2, 0, 2))));

/** PSLL/PSRL/PSRA by imm8: counts of the lane width or more give zero (logical) or the sign (arithmetic). */
function shiftImm(name: string, bits: number): Lifter {
  return (x, insn) => {
    const r = needXmm(x, insn.ops[0]);
    if (insn.ops[1]!.kind !== OpKind.Imm) x.cannot('shift count in a register');
    const n = insn.ops[1]!.immLo & 0xff;
    const a = x.b.getxmm(r);
    const arith = name.endsWith('shr_s');
    if (n >= bits && !arith) { x.b.setxmm(r, zero(x)); return; }
    x.b.setxmm(r, vop(x, name, a, undefined, Math.min(n, bits - 1)));
  };
}

/** PSRLDQ/PSLLDQ: whole-register byte shifts (selector 16 is byte 0 of a zero vector). */
function byteShift(right: boolean): Lifter {
  return (x, insn) => {
    const r = needXmm(x, insn.ops[0]);
    const n = insn.ops[1]!.immLo & 0xff;
    const sel = Array.from({ length: 16 }, (_, i) => {
      const j = right ? i + n : i - n;
      return j >= 0 && j < 16 ? j : 16;
    });
    x.b.setxmm(r, shuffle(x, x.b.getxmm(r), zero(x), sel));
  };
}

/** PMOVMSKB/MOVMSKPS/MOVMSKPD r32, xmm. */
function moveMask(name: string): Lifter {
  return (x, insn) => {
    const d = insn.ops[0]!;
    if (!x.isGpr(d)) x.cannot('destination');
    const v = vop(x, name, x.b.getxmm(needXmm(x, insn.ops[1])));
    x.write(d, d.size === 8 ? x.b.conv('zext', 'i64', v) : v);
  };
}

const interleave = (lo: boolean, size: number): Lifter => {
  const sel: number[] = [];
  const first = lo ? 0 : 8 / size;
  for (let i = first; i < first + 8 / size; i++) {
    for (let j = 0; j < size; j++) sel.push(size * i + j);
    for (let j = 0; j < size; j++) sel.push(16 + size * i + j);
  }
  return shuf(sel);
};

/** PSHUFLW/PSHUFHW: words of one half of the source permuted, the other half copied. */
function pshufw(high: boolean): Lifter {
  return vecOp((x, _a, b, insn) => {
    const i = imm(insn);
    const base = high ? 4 : 0;
    const words = [0, 1, 2, 3].map((w) => base + ((i >> (2 * w)) & 3));
    const all = high ? [0, 1, 2, 3, ...words] : [...words, 4, 5, 6, 7];
    return shuffle(x, b, b, all.flatMap((w) => [2 * w, 2 * w + 1]));
  });
}

// ---- floating point ------------------------------------------------------------------------

function sseDef(x: LiftCtx, form: string, ty: Ty, a: number, b: number): number {
  return def(x, 'sse', ty, [a, b], sseFormIndex(form));
}

/** xmm = form(xmm, xmm/m). */
function fp(form: string): Lifter {
  return (x, insn) => {
    const r = needXmm(x, insn.ops[0]);
    const b = readVec(x, insn, insn.ops[1]!);
    const a = x.b.getxmm(r);
    x.b.setxmm(r, sseDef(x, form, 'v128', a, b));
  };
}

/** COMISD/UCOMISD/COMISS/UCOMISS: ZF PF CF from the ordering; OF SF AF cleared. */
function comi(form: string): Lifter {
  return (x, insn) => {
    const b = readVec(x, insn, insn.ops[1]!);
    const a = x.b.getxmm(needXmm(x, insn.ops[0]));
    const o = sseDef(x, form, 'i32', a, b);
    const bb = x.b;
    const one = x.c('i32', 1), z = x.c('i32', 0);
    x.setFlag(F.CF, bb.bin('and', o, one));
    x.setFlag(F.ZF, bb.bin('shru', o, one));
    x.setFlag(F.PF, bb.cmp('eq', o, x.c('i32', 3)));
    x.setFlag(F.OF, z);
    x.setFlag(F.SF, z);
    x.setFlag(F.AF, z);
  };
}

/** CVTSI2SD/CVTSI2SS xmm, r/m32|64. */
function fromInt(form: string): Lifter {
  return (x, insn) => {
    const [d, s] = [insn.ops[0]!, insn.ops[1]!];
    if (!isGprOrMem(x, s) || (s.size !== 4 && s.size !== 8)) x.cannot('source');
    const v = x.read(s);
    const r = needXmm(x, d);
    x.b.setxmm(r, sseDef(x, `${form}${s.size * 8}`, 'v128', x.b.getxmm(r), v));
  };
}

/** CVT(T)SD2SI/CVT(T)SS2SI r32|64, xmm/m. */
function toInt(form: string): Lifter {
  return (x, insn) => {
    const [d, s] = [insn.ops[0]!, insn.ops[1]!];
    if (!x.isGpr(d) || (d.size !== 4 && d.size !== 8)) x.cannot('destination');
    const b = readVec(x, insn, s);
    const ty: Ty = d.size === 8 ? 'i64' : 'i32';
    x.write(d, sseDef(x, `${form}${d.size * 8}`, ty, zero(x), b));
  };
}

export const sseLifters: Record<string, Lifter> = {
  Movaps: move128, Movups: move128, Movapd: move128, Movupd: move128, Movdqa: move128, Movdqu: move128,
  // Non-temporal hints change nothing here (the interpreter's handler is the same move).
  Movntps: move128, Movntpd: move128, Movntdq: move128, Movntdqa: move128, Lddqu: move128,
  Movsd: moveScalar('i64'), Movss: moveScalar('i32'),
  Movd: moveDQ, Movq: moveDQ,
  Movlpd: moveHalf(0), Movlps: moveHalf(0), Movhpd: moveHalf(1), Movhps: moveHalf(1),
  Andpd: logic('and'), Andps: logic('and'), Pand: logic('and'),
  Orpd: logic('or'), Orps: logic('or'), Por: logic('or'),
  Xorpd: logic('xor'), Xorps: logic('xor'), Pxor: logic('xor'),
  Andnpd: andn, Andnps: andn, Pandn: andn,
  Unpcklpd: shuf(qwords(0, 2)), Unpckhpd: shuf(qwords(1, 3)), Punpcklqdq: shuf(qwords(0, 2)), Punpckhqdq: shuf(qwords(1, 3)),
  Unpcklps: shuf(dwords(0, 4, 1, 5)), Unpckhps: shuf(dwords(2, 6, 3, 7)), Punpckldq: shuf(dwords(0, 4, 1, 5)), Punpckhdq: shuf(dwords(2, 6, 3, 7)),
  Movlhps: shuf(qwords(0, 2)), Movhlps: shuf(qwords(3, 1)),
  Shufpd: shufpd, Shufps: shufps, Pshufd: pshufd, Pshuflw: pshufw(false), Pshufhw: pshufw(true),
  Punpcklbw: interleave(true, 1), Punpckhbw: interleave(false, 1), Punpcklwd: interleave(true, 2), Punpckhwd: interleave(false, 2),
  Paddb: packed('i8x16.add'), Paddw: packed('i16x8.add'), Paddd: packed('i32x4.add'), Paddq: packed('i64x2.add'),
  Psubb: packed('i8x16.sub'), Psubw: packed('i16x8.sub'), Psubd: packed('i32x4.sub'), Psubq: packed('i64x2.sub'),
  Pcmpeqb: packed('i8x16.eq'), Pcmpeqw: packed('i16x8.eq'), Pcmpeqd: packed('i32x4.eq'),
  Pcmpgtb: packed('i8x16.gt_s'), Pcmpgtw: packed('i16x8.gt_s'), Pcmpgtd: packed('i32x4.gt_s'),
  Pmullw: packed('i16x8.mul'), Pmuludq: pmuludq,
  Paddusb: packed('i8x16.add_sat_u'), Paddusw: packed('i16x8.add_sat_u'), Psubusb: packed('i8x16.sub_sat_u'), Psubusw: packed('i16x8.sub_sat_u'),
  Paddsb: packed('i8x16.add_sat_s'), Paddsw: packed('i16x8.add_sat_s'), Psubsb: packed('i8x16.sub_sat_s'), Psubsw: packed('i16x8.sub_sat_s'),
  Pminub: packed('i8x16.min_u'), Pmaxub: packed('i8x16.max_u'), Pminsw: packed('i16x8.min_s'), Pmaxsw: packed('i16x8.max_s'),
  Pavgb: packed('i8x16.avgr_u'), Pavgw: packed('i16x8.avgr_u'),
  Packsswb: packed('i8x16.narrow_i16x8_s'), Packuswb: packed('i8x16.narrow_i16x8_u'), Packssdw: packed('i16x8.narrow_i32x4_s'),
  Psllw: shiftImm('i16x8.shl', 16), Pslld: shiftImm('i32x4.shl', 32), Psllq: shiftImm('i64x2.shl', 64),
  Psrlw: shiftImm('i16x8.shr_u', 16), Psrld: shiftImm('i32x4.shr_u', 32), Psrlq: shiftImm('i64x2.shr_u', 64),
  Psraw: shiftImm('i16x8.shr_s', 16), Psrad: shiftImm('i32x4.shr_s', 32),
  Psrldq: byteShift(true), Pslldq: byteShift(false),
  Pmovmskb: moveMask('i8x16.bitmask'), Movmskps: moveMask('i32x4.bitmask'), Movmskpd: moveMask('i64x2.bitmask'),
  Comisd: comi('comisd'), Ucomisd: comi('ucomisd'), Comiss: comi('comiss'), Ucomiss: comi('ucomiss'),
  Cvtsi2sd: fromInt('cvtsi2sd'), Cvtsi2ss: fromInt('cvtsi2ss'),
  Cvttsd2si: toInt('cvttsd2si'), Cvtsd2si: toInt('cvtsd2si'), Cvttss2si: toInt('cvttss2si'), Cvtss2si: toInt('cvtss2si'),
};

for (const name of ['cvtsd2ss', 'cvtss2sd', 'cvtps2pd', 'cvtpd2ps', 'cvtdq2pd', 'cvtdq2ps', 'cvttpd2dq', 'cvttps2dq', 'cvtpd2dq', 'cvtps2dq']) {
  sseLifters[name[0]!.toUpperCase() + name.slice(1)] = fp(name);
}
for (const op of ['add', 'sub', 'mul', 'div', 'sqrt', 'min', 'max']) {
  for (const suffix of ['sd', 'ss', 'pd', 'ps']) sseLifters[op[0]!.toUpperCase() + op.slice(1) + suffix] = fp(op + suffix);
}

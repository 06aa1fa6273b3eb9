// The x86-64 decoder engine: prefixes, REX, opcode maps, ModRM/SIB, displacement and
// immediates. What each opcode means is data (./tables, compiled by ./opcode-table.ts);
// this file only walks the compiled dispatch tree and builds operands from the form.
//
// Decoding allocates nothing but the Insn, its operand objects and its byte copy: the
// scratch state lives in module variables (decoding is synchronous and not re-entrant).

import type { Insn, Operand } from './insn.js';
import { DecodeTruncated, Flow, NO_REG, OpKind, RegClass, Rep, Seg } from './insn.js';
import type { Dispatch, Form, Node, OperandForm } from './opcode-table.js';
import { Dim, HAS_MODRM, LEAF, Mandatory, Method, OpSizeRule, Size, slotNode } from './opcode-table.js';

const MAX_LENGTH = 15;
const TWO32 = 0x1_0000_0000;
const TWO64 = 18446744073709551616;

/** Thrown internally when an instruction would exceed 15 bytes; never escapes decode(). */
const TOO_LONG = { tooLong: true };

// Scratch state of the instruction being decoded.
let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
let start = 0;
let limit = 0;
let insnAddr = 0;

function outOfBytes(): never {
  if (pos - start >= MAX_LENGTH) throw TOO_LONG;
  throw new DecodeTruncated(insnAddr);
}

function u8(): number {
  if (pos >= limit) outOfBytes();
  return buf[pos++]!;
}

function s8(): number {
  return (u8() << 24) >> 24;
}

function u16(): number {
  const lo = u8();
  return lo | (u8() << 8);
}

function s32(): number {
  const b0 = u8(), b1 = u8(), b2 = u8(), b3 = u8();
  return b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
}

function newOperand(kind: OpKind): Operand {
  return { kind, size: 0, reg: 0, regClass: RegClass.Gpr, base: NO_REG, index: NO_REG, scale: 1, disp: 0,
    ripRelative: false, seg: Seg.None, immLo: 0, immHi: 0 };
}

/** Wraps an exact (possibly negative or >= 2^64) address to an unsigned 64-bit value. */
function wrap64(x: number): number {
  return x < 0 ? x + TWO64 : x >= TWO64 ? x - TWO64 : x;
}

function invalid(bytes: Uint8Array, offset: number, addr: number, len: number): Insn {
  const n = Math.max(1, Math.min(len, bytes.length - offset));
  return { addr, len: n, mnemonic: 'INVALID', opSize: 8, addrSize: 8, ops: [], rep: Rep.None, lock: false, cond: -1,
    flow: Flow.Trap, bytes: bytes.slice(offset, offset + n) };
}

/**
 * Decodes one 64-bit-mode instruction starting at `bytes[offset]`, whose guest address
 * is `addr`. Returns mnemonic 'INVALID' (flow Trap) for encodings outside the supported
 * set; throws DecodeTruncated when `bytes` ends before the instruction does.
 */
export function decode(bytes: Uint8Array, offset: number, addr: number): Insn {
  buf = bytes;
  pos = offset;
  start = offset;
  limit = Math.min(bytes.length, offset + MAX_LENGTH);
  insnAddr = addr;
  try {
    return decodeOne(bytes, offset, addr);
  } catch (e) {
    if (e === TOO_LONG) return invalid(bytes, offset, addr, MAX_LENGTH);
    throw e;
  }
}

function decodeOne(bytes: Uint8Array, offset: number, addr: number): Insn {
  // Legacy prefixes and REX. A REX byte only counts directly before the opcode.
  let p66 = false, p67 = false, lock = false, rep = 0, seg = Seg.None, rex = 0;
  let b: number;
  for (;;) {
    b = u8();
    switch (b) {
      case 0x66: p66 = true; rex = 0; continue;
      case 0x67: p67 = true; rex = 0; continue;
      case 0xf0: lock = true; rex = 0; continue;
      case 0xf2: rep = Mandatory.F2; rex = 0; continue;
      case 0xf3: rep = Mandatory.F3; rex = 0; continue;
      case 0x26: case 0x2e: case 0x36: case 0x3e: rex = 0; continue;
      case 0x64: seg = Seg.Fs; rex = 0; continue;
      case 0x65: seg = Seg.Gs; rex = 0; continue;
    }
    if ((b & 0xf0) === 0x40) { rex = b; continue; }
    break;
  }
  let slot = b;
  if (b === 0x0f) {
    b = u8();
    slot = 0x100 + b;
    if (b === 0x38) slot = 0x200 + u8();
    else if (b === 0x3a) slot = 0x300 + u8();
  }
  let node: Node | null = slotNode(slot);
  if (node === null) return invalid(bytes, offset, addr, pos - offset);
  const modrm = HAS_MODRM[slot] === 1 ? u8() : 0;
  const rexW = (rex >> 3) & 1;

  while (node.dim !== LEAF) {
    const d: Dispatch = node as Dispatch;
    let v: number;
    switch (d.dim) {
      case Dim.Prefix: v = rep !== 0 ? rep : p66 ? Mandatory.P66 : Mandatory.None; break;
      case Dim.OpSize: v = rexW ? 2 : p66 ? 0 : d.default64 ? 2 : 1; break;
      case Dim.AddrSize: v = p67 ? 1 : 0; break;
      case Dim.RexW: v = rexW; break;
      case Dim.RexB: v = rex & 1; break;
      case Dim.Mod: v = modrm >= 0xc0 ? 1 : 0; break;
      case Dim.Reg: v = (modrm >> 3) & 7; break;
      default: v = modrm & 7; break;
    }
    node = d.kids[v]!;
    if (node === null) return invalid(bytes, offset, addr, pos - offset);
  }
  const form = node as Form;
  const isMem = HAS_MODRM[slot] === 1 && modrm < 0xc0;
  if (lock && !(form.lockable && isMem)) return invalid(bytes, offset, addr, pos - offset);

  const opsize16 = p66 && !form.consumes66;
  const opSizeEff = form.opSizeRule === OpSizeRule.Force64 ? 8
    : rexW ? 8 : opsize16 ? 2 : form.opSizeRule === OpSizeRule.Default64 ? 8 : 4;

  // Memory operand fields (ModRM/SIB/displacement come before any immediate).
  let base = NO_REG, index = NO_REG, scale = 1, disp = 0, ripRelative = false;
  if (isMem) {
    const mod = modrm >> 6, rm = modrm & 7;
    if (rm === 4) {
      const sib = u8();
      scale = 1 << (sib >> 6);
      const idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
      index = idx === 4 ? NO_REG : idx;
      if ((sib & 7) === 5 && mod === 0) disp = s32();
      else base = (sib & 7) | ((rex & 1) << 3);
    } else if (rm === 5 && mod === 0) {
      ripRelative = true;
      disp = s32();
    } else {
      base = rm | ((rex & 1) << 3);
    }
    if (mod === 1) disp = s8();
    else if (mod === 2) disp = s32();
    if (p67 && base === NO_REG && index === NO_REG && !ripRelative) disp >>>= 0;
  }

  const specs = form.operands;
  const ops: Operand[] = new Array<Operand>(specs.length);
  let relOp: Operand | null = null;
  let ripOp: Operand | null = null;
  for (let n = 0; n < specs.length; n++) {
    const spec: OperandForm = specs[n]!;
    let op: Operand;
    switch (spec.method) {
      case Method.E: case Method.M: case Method.R: case Method.W: case Method.U:
        if (isMem) {
          op = newOperand(OpKind.Mem);
          op.size = sizeOf(spec.memSize, opSizeEff, rexW);
          op.base = base; op.index = index; op.scale = scale; op.disp = disp; op.seg = seg;
          if (ripRelative) { op.ripRelative = true; ripOp = op; }
        } else if (spec.method === Method.W || spec.method === Method.U) {
          op = xmm((modrm & 7) | ((rex & 1) << 3));
        } else {
          op = gpr((modrm & 7) | ((rex & 1) << 3), sizeOf(spec.regSize, opSizeEff, rexW), rex);
        }
        break;
      case Method.G:
        op = gpr(((modrm >> 3) & 7) | ((rex & 4) << 1), sizeOf(spec.regSize, opSizeEff, rexW), rex);
        break;
      case Method.V:
        op = xmm(((modrm >> 3) & 7) | ((rex & 4) << 1));
        break;
      case Method.Z:
        op = gpr((slot & 7) | ((rex & 1) << 3), sizeOf(spec.regSize, opSizeEff, rexW), rex);
        break;
      case Method.FixedGpr:
        op = gpr(spec.reg, sizeOf(spec.regSize, opSizeEff, rexW), rex);
        break;
      case Method.I: op = immediate(spec.regSize, opSizeEff); break;
      case Method.Is: op = signedImm(s8(), opSizeEff); break;
      case Method.One: op = signedImm(1, 1); break;
      case Method.J:
        op = newOperand(OpKind.Rel);
        op.size = 8;
        op.disp = spec.regSize === 1 ? s8() : s32();
        relOp = op;
        break;
      case Method.O: {
        op = newOperand(OpKind.Mem);
        op.size = sizeOf(spec.regSize, opSizeEff, rexW);
        op.seg = seg;
        if (p67) { op.disp = s32() >>> 0; } else { const lo = s32() >>> 0; op.disp = s32() * TWO32 + lo; }
        break;
      }
      case Method.Xlat:
        op = newOperand(OpKind.Mem);
        op.size = 1; op.base = 3; op.index = 0; op.seg = seg;
        break;
      case Method.St0: op = st(0); break;
      default: op = st(modrm & 7); break; // Method.StI
    }
    ops[n] = op;
  }

  const len = pos - offset;
  const next = addr + len;
  if (relOp !== null) relOp.disp = wrap64(next + relOp.disp);
  if (ripOp !== null) ripOp.disp = p67 ? (((next + ripOp.disp) % TWO32) + TWO32) % TWO32 : wrap64(next + ripOp.disp);

  const first = specs.length > 0 ? ops[0]! : null;
  const opSize = first !== null && (first.kind === OpKind.Mem || (first.kind === OpKind.Reg && first.regClass <= RegClass.GprHigh8))
    && first.size >= 1 && first.size <= 8 ? first.size
    : form.fallbackOpSize > 0 ? form.fallbackOpSize : opSizeEff;

  return {
    addr, len, mnemonic: form.mnemonic, opSize, addrSize: p67 ? 4 : 8, ops,
    rep: form.consumesRep || rep === 0 ? Rep.None : rep === Mandatory.F3 ? Rep.Rep : Rep.Repne,
    lock, cond: form.cond, flow: form.flow, bytes: bytes.slice(offset, offset + len),
  };
}

function sizeOf(code: number, opSizeEff: number, rexW: number): number {
  if (code >= 0) return code;
  if (code === Size.V) return opSizeEff;
  if (code === Size.Y) return rexW ? 8 : 4;
  return opSizeEff === 2 ? 2 : 4; // Size.Z
}

function gpr(reg: number, size: number, rex: number): Operand {
  const op = newOperand(OpKind.Reg);
  op.size = size;
  op.reg = reg;
  if (size === 1 && rex === 0 && reg >= 4) op.regClass = RegClass.GprHigh8;
  return op;
}

function xmm(reg: number): Operand {
  const op = newOperand(OpKind.Reg);
  op.size = 16;
  op.reg = reg;
  op.regClass = RegClass.Xmm;
  return op;
}

function st(i: number): Operand {
  const op = newOperand(OpKind.Reg);
  op.size = 10;
  op.reg = i;
  op.regClass = RegClass.St;
  return op;
}

/** An immediate of `size` bytes holding the sign-extension of `value` (a 32-bit signed int). */
function signedImm(value: number, size: number): Operand {
  const op = newOperand(OpKind.Imm);
  op.size = size;
  op.immLo = size === 1 ? value & 0xff : size === 2 ? value & 0xffff : value >>> 0;
  op.immHi = size === 8 && value < 0 ? 0xffffffff : 0;
  return op;
}

function immediate(code: number, opSizeEff: number): Operand {
  switch (code) {
    case 1: return signedImm(u8(), 1);
    case 2: return signedImm(u16(), 2);
    case Size.Z: return signedImm(opSizeEff === 2 ? u16() : s32(), opSizeEff);
    default: { // Size.V: MOV r, imm16/32/64
      if (opSizeEff !== 8) return signedImm(opSizeEff === 2 ? u16() : s32(), opSizeEff);
      const op = newOperand(OpKind.Imm);
      op.size = 8;
      op.immLo = s32() >>> 0;
      op.immHi = s32() >>> 0;
      return op;
    }
  }
}

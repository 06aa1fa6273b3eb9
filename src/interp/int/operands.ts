// Operand accessors chosen once, when a block is decoded: each instruction closure
// captures a reader/writer pair specialised for register, memory or immediate and
// for the operand size, so executing an instruction never switches on operand kind.
//
// Narrow values (1, 2, 4 bytes) travel as unsigned numbers. 64-bit values travel as
// two unsigned 32-bit halves: readers return the low half and leave the high half in
// `c.hi`; writers take both halves.

import type { ExecContext } from '../context.js';
import type { Operand } from '../../x86/insn.js';
import { OpKind, RegClass, Seg } from '../../x86/insn.js';
import { effectiveAddress } from '../machine.js';

export type EaFn = () => number;

export interface NarrowLoc {
  read(): number;
  /** Writes to the operand (memory: computes the address afresh). */
  write(v: number): void;
  /** Writes back to the operand read last (memory: reuses `c.ea`). */
  writeBack(v: number): void;
}

export interface WideLoc {
  /** Returns the low half; the high half is left in `c.hi`. */
  read(): number;
  write(lo: number, hi: number): void;
  writeBack(lo: number, hi: number): void;
}

/** Compiles the effective-address computation of a memory operand (segment base included). */
export function compileEa(c: ExecContext, op: Operand, addrSize: number): EaFn {
  const u32 = c.u32;
  const st = c.st;
  const disp = op.disp;
  const b = op.base >= 0 ? c.gi + 2 * op.base : -1;
  const x = op.index >= 0 ? c.gi + 2 * op.index : -1;
  const scale = op.scale;
  const slow = (): number => effectiveAddress(st, op, addrSize);
  if (op.seg === Seg.Fs || op.seg === Seg.Gs) return slow;
  if (addrSize === 4) {
    if (b >= 0 && x >= 0) return () => (u32[b]! + u32[x]! * scale + disp) >>> 0;
    if (b >= 0) return () => (u32[b]! + disp) >>> 0;
    if (x >= 0) return () => (u32[x]! * scale + disp) >>> 0;
    const a = disp >>> 0;
    return () => a;
  }
  if (op.ripRelative || (b < 0 && x < 0)) {
    const a = effectiveAddress(st, op, addrSize);
    return () => a;
  }
  if (x < 0) {
    return () => {
      if (u32[b + 1] === 0) {
        const a = u32[b]! + disp;
        if (a >= 0 && a <= 0xffffffff) return a;
      }
      return slow();
    };
  }
  if (b < 0) {
    return () => {
      if (u32[x + 1] === 0) {
        const a = u32[x]! * scale + disp;
        if (a >= 0 && a <= 0xffffffff) return a;
      }
      return slow();
    };
  }
  return () => {
    if ((u32[b + 1]! | u32[x + 1]!) === 0) {
      const a = u32[b]! + u32[x]! * scale + disp;
      if (a >= 0 && a <= 0xffffffff) return a;
    }
    return slow();
  };
}

/** Byte offset in guest memory of a byte register (AH..BH included). */
export function byteRegOffset(c: ExecContext, op: Operand): number {
  return op.regClass === RegClass.GprHigh8 ? c.gb + 8 * (op.reg - 4) + 1 : c.gb + 8 * op.reg;
}

export function isGpr(op: Operand | undefined): boolean {
  return op !== undefined && op.kind === OpKind.Reg && (op.regClass === RegClass.Gpr || op.regClass === RegClass.GprHigh8);
}

function constant(v: number): NarrowLoc {
  return { read: () => v, write: unwritable, writeBack: unwritable };
}
function unwritable(): void { throw new Error('write to an immediate operand'); }

/** Accessor for a 1, 2 or 4-byte operand of the given size (the operand's own size when omitted). */
export function narrowLoc(c: ExecContext, op: Operand, addrSize: number, size = op.size): NarrowLoc {
  if (op.kind === OpKind.Imm) {
    const mask = size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    return constant((op.immLo & mask) >>> 0);
  }
  if (op.kind === OpKind.Reg) {
    if (size === 4) {
      const u32 = c.u32; const i = c.gi + 2 * op.reg;
      const write = (v: number): void => { u32[i] = v; u32[i + 1] = 0; };
      return { read: () => u32[i]!, write, writeBack: write };
    }
    if (size === 2) {
      const u16 = c.u16; const i = (c.gb >>> 1) + 4 * op.reg;
      const write = (v: number): void => { u16[i] = v; };
      return { read: () => u16[i]!, write, writeBack: write };
    }
    const u8 = c.u8; const i = byteRegOffset(c, op);
    const write = (v: number): void => { u8[i] = v; };
    return { read: () => u8[i]!, write, writeBack: write };
  }
  if (op.kind !== OpKind.Mem) throw new Error(`operand kind ${op.kind} is not a value`);
  const ea = compileEa(c, op, addrSize);
  if (size === 4) {
    return {
      read: () => c.rd32(c.ea = ea()),
      write: (v) => c.wr32(ea(), v),
      writeBack: (v) => c.wr32(c.ea, v),
    };
  }
  if (size === 2) {
    return {
      read: () => c.rd16(c.ea = ea()),
      write: (v) => c.wr16(ea(), v),
      writeBack: (v) => c.wr16(c.ea, v),
    };
  }
  return {
    read: () => c.rd8(c.ea = ea()),
    write: (v) => c.wr8(ea(), v),
    writeBack: (v) => c.wr8(c.ea, v),
  };
}

/** Accessor for an 8-byte operand. */
export function wideLoc(c: ExecContext, op: Operand, addrSize: number): WideLoc {
  if (op.kind === OpKind.Imm) {
    const lo = op.immLo >>> 0;
    // Immediates narrower than 8 bytes in a 64-bit context are sign-extended by the instruction.
    const hi = op.size === 8 ? op.immHi >>> 0 : (op.size === 4 ? (lo & 0x80000000 ? 0xffffffff : 0) : 0);
    return { read: () => { c.hi = hi; return lo; }, write: unwritable, writeBack: unwritable };
  }
  if (op.kind === OpKind.Reg) {
    const u32 = c.u32; const i = c.gi + 2 * op.reg;
    const write = (lo: number, hi: number): void => { u32[i] = lo; u32[i + 1] = hi; };
    return { read: () => { c.hi = u32[i + 1]!; return u32[i]!; }, write, writeBack: write };
  }
  if (op.kind !== OpKind.Mem) throw new Error(`operand kind ${op.kind} is not a value`);
  const ea = compileEa(c, op, addrSize);
  return {
    read: () => c.rd64(c.ea = ea()),
    write: (lo, hi) => c.wr64(ea(), lo, hi),
    writeBack: (lo, hi) => c.wr64(c.ea, lo, hi),
  };
}

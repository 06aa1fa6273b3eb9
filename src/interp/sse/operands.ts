// Loading and storing SSE operands: XMM registers (16 bytes each in the CPU state
// block), memory (checked accessors, 16-byte alignment for legacy-SSE m128 operands)
// and general registers (for MOVD/MOVQ, conversions, extracts and inserts).

import type { Machine } from '../machine.js';
import { effectiveAddress } from '../machine.js';
import type { Insn, Operand } from '../../x86/insn.js';
import { OpKind, RegClass } from '../../x86/insn.js';
import { Access, Prot } from '../../mem/memory.js';
import { ExceptionCode, GuestFault } from '../../mem/fault.js';
import type { Vec } from './vec.js';

/**
 * The data address Windows reports for a general-protection fault (#GP), for example a
 * misaligned MOVAPS or an LDMXCSR with reserved bits set: STATUS_ACCESS_VIOLATION with
 * ExceptionInformation[1] = 0xFFFFFFFFFFFFFFFF. A JS number cannot hold 2^64-1, so it
 * is -1, which `BigInt.asUintN(64, BigInt(-1))` turns back into the exact value.
 */
export const GP_FAULT_ADDRESS = -1;

export function generalProtection(detail: string): GuestFault {
  return new GuestFault(ExceptionCode.AccessViolation, GP_FAULT_ADDRESS, Access.Read, detail);
}

/** Legacy-SSE instructions whose 16-byte memory operands may be misaligned; every other one faults. */
const UNALIGNED_OK = new Set(['Movups', 'Movupd', 'Movdqu', 'Lddqu']);

export function isXmm(op: Operand | undefined): boolean {
  return op !== undefined && op.kind === OpKind.Reg && op.regClass === RegClass.Xmm;
}

/** The checked guest address of a memory operand of `size` bytes (alignment enforced for m128). */
export function memAddress(m: Machine, insn: Insn, op: Operand, size: number, access: Access): number {
  const addr = effectiveAddress(m.st, op, insn.addrSize);
  if (size === 16 && addr % 16 !== 0 && !UNALIGNED_OK.has(insn.mnemonic)) {
    throw generalProtection(`misaligned 16-byte operand of ${insn.mnemonic.toLowerCase()} at 0x${addr.toString(16)}`);
  }
  m.mem.check(addr, size, access === Access.Write ? Prot.W : Prot.R, access);
  return addr;
}

export function loadXmm(m: Machine, reg: number, v: Vec): void {
  const base = m.st.xmmAddr(reg) >>> 2;
  const u32 = m.st.u32;
  v.u32[0] = u32[base]!; v.u32[1] = u32[base + 1]!; v.u32[2] = u32[base + 2]!; v.u32[3] = u32[base + 3]!;
}

export function storeXmm(m: Machine, reg: number, v: Vec): void {
  const base = m.st.xmmAddr(reg) >>> 2;
  const u32 = m.st.u32;
  u32[base] = v.u32[0]!; u32[base + 1] = v.u32[1]!; u32[base + 2] = v.u32[2]!; u32[base + 3] = v.u32[3]!;
}

/**
 * Loads an XMM register, or `op.size` bytes of memory into the low bytes of `v`
 * (the rest of `v` is zeroed), or a general register's low 4/8 bytes, or an immediate
 * (so that shift-by-imm8 forms can share the register form's code).
 */
export function loadOperand(m: Machine, insn: Insn, op: Operand, v: Vec): void {
  if (op.kind === OpKind.Reg) {
    if (op.regClass === RegClass.Xmm) { loadXmm(m, op.reg, v); return; }
    if (op.regClass === RegClass.Gpr) {
      v.clear();
      v.u32[0] = m.st.lo(op.reg);
      if (op.size === 8) v.u32[1] = m.st.hi(op.reg);
      else if (op.size < 4) v.u32[0] &= op.size === 1 ? 0xff : 0xffff;
      return;
    }
    throw new Error(`${insn.mnemonic}: unsupported register operand class ${op.regClass}`);
  }
  if (op.kind === OpKind.Mem) {
    const size = op.size;
    const addr = memAddress(m, insn, op, size, Access.Read);
    v.clear();
    const u8 = m.mem.u8;
    for (let i = 0; i < size; i++) v.u8[i] = u8[addr + i]!;
    return;
  }
  if (op.kind === OpKind.Imm) { v.clear(); v.u32[0] = op.immLo; v.u32[1] = op.immHi; return; }
  throw new Error(`${insn.mnemonic}: unsupported operand kind ${op.kind}`);
}

/** Writes the low `op.size` bytes of `v` to memory (checked, alignment enforced for m128). */
export function storeMemory(m: Machine, insn: Insn, op: Operand, v: Vec): void {
  const addr = memAddress(m, insn, op, op.size, Access.Write);
  m.mem.writeBytes(addr, op.size === 16 ? v.u8 : v.u8.subarray(0, op.size));
}

/** Stores the low bytes of `v` to an XMM register (whole register), a GPR or memory. */
export function storeOperand(m: Machine, insn: Insn, op: Operand, v: Vec): void {
  if (op.kind === OpKind.Mem) { storeMemory(m, insn, op, v); return; }
  if (op.regClass === RegClass.Xmm) { storeXmm(m, op.reg, v); return; }
  if (op.regClass === RegClass.Gpr) {
    if (op.size === 8) m.st.set64(op.reg, v.u32[0]!, v.u32[1]!);
    else m.st.set32(op.reg, v.u32[0]!);
    return;
  }
  throw new Error(`${insn.mnemonic}: unsupported destination operand`);
}

/** Reads a general register or memory operand as an unsigned 32-bit value (size 1, 2 or 4). */
export function readGpr32(m: Machine, insn: Insn, op: Operand): number {
  if (op.kind === OpKind.Mem) {
    const addr = memAddress(m, insn, op, op.size, Access.Read);
    return op.size === 1 ? m.mem.u8[addr]! : op.size === 2 ? m.mem.dv.getUint16(addr, true) : m.mem.dv.getUint32(addr, true);
  }
  const v = m.st.lo(op.reg);
  return op.size === 1 ? v & 0xff : op.size === 2 ? v & 0xffff : v;
}

/** The imm8 of an instruction (last operand). */
export function imm8(insn: Insn): number {
  return insn.ops[insn.ops.length - 1]!.immLo & 0xff;
}

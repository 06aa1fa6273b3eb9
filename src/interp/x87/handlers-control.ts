// Control and state instructions: FLDCW/FNSTCW/FNSTSW, FNCLEX, FNINIT, FNSTENV/FLDENV,
// FNSAVE/FRSTOR, FXSAVE/FXRSTOR (both REX.W and legacy forms), FWAIT, FNOP.
//
// The environment images use the 32-bit protected-mode layout that 64-bit mode uses
// without REX.W (28 bytes; FNSAVE adds the 8 registers in stack order, 108 bytes), or
// with a 66 prefix the 16-bit layout (14 bytes; 94 with the registers).
// wexe does not track the last instruction and operand pointers or the last opcode:
// FIP, FCS, FDP, FDS and FOP are stored as zero (modern CPUs deprecate FCS/FDS and
// only update FOP on unmasked exceptions by default).

import { ExceptionCode, GuestFault } from '../../mem/fault.js';
import type { Insn } from '../../x86/insn.js';
import { OpKind } from '../../x86/insn.js';
import type { HandlerTable, Machine } from '../machine.js';
import { f80FromBytes, f80ToBytes } from './float80.js';
import { checkPending, memAddress, probeWrite } from './exec.js';
import {
  Sw, Tag, fpuControl, fpuStatus, fpuTagWord, fpuTop, physicalTag, readPhysical, retag, setFpuControl, setFpuStatus,
  setFpuTagWord, writePhysicalBits,
} from './fpu-state.js';

/** Control word after FNINIT: all exceptions masked, 64-bit precision, round to nearest. */
export const FNINIT_CONTROL = 0x037f;
/** MXCSR bits this CPU model supports (reported in FXSAVE's MXCSR_MASK; DAZ included). */
export const MXCSR_MASK = 0xffff;

/** Sets or clears ES and B to match the pending (unmasked and raised) exceptions. */
function syncErrorSummary(st: Machine['st']): void {
  const sw = fpuStatus(st);
  const pending = sw & ~fpuControl(st) & Sw.ExceptionFlags;
  setFpuStatus(st, pending ? sw | Sw.ES | Sw.B : sw & ~(Sw.ES | Sw.B));
}

/** The control word keeps 13 bits: reserved bits 7 and 13..15 read as zero, bit 6 as one. */
function loadControl(st: Machine['st'], v: number): void { setFpuControl(st, (v & 0x1f3f) | 0x40); }

function fldcw(m: Machine, insn: Insn): void {
  loadControl(m.st, m.mem.read16(memAddress(m, insn, insn.ops[0]!)));
  syncErrorSummary(m.st);
}

function fnstcw(m: Machine, insn: Insn): void {
  m.mem.write16(memAddress(m, insn, insn.ops[0]!), fpuControl(m.st));
}

function fnstsw(m: Machine, insn: Insn): void {
  const op = insn.ops[0]!;
  const sw = fpuStatus(m.st);
  if (op.kind === OpKind.Reg) m.st.setLo(0, ((m.st.lo(0) & 0xffff0000) | sw) >>> 0);
  else m.mem.write16(memAddress(m, insn, op), sw);
}

function fnclex(m: Machine): void {
  setFpuStatus(m.st, fpuStatus(m.st) & ~(Sw.ExceptionFlags | Sw.SF | Sw.ES | Sw.B));
}

function initialize(st: Machine['st']): void {
  setFpuControl(st, FNINIT_CONTROL);
  setFpuStatus(st, 0);
  setFpuTagWord(st, 0xffff);
}

/**
 * The environment image's layout. In 64-bit mode FNSTENV/FLDENV/FNSAVE/FRSTOR use the
 * 32-bit protected-mode image (28 bytes, each field in a dword), and with a 66 prefix
 * the 16-bit one (14 bytes, each field a word; FNSAVE's registers then start at 14).
 * The decoder gives the operand size: 14 or 94 bytes for the 16-bit forms.
 */
interface EnvLayout { size: number; field: number }
const ENV32: EnvLayout = { size: 28, field: 4 };
const ENV16: EnvLayout = { size: 14, field: 2 };
function envLayout(insn: Insn): EnvLayout {
  const size = insn.ops[0]!.size;
  return size === 14 || size === 94 ? ENV16 : ENV32;
}

/** The environment image. Reserved upper halves of the 32-bit image read as ones, as hardware stores them. */
function environmentImage(m: Machine, layout: EnvLayout): Uint8Array {
  const b = new Uint8Array(layout.size);
  const dv = new DataView(b.buffer);
  const words = [fpuControl(m.st), fpuStatus(m.st), fpuTagWord(m.st)];
  if (layout.field === 4) {
    words.forEach((w, i) => dv.setUint32(4 * i, 0xffff0000 | w, true));
    dv.setUint32(24, 0xffff0000, true);
  } else {
    words.forEach((w, i) => dv.setUint16(2 * i, w, true));
  }
  return b;
}

function loadEnvironment(m: Machine, b: Uint8Array, layout: EnvLayout): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  loadControl(m.st, dv.getUint16(0, true));
  setFpuStatus(m.st, dv.getUint16(layout.field, true));
  const tw = dv.getUint16(2 * layout.field, true);
  let emptyMask = 0;
  for (let p = 0; p < 8; p++) if (((tw >> (2 * p)) & 3) === Tag.Empty) emptyMask |= 1 << p;
  retag(m.st, emptyMask);
  syncErrorSummary(m.st);
}

function fnstenv(m: Machine, insn: Insn): void {
  const addr = memAddress(m, insn, insn.ops[0]!);
  m.mem.writeBytes(addr, environmentImage(m, envLayout(insn)));
  // FNSTENV masks all exceptions after storing the environment.
  setFpuControl(m.st, fpuControl(m.st) | Sw.ExceptionFlags);
  syncErrorSummary(m.st);
}

function fldenv(m: Machine, insn: Insn): void {
  const layout = envLayout(insn);
  loadEnvironment(m, m.mem.readBytes(memAddress(m, insn, insn.ops[0]!), layout.size), layout);
}

function fnsave(m: Machine, insn: Insn): void {
  const addr = memAddress(m, insn, insn.ops[0]!);
  const layout = envLayout(insn);
  const b = new Uint8Array(layout.size + 80);
  b.set(environmentImage(m, layout));
  const top = fpuTop(m.st);
  for (let i = 0; i < 8; i++) f80ToBytes(readPhysical(m.st, (top + i) & 7), b, layout.size + 10 * i);
  m.mem.writeBytes(addr, b);
  initialize(m.st);
}

function frstor(m: Machine, insn: Insn): void {
  const layout = envLayout(insn);
  const b = m.mem.readBytes(memAddress(m, insn, insn.ops[0]!), layout.size + 80);
  const top = (new DataView(b.buffer).getUint16(layout.field, true) >> 11) & 7;
  for (let i = 0; i < 8; i++) writePhysicalBits(m.st, (top + i) & 7, f80FromBytes(b, layout.size + 10 * i));
  loadEnvironment(m, b, layout);
}

/** FXSAVE/FXRSTOR need a 16-byte aligned operand; Windows reports the #GP as an access violation (address unknown: -1). */
function fxAddress(m: Machine, insn: Insn): number {
  const addr = memAddress(m, insn, insn.ops[0]!);
  if (addr % 16 !== 0) throw new GuestFault(ExceptionCode.AccessViolation, -1, 0, 'FXSAVE/FXRSTOR operand not 16-byte aligned');
  return addr;
}

function fxsave(m: Machine, insn: Insn): void {
  const addr = fxAddress(m, insn);
  const st = m.st;
  probeWrite(m, addr, 416);
  const b = new Uint8Array(416);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, fpuControl(st), true);
  dv.setUint16(2, fpuStatus(st), true);
  let abridged = 0;
  for (let p = 0; p < 8; p++) if (physicalTag(st, p) !== Tag.Empty) abridged |= 1 << p;
  b[4] = abridged;
  dv.setUint32(24, st.mxcsr, true);
  dv.setUint32(28, MXCSR_MASK, true);
  const top = fpuTop(st);
  for (let i = 0; i < 8; i++) f80ToBytes(readPhysical(st, (top + i) & 7), b, 32 + 16 * i);
  b.set(st.u8.subarray(st.xmmAddr(0) - st.u8.byteOffset, st.xmmAddr(0) - st.u8.byteOffset + 256), 160);
  m.mem.writeBytes(addr, b);
}

function fxrstor(m: Machine, insn: Insn): void {
  const addr = fxAddress(m, insn);
  const st = m.st;
  const b = m.mem.readBytes(addr, 416);
  const dv = new DataView(b.buffer);
  const mxcsr = dv.getUint32(24, true);
  if (mxcsr & ~MXCSR_MASK) throw new GuestFault(ExceptionCode.AccessViolation, -1, 0, 'FXRSTOR with reserved MXCSR bits set');
  loadControl(st, dv.getUint16(0, true));
  setFpuStatus(st, dv.getUint16(2, true));
  const top = (dv.getUint16(2, true) >> 11) & 7;
  for (let i = 0; i < 8; i++) writePhysicalBits(st, (top + i) & 7, f80FromBytes(b, 32 + 16 * i));
  retag(st, ~b[4]! & 0xff);
  // ES and B follow from the loaded exception flags and masks, not from the image's bits.
  syncErrorSummary(st);
  st.mxcsr = mxcsr;
  st.u8.set(b.subarray(160, 416), st.xmmAddr(0) - st.u8.byteOffset);
}

/** The waiting forms (FSTCW, FSTSW, ...) first deliver pending unmasked exceptions. */
function waiting(h: (m: Machine, insn: Insn) => void) {
  return (m: Machine, insn: Insn): void => { checkPending(m.st); h(m, insn); };
}

export const controlHandlers: HandlerTable = {
  Fldcw: waiting(fldcw),
  Fnstcw: fnstcw,
  Fstcw: waiting(fnstcw),
  Fnstsw: fnstsw,
  Fstsw: waiting(fnstsw),
  Fnclex: fnclex,
  Fclex: waiting(fnclex),
  Fninit: (m) => initialize(m.st),
  Finit: waiting((m) => initialize(m.st)),
  Fnstenv: fnstenv,
  Fstenv: waiting(fnstenv),
  Fldenv: fldenv,
  Fnsave: fnsave,
  Fsave: waiting(fnsave),
  Frstor: frstor,
  Fxsave: fxsave,
  Fxsave64: fxsave,
  Fxrstor: fxrstor,
  Fxrstor64: fxrstor,
  Wait: (m) => checkPending(m.st),
  Fnop: (m) => checkPending(m.st),
};

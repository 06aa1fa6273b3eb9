// Moving register state between the CPU state block and a guest CONTEXT record.
//
// writeContext fills a CONTEXT the way RtlCaptureContext does (integer, control,
// segment and floating-point parts, FXSAVE layout for x87/SSE). readContext installs
// one: general registers, RIP, RFLAGS, MXCSR, XMM0-15 and the x87 control word. The
// rest of the x87 state is left as it is: the Win64 ABI keeps the x87 stack empty
// across calls, so every context the dispatcher installs (a catch target, a resumed
// fault) agrees with it, and rewriting tags from an FXSAVE image would only lose the
// interpreter's exact tag values.

import { Off, type CpuState } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';
import { Ctx, FxSave, CONTEXT_ALL_CAPTURED } from './layout.js';

const RFLAGS_WRITABLE = 0x3f0fd5; // CF PF AF ZF SF TF IF DF OF and the upper system bits user mode may set

export function writeContext(mem: GuestMemory, at: number, st: CpuState): void {
  mem.fill(at, 0, Ctx.size);
  mem.write32(at + Ctx.contextFlags, CONTEXT_ALL_CAPTURED);
  mem.write32(at + Ctx.mxCsr, st.mxcsr);
  mem.write16(at + Ctx.segCs, 0x33);
  for (const off of [Ctx.segDs, Ctx.segEs, Ctx.segSs, Ctx.segGs]) mem.write16(at + off, 0x2b);
  mem.write16(at + Ctx.segFs, 0x53);
  mem.write32(at + Ctx.eFlags, st.rflags);
  for (let r = 0; r < 16; r++) mem.write64Parts(at + Ctx.gpr + 8 * r, st.lo(r), st.hi(r));
  mem.writePtr(at + Ctx.rip, st.rip);
  const fx = at + Ctx.fltSave;
  const control = st.dv.getUint16(Off.fpuControl, true);
  const status = st.dv.getUint16(Off.fpuStatus, true);
  const tag = st.dv.getUint16(Off.fpuTag, true);
  mem.write16(fx + FxSave.controlWord, control);
  mem.write16(fx + FxSave.statusWord, status);
  let abridged = 0;
  for (let i = 0; i < 8; i++) if (((tag >> (2 * i)) & 3) !== 3) abridged |= 1 << i;
  mem.write8(fx + FxSave.tagWord, abridged);
  mem.write32(fx + FxSave.mxCsr, st.mxcsr);
  mem.write32(fx + FxSave.mxCsrMask, 0xffff);
  const top = (status >> 11) & 7;
  for (let i = 0; i < 8; i++) {
    const phys = st.stAddr((top + i) & 7);
    mem.writeBytes(fx + FxSave.st + 16 * i, st.u8.subarray(phys - st.u8.byteOffset, phys - st.u8.byteOffset + 10));
  }
  for (let i = 0; i < 16; i++) {
    const x = st.xmmAddr(i) - st.u8.byteOffset;
    mem.writeBytes(at + Ctx.xmm + 16 * i, st.u8.subarray(x, x + 16));
  }
}

export function readContext(mem: GuestMemory, at: number, st: CpuState): void {
  for (let r = 0; r < 16; r++) st.set64(r, mem.read32(at + Ctx.gpr + 8 * r), mem.read32(at + Ctx.gpr + 8 * r + 4));
  st.rip = mem.readPtr(at + Ctx.rip);
  st.rflags = (mem.read32(at + Ctx.eFlags) & RFLAGS_WRITABLE) | 0x2;
  st.mxcsr = mem.read32(at + Ctx.mxCsr) & 0xffff;
  st.dv.setUint16(Off.fpuControl, mem.read16(at + Ctx.fltSave + FxSave.controlWord), true);
  for (let i = 0; i < 16; i++) st.u8.set(mem.readBytes(at + Ctx.xmm + 16 * i, 16), st.xmmAddr(i) - st.u8.byteOffset);
}

/** A CONTEXT's register n (0 = RAX ... 15 = R15) as a number (addresses) or as two halves. */
export function ctxReg(mem: GuestMemory, ctx: number, r: number): number { return mem.readPtr(ctx + Ctx.gpr + 8 * r); }
export function setCtxReg(mem: GuestMemory, ctx: number, r: number, v: number): void { mem.writePtr(ctx + Ctx.gpr + 8 * r, v); }
export function ctxRip(mem: GuestMemory, ctx: number): number { return mem.readPtr(ctx + Ctx.rip); }
export function setCtxRip(mem: GuestMemory, ctx: number, v: number): void { mem.writePtr(ctx + Ctx.rip, v); }
export const RSP = 4;

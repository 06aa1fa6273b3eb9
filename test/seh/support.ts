// Shared helpers for the SEH tests: a guest address space with an "image" (code,
// unwind info, .pdata), a stack and a CONTEXT, and builders for unwind data.

import { GuestMemory, Prot } from '../../src/mem/memory.js';
import { CpuState } from '../../src/cpu/state.js';
import { Ctx } from '../../src/seh/layout.js';

export const IMAGE = 0x40_0000;
export const CODE = IMAGE + 0x1000;
export const XDATA = IMAGE + 0x8000;
export const PDATA = IMAGE + 0xc000;
export const STACK_LOW = 0x10_0000;
export const STACK_HIGH = 0x14_0000;
export const CONTEXT = 0x50_0000;
export const POINTERS = 0x50_1000;

export function machine(): { mem: GuestMemory; st: CpuState } {
  const mem = new GuestMemory();
  const st = new CpuState(mem.buffer);
  st.reset();
  mem.map(IMAGE, 0x10000, Prot.RWX);
  mem.map(STACK_LOW, STACK_HIGH - STACK_LOW, Prot.RW);
  mem.map(CONTEXT, 0x2000, Prot.RW);
  return { mem, st };
}

/** One unwind code slot: prolog offset, operation, operation info. */
export const code = (offset: number, op: number, info: number): number => offset | (op << 8) | (info << 12);

export interface InfoSpec {
  version?: number;
  flags?: number;
  prolog: number;
  frameRegister?: number;
  /** In units of 16 bytes, as stored. */
  frameOffset?: number;
  slots: number[];
  /** 32-bit words after the (even-padded) slots: handler RVA + data, or a chained RUNTIME_FUNCTION. */
  tail?: number[];
}

export function writeUnwindInfo(mem: GuestMemory, at: number, s: InfoSpec): number {
  const n = s.slots.length;
  mem.write8(at, (s.version ?? 1) | ((s.flags ?? 0) << 3));
  mem.write8(at + 1, s.prolog);
  mem.write8(at + 2, n);
  mem.write8(at + 3, (s.frameRegister ?? 0) | ((s.frameOffset ?? 0) << 4));
  s.slots.forEach((v, i) => mem.write16(at + 4 + 2 * i, v));
  const tail = at + 4 + 2 * (n + (n & 1));
  (s.tail ?? []).forEach((v, i) => mem.write32(tail + 4 * i, v >>> 0));
  return tail;
}

/** Writes RUNTIME_FUNCTION i of the .pdata table (RVAs relative to IMAGE). */
export function writeFunction(mem: GuestMemory, i: number, begin: number, end: number, unwind: number): number {
  const at = PDATA + 12 * i;
  mem.write32(at, begin - IMAGE);
  mem.write32(at + 4, end - IMAGE);
  mem.write32(at + 8, unwind - IMAGE);
  return at;
}

export const reg = (mem: GuestMemory, r: number): bigint => mem.read64(CONTEXT + Ctx.gpr + 8 * r);
export const rip = (mem: GuestMemory): number => mem.readPtr(CONTEXT + Ctx.rip);
export const xmm = (mem: GuestMemory, n: number): string => Buffer.from(mem.readBytes(CONTEXT + Ctx.xmm + 16 * n, 16)).toString('hex');

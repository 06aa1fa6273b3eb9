// What an instruction handler sees: the CPU state and guest memory, plus the shared
// effective-address computation. Handlers for every instruction family (integer,
// SSE, x87) are written against this, each family in its own file.

import type { CpuState } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';
import type { Insn, Operand } from '../x86/insn.js';
import { Seg } from '../x86/insn.js';

export interface Machine {
  readonly st: CpuState;
  readonly mem: GuestMemory;
}

/**
 * Executes one decoded instruction. Handlers never read or write RIP unless they
 * transfer control: the interpreter keeps RIP at the start of the block while it
 * runs, and control-transfer handlers set `st.rip` to the next address themselves
 * (the fall-through address is `insn.addr + insn.len`). On a fault a handler throws
 * GuestFault before changing any architectural state that the fault must preserve.
 */
export type Handler = (m: Machine, insn: Insn) => void;

/** A table of handlers keyed by iced-x86 mnemonic name. */
export type HandlerTable = Record<string, Handler>;

const TWO32 = 0x1_0000_0000;

/**
 * The guest address a memory operand refers to: the offset with 64-bit wrap-around (or
 * truncated to 32 bits with an address-size prefix), plus the FS/GS base when the operand
 * names one, with 64-bit wrap-around. The base is added after the truncation, as the
 * CPU does: a 67-prefixed GS operand reaches GS base + a 32-bit offset, even above 4 GiB.
 * Results at or above 4 GiB come back as numbers at or above 2^32, which the memory
 * layer rejects as access violations.
 */
export function effectiveAddress(st: CpuState, op: Operand, addrSize: number): number {
  const off = addressOffset(st, op, addrSize);
  if (op.seg === Seg.Gs) return wrap64(off + st.gsBase);
  if (op.seg === Seg.Fs) return wrap64(off + st.fsBase);
  return off;
}

const TWO64 = 2 ** 64;
function wrap64(a: number): number { return a >= TWO64 ? a - TWO64 : a; }

/** The operand's offset (base + index * scale + disp) without a segment base. */
function addressOffset(st: CpuState, op: Operand, addrSize: number): number {
  const u32 = st.u32;
  const g = st.gprIndex;
  let lo = op.disp >>> 0;
  let hi = op.disp < 0 ? 0xffffffff : 0;
  // RIP-relative operands arrive pre-resolved (absolute `disp`, possibly >= 2^31).
  if (op.ripRelative) { lo = op.disp >>> 0; hi = Math.floor(op.disp / TWO32) >>> 0; }
  if (op.base >= 0) {
    lo += u32[g + 2 * op.base]!;
    hi += u32[g + 2 * op.base + 1]!;
  }
  if (op.index >= 0) {
    lo += u32[g + 2 * op.index]! * op.scale;
    hi += u32[g + 2 * op.index + 1]! * op.scale;
  }
  if (addrSize === 4) return lo >>> 0;
  hi = (hi + Math.floor(lo / TWO32)) >>> 0;
  lo = lo >>> 0;
  return hi === 0 ? lo : hi * TWO32 + lo;
}

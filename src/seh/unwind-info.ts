// UNWIND_INFO, decoded from guest memory: the header, the unwind codes as
// (prolog offset, operation, operation info, extra slots), and what follows them
// (the language handler and its data, or the chained RUNTIME_FUNCTION).

import type { GuestMemory } from '../mem/memory.js';
import { UnwFlag, UnwindOp } from './layout.js';

export class BadUnwindInfo extends Error {
  constructor(message: string) { super(message); this.name = 'BadUnwindInfo'; }
}

export interface UnwindCode {
  /** Offset from the function start of the end of the prolog instruction this code describes. */
  readonly offset: number;
  readonly op: number;
  readonly info: number;
  /** Index of the first slot (for the operand slots that follow). */
  readonly slot: number;
}

export interface UnwindInfo {
  readonly address: number;
  readonly version: number;
  readonly flags: number;
  readonly prologSize: number;
  readonly frameRegister: number;
  /** Scaled: the byte offset (FrameOffset * 16). */
  readonly frameOffset: number;
  readonly codes: readonly UnwindCode[];
  /** Raw 16-bit slots (operands are read from here). */
  readonly slots: Uint16Array;
  /** Address right after the slot array (padded to an even count): handler RVA or chained entry. */
  readonly tail: number;
}

/** Number of 16-bit slots an operation occupies, including itself. */
export function slotCount(op: number, info: number): number {
  switch (op) {
    case UnwindOp.PUSH_NONVOL: case UnwindOp.ALLOC_SMALL: case UnwindOp.SET_FPREG: case UnwindOp.PUSH_MACHFRAME: return 1;
    case UnwindOp.ALLOC_LARGE: return info === 0 ? 2 : 3;
    case UnwindOp.SAVE_NONVOL: case UnwindOp.SAVE_XMM128: return 2;
    case UnwindOp.SAVE_NONVOL_FAR: case UnwindOp.SAVE_XMM128_FAR: return 3;
    case UnwindOp.EPILOG: return 2;
    case UnwindOp.SPARE: return 3;
    default: throw new BadUnwindInfo(`unknown unwind operation ${op}`);
  }
}

export function readUnwindInfo(mem: GuestMemory, address: number): UnwindInfo {
  const b0 = mem.read8(address);
  const version = b0 & 7;
  const flags = b0 >> 3;
  if (version !== 1 && version !== 2) throw new BadUnwindInfo(`unwind info at 0x${address.toString(16)} has version ${version}`);
  const prologSize = mem.read8(address + 1);
  const count = mem.read8(address + 2);
  const b3 = mem.read8(address + 3);
  const slots = new Uint16Array(count);
  for (let i = 0; i < count; i++) slots[i] = mem.read16(address + 4 + 2 * i);
  const codes: UnwindCode[] = [];
  for (let i = 0; i < count;) {
    const s = slots[i]!;
    const op = (s >> 8) & 0xf;
    const info = s >> 12;
    const n = slotCount(op, info);
    if (i + n > count) throw new BadUnwindInfo(`unwind code ${i} at 0x${address.toString(16)} runs past the code array`);
    codes.push({ offset: s & 0xff, op, info, slot: i });
    i += n;
  }
  return {
    address, version, flags, prologSize, frameRegister: b3 & 0xf, frameOffset: (b3 >> 4) * 16,
    codes, slots, tail: address + 4 + 2 * (count + (count & 1)),
  };
}

/** The 16-bit operand slot `k` after code `c` (k = 1 is the first). */
export function operand16(u: UnwindInfo, c: UnwindCode, k: number): number { return u.slots[c.slot + k]!; }
/** The 32-bit operand in slots 1..2 after code `c`. */
export function operand32(u: UnwindInfo, c: UnwindCode): number { return (u.slots[c.slot + 1]! | (u.slots[c.slot + 2]! << 16)) >>> 0; }

export function hasHandler(u: UnwindInfo): boolean {
  return (u.flags & UnwFlag.CHAININFO) === 0 && (u.flags & (UnwFlag.EHANDLER | UnwFlag.UHANDLER)) !== 0;
}

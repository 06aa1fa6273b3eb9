// The decoded-instruction model: one fixed shape for every instruction, produced by the
// decoder and consumed by the interpreter, the lifter, the formatter and the tests.
//
// Mnemonics are iced-x86's `Mnemonic` enum names as strings ("Add", "Movsd", "Cmovne",
// "Cmpxchg16b", ...), so the decoder can be checked against iced-x86 name for name.
// Engines map the mnemonic to a handler once, when a block is decoded, so the string
// costs nothing per execution.

export const enum OpKind {
  None = 0,
  /** A register; see `regClass`. */
  Reg = 1,
  /** A memory operand; address = seg base + base + index*scale + disp (base -1: none). */
  Mem = 2,
  /** An immediate, already extended to the operand's `size` as the instruction defines. */
  Imm = 3,
  /** A direct branch target; `disp` holds the absolute target address. */
  Rel = 4,
}

export const enum RegClass {
  /** 64/32/16/8-bit general registers; with size 1, reg 4..7 mean SPL..DIL (REX present). */
  Gpr = 0,
  /** AH, CH, DH, BH (size 1, no REX): reg 4..7 mean the high byte of reg-4. */
  GprHigh8 = 1,
  Xmm = 2,
  /** x87 ST(i): `reg` is i, relative to TOP. */
  St = 3,
  Seg = 4,
}

/** Segment override that matters in 64-bit mode. */
export const enum Seg { None = 0, Fs = 4, Gs = 5 }

/** Base register value meaning "RIP-relative" before resolution; decoders resolve it. */
export const NO_REG = -1;

export interface Operand {
  kind: OpKind;
  /**
   * Size in bytes of the value the instruction reads or writes through this operand:
   * 1, 2, 4, 8 for integers; 4/8 for scalar float memory; 16 for XMM/m128; 10 for m80;
   * for x87 memory operands the memory size (2, 4, 8, 10); 0 for LEA's memory operand
   * and for operands whose size has no meaning.
   */
  size: number;
  /** Register number (Reg kind). */
  reg: number;
  regClass: RegClass;
  /** Memory: base register 0..15 or NO_REG. */
  base: number;
  /** Memory: index register 0..15 or NO_REG. */
  index: number;
  /** Memory: 1, 2, 4 or 8. */
  scale: number;
  /**
   * Memory: signed displacement. For RIP-relative operands the decoder has already
   * added the next instruction's address, so `disp` is the absolute address and
   * `base` is NO_REG; `ripRelative` is set for formatting.
   * Rel: absolute target address.
   */
  disp: number;
  ripRelative: boolean;
  seg: Seg;
  /** Imm: low 32 bits, unsigned. */
  immLo: number;
  /** Imm: high 32 bits, unsigned (sign extension already applied where the instruction specifies it). */
  immHi: number;
}

/** How an instruction can change control flow; anything but None ends a basic block. */
export const enum Flow {
  None = 0,
  Jump = 1,
  CondJump = 2,
  IndirectJump = 3,
  Call = 4,
  IndirectCall = 5,
  Return = 6,
  /** INT3, UD2, HLT, INT n, unsupported encodings: stop here and raise. */
  Trap = 7,
  /** SYSCALL, INT n and other transfers into a kernel: never executed, always a fault. */
  Syscall = 8,
}

export const enum Rep { None = 0, Rep = 1, Repne = 2 }

export interface Insn {
  /** Guest address of the first byte. */
  addr: number;
  /** Length in bytes (1..15). */
  len: number;
  /** iced-x86 Mnemonic name, or "INVALID" for an encoding we do not support. */
  mnemonic: string;
  /** Effective operand size for general-purpose semantics: 1, 2, 4 or 8. */
  opSize: number;
  /** Effective address size: 4 (0x67 prefix) or 8. */
  addrSize: number;
  /** Operands in Intel order (destination first). Unused slots are not present. */
  ops: Operand[];
  rep: Rep;
  lock: boolean;
  /** Condition code 0..15 (O, NO, B, AE, E, NE, BE, A, S, NS, P, NP, L, GE, LE, G) for Jcc/SETcc/CMOVcc/FCMOVcc, else -1. */
  cond: number;
  flow: Flow;
  /** The raw bytes (for error messages and formatting). */
  bytes: Uint8Array;
}

export const COND_SUFFIX = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;

/** Thrown by the decoder only when the bytes run out (the caller fetched too few). */
export class DecodeTruncated extends Error {
  constructor(readonly addr: number) { super(`instruction at 0x${addr.toString(16)} runs past the readable bytes`); }
}

export function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

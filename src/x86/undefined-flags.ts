// The RFLAGS bits the Intel SDM leaves undefined after each instruction. Differential
// tests mask exactly these bits when comparing engines with the real CPU; every other
// flag is compared. Flags that depend on a shift/rotate count are described by the
// count-dependent fields of the rule.

const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;
export const ALL_ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;

export interface UndefinedFlagsRule {
  /** Undefined whenever the instruction executes (for shifts: whenever the masked count is non-zero). */
  always: number;
  /** Shifts/rotates: extra bits undefined when the masked count is greater than 1. */
  countAbove1?: number;
  /** SHL/SHR: extra bits undefined when the masked count is at least the operand width. */
  countAtLeastWidth?: number;
  /** SHLD/SHRD: extra bits undefined when the masked count exceeds the operand width. */
  countAboveWidth?: number;
  /** Shifts/rotates: a masked count of zero leaves every flag unchanged (nothing undefined). */
  shift?: boolean;
}

/** SDM "Flags Affected" sections, instruction by instruction. */
export const UNDEFINED_FLAGS: Readonly<Record<string, UndefinedFlagsRule>> = {
  // Logic: OF and CF cleared, SF ZF PF from the result, AF undefined.
  And: { always: AF }, Or: { always: AF }, Xor: { always: AF }, Test: { always: AF },
  // Multiply: CF and OF defined, SF ZF AF PF undefined.
  Mul: { always: SF | ZF | AF | PF }, Imul: { always: SF | ZF | AF | PF },
  // Divide: all six undefined.
  Div: { always: ALL_ARITH_FLAGS }, Idiv: { always: ALL_ARITH_FLAGS },
  // Shifts: AF undefined for a non-zero count, OF only defined for 1-bit shifts, CF
  // undefined for SHL/SHR when the count reaches the operand width.
  Shl: { always: AF, countAbove1: OF, countAtLeastWidth: CF, shift: true },
  Sal: { always: AF, countAbove1: OF, countAtLeastWidth: CF, shift: true },
  Shr: { always: AF, countAbove1: OF, countAtLeastWidth: CF, shift: true },
  Sar: { always: AF, countAbove1: OF, shift: true },
  // Rotates: only CF and OF affected, OF undefined for counts other than 1.
  Rol: { always: 0, countAbove1: OF, shift: true }, Ror: { always: 0, countAbove1: OF, shift: true },
  Rcl: { always: 0, countAbove1: OF, shift: true }, Rcr: { always: 0, countAbove1: OF, shift: true },
  // Double shifts: AF undefined, OF undefined above 1; a count above the width leaves
  // the result and every flag undefined.
  Shld: { always: AF, countAbove1: OF, countAboveWidth: ALL_ARITH_FLAGS, shift: true },
  Shrd: { always: AF, countAbove1: OF, countAboveWidth: ALL_ARITH_FLAGS, shift: true },
  // Bit tests: CF is the bit, ZF unaffected, the rest undefined.
  Bt: { always: OF | SF | AF | PF }, Bts: { always: OF | SF | AF | PF },
  Btr: { always: OF | SF | AF | PF }, Btc: { always: OF | SF | AF | PF },
  // Bit scans: only ZF defined.
  Bsf: { always: CF | OF | SF | AF | PF }, Bsr: { always: CF | OF | SF | AF | PF },
  // TZCNT/LZCNT: CF and ZF defined.
  Tzcnt: { always: OF | SF | AF | PF }, Lzcnt: { always: OF | SF | AF | PF },
};

/**
 * The undefined RFLAGS bits after `mnemonic`. For shifts and rotates pass the raw
 * count and the operand size in bytes.
 */
export function undefinedFlags(mnemonic: string, shift?: { count: number; size: number }): number {
  const rule = UNDEFINED_FLAGS[mnemonic];
  if (rule === undefined) return 0;
  if (!rule.shift || shift === undefined) return rule.always;
  const width = shift.size * 8;
  const n = shift.count & (shift.size === 8 ? 63 : 31);
  if (n === 0) return 0;
  let bits = rule.always;
  if (n > 1) bits |= rule.countAbove1 ?? 0;
  if (n >= width) bits |= rule.countAtLeastWidth ?? 0;
  if (n > width) bits |= rule.countAboveWidth ?? 0;
  return bits;
}

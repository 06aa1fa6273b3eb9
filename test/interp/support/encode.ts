// A tiny encoder for the integer instruction forms the differential tests generate:
// [66] [mandatory prefix] [REX.W] opcode ModRM [imm], with the r/m operand either a
// register (mod 3) or [rbx] (mod 0, rm 3). No REX.R/B, so byte registers 4..7 are
// AH CH DH BH: the high-byte registers get exercised too.

export interface FormSpec {
  /** Operand size in bytes (selects 66 / REX.W). */
  size: number;
  opcode: number[];
  /** ModRM.reg: a register number or an opcode extension (/digit); undefined: no ModRM. */
  reg?: number;
  /** Register number for mod 3, or 'mem' for [base] (default [rbx]). */
  rm?: number | 'mem';
  /** Base register of the memory operand (not 4 or 5, which need SIB/disp). */
  base?: number;
  /** Bytes emitted before 66/REX (F3 for TZCNT/LZCNT/POPCNT, F2/F3 for REP...). */
  prefix?: number[];
  /** Immediate value and its size in bytes. */
  imm?: { value: bigint | number; size: number };
  /** Force REX.W even when size is not 8 (unused by default). */
  rexW?: boolean;
  /** Omit the operand-size prefix even for size 2 (forms whose size comes from the opcode). */
  no66?: boolean;
}

export function encode(f: FormSpec): Uint8Array {
  const out: number[] = [];
  if (f.size === 2 && !f.no66) out.push(0x66);
  if (f.prefix) out.push(...f.prefix);
  if (f.size === 8 || f.rexW) out.push(0x48);
  out.push(...f.opcode);
  if (f.reg !== undefined) {
    const rm = f.rm ?? 0;
    out.push(rm === 'mem' ? ((f.reg & 7) << 3) | ((f.base ?? 3) & 7) : 0xc0 | ((f.reg & 7) << 3) | (rm & 7));
  }
  if (f.imm) {
    let v = BigInt.asUintN(64, BigInt(f.imm.value));
    for (let i = 0; i < f.imm.size; i++) { out.push(Number(v & 0xffn)); v >>= 8n; }
  }
  return Uint8Array.from(out);
}

/** A deterministic PRNG so every run generates the same cases. */
export { prng as rng } from '../../support/prng.js';

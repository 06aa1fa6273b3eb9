// The test-case and result shapes shared by the native-CPU oracle (cpu.ts) and the
// wexe-side runner (emu.ts), plus small helpers for building register values.
//
// A case is a few instructions (1..64 bytes) run from CODE_ADDRESS with the given
// registers; memory operands must point at the 4 KiB scratch page at SCRATCH_ADDRESS
// (set a register to it, e.g. `gpr: { rbx: SCRATCH_ADDRESS }`). Everything below 4 GiB
// other than those two pages is unmapped on both sides, so a load from e.g. 0x1000
// faults identically natively and in wexe.

export const SCRATCH_ADDRESS = 0x1000_0000;
export const SCRATCH_SIZE = 0x1000;
export const CODE_ADDRESS = 0x2000_0000;
export const MAX_CODE_BYTES = 64;
/**
 * The GS base while a case runs, on both sides: GS-prefixed operands address the scratch
 * page at their offset. (FS holds glibc's thread pointer in the harness: FS overrides are
 * refused.)
 */
export const GS_BASE = SCRATCH_ADDRESS;

/** Arithmetic status flags plus DF: the RFLAGS bits a case may set and results compare. */
export const CASE_FLAGS = 0xcd5;
/** Bits always set in RFLAGS while a case runs (reserved bit 1 and IF). */
export const FIXED_FLAGS = 0x202;
/** x87 control word used when a case gives none: FNINIT's (all masked, 64-bit precision). */
export const DEFAULT_FPU_CONTROL = 0x037f;
export const DEFAULT_MXCSR = 0x1f80;

export const GPR_INDEX = {
  rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7,
  r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15,
} as const;
export type GprName = keyof typeof GPR_INDEX;

/** A register value: bigint, or a non-negative safe integer, or a negative one (two's complement). */
export type RegValue = bigint | number;

export interface X87Input {
  /** Control word; default 0x037F. */
  control?: number;
  /** Status word without TOP (exception flags, condition codes); default 0. */
  status?: number;
  /** TOP (0..7); default 0. */
  top?: number;
  /** ST(0), ST(1), ... as 10-byte little-endian extended values; given entries are valid, the rest empty. */
  st?: Uint8Array[];
  /** Overrides which ST(i) are valid (bit i = ST(i)); default: the first st.length. */
  tagValid?: number;
}

export interface CpuCase {
  /** Instruction bytes, 1..64; must decode completely (see safety.ts for what is refused). */
  code: Uint8Array;
  /**
   * RAX..R15 by number or by name; unset registers are 0. RSP (index 4) is the case's own
   * stack pointer: 0 (no stack), or an address in the scratch page for cases that push,
   * pop, call or return (safety.ts); the harness's stack is never the case's.
   */
  gpr?: readonly (RegValue | undefined)[] | Partial<Record<GprName, RegValue>>;
  /** Only CF PF AF ZF SF OF DF (0xCD5); bits 1 and IF (0x202) are accepted and always set. */
  rflags?: number;
  /** XMM0..XMM15, 16 bytes each; missing ones are zero. */
  xmm?: readonly (Uint8Array | undefined)[];
  /** Default 0x1F80. */
  mxcsr?: number;
  x87?: X87Input;
  /** Initial scratch page contents (up to 4096 bytes, rest zero); default all zero. */
  scratch?: Uint8Array;
  /** Shown in diffs. */
  name?: string;
}

export type FaultSignal = 'SIGFPE' | 'SIGILL' | 'SIGSEGV' | 'SIGBUS' | 'SIGTRAP';

export interface X87State {
  control: number;
  /** Status word including TOP in bits 11..13. */
  status: number;
  /** Full tag word, 2 bits per physical register (00 valid, 01 zero, 10 special, 11 empty). */
  tag: number;
  /** ST(0)..ST(7), 10 bytes each (contents of empty registers included). */
  st: Uint8Array[];
}

export interface CpuResult {
  /** Set when the case faulted; all registers then hold the state at the fault. */
  fault?: FaultSignal;
  /** For page faults (SIGSEGV/SIGBUS) the data address; absent for #GP and other faults. */
  faultAddress?: bigint;
  /** Offset from CODE_ADDRESS of the faulting instruction (for INT3: the INT3 itself). */
  faultOffset?: number;
  /** RAX..R15 (RSP included: the case's stack pointer). */
  gpr: bigint[];
  rflags: number;
  xmm: Uint8Array[];
  mxcsr: number;
  x87: X87State;
  scratch: Uint8Array;
}

// ---- normalising a case -----------------------------------------------------------------

/** The case's 16 GPR values and which were given explicitly. */
export function caseGprs(c: CpuCase): { values: bigint[]; given: boolean[] } {
  const values = new Array<bigint>(16).fill(0n);
  const given = new Array<boolean>(16).fill(false);
  const set = (i: number, v: RegValue | undefined, label: string): void => {
    if (v === undefined) return;
    values[i] = toU64(v, label);
    given[i] = true;
  };
  if (Array.isArray(c.gpr)) {
    const arr = c.gpr as readonly (RegValue | undefined)[];
    if (arr.length > 16) throw new Error('gpr has more than 16 entries');
    arr.forEach((v, i) => set(i, v, `gpr[${i}]`));
  } else if (c.gpr) {
    for (const [name, v] of Object.entries(c.gpr as Record<string, RegValue>)) {
      const i = (GPR_INDEX as Record<string, number>)[name];
      if (i === undefined) throw new Error(`unknown register name ${name} (use rax..r15, lower case)`);
      set(i, v, name);
    }
  }
  return { values, given };
}

export function toU64(v: RegValue, label = 'value'): bigint {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`${label}: ${v} is not a safe integer; pass a bigint`);
    v = BigInt(v);
  }
  if (v < -(1n << 63n) || v >= 1n << 64n) throw new Error(`${label}: ${v} does not fit in 64 bits`);
  return BigInt.asUintN(64, v);
}

export function caseRflags(c: CpuCase): number {
  const f = c.rflags ?? 0;
  if ((f & ~(CASE_FLAGS | FIXED_FLAGS)) !== 0) {
    throw new Error(`rflags 0x${f.toString(16)}: only CF PF AF ZF SF OF DF (0xcd5) may be set by a case`);
  }
  return (f & CASE_FLAGS) | FIXED_FLAGS;
}

export function caseMxcsr(c: CpuCase): number {
  const m = c.mxcsr ?? DEFAULT_MXCSR;
  if (!Number.isInteger(m) || m < 0 || m > 0xffff) throw new Error(`mxcsr 0x${m.toString(16)} sets reserved bits`);
  return m;
}

export function caseXmm(c: CpuCase, n: number): Uint8Array {
  const v = c.xmm?.[n];
  if (v === undefined) return new Uint8Array(16);
  if (v.length !== 16) throw new Error(`xmm${n} must be 16 bytes, got ${v.length}`);
  return v;
}

export interface NormalX87 { control: number; status: number; top: number; st: Uint8Array[]; validSt: number }

export function caseX87(c: CpuCase): NormalX87 {
  const x = c.x87 ?? {};
  const st: Uint8Array[] = [];
  for (let i = 0; i < 8; i++) {
    const v = x.st?.[i];
    if (v !== undefined && v.length !== 10) throw new Error(`x87 st[${i}] must be 10 bytes, got ${v.length}`);
    st.push(v ?? new Uint8Array(10));
  }
  if ((x.st?.length ?? 0) > 8) throw new Error('x87 st has more than 8 entries');
  const top = x.top ?? 0;
  if (!(top >= 0 && top <= 7)) throw new Error(`x87 top ${top} is not 0..7`);
  const validSt = x.tagValid ?? ((1 << (x.st?.length ?? 0)) - 1);
  return { control: x.control ?? DEFAULT_FPU_CONTROL, status: (x.status ?? 0) & ~0x3800, top, st, validSt: validSt & 0xff };
}

export function caseScratch(c: CpuCase): Uint8Array {
  const s = new Uint8Array(SCRATCH_SIZE);
  if (c.scratch) {
    if (c.scratch.length > SCRATCH_SIZE) throw new Error(`scratch is ${c.scratch.length} bytes; at most ${SCRATCH_SIZE}`);
    s.set(c.scratch);
  }
  return s;
}

// ---- x87 tag word --------------------------------------------------------------------

/** The 2-bit tag the hardware derives from an 80-bit value's contents (as FXRSTOR/FSTENV do). */
export function classifyF80(v: Uint8Array): number {
  const exp = (v[8]! | (v[9]! << 8)) & 0x7fff;
  let mantissaZero = true;
  for (let i = 0; i < 8; i++) if (v[i] !== 0) { mantissaZero = false; break; }
  const integerBit = (v[7]! & 0x80) !== 0;
  if (exp === 0) return mantissaZero ? 1 : 2; // zero, or denormal (special)
  if (exp === 0x7fff) return 2; // infinity, NaN
  return integerBit ? 0 : 2; // valid, or unnormal (special)
}

/** Full tag word from the abridged (FXSAVE) one: bit p = physical register p not empty. */
export function fullTagWord(abridged: number, top: number, st: Uint8Array[]): number {
  let tag = 0;
  for (let p = 0; p < 8; p++) {
    const t = (abridged >> p) & 1 ? classifyF80(st[(p - top) & 7]!) : 3;
    tag |= t << (2 * p);
  }
  return tag;
}

// ---- value helpers for tests ------------------------------------------------------------

export function xmmF32(a: number, b = 0, c = 0, d = 0): Uint8Array {
  return new Uint8Array(new Float32Array([a, b, c, d]).buffer);
}
export function xmmF64(a: number, b = 0): Uint8Array {
  return new Uint8Array(new Float64Array([a, b]).buffer);
}
export function xmmU64(lo: bigint, hi = 0n): Uint8Array {
  return new Uint8Array(new BigUint64Array([BigInt.asUintN(64, lo), BigInt.asUintN(64, hi)]).buffer);
}
export function readF32(x: Uint8Array, lane = 0): number { return new DataView(x.buffer, x.byteOffset).getFloat32(4 * lane, true); }
export function readF64(x: Uint8Array, lane = 0): number { return new DataView(x.buffer, x.byteOffset).getFloat64(8 * lane, true); }

/** A double as an 80-bit extended value (exact: every double is representable). */
export function f80(value: number): Uint8Array {
  const out = new Uint8Array(10);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, value, true);
  const bits = dv.getBigUint64(0, true);
  const sign = Number(bits >> 63n);
  const exp = Number((bits >> 52n) & 0x7ffn);
  let frac = bits & 0xfffffffffffffn;
  let e80: number;
  let mant: bigint;
  if (exp === 0x7ff) {
    e80 = 0x7fff;
    mant = (1n << 63n) | (frac << 11n);
  } else if (exp === 0) {
    if (frac === 0n) { e80 = 0; mant = 0n; } else {
      // Denormal double: normalise into the wider exponent range.
      let e = -1022;
      while ((frac & (1n << 52n)) === 0n) { frac <<= 1n; e--; }
      e80 = e + 16383;
      mant = frac << 11n;
    }
  } else {
    e80 = exp - 1023 + 16383;
    mant = (1n << 63n) | (frac << 11n);
  }
  new DataView(out.buffer).setBigUint64(0, mant, true);
  out[8] = e80 & 0xff;
  out[9] = (e80 >> 8) | (sign << 7);
  return out;
}

/** An 80-bit extended value rounded to the nearest double (for readable test assertions). */
export function f80ToNumber(v: Uint8Array): number {
  const mant = new DataView(v.buffer, v.byteOffset).getBigUint64(0, true);
  const se = v[8]! | (v[9]! << 8);
  const sign = se & 0x8000 ? -1 : 1;
  const exp = se & 0x7fff;
  if (exp === 0x7fff) return (mant & 0x7fff_ffff_ffff_ffffn) === 0n ? sign * Infinity : NaN;
  if (exp === 0 && mant === 0n) return sign * 0;
  // Two steps so that values near the bottom of the double range do not underflow early.
  return sign * (Number(mant) * 2 ** -63) * 2 ** (Math.max(exp, 1) - 16383);
}

export function hex(v: bigint | number, width = 0): string {
  return '0x' + v.toString(16).padStart(width, '0');
}

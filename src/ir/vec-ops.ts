// The packed-integer lane operations the IR's `vop` op can stand for. Each row is a
// WebAssembly SIMD instruction whose semantics equal the SSE2 instruction the lifter
// maps to it (integer ops are deterministic; no MXCSR), named as in the wasm text
// format, with its opcode after the 0xFD prefix so both backends emit the same thing.
// `vop k, a[, b]` is row k; shift rows take their constant count from k2 (always below
// the lane width: the lifter handles larger counts). Rows are only ever appended.

export interface VecOp {
  /** wasm text name, e.g. "i32x4.add". */
  name: string;
  /** SIMD opcode (after 0xFD). */
  simd: number;
  /** 2: a, b; 1: a only (shifts: and the count k2; bitmask). */
  arity: 1 | 2;
  result: 'v128' | 'i32';
  shift?: boolean;
}

const bin = (name: string, simd: number): VecOp => ({ name, simd, arity: 2, result: 'v128' });
const shift = (name: string, simd: number): VecOp => ({ name, simd, arity: 1, result: 'v128', shift: true });
const mask = (name: string, simd: number): VecOp => ({ name, simd, arity: 1, result: 'i32' });

export const VEC_OPS: readonly VecOp[] = [
  bin('i8x16.add', 0x6e), bin('i16x8.add', 0x8e), bin('i32x4.add', 0xae), bin('i64x2.add', 0xce),
  bin('i8x16.sub', 0x71), bin('i16x8.sub', 0x91), bin('i32x4.sub', 0xb1), bin('i64x2.sub', 0xd1),
  bin('i8x16.eq', 0x23), bin('i16x8.eq', 0x2d), bin('i32x4.eq', 0x37),
  bin('i8x16.gt_s', 0x27), bin('i16x8.gt_s', 0x31), bin('i32x4.gt_s', 0x3b),
  bin('i16x8.mul', 0x95),
  bin('i8x16.add_sat_u', 0x70), bin('i16x8.add_sat_u', 0x90), bin('i8x16.sub_sat_u', 0x73), bin('i16x8.sub_sat_u', 0x93),
  bin('i8x16.add_sat_s', 0x6f), bin('i16x8.add_sat_s', 0x8f), bin('i8x16.sub_sat_s', 0x72), bin('i16x8.sub_sat_s', 0x92),
  bin('i8x16.min_u', 0x77), bin('i8x16.max_u', 0x79), bin('i16x8.min_s', 0x96), bin('i16x8.max_s', 0x98),
  bin('i8x16.avgr_u', 0x7b), bin('i16x8.avgr_u', 0x9b),
  bin('i8x16.narrow_i16x8_s', 0x65), bin('i8x16.narrow_i16x8_u', 0x66), bin('i16x8.narrow_i32x4_s', 0x85),
  bin('i64x2.extmul_low_i32x4_u', 0xde),
  shift('i16x8.shl', 0x8b), shift('i32x4.shl', 0xab), shift('i64x2.shl', 0xcb),
  shift('i16x8.shr_u', 0x8d), shift('i32x4.shr_u', 0xad), shift('i64x2.shr_u', 0xcd),
  shift('i16x8.shr_s', 0x8c), shift('i32x4.shr_s', 0xac),
  mask('i8x16.bitmask', 0x64), mask('i32x4.bitmask', 0xa4), mask('i64x2.bitmask', 0xc4),
];

const byName = new Map(VEC_OPS.map((o, i) => [o.name, i]));

export function vecOpIndex(name: string): number {
  const i = byName.get(name);
  if (i === undefined) throw new Error(`unknown vector op ${name}`);
  return i;
}

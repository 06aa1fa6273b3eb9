// WebAssembly opcodes and value types the direct backend emits (core spec numbering;
// SIMD opcodes follow the 0xFD prefix as LEB128).

import type { Ty } from '../../ir/ir.js';

export const enum T { I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b, Void = 0x40 }

/** The wasm type holding an IR value (i8 and i16 live in i32). */
export function wasmType(t: Ty): T {
  switch (t) {
    case 'i64': return T.I64;
    case 'f32': return T.F32;
    case 'f64': return T.F64;
    case 'v128': return T.V128;
    default: return T.I32;
  }
}

export const enum O {
  Unreachable = 0x00, Nop = 0x01, Block = 0x02, Loop = 0x03, If = 0x04, Else = 0x05, End = 0x0b,
  Br = 0x0c, BrIf = 0x0d, BrTable = 0x0e, Return = 0x0f, Call = 0x10, CallIndirect = 0x11, ReturnCallIndirect = 0x13, Drop = 0x1a, Select = 0x1b,
  LocalGet = 0x20, LocalSet = 0x21, LocalTee = 0x22,

  I32Load = 0x28, I64Load = 0x29, F32Load = 0x2a, F64Load = 0x2b,
  I32Load8U = 0x2d, I32Load16U = 0x2f, I64Load32U = 0x35,
  I32Store = 0x36, I64Store = 0x37, F32Store = 0x38, F64Store = 0x39, I32Store8 = 0x3a, I32Store16 = 0x3b,

  I32Const = 0x41, I64Const = 0x42, F32Const = 0x43, F64Const = 0x44,

  I32Eqz = 0x45, I32Eq = 0x46, I32Ne = 0x47, I32LtS = 0x48, I32LtU = 0x49, I32GtS = 0x4a, I32GtU = 0x4b,
  I32LeS = 0x4c, I32LeU = 0x4d, I32GeS = 0x4e, I32GeU = 0x4f,
  I64Eqz = 0x50, I64Eq = 0x51, I64Ne = 0x52, I64LtS = 0x53, I64LtU = 0x54, I64GtS = 0x55, I64GtU = 0x56,
  I64LeS = 0x57, I64LeU = 0x58, I64GeS = 0x59, I64GeU = 0x5a,

  I32Clz = 0x67, I32Ctz = 0x68, I32Popcnt = 0x69, I32Add = 0x6a, I32Sub = 0x6b, I32Mul = 0x6c,
  I32DivS = 0x6d, I32DivU = 0x6e, I32RemS = 0x6f, I32RemU = 0x70, I32And = 0x71, I32Or = 0x72, I32Xor = 0x73,
  I32Shl = 0x74, I32ShrS = 0x75, I32ShrU = 0x76, I32Rotl = 0x77, I32Rotr = 0x78,
  I64Clz = 0x79, I64Ctz = 0x7a, I64Popcnt = 0x7b, I64Add = 0x7c, I64Sub = 0x7d, I64Mul = 0x7e,
  I64DivS = 0x7f, I64DivU = 0x80, I64RemS = 0x81, I64RemU = 0x82, I64And = 0x83, I64Or = 0x84, I64Xor = 0x85,
  I64Shl = 0x86, I64ShrS = 0x87, I64ShrU = 0x88, I64Rotl = 0x89, I64Rotr = 0x8a,

  I32WrapI64 = 0xa7, I64ExtendI32S = 0xac, I64ExtendI32U = 0xad,
  I32ReinterpretF32 = 0xbc, I64ReinterpretF64 = 0xbd, F32ReinterpretI32 = 0xbe, F64ReinterpretI64 = 0xbf,
  I32Extend8S = 0xc0, I32Extend16S = 0xc1,

  /** Prefix of the bulk-memory (and saturating truncation) instructions. */
  Misc = 0xfc,
  /** Prefix of the SIMD instructions. */
  Simd = 0xfd,
}

/** 0xFC-prefixed instructions (LEB128 after the prefix). */
export const enum MiscOp { MemoryCopy = 10, MemoryFill = 11 }

export const enum SimdOp { V128Load = 0x00, V128Store = 0x0b, V128Const = 0x0c }

/** Binary integer operations by IR-ish name, for i32 and i64. */
export const INT_BIN = {
  add: [O.I32Add, O.I64Add], sub: [O.I32Sub, O.I64Sub], mul: [O.I32Mul, O.I64Mul],
  div_s: [O.I32DivS, O.I64DivS], div_u: [O.I32DivU, O.I64DivU], rem_s: [O.I32RemS, O.I64RemS], rem_u: [O.I32RemU, O.I64RemU],
  and: [O.I32And, O.I64And], or: [O.I32Or, O.I64Or], xor: [O.I32Xor, O.I64Xor],
  shl: [O.I32Shl, O.I64Shl], shr_s: [O.I32ShrS, O.I64ShrS], shr_u: [O.I32ShrU, O.I64ShrU],
  rotl: [O.I32Rotl, O.I64Rotl], rotr: [O.I32Rotr, O.I64Rotr],
  eq: [O.I32Eq, O.I64Eq], ne: [O.I32Ne, O.I64Ne],
  lt_s: [O.I32LtS, O.I64LtS], lt_u: [O.I32LtU, O.I64LtU], le_s: [O.I32LeS, O.I64LeS], le_u: [O.I32LeU, O.I64LeU],
  gt_s: [O.I32GtS, O.I64GtS], gt_u: [O.I32GtU, O.I64GtU], ge_s: [O.I32GeS, O.I64GeS], ge_u: [O.I32GeU, O.I64GeU],
  clz: [O.I32Clz, O.I64Clz], ctz: [O.I32Ctz, O.I64Ctz], popcnt: [O.I32Popcnt, O.I64Popcnt], eqz: [O.I32Eqz, O.I64Eqz],
} as const satisfies Record<string, readonly [O, O]>;

export type IntOpName = keyof typeof INT_BIN;

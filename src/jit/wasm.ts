// The only file that calls binaryen.js. Typed helpers over one module, pinned feature
// set (what Node 20's V8 accepts; Features.All emits encodings it rejects), branded
// expression and type refs so the two cannot be mixed up, and dispose() always.
//
// binaryen.js is an ES module with top-level await that takes about 0.5 s to load, so
// it is loaded lazily (loadBinaryen) and only where compilation happens.

import type binaryenNs from 'binaryen';

type Binaryen = typeof binaryenNs;
export type Expr = number & { readonly __expr: unique symbol };
export type WType = number & { readonly __wtype: unique symbol };

let loaded: Binaryen | undefined;

export async function loadBinaryen(): Promise<Binaryen> {
  if (loaded === undefined) loaded = (await import('binaryen')).default;
  return loaded;
}

export function binaryenLoaded(): Binaryen | undefined { return loaded; }

export type IntOp = 'add' | 'sub' | 'mul' | 'div_s' | 'div_u' | 'rem_s' | 'rem_u' | 'and' | 'or' | 'xor'
  | 'shl' | 'shr_u' | 'shr_s' | 'rotl' | 'rotr' | 'eq' | 'ne' | 'lt_s' | 'lt_u' | 'le_s' | 'le_u'
  | 'gt_s' | 'gt_u' | 'ge_s' | 'ge_u';
export type IntUnOp = 'clz' | 'ctz' | 'popcnt' | 'eqz';
export type FloatOp = 'add' | 'sub' | 'mul' | 'div' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type FloatUnOp = 'abs' | 'neg' | 'sqrt' | 'trunc' | 'nearest';
export type VecShape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';

/** One module under construction. */
export class WasmModule {
  private readonly m: binaryenNs.Module;
  readonly i32: WType;
  readonly i64: WType;
  readonly f32: WType;
  readonly f64: WType;
  readonly v128: WType;
  readonly none: WType;

  constructor(private readonly bn: Binaryen) {
    this.m = new bn.Module();
    const F = bn.Features;
    this.m.setFeatures(F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.BulkMemory | F.SIMD128 | F.Multivalue | F.TailCall);
    this.i32 = bn.i32 as WType; this.i64 = bn.i64 as WType; this.f32 = bn.f32 as WType;
    this.f64 = bn.f64 as WType; this.v128 = bn.v128 as WType; this.none = bn.none as WType;
  }

  // ---- module structure ----
  importMemory(module: string, name: string, pages: number, shared = false): void {
    // The memory must exist before it can be marked as imported.
    if (shared) this.m.setFeatures(this.m.getFeatures() | this.bn.Features.Atomics);
    this.m.setMemory(pages, pages, null, [], shared, false, '0');
    this.m.addMemoryImport('0', module, name);
  }
  importFunction(name: string, module: string, base: string, params: WType[], result: WType): void {
    this.m.addFunctionImport(name, module, base, this.bn.createType(params), result);
  }
  addFunction(name: string, params: WType[], result: WType, vars: WType[], body: Expr): void {
    this.m.addFunction(name, this.bn.createType(params), result, vars, body);
    this.m.addFunctionExport(name, name);
  }
  /** A function that is not exported (a helper other functions call). */
  addInternalFunction(name: string, params: WType[], result: WType, vars: WType[], body: Expr): void {
    this.m.addFunction(name, this.bn.createType(params), result, vars, body);
  }
  validate(): boolean { return this.m.validate() !== 0; }
  optimize(level: number): void {
    if (level <= 0) return;
    this.bn.setOptimizeLevel(level);
    this.bn.setShrinkLevel(0);
    this.m.optimize();
  }
  emit(): Uint8Array { return this.m.emitBinary(); }
  text(): string { return this.m.emitText(); }
  dispose(): void { this.m.dispose(); }

  // ---- constants and locals ----
  c32(v: number): Expr { return this.m.i32.const(v | 0) as Expr; }
  c64(v: bigint): Expr { return this.m.i64.const(BigInt.asIntN(64, v)) as Expr; }
  cf32bits(v: number): Expr { return this.m.f32.const_bits(v | 0) as Expr; }
  /** binaryen 132's f64.const_bits takes one BigInt (two i32 halves abort). */
  cf64bits(v: bigint): Expr { return this.m.f64.const_bits(BigInt.asIntN(64, v)) as Expr; }
  v128zero(): Expr { return this.m.v128.const(new Array(16).fill(0)) as Expr; }
  get(index: number, t: WType): Expr { return this.m.local.get(index, t) as Expr; }
  set(index: number, v: Expr): Expr { return this.m.local.set(index, v) as Expr; }
  tee(index: number, v: Expr, t: WType): Expr { return this.m.local.tee(index, v, t) as Expr; }

  // ---- integer arithmetic ----
  bin32(op: IntOp, a: Expr, b: Expr): Expr { return (this.m.i32[op] as (x: number, y: number) => number)(a, b) as Expr; }
  bin64(op: IntOp, a: Expr, b: Expr): Expr { return (this.m.i64[op] as (x: number, y: number) => number)(a, b) as Expr; }
  un32(op: IntUnOp, a: Expr): Expr { return this.m.i32[op](a) as Expr; }
  un64(op: IntUnOp, a: Expr): Expr { return this.m.i64[op](a) as Expr; }
  wrap(a: Expr): Expr { return this.m.i32.wrap(a) as Expr; }
  extendU(a: Expr): Expr { return this.m.i64.extend_u(a) as Expr; }
  extendS(a: Expr): Expr { return this.m.i64.extend_s(a) as Expr; }
  extend8s(a: Expr): Expr { return this.m.i32.extend8_s(a) as Expr; }
  extend16s(a: Expr): Expr { return this.m.i32.extend16_s(a) as Expr; }
  reinterpret(to: 'i32' | 'i64' | 'f32' | 'f64', a: Expr): Expr { return this.m[to].reinterpret(a) as Expr; }
  select(c: Expr, a: Expr, b: Expr): Expr { return this.m.select(c, a, b) as Expr; }

  // ---- floating point and SIMD (the SSE lowering, src/jit/codegen-sse.ts) ----
  /** Binary float op: arithmetic gives the float type, comparisons an i32. */
  fbin(t: 'f32' | 'f64', op: FloatOp, a: Expr, b: Expr): Expr { return this.call2(this.m[t], op, a, b); }
  fun(t: 'f32' | 'f64', op: FloatUnOp, a: Expr): Expr { return this.call1(this.m[t], op, a); }
  /** Signed integer to float (round to nearest even). */
  fromInt(to: 'f32' | 'f64', from: 'i32' | 'i64', a: Expr): Expr { return this.m[to].convert_s[from](a) as Expr; }
  /** Float to signed integer, saturating (callers only use it in range). */
  truncSat(to: 'i32' | 'i64', from: 'f32' | 'f64', a: Expr): Expr { return this.m[to].trunc_s_sat[from](a) as Expr; }
  demote(a: Expr): Expr { return this.m.f32.demote(a) as Expr; }
  promote(a: Expr): Expr { return this.m.f64.promote(a) as Expr; }
  /** Lane-wise vector op in one shape (f64x2.add, i32x4.all_true, ...). */
  vbin(shape: VecShape, op: string, a: Expr, b: Expr): Expr { return this.call2(this.m[shape], op, a, b); }
  vun(shape: VecShape, op: string, a: Expr): Expr { return this.call1(this.m[shape], op, a); }
  /** v128 bitwise: and, or, xor, andnot (a & ~b). */
  vbits(op: 'and' | 'or' | 'xor' | 'andnot', a: Expr, b: Expr): Expr { return this.m.v128[op](a, b) as Expr; }
  extractLane(shape: 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2', v: Expr, lane: number): Expr {
    return (this.m[shape].extract_lane as (v: number, i: number) => number)(v, lane) as Expr;
  }
  replaceLane(shape: 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2', v: Expr, lane: number, x: Expr): Expr {
    return (this.m[shape].replace_lane as (v: number, i: number, x: number) => number)(v, lane, x) as Expr;
  }
  splat(shape: 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2', x: Expr): Expr { return this.m[shape].splat(x) as Expr; }
  shuffle(a: Expr, b: Expr, bytes: number[]): Expr { return this.m.i8x16.shuffle(a, b, bytes) as Expr; }
  private call1(ns: object, op: string, a: Expr): Expr {
    const f = (ns as Record<string, unknown>)[op];
    if (typeof f !== 'function') throw new Error(`wasm: no operation ${op}`);
    return (f as (x: number) => number)(a) as Expr;
  }
  private call2(ns: object, op: string, a: Expr, b: Expr): Expr {
    const f = (ns as Record<string, unknown>)[op];
    if (typeof f !== 'function') throw new Error(`wasm: no operation ${op}`);
    return (f as (x: number, y: number) => number)(a, b) as Expr;
  }

  // ---- memory (memory 0, guest address == offset) ----
  load(kind: 'i32' | 'i32_8u' | 'i32_16u' | 'i64' | 'f32' | 'f64' | 'v128', ptr: Expr, offset = 0): Expr {
    const m = this.m;
    switch (kind) {
      case 'i32': return m.i32.load(offset, 1, ptr) as Expr;
      case 'i32_8u': return m.i32.load8_u(offset, 1, ptr) as Expr;
      case 'i32_16u': return m.i32.load16_u(offset, 1, ptr) as Expr;
      case 'i64': return m.i64.load(offset, 1, ptr) as Expr;
      case 'f32': return m.f32.load(offset, 1, ptr) as Expr;
      case 'f64': return m.f64.load(offset, 1, ptr) as Expr;
      default: return m.v128.load(offset, 1, ptr) as Expr;
    }
  }
  store(kind: 'i32' | 'i32_8' | 'i32_16' | 'i64' | 'f32' | 'f64' | 'v128', ptr: Expr, v: Expr, offset = 0): Expr {
    const m = this.m;
    switch (kind) {
      case 'i32': return m.i32.store(offset, 1, ptr, v) as Expr;
      case 'i32_8': return m.i32.store8(offset, 1, ptr, v) as Expr;
      case 'i32_16': return m.i32.store16(offset, 1, ptr, v) as Expr;
      case 'i64': return m.i64.store(offset, 1, ptr, v) as Expr;
      case 'f32': return m.f32.store(offset, 1, ptr, v) as Expr;
      case 'f64': return m.f64.store(offset, 1, ptr, v) as Expr;
      default: return m.v128.store(offset, 1, ptr, v) as Expr;
    }
  }

  // ---- control ----
  block(label: string | null, children: Expr[], t?: WType): Expr { return this.m.block(label, children, t ?? this.none) as Expr; }
  if(c: Expr, then: Expr, otherwise?: Expr): Expr { return this.m.if(c, then, otherwise) as Expr; }
  br(label: string, cond?: Expr): Expr { return this.m.br(label, cond) as Expr; }
  ret(v?: Expr): Expr { return this.m.return(v) as Expr; }
  call(name: string, args: Expr[], result: WType): Expr { return this.m.call(name, args, result) as Expr; }
  drop(v: Expr): Expr { return this.m.drop(v) as Expr; }
  nop(): Expr { return this.m.nop() as Expr; }
  unreachable(): Expr { return this.m.unreachable() as Expr; }

  /** Structured control flow from a CFG (Binaryen's relooper). */
  relooper(): Relooper { return new Relooper(this.bn, this.m); }
}

export type RBlock = number & { readonly __rblock: unique symbol };

export class Relooper {
  private readonly r: binaryenNs.Relooper;
  constructor(bn: Binaryen, m: binaryenNs.Module) { this.r = new bn.Relooper(m); }
  add(code: Expr): RBlock { return this.r.addBlock(code) as RBlock; }
  addSwitch(code: Expr, cond: Expr): RBlock { return this.r.addBlockWithSwitch(code, cond) as RBlock; }
  branch(from: RBlock, to: RBlock, cond: Expr | 0 = 0, code: Expr | 0 = 0): void { this.r.addBranch(from, to, cond, code); }
  switchBranch(from: RBlock, to: RBlock, indexes: number[]): void { this.r.addBranchForSwitch(from, to, indexes, 0); }
  render(entry: RBlock, labelLocal: number): Expr { return this.r.renderAndDispose(entry, labelLocal) as Expr; }
}

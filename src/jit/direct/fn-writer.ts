// One wasm function body under construction: instructions appended as bytes, locals
// declared as they are needed (and reused by type once dead), structured-control
// nesting tracked so branches can name their targets by label instead of counting.

import { ByteWriter } from './bytes.js';
import { O, T, SimdOp, MiscOp } from './opcodes.js';

/** A label: the nesting level of the block/loop it targets. */
export type Label = number & { readonly __label: unique symbol };

export class FnWriter {
  readonly code: ByteWriter;
  private readonly localTypes: T[] = [];
  private readonly free = new Map<T, number[]>();
  private depth = 0;

  /** `capacity`: the code buffer's initial size (it grows; a small function asks for little). */
  constructor(private readonly paramCount: number, capacity = 8192) { this.code = new ByteWriter(capacity); }

  // ---- locals ----

  /** A fresh local that stays reserved for the whole function. */
  fixedLocal(t: T): number {
    this.localTypes.push(t);
    return this.paramCount + this.localTypes.length - 1;
  }

  /** A temporary local of type t (reused after release). */
  temp(t: T): number {
    const list = this.free.get(t);
    if (list !== undefined && list.length > 0) return list.pop()!;
    return this.fixedLocal(t);
  }

  release(t: T, index: number): void {
    let list = this.free.get(t);
    if (list === undefined) { list = []; this.free.set(t, list); }
    list.push(index);
  }

  // ---- plain instructions ----

  op(o: O): void { this.code.byte(o); }
  get(i: number): void { this.code.byte(O.LocalGet); this.code.u32(i); }
  set(i: number): void { this.code.byte(O.LocalSet); this.code.u32(i); }
  tee(i: number): void { this.code.byte(O.LocalTee); this.code.u32(i); }
  i32(v: number): void { this.code.byte(O.I32Const); this.code.s32(v); }
  i64(v: bigint): void { this.code.byte(O.I64Const); this.code.s64(v); }
  /** i64.const of a non-negative safe integer (a guest address). */
  i64n(v: number): void {
    this.code.byte(O.I64Const);
    if (v <= 0x7fffffff) this.code.s32(v); else this.code.s64(BigInt(v));
  }
  f32bits(bits: number): void { this.code.byte(O.F32Const); this.code.u32le(bits); }
  f64bits(bits: bigint): void {
    this.code.byte(O.F64Const);
    this.code.u32le(Number(bits & 0xffffffffn));
    this.code.u32le(Number((bits >> 32n) & 0xffffffffn));
  }
  v128zero(): void {
    this.simd(SimdOp.V128Const);
    for (let i = 0; i < 16; i++) this.code.byte(0);
  }
  simd(op: number): void { this.code.byte(O.Simd); this.code.u32(op); }
  /** A load or store with alignment hint 1 byte and a constant offset. */
  mem(o: O, offset = 0): void { this.code.byte(o); this.code.u32(0); this.code.u32(offset); }
  simdMem(op: SimdOp, offset = 0): void { this.simd(op); this.code.u32(0); this.code.u32(offset); }
  /** memory.copy in memory 0 (dst, src, n: i32; memmove semantics). */
  memoryCopy(): void { this.code.byte(O.Misc); this.code.u32(MiscOp.MemoryCopy); this.code.byte(0); this.code.byte(0); }
  /** memory.fill in memory 0 (dst, byte value, n: i32). */
  memoryFill(): void { this.code.byte(O.Misc); this.code.u32(MiscOp.MemoryFill); this.code.byte(0); }
  call(funcIndex: number): void { this.code.byte(O.Call); this.code.u32(funcIndex); }
  /** Tail call through table 0 with function type `typeIndex` (wasm tail calls). */
  returnCallIndirect(typeIndex: number): void { this.code.byte(O.ReturnCallIndirect); this.code.u32(typeIndex); this.code.u32(0); }

  // ---- structured control ----

  /** `block`; with a result type, a br to it carries one value of that type. */
  block(result: T = T.Void): Label { this.code.byte(O.Block); this.code.byte(result); return ++this.depth as Label; }
  loop(): Label { this.code.byte(O.Loop); this.code.byte(T.Void); return ++this.depth as Label; }
  /** `if`; with a result type, both arms leave one value of that type. */
  if(result: T = T.Void): Label { this.code.byte(O.If); this.code.byte(result); return ++this.depth as Label; }
  else(): void { this.code.byte(O.Else); }
  end(): void { this.code.byte(O.End); this.depth--; }
  br(l: Label): void { this.code.byte(O.Br); this.code.u32(this.depth - l); }
  brIf(l: Label): void { this.code.byte(O.BrIf); this.code.u32(this.depth - l); }
  brTable(targets: readonly Label[], dflt: Label): void {
    this.code.byte(O.BrTable);
    this.code.u32(targets.length);
    for (const t of targets) this.code.u32(this.depth - t);
    this.code.u32(this.depth - dflt);
  }

  /** The encoded body: local declarations (run-length by type), the code, `end`. */
  finish(): ByteWriter {
    const runs: [number, T][] = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    const body = new ByteWriter(this.code.length + 16 + runs.length * 4);
    body.u32(runs.length);
    for (const [n, t] of runs) { body.u32(n); body.byte(t); }
    body.bytes(this.code.view());
    body.byte(O.End);
    return body;
  }
}

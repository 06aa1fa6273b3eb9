// The direct backend's lowering of the IR's vector ops (vlane, vinsert, vshuffle,
// vandn, v128 and/or/xor) and of `sse`: the form's fast path inline in the region
// (guard and value from the shared definition in ../sse-fast.ts, with the proof of
// exactness), and behind it a call to the form's helper function, written once per
// module, which runs the runtime's slow path. Inline, because a call per SSE
// instruction cost more than the arithmetic: V8 does not inline wasm calls, so every
// operand crossed a call boundary and the helper reloaded MXCSR each time. The region
// keeps MXCSR (and whether it is the fast environment) in locals instead: only the
// slow path and API calls can change it.

import type { Inst, Ty } from '../../ir/ir.js';
import { ENV_FAST, ENV_MASK, MXCSR, OPS, PE, sseHelper, sseHelperParts } from '../sse-fast.js';
import { VEC_OPS } from '../../ir/vec-ops.js';
import { SSE_FORMS } from '../../ir/sse-forms.js';
import type { HelperParts, Node, VT } from '../sse-fast.js';
import type { ModuleWriter } from './module.js';
import { FnWriter } from './fn-writer.js';
import type { Label } from './fn-writer.js';
import { O, T, SimdOp, wasmType } from './opcodes.js';

/** Function index of the `sseSlow` import (after slowLoad and slowStore). */
export const F_SSE_SLOW = 2;

const LOWERED = new Set(['vlane', 'vinsert', 'vshuffle', 'vandn', 'vop', 'sse']);

/** True for the ops this file lowers (given the operand types). */
export function isSseLowered(i: Inst, at: readonly Ty[]): boolean {
  return LOWERED.has(i.op) || ((i.op === 'and' || i.op === 'or' || i.op === 'xor') && at[0] === 'v128');
}

/** SIMD opcodes of the lane instructions, by lane type: [extract_lane, replace_lane]. */
const LANE_OPS: Record<string, [number, number]> = { i32: [0x1b, 0x1c], i64: [0x1d, 0x1e], f32: [0x1f, 0x20], f64: [0x21, 0x22] };
const V128_BITS = { and: 0x4e, andnot: 0x4f, or: 0x50, xor: 0x51 } as const;

export class DirectSse {
  /** Helper function index by form. */
  private readonly helpers = new Map<number, number>();
  private readonly parts = new Map<number, HelperParts>();
  constructor(private readonly m: ModuleWriter) {}

  /** Emits instruction i, leaving its result on the stack; `push(n)` pushes operand n. */
  lower(w: FnWriter, i: Inst, at: readonly Ty[], push: (n: number) => void): void {
    switch (i.op) {
      case 'vlane': push(0); w.simd(LANE_OPS[i.ty]![0]); w.code.byte(i.k); return;
      case 'vinsert': push(0); push(1); w.simd(LANE_OPS[at[1]!]![1]); w.code.byte(i.k); return;
      case 'vshuffle':
        push(0); push(1); w.simd(0x0d);
        for (let j = 0; j < 16; j++) w.code.byte(Number((i.c >> BigInt(8 * j)) & 31n));
        return;
      case 'vandn': push(1); push(0); w.simd(V128_BITS.andnot); return;
      case 'and': case 'or': case 'xor': push(0); push(1); w.simd(V128_BITS[i.op]); return;
      case 'vop': {
        const o = VEC_OPS[i.k]!;
        push(0);
        if (o.shift) w.i32(i.k2); else if (o.arity === 2) push(1);
        w.simd(o.simd);
        return;
      }
      default: throw new Error(`direct sse: no lowering for ${i.op}`);
    }
  }

  /**
   * SSE form k on the operands in locals a and b, result left on the stack: the fast
   * path inline when its guard holds, else the helper (which rechecks and takes the
   * slow path), after which the region's MXCSR locals are refreshed. The guard is a
   * chain of conditional branches to the helper call rather than one and-ed 0/1 value:
   * V8 then emits a compare and a jump per condition instead of materialising each.
   */
  inline(w: FnWriter, k: number, a: number, b: number, mx: MxcsrLocals): void {
    const parts = this.partsOf(k);
    const callHelper = (): void => { w.get(a); w.get(b); w.call(this.helper(k)); loadMxcsr(w, mx); };
    const fast = parts.fast;
    if (fast === undefined) { callHelper(); return; }
    const temps = parts.locals.map((t) => w.temp(wasmType(t)));
    const ctx: Ctx = { local: (l) => (l === 0 ? a : l === 1 ? b : temps[l - 2]!), mx };
    for (const n of parts.prelude) emit(w, n, ctx);
    if (fast.cond === undefined) { for (const n of fast.effect ?? []) emit(w, n, ctx); emit(w, fast.value, ctx); }
    else {
      const done = w.block(wasmType(SSE_FORMS[k]!.result));
      const slow = w.block();
      failTo(w, fast.cond, slow, ctx);
      for (const n of fast.effect ?? []) emit(w, n, ctx);
      emit(w, fast.value, ctx);
      w.br(done);
      w.end();
      callHelper();
      w.end();
    }
    parts.locals.forEach((t, j) => w.release(wasmType(t), temps[j]!));
  }

  private partsOf(k: number): HelperParts {
    let p = this.parts.get(k);
    if (p === undefined) { p = sseHelperParts(k); this.parts.set(k, p); }
    return p;
  }

  private helper(k: number): number {
    let index = this.helpers.get(k);
    if (index === undefined) {
      const h = sseHelper(k);
      const w = new FnWriter(2);
      for (const t of h.locals) w.fixedLocal(wasmType(t));
      for (const n of h.body) emit(w, n, HELPER);
      index = this.m.addFunction(h.name, h.params.map(wasmType), [wasmType(h.result)], w.finish());
      this.helpers.set(k, index);
    }
    return index;
  }
}

const LOAD: Record<VT, O | SimdOp> = { i32: O.I32Load, i64: O.I64Load, f32: O.F32Load, f64: O.F64Load, v128: SimdOp.V128Load };
const STORE: Record<VT, O | SimdOp> = { i32: O.I32Store, i64: O.I64Store, f32: O.F32Store, f64: O.F64Store, v128: SimdOp.V128Store };

/** A region's copies of MXCSR and of "MXCSR is the fast environment" (i32 locals). */
export interface MxcsrLocals { mx: number; env: number }

/** Reloads the region's MXCSR locals from the guest state. */
export function loadMxcsr(w: FnWriter, l: MxcsrLocals): void {
  w.i32(MXCSR); w.mem(O.I32Load); w.tee(l.mx);
  w.i32(ENV_MASK); w.op(O.I32And); w.i32(ENV_FAST); w.op(O.I32Eq); w.set(l.env);
}

/** Where a tree's locals live, and the MXCSR locals (none: load MXCSR). */
interface Ctx { local: (l: number) => number; mx?: MxcsrLocals }
const HELPER: Ctx = { local: (l) => l };

/** The two operands of e when it is the i32 instruction `name`. */
const operandsOf = (e: Node, name: 'i32.and' | 'i32.or'): Node[] | undefined => (e.n === 'op' && e.op === name ? e.a : undefined);

/** Branches to `to` when the i32 condition e is false (and/or short-circuit into more branches). */
function failTo(w: FnWriter, e: Node, to: Label, ctx: Ctx): void {
  const and = operandsOf(e, 'i32.and'), or = operandsOf(e, 'i32.or');
  if (and) { failTo(w, and[0]!, to, ctx); failTo(w, and[1]!, to, ctx); return; }
  if (or) {
    const ok = w.block();
    passTo(w, or[0]!, ok, ctx);
    failTo(w, or[1]!, to, ctx);
    w.end();
    return;
  }
  emit(w, e, ctx); w.op(O.I32Eqz); w.brIf(to);
}

/** Branches to `to` when the i32 condition e is true. */
function passTo(w: FnWriter, e: Node, to: Label, ctx: Ctx): void {
  const and = operandsOf(e, 'i32.and'), or = operandsOf(e, 'i32.or');
  if (or) { passTo(w, or[0]!, to, ctx); passTo(w, or[1]!, to, ctx); return; }
  if (and) {
    const no = w.block();
    failTo(w, and[0]!, no, ctx);
    failTo(w, and[1]!, no, ctx);
    w.br(to);
    w.end();
    return;
  }
  emit(w, e, ctx); w.brIf(to);
}

/** A helper's expression tree as bytes (operands first, then the instruction). */
function emit(w: FnWriter, e: Node, ctx: Ctx): void {
  const sub = (x: Node): void => emit(w, x, ctx);
  switch (e.n) {
    case 'const':
      switch (e.t) {
        case 'i32': w.i32(Number(e.bits) | 0); return;
        case 'i64': w.i64(e.bits); return;
        case 'f32': w.f32bits(Number(e.bits)); return;
        case 'f64': w.f64bits(e.bits); return;
        default: w.v128zero(); return;
      }
    case 'get': w.get(ctx.local(e.l)); return;
    case 'set': sub(e.v); w.set(ctx.local(e.l)); return;
    case 'select': sub(e.a); sub(e.b); sub(e.c); w.op(O.Select); return;
    case 'mxcsr':
      if (ctx.mx !== undefined) w.get(ctx.mx.mx); else { w.i32(MXCSR); w.mem(O.I32Load); }
      return;
    case 'envFast':
      if (ctx.mx !== undefined) w.get(ctx.mx.env);
      else { w.i32(MXCSR); w.mem(O.I32Load); w.i32(ENV_MASK); w.op(O.I32And); w.i32(ENV_FAST); w.op(O.I32Eq); }
      return;
    case 'setPE':
      // MXCSR |= PE; the guard proved RC nearest and no DAZ/FTZ, so MXCSR is now the fast environment.
      w.i32(MXCSR);
      if (ctx.mx !== undefined) { w.get(ctx.mx.mx); w.i32(PE); w.op(O.I32Or); w.tee(ctx.mx.mx); w.mem(O.I32Store); w.i32(1); w.set(ctx.mx.env); }
      else { w.i32(MXCSR); w.mem(O.I32Load); w.i32(PE); w.op(O.I32Or); w.mem(O.I32Store); }
      return;
    case 'load':
      w.i32(e.addr);
      if (e.t === 'v128') w.simdMem(SimdOp.V128Load); else w.mem(LOAD[e.t] as O);
      return;
    case 'store':
      w.i32(e.addr); sub(e.v);
      if (e.t === 'v128') w.simdMem(SimdOp.V128Store); else w.mem(STORE[e.t] as O);
      return;
    case 'slow': w.i32(e.form); w.call(F_SSE_SLOW); return;
    case 'drop': sub(e.v); w.op(O.Drop); return;
    case 'if': sub(e.c); w.if(); for (const s of e.then) sub(s); w.end(); return;
    case 'return': sub(e.v); w.op(O.Return); return;
    case 'op': {
      for (const a of e.a) sub(a);
      const d = OPS[e.op];
      if ('prefix' in d && d.prefix === 0xfd) {
        w.simd(d.code[0]);
        if (e.lane !== undefined) w.code.byte(e.lane);
      } else if ('prefix' in d && d.prefix === 0xfc) {
        w.code.byte(0xfc); w.code.u32(d.code[0]);
      } else {
        w.op(d.code[0] as O);
      }
      return;
    }
  }
}

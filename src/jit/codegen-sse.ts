// Binaryen lowering of the IR's vector ops (vlane, vinsert, vshuffle, vandn, v128
// and/or/xor) and of `sse`: a call to the form's helper function, built once per
// module from the shared definition in sse-fast.ts (where the fast paths and the proof
// of their exactness live).

import type { Inst, Ty } from '../ir/ir.js';
import type { Expr, WType, WasmModule, VecShape } from './wasm.js';
import { ENV_FAST, ENV_MASK, MXCSR, PE, sseHelper } from './sse-fast.js';
import { VEC_OPS } from '../ir/vec-ops.js';
import type { Node, OpName } from './sse-fast.js';

/** What the lowering needs from the region emitter. */
export interface SseEmitContext {
  readonly w: WasmModule;
  /** The IR value v (a local.get; may be used any number of times). */
  val(v: number): Expr;
  /** The local holding IR value v. */
  local(v: number): number;
}

const LOWERED = new Set(['vlane', 'vinsert', 'vshuffle', 'vandn', 'vop', 'sse']);

/** True for the ops this file lowers (given the operand types). */
export function isSseLowered(i: Inst, at: Ty[]): boolean {
  return LOWERED.has(i.op) || ((i.op === 'and' || i.op === 'or' || i.op === 'xor') && at[0] === 'v128');
}

function shapeOf(t: Ty): 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2' {
  switch (t) {
    case 'f32': return 'f32x4';
    case 'f64': return 'f64x2';
    case 'i64': return 'i64x2';
    default: return 'i32x4';
  }
}

export function lowerSse(cx: SseEmitContext, i: Inst, at: Ty[]): Expr {
  const w = cx.w;
  const a = (n: number): Expr => cx.val(i.args[n]!);
  const def = (e: Expr): Expr => w.set(cx.local(i.dst), e);
  switch (i.op) {
    case 'vlane': return def(w.extractLane(shapeOf(i.ty), a(0), i.k));
    case 'vinsert': return def(w.replaceLane(shapeOf(at[1]!), a(0), i.k, a(1)));
    case 'vshuffle': {
      const bytes: number[] = [];
      for (let j = 0; j < 16; j++) bytes.push(Number((i.c >> BigInt(8 * j)) & 31n));
      return def(w.shuffle(a(0), a(1), bytes));
    }
    case 'vandn': return def(w.vbits('andnot', a(1), a(0)));
    case 'and': case 'or': case 'xor': return def(w.vbits(i.op, a(0), a(1)));
    case 'sse': return def(w.call(helperName(w, i.k), [a(0), a(1)], wtype(w, i.ty)));
    case 'vop': {
      const o = VEC_OPS[i.k]!;
      const [shape, name] = o.name.split('.') as [VecShape, string];
      const bn = name.replace('_sat_', '_saturate_'); // Binaryen's spelling
      if (o.shift) return def(w.vbin(shape, bn, a(0), w.c32(i.k2)));
      return def(o.arity === 1 ? w.vun(shape, bn, a(0)) : w.vbin(shape, bn, a(0), a(1)));
    }
    default: throw new Error(`codegen-sse: no lowering for ${i.op}`);
  }
}

function wtype(w: WasmModule, t: Ty): WType {
  return t === 'v128' ? w.v128 : t === 'i64' ? w.i64 : t === 'f64' ? w.f64 : t === 'f32' ? w.f32 : w.i32;
}

/** Helpers already in each module (by form). */
const helpersOf = new WeakMap<WasmModule, Set<number>>();

function helperName(w: WasmModule, k: number): string {
  const h = sseHelper(k);
  let done = helpersOf.get(w);
  if (done === undefined) { done = new Set(); helpersOf.set(w, done); }
  if (!done.has(k)) {
    done.add(k);
    const body = w.block(null, h.body.map((n) => emit(w, n)));
    w.addInternalFunction(h.name, h.params.map((t) => wtype(w, t)), wtype(w, h.result), h.locals.map((t) => wtype(w, t)), body);
  }
  return h.name;
}

type LoadKind = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

/** A helper's expression tree as Binaryen expressions. */
function emit(w: WasmModule, e: Node): Expr {
  const sub = (x: Node): Expr => emit(w, x);
  switch (e.n) {
    case 'const':
      switch (e.t) {
        case 'i32': return w.c32(Number(e.bits));
        case 'i64': return w.c64(e.bits);
        case 'f32': return w.cf32bits(Number(e.bits));
        case 'f64': return w.cf64bits(e.bits);
        default: return w.v128zero();
      }
    case 'get': return w.get(e.l, wtype(w, e.t));
    case 'set': return w.set(e.l, sub(e.v));
    case 'select': return w.select(sub(e.c), sub(e.a), sub(e.b));
    case 'load': return w.load(e.t as LoadKind, w.c32(e.addr));
    case 'mxcsr': return w.load('i32', w.c32(MXCSR));
    case 'envFast': return w.bin32('eq', w.bin32('and', w.load('i32', w.c32(MXCSR)), w.c32(ENV_MASK)), w.c32(ENV_FAST));
    case 'setPE': return w.store('i32', w.c32(MXCSR), w.bin32('or', w.load('i32', w.c32(MXCSR)), w.c32(PE)));
    case 'store': return w.store(e.t as LoadKind, w.c32(e.addr), sub(e.v));
    case 'slow': return w.call('sseSlow', [w.c32(e.form)], w.i32);
    case 'drop': return w.drop(sub(e.v));
    case 'if': return w.if(sub(e.c), w.block(null, e.then.map(sub)));
    case 'return': return w.ret(sub(e.v));
    case 'op': return emitOp(w, e.op, e.a.map(sub), e);
  }
}

function emitOp(w: WasmModule, name: OpName, a: Expr[], e: Extract<Node, { n: 'op' }>): Expr {
  const [ty, opName] = name.split('.') as [string, string];
  if (opName === 'extract_lane') return w.extractLane(ty as 'f64x2', a[0]!, e.lane!);
  if (opName === 'replace_lane') return w.replaceLane(ty as 'f64x2', a[0]!, e.lane!, a[1]!);
  if (opName === 'splat') return w.splat(ty as 'f64x2', a[0]!);
  if (ty === 'v128') return w.vbits(opName as 'and', a[0]!, a[1]!);
  if (ty === 'i32' || ty === 'i64') {
    if (opName === 'trunc_sat_f64_s') return w.truncSat(ty, 'f64', a[0]!);
    return ty === 'i32' ? w.bin32(opName as 'and', a[0]!, a[1]!) : w.bin64(opName as 'add', a[0]!, a[1]!);
  }
  if (ty === 'f32' || ty === 'f64') {
    if (opName.startsWith('convert_')) return w.fromInt(ty, opName.slice(8, 11) as 'i32', a[0]!);
    if (opName === 'demote_f64') return w.demote(a[0]!);
    if (opName === 'promote_f32') return w.promote(a[0]!);
    return a.length === 1 ? w.fun(ty, opName as 'abs', a[0]!) : w.fbin(ty, opName as 'add', a[0]!, a[1]!);
  }
  return a.length === 1 ? w.vun(ty as VecShape, opName, a[0]!) : w.vbin(ty as VecShape, opName, a[0]!, a[1]!);
}

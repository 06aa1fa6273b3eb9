// Binaryen lowering of the IR's vector ops (vlane, vinsert, vshuffle, vandn, v128
// and/or/xor) and of `sse`, the SSE floating-point forms.
//
// `sse` is lowered as: an inline fast path, taken only when a guard proves that wasm's
// IEEE operation gives the interpreter's result and that MXCSR would not change; else
// a call to the runtime's slow path (SseSlowPath: the interpreter's own handler, see
// src/jit/sse-runtime.ts), which writes the result and MXCSR's flags.
//
// Why the fast paths are exact. wasm float arithmetic is IEEE-754 binary32/binary64
// with round-to-nearest-even and no flags; its only non-determinism is the bits of NaN
// results. The guards therefore require:
//  - "env": MXCSR has RC = nearest, DAZ = 0, FTZ = 0, and PE already set
//    ((MXCSR & 0xE060) == 0x0020). PE is sticky, so an inexact result changes nothing;
//    no other flag may be raised, which the next conditions ensure. The exception
//    masks do not matter: the interpreter never delivers SIMD exceptions.
//  - inputs are zero or normal (finite, not denormal, not NaN): no DE, no NaN
//    propagation, no invalid operation on infinities, DAZ irrelevant;
//  - the result is normal with |r| > the smallest normal (strictly: a result that
//    rounds to exactly 2^emin may be tiny before rounding, and x86 detects tininess
//    after rounding, so it is left to the slow path) and finite (no OE), or an exact
//    zero that cannot hide an underflow: a sum of zero-or-normal operands that is zero
//    is exact; a product or quotient is zero without underflow only when the first
//    (or, for products, either) operand is zero. Division also requires a nonzero
//    divisor (ZE/IE), square root a non-negative operand (IE; sqrt(-0) = -0 is exact).
// Then the value is the correctly rounded result both in wasm and in the interpreter
// (which rounds float32 results of double operations once more; 53 >= 2*24+2 makes
// that exact for + - * / and sqrt), and the only flag is PE, already set.
// Forms that raise no flag on zero/normal/infinite inputs (MIN/MAX, COMIS, CVTSS2SD,
// exact integer conversions) need no env condition; MIN/MAX return the second operand
// unless the first is strictly smaller/larger, as x86 does. Float-to-integer needs the
// value in range (else the integer indefinite and IE) and either an integral value or
// PE set; rounding CVTSD2SI also needs RC = nearest (f64.nearest is ties-to-even).

import type { Inst, Ty } from '../ir/ir.js';
import { SSE_FORMS, SseFast } from '../ir/sse-forms.js';
import type { SseForm } from '../ir/sse-forms.js';
import { STATE_BASE, Off } from '../cpu/state.js';
import type { Expr, WType, WasmModule, FloatOp } from './wasm.js';
import { JitAddr } from './layout.js';

/** What the lowering needs from the region emitter. */
export interface SseEmitContext {
  readonly w: WasmModule;
  /** The IR value v (a local.get; may be used any number of times). */
  val(v: number): Expr;
  /** The local holding IR value v. */
  local(v: number): number;
}

const MXCSR = STATE_BASE + Off.mxcsr;
const S = JitAddr.sseScratch;
/** RC, FTZ, DAZ and PE bits; the fast environment is RC = 0, FTZ = DAZ = 0, PE = 1. */
const ENV_MASK = 0xe060, ENV_FAST = 0x0020, PE = 0x20, RC_MASK = 0x6000;

const VEC_OPS = new Set(['vlane', 'vinsert', 'vshuffle', 'vandn', 'sse']);

/** True for the ops this file lowers (given the operand types). */
export function isSseLowered(i: Inst, at: Ty[]): boolean {
  return VEC_OPS.has(i.op) || ((i.op === 'and' || i.op === 'or' || i.op === 'xor') && at[0] === 'v128');
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
    case 'sse': return def(w.call(sseHelper(w, i.k), [a(0), a(1)], wtype(w, SSE_FORMS[i.k]!.result)));
    default: throw new Error(`codegen-sse: no lowering for ${i.op}`);
  }
}

/** Float math on either one scalar (f32/f64, masks are i32 0/1) or a whole vector (masks are v128). */
class Lanes {
  readonly shape: 'f32x4' | 'f64x2';
  constructor(private readonly w: WasmModule, readonly elem: 'f32' | 'f64', readonly vector: boolean) {
    this.shape = elem === 'f64' ? 'f64x2' : 'f32x4';
  }
  k(v: number): Expr {
    const w = this.w;
    const c = this.elem === 'f64' ? w.cf64bits(f64bits(v)) : w.cf32bits(f32bits(v));
    return this.vector ? w.splat(this.shape, c) : c;
  }
  op(op: FloatOp, x: Expr, y: Expr): Expr { return this.vector ? this.w.vbin(this.shape, op, x, y) : this.w.fbin(this.elem, op, x, y); }
  abs(x: Expr): Expr { return this.vector ? this.w.vun(this.shape, 'abs', x) : this.w.fun(this.elem, 'abs', x); }
  sqrt(x: Expr): Expr { return this.vector ? this.w.vun(this.shape, 'sqrt', x) : this.w.fun(this.elem, 'sqrt', x); }
  and(p: Expr, q: Expr): Expr { return this.vector ? this.w.vbits('and', p, q) : this.w.bin32('and', p, q); }
  or(p: Expr, q: Expr): Expr { return this.vector ? this.w.vbits('or', p, q) : this.w.bin32('or', p, q); }
  /** An i32 that is 1 when every lane's mask is set. */
  all(m: Expr): Expr { return this.vector ? this.w.vun(this.elem === 'f64' ? 'i64x2' : 'i32x4', 'all_true', m) : m; }
  get min(): number { return this.elem === 'f64' ? 2 ** -1022 : 2 ** -126; }
  /** x is zero or normal (not NaN, infinite or denormal). */
  zeroOrNormal(x: () => Expr): Expr {
    return this.and(this.op('lt', this.abs(x()), this.k(Infinity)), this.notNaNOrDenormal(x));
  }
  /** x is zero, normal or infinite. */
  notNaNOrDenormal(x: () => Expr): Expr { return this.or(this.op('ge', this.abs(x()), this.k(this.min)), this.op('eq', x(), this.k(0))); }
  /** |r| is above the smallest normal and finite. */
  safeResult(r: () => Expr): Expr {
    return this.and(this.op('gt', this.abs(r()), this.k(this.min)), this.op('lt', this.abs(r()), this.k(Infinity)));
  }
}

function f64bits(v: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v, true);
  return dv.getBigUint64(0, true);
}
function f32bits(v: number): number {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, v, true);
  return dv.getUint32(0, true);
}

function wtype(w: WasmModule, t: Ty): WType {
  return t === 'v128' ? w.v128 : t === 'i64' ? w.i64 : t === 'f64' ? w.f64 : t === 'f32' ? w.f32 : w.i32;
}

/**
 * Each form is lowered once per module, as a small function `sse_<name>(a, b)` that
 * region code calls: region functions stay small (quick to compile, quick in V8's
 * baseline tier), and the helpers, called often, are optimised early.
 */
const helpersOf = new WeakMap<WasmModule, Set<number>>();

function sseHelper(w: WasmModule, k: number): string {
  const f = SSE_FORMS[k]!;
  const name = `sse_${f.name}`;
  let done = helpersOf.get(w);
  if (done === undefined) { done = new Set(); helpersOf.set(w, done); }
  if (!done.has(k)) {
    done.add(k);
    const vars: WType[] = [];
    const temps = new Map<string, number>();
    const temp = (t: WType, slot: number): number => {
      const key = `${t}:${slot}`;
      let l = temps.get(key);
      if (l === undefined) { vars.push(t); l = 1 + vars.length; temps.set(key, l); }
      return l;
    };
    const body = new SseLowering(w, k, temp).emit();
    w.addInternalFunction(name, [w.v128, wtype(w, f.src)], wtype(w, f.result), vars, body);
  }
  return name;
}

/** The body of one form's helper function: params a (local 0) and b (local 1), returns the result. */
class SseLowering {
  private readonly f: SseForm;
  private readonly pre: Expr[] = [];
  constructor(private readonly w: WasmModule, private readonly k: number, private readonly temp: (t: WType, slot: number) => number) {
    this.f = SSE_FORMS[k]!;
  }

  private a(): Expr { return this.w.get(0, this.w.v128); }
  private b(): Expr { return this.w.get(1, wtype(this.w, this.f.src)); }

  /** Evaluates e once into a temporary; returns a getter. */
  private keep(t: WType, slot: number, e: Expr): () => Expr {
    const l = this.temp(t, slot);
    this.pre.push(this.w.set(l, e));
    return () => this.w.get(l, t);
  }

  private mxcsr?: () => Expr;
  private mx(): Expr {
    if (this.mxcsr === undefined) this.mxcsr = this.keep(this.w.i32, 9, this.w.load('i32', this.w.c32(MXCSR)));
    return this.mxcsr();
  }
  private envFast(): Expr { const w = this.w; return w.bin32('eq', w.bin32('and', this.mx(), w.c32(ENV_MASK)), w.c32(ENV_FAST)); }
  private peSet(): Expr { const w = this.w; return w.bin32('ne', w.bin32('and', this.mx(), w.c32(PE)), w.c32(0)); }

  emit(): Expr {
    const w = this.w;
    const fast = this.fastPath();
    if (fast === undefined) return this.slow();
    if (fast.cond === undefined) return w.block(null, [...this.pre, w.ret(fast.value)]);
    return w.block(null, [...this.pre, w.if(fast.cond, w.ret(fast.value)), this.slow()]);
  }

  /** The runtime call: operands to the scratch area, result back. */
  private slow(): Expr {
    const w = this.w, f = this.f;
    const code: Expr[] = [w.store('v128', w.c32(S), this.a())];
    code.push(f.src === 'v128' ? w.store('v128', w.c32(S + 16), this.b()) : w.store(f.src === 'i64' ? 'i64' : 'i32', w.c32(S + 16), this.b()));
    const call = w.call('sseSlow', [w.c32(this.k)], w.i32);
    if (f.fast === SseFast.Compare) {
      code.push(w.ret(call));
    } else {
      code.push(w.drop(call));
      code.push(w.ret(w.load(f.result === 'v128' ? 'v128' : f.result === 'i64' ? 'i64' : 'i32', w.c32(S + 32))));
    }
    return w.block(null, code);
  }

  /** The fast path: its value, and the condition under which it is exact (none: always). */
  private fastPath(): { cond?: Expr; value: Expr } | undefined {
    const w = this.w, f = this.f;
    const et = f.elem === 'f64' ? w.f64 : w.f32;
    const shape = f.elem === 'f64' ? 'f64x2' : 'f32x4';
    const scalar = f.lanes === 1;
    const L = new Lanes(w, f.elem, !scalar);
    const lane0 = (v: Expr, slot: number): (() => Expr) => this.keep(et, slot, w.extractLane(shape, v, 0));
    const operands = (): [() => Expr, () => Expr] => scalar ? [lane0(this.a(), 0), lane0(this.b(), 1)] : [() => this.a(), () => this.b()];
    const result = (r: () => Expr): Expr => scalar ? w.replaceLane(shape, this.a(), 0, r()) : r();
    switch (f.fast) {
      case SseFast.Arith: {
        const [x, y] = operands();
        const r = this.keep(scalar ? et : w.v128, 2, L.op(f.op as FloatOp, x(), y()));
        let ok: Expr;
        switch (f.op) {
          case 'add': case 'sub': ok = L.or(L.safeResult(r), L.op('eq', r(), L.k(0))); break;
          case 'mul': ok = L.or(L.safeResult(r), L.or(L.op('eq', x(), L.k(0)), L.op('eq', y(), L.k(0)))); break;
          default: ok = L.and(L.op('ne', y(), L.k(0)), L.or(L.safeResult(r), L.op('eq', x(), L.k(0))));
        }
        const cond = w.bin32('and', this.envFast(), L.all(L.and(L.and(L.zeroOrNormal(x), L.zeroOrNormal(y)), ok)));
        return { cond, value: result(r) };
      }
      case SseFast.Sqrt: {
        const y = scalar ? lane0(this.b(), 1) : () => this.b();
        const cond = w.bin32('and', this.envFast(), L.all(L.and(L.zeroOrNormal(y), L.op('ge', y(), L.k(0)))));
        return { cond, value: result(() => L.sqrt(y())) };
      }
      case SseFast.MinMax: {
        const [x, y] = operands();
        const cond = w.bin32('and', L.notNaNOrDenormal(x), L.notNaNOrDenormal(y));
        const pick = w.select(L.op(f.op === 'min' ? 'lt' : 'gt', x(), y()), x(), y());
        return { cond, value: result(() => pick) };
      }
      case SseFast.Compare: {
        const [x, y] = operands();
        const cond = w.bin32('and', L.notNaNOrDenormal(x), L.notNaNOrDenormal(y));
        const value = w.select(L.op('lt', x(), y()), w.c32(1), w.select(L.op('gt', x(), y()), w.c32(0), w.c32(2)));
        return { cond, value };
      }
      case SseFast.FromInt: return this.fromInt(shape);
      case SseFast.ToInt: return this.toInt();
      case SseFast.Narrow: {
        const x = lane0(this.b(), 1);
        const r = this.keep(w.f32, 2, w.demote(x()));
        const L32 = new Lanes(w, 'f32', false);
        const cond = w.bin32('and', this.envFast(), w.bin32('or', w.fbin('f64', 'eq', x(), w.cf64bits(0n)), L32.safeResult(r)));
        return { cond, value: w.replaceLane('f32x4', this.a(), 0, r()) };
      }
      case SseFast.Widen: {
        if (f.lanes === 1) {
          const y = lane0(this.b(), 1);
          return { cond: L.notNaNOrDenormal(y), value: w.replaceLane('f64x2', this.a(), 0, w.promote(y())) };
        }
        // CVTPS2PD: lanes 0 and 1 of the source.
        const V = new Lanes(w, 'f32', true);
        const mask = w.vun('i32x4', 'bitmask', V.notNaNOrDenormal(() => this.b()));
        return { cond: w.bin32('eq', w.bin32('and', mask, w.c32(3)), w.c32(3)), value: w.vun('f64x2', 'promote_low_f32x4', this.b()) };
      }
      case SseFast.IntToDouble: return { value: w.vun('f64x2', 'convert_low_i32x4_s', this.b()) };
      default: return undefined;
    }
  }

  /** CVTSI2SD/SS: exact when the integer fits the significand; else fast when env is. */
  private fromInt(shape: 'f32x4' | 'f64x2'): { cond?: Expr; value: Expr } {
    const w = this.w, f = this.f;
    const wide = f.src === 'i64';
    const conv = w.replaceLane(shape, this.a(), 0, w.fromInt(f.elem, wide ? 'i64' : 'i32', this.b()));
    if (f.elem === 'f64' && !wide) return { value: conv };
    const bits = f.elem === 'f64' ? 53 : 24;
    const exact = wide
      ? w.bin64('le_u', w.bin64('add', this.b(), w.c64(1n << BigInt(bits))), w.c64(1n << BigInt(bits + 1)))
      : w.bin32('le_u', w.bin32('add', this.b(), w.c32(1 << bits)), w.c32(2 ** (bits + 1)));
    // An inexact conversion raises only PE and rounds to nearest even, as wasm does.
    return { cond: f.elem === 'f64' ? exact : w.bin32('or', exact, this.envFast()), value: conv };
  }

  /** CVT(T)SD2SI/CVT(T)SS2SI: in range, and integral or PE already set; rounding ones need RC = nearest. */
  private toInt(): { cond: Expr; value: Expr } {
    const w = this.w, f = this.f;
    const wide = f.result === 'i64';
    const lane = w.extractLane(f.elem === 'f64' ? 'f64x2' : 'f32x4', this.b(), 0);
    const x = this.keep(w.f64, 1, f.elem === 'f64' ? lane : w.promote(lane)); // exact for non-NaN; NaN fails the range test
    const round = f.op === 'round';
    const r = round ? this.keep(w.f64, 2, w.fun('f64', 'nearest', x())) : () => w.fun('f64', 'trunc', x());
    const lim = wide ? 2 ** 63 : 2 ** 31;
    const c = (v: number): Expr => w.cf64bits(f64bits(v));
    const inRange = w.bin32('and', w.fbin('f64', 'ge', r(), c(-lim)), w.fbin('f64', 'lt', r(), c(lim)));
    let cond = w.bin32('and', inRange, w.bin32('or', w.fbin('f64', 'eq', r(), x()), this.peSet()));
    if (round) cond = w.bin32('and', cond, w.bin32('eq', w.bin32('and', this.mx(), w.c32(RC_MASK)), w.c32(0)));
    return { cond, value: w.truncSat(wide ? 'i64' : 'i32', 'f64', r()) };
  }
}

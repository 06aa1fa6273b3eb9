// The lowering of the IR's `sse` op, written once for both backends as a small wasm
// expression tree: one helper function per SSE form, `sse_<name>(a: v128, b) -> result`,
// which region code calls. Binaryen (codegen-sse.ts) and the direct byte emitter
// (direct/sse.ts) each turn the tree into their own output; the op table below gives
// both spellings of every wasm instruction used.
//
// The helper runs an inline fast path when a guard proves that wasm's IEEE operation
// gives the interpreter's result and that MXCSR would not change; else it calls the
// runtime's slow path (SseSlowPath, the interpreter's own handler:
// src/jit/sse-runtime.ts), which writes the result and MXCSR's flags.
//
// Why the fast paths are exact. wasm float arithmetic is IEEE-754 binary32/binary64
// with round-to-nearest-even and no flags; its only non-determinism is the bits of NaN
// results. The guards therefore require:
//  - "env": MXCSR has RC = nearest, DAZ = 0, FTZ = 0, and PE already set
//    ((MXCSR & 0xE060) == 0x0020). PE is sticky, so an inexact result changes nothing;
//    no other flag may be raised, which the next conditions ensure. The exception
//    masks do not matter: the interpreter never delivers SIMD exceptions.
//    Arithmetic (+ - * / sqrt) also runs inline with PE clear ((MXCSR & 0xE040) == 0):
//    it then decides exactness with error-free transformations (see `exactness`) inside
//    the limits where they are exact, and sets PE itself when the result is inexact
//    (programs whose results are all exact never set PE, and would otherwise always
//    take the slow path).
//  - inputs are zero or normal (finite, not denormal, not NaN): no DE, no NaN
//    propagation, no invalid operation on infinities, DAZ irrelevant;
//  - the result is normal with |r| > the smallest normal (strictly: a result that
//    rounds to exactly 2^emin is left to the slow path, as the interpreter's own fast
//    path does) and finite (no OE), or an exact zero that cannot hide an underflow: a
//    sum of zero-or-normal operands that is zero is exact; a product or quotient is
//    zero without underflow only when the first (or, for products, either) operand is
//    zero. Division also requires a nonzero divisor (ZE/IE), square root a non-negative
//    operand (IE; sqrt(-0) = -0 is exact).
// Then the value is the correctly rounded result both in wasm and in the interpreter
// (which rounds float32 results of double operations once more; 53 >= 2*24+2 makes
// that exact for + - * / and sqrt), and the only flag is PE, already set.
// Forms that raise no flag on zero/normal/infinite inputs (MIN/MAX, COMIS, CVTSS2SD,
// CVTPS2PD, exact integer conversions) need no env condition; MIN/MAX return the
// second operand unless the first is strictly smaller/larger, as x86 does.
// Float-to-integer needs the value in range (else the integer indefinite and IE) and
// either an integral value, PE set, or DAZ clear (the path then sets PE itself when the
// value was not integral; under DAZ a denormal converts as an exact zero); the rounding
// forms also need RC = nearest (f64.nearest is ties-to-even). Integer-to-float and
// CVTSD2SS likewise set PE themselves when they round (RC nearest; for CVTSD2SS also no
// DAZ/FTZ and a normal float32 result): rounded iff converting back differs.

import type { Ty } from '../ir/ir.js';
import { SSE_FORMS, SseFast } from '../ir/sse-forms.js';
import { STATE_BASE, Off } from '../cpu/state.js';
import { JitAddr } from './layout.js';

export type VT = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

/** One wasm instruction, by its text name: what it yields and its direct encoding. */
interface OpDef { result: VT; code: number[]; prefix?: 0xfc | 0xfd }

const S = (code: number, result: VT): OpDef => ({ result, code: [code], prefix: 0xfd });
const P = (code: number, result: VT): OpDef => ({ result, code: [code] });

/** Every wasm instruction the helpers use (text name -> result type and opcode). */
export const OPS = {
  'i32.and': P(0x71, 'i32'), 'i32.or': P(0x72, 'i32'), 'i32.eq': P(0x46, 'i32'), 'i32.ne': P(0x47, 'i32'),
  'i32.add': P(0x6a, 'i32'), 'i32.le_u': P(0x4d, 'i32'), 'i64.add': P(0x7c, 'i64'), 'i64.le_u': P(0x58, 'i32'), 'i64.ne': P(0x52, 'i32'),
  'f32.abs': P(0x8b, 'f32'), 'f32.sqrt': P(0x91, 'f32'), 'f32.add': P(0x92, 'f32'), 'f32.sub': P(0x93, 'f32'),
  'f32.mul': P(0x94, 'f32'), 'f32.div': P(0x95, 'f32'),
  'f32.eq': P(0x5b, 'i32'), 'f32.ne': P(0x5c, 'i32'), 'f32.lt': P(0x5d, 'i32'), 'f32.gt': P(0x5e, 'i32'), 'f32.le': P(0x5f, 'i32'), 'f32.ge': P(0x60, 'i32'),
  'f64.abs': P(0x99, 'f64'), 'f64.trunc': P(0x9d, 'f64'), 'f64.nearest': P(0x9e, 'f64'), 'f64.sqrt': P(0x9f, 'f64'),
  'f64.add': P(0xa0, 'f64'), 'f64.sub': P(0xa1, 'f64'), 'f64.mul': P(0xa2, 'f64'), 'f64.div': P(0xa3, 'f64'),
  'f64.eq': P(0x61, 'i32'), 'f64.ne': P(0x62, 'i32'), 'f64.lt': P(0x63, 'i32'), 'f64.gt': P(0x64, 'i32'), 'f64.le': P(0x65, 'i32'), 'f64.ge': P(0x66, 'i32'),
  'f32.convert_i32_s': P(0xb2, 'f32'), 'f32.convert_i64_s': P(0xb4, 'f32'), 'f32.demote_f64': P(0xb6, 'f32'),
  'f64.convert_i32_s': P(0xb7, 'f64'), 'f64.convert_i64_s': P(0xb9, 'f64'), 'f64.promote_f32': P(0xbb, 'f64'),
  'i32.trunc_sat_f64_s': { result: 'i32', code: [2], prefix: 0xfc }, 'i64.trunc_sat_f64_s': { result: 'i64', code: [6], prefix: 0xfc },
  'i32x4.extract_lane': S(0x1b, 'i32'), 'i32x4.replace_lane': S(0x1c, 'v128'),
  'i64x2.extract_lane': S(0x1d, 'i64'), 'i64x2.replace_lane': S(0x1e, 'v128'),
  'f32x4.extract_lane': S(0x1f, 'f32'), 'f32x4.replace_lane': S(0x20, 'v128'),
  'f64x2.extract_lane': S(0x21, 'f64'), 'f64x2.replace_lane': S(0x22, 'v128'),
  'f32x4.splat': S(0x13, 'v128'), 'f64x2.splat': S(0x14, 'v128'),
  'f32x4.eq': S(0x41, 'v128'), 'f32x4.ne': S(0x42, 'v128'), 'f32x4.lt': S(0x43, 'v128'), 'f32x4.gt': S(0x44, 'v128'), 'f32x4.le': S(0x45, 'v128'), 'f32x4.ge': S(0x46, 'v128'),
  'f64x2.eq': S(0x47, 'v128'), 'f64x2.ne': S(0x48, 'v128'), 'f64x2.lt': S(0x49, 'v128'), 'f64x2.gt': S(0x4a, 'v128'), 'f64x2.le': S(0x4b, 'v128'), 'f64x2.ge': S(0x4c, 'v128'),
  'v128.and': S(0x4e, 'v128'), 'v128.andnot': S(0x4f, 'v128'), 'v128.or': S(0x50, 'v128'), 'v128.xor': S(0x51, 'v128'),
  'f64x2.promote_low_f32x4': S(0x5f, 'v128'),
  'i32x4.all_true': S(0xa3, 'i32'), 'i32x4.bitmask': S(0xa4, 'i32'), 'i64x2.all_true': S(0xc3, 'i32'),
  'f32x4.abs': S(0xe0, 'v128'), 'f32x4.sqrt': S(0xe3, 'v128'), 'f32x4.add': S(0xe4, 'v128'), 'f32x4.sub': S(0xe5, 'v128'),
  'f32x4.mul': S(0xe6, 'v128'), 'f32x4.div': S(0xe7, 'v128'),
  'f64x2.abs': S(0xec, 'v128'), 'f64x2.sqrt': S(0xef, 'v128'), 'f64x2.add': S(0xf0, 'v128'), 'f64x2.sub': S(0xf1, 'v128'),
  'f64x2.mul': S(0xf2, 'v128'), 'f64x2.div': S(0xf3, 'v128'),
  'f64x2.convert_low_i32x4_s': S(0xfe, 'v128'),
  'i8x16.shuffle': S(0x0d, 'v128'),
} as const satisfies Record<string, OpDef>;

export type OpName = keyof typeof OPS;

/** A wasm expression or statement of a helper body. */
export type Node =
  | { n: 'op'; op: OpName; a: Node[]; lane?: number; bytes?: number[] }
  | { n: 'const'; t: VT; bits: bigint }
  | { n: 'get'; l: number; t: VT }
  | { n: 'set'; l: number; v: Node }
  | { n: 'select'; c: Node; a: Node; b: Node }
  | { n: 'load'; t: VT; addr: number }
  /** MXCSR's current value (a helper loads it; inlined code may keep a copy in a local). */
  | { n: 'mxcsr' }
  /** i32: MXCSR is the fast environment, (MXCSR & ENV_MASK) == ENV_FAST (inlined code may keep it in a local). */
  | { n: 'envFast' }
  | { n: 'store'; t: VT; addr: number; v: Node }
  /** Sets PE in MXCSR (inlined code also updates its copies: MXCSR is then the fast environment). */
  | { n: 'setPE' }
  /** The runtime's slow path: sseSlow(form) -> i32. */
  | { n: 'slow'; form: number }
  | { n: 'drop'; v: Node }
  | { n: 'if'; c: Node; then: Node[] }
  | { n: 'return'; v: Node };

/** A helper function: params a (local 0, v128) and b (local 1), then `locals`. */
export interface Helper {
  name: string;
  params: VT[];
  result: VT;
  locals: VT[];
  body: Node[];
}

/**
 * A helper taken apart, for callers that inline the fast path: run `prelude` (sets of
 * `locals`), then when `fast.cond` holds (or there is no cond) run `fast.effect` (which
 * may set PE) and the result is `fast.value`; otherwise (or with no fast path) the
 * helper itself must run.
 */
export interface HelperParts {
  locals: VT[];
  prelude: Node[];
  fast: FastPath | undefined;
}

export interface FastPath { cond?: Node; effect?: Node[]; value: Node }

/** Address of the guest's MXCSR (where the `mxcsr` node reads it from). */
export const MXCSR = STATE_BASE + Off.mxcsr;
const SCRATCH = JitAddr.sseScratch;
/** RC, FTZ, DAZ and PE bits; the fast environment is RC = 0, FTZ = DAZ = 0, PE = 1. */
export const ENV_MASK = 0xe060, ENV_FAST = 0x0020;
/** RC, FTZ and DAZ: zero in the environment where arithmetic may decide PE inline. */
const NEAR_MASK = 0xe040;
/** MXCSR.DAZ: denormal inputs read as zero. */
const DAZ = 0x40;
export const PE = 0x20;
const RC_MASK = 0x6000;

export function vt(t: Ty): VT { return t === 'i8' || t === 'i16' ? 'i32' : t; }

function f64bits(v: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v, true);
  return dv.getBigUint64(0, true);
}
function f32bits(v: number): bigint {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, v, true);
  return BigInt(dv.getUint32(0, true));
}

const op = (name: OpName, ...a: Node[]): Node => ({ n: 'op', op: name, a });
const lane = (name: OpName, lane_: number, ...a: Node[]): Node => ({ n: 'op', op: name, a, lane: lane_ });
const i32 = (v: number): Node => ({ n: 'const', t: 'i32', bits: BigInt(v >>> 0) });
const i64 = (v: bigint): Node => ({ n: 'const', t: 'i64', bits: BigInt.asUintN(64, v) });
const f64c = (v: number): Node => ({ n: 'const', t: 'f64', bits: f64bits(v) });
const and = (x: Node, y: Node): Node => op('i32.and', x, y);
const or = (x: Node, y: Node): Node => op('i32.or', x, y);

/** Float math on one scalar (masks are i32 0/1) or a whole vector (masks are v128). */
class Lanes {
  private readonly p: 'f32' | 'f64' | 'f32x4' | 'f64x2';
  constructor(readonly elem: 'f32' | 'f64', readonly vector: boolean) {
    this.p = vector ? (elem === 'f64' ? 'f64x2' : 'f32x4') : elem;
  }
  k(v: number): Node {
    const c: Node = { n: 'const', t: this.elem, bits: this.elem === 'f64' ? f64bits(v) : f32bits(v) };
    return this.vector ? op(this.elem === 'f64' ? 'f64x2.splat' : 'f32x4.splat', c) : c;
  }
  op(name: 'add' | 'sub' | 'mul' | 'div' | 'eq' | 'ne' | 'lt' | 'gt' | 'ge' | 'abs' | 'sqrt', ...a: Node[]): Node {
    return op(`${this.p}.${name}` as OpName, ...a);
  }
  and(p: Node, q: Node): Node { return this.vector ? op('v128.and', p, q) : and(p, q); }
  or(p: Node, q: Node): Node { return this.vector ? op('v128.or', p, q) : or(p, q); }
  /** An i32 that is 1 when every lane's mask is set. */
  all(m: Node): Node { return this.vector ? op(this.elem === 'f64' ? 'i64x2.all_true' : 'i32x4.all_true', m) : m; }
  get min(): number { return this.elem === 'f64' ? 2 ** -1022 : 2 ** -126; }
  /** x is zero or normal (not NaN, infinite or denormal). */
  zeroOrNormal(x: Node): Node { return this.and(this.op('lt', this.op('abs', x), this.k(Infinity)), this.notNaNOrDenormal(x)); }
  /** x is zero, normal or infinite. */
  notNaNOrDenormal(x: Node): Node { return this.or(this.op('ge', this.op('abs', x), this.k(this.min)), this.op('eq', x, this.k(0))); }
  /** |r| is above the smallest normal and finite. */
  safeResult(r: Node): Node {
    return this.and(this.op('gt', this.op('abs', r), this.k(this.min)), this.op('lt', this.op('abs', r), this.k(Infinity)));
  }
}

/** The helper function of SSE form k. */
export function sseHelper(k: number): Helper {
  const f = SSE_FORMS[k]!;
  const { locals, prelude, fast } = sseHelperParts(k);
  const src = vt(f.src), result = vt(f.result);
  const A: Node = { n: 'get', l: 0, t: 'v128' }, B: Node = { n: 'get', l: 1, t: src };
  const slow: Node[] = [{ n: 'store', t: 'v128', addr: SCRATCH, v: A }, { n: 'store', t: src, addr: SCRATCH + 16, v: B }];
  if (f.fast === SseFast.Compare) slow.push({ n: 'return', v: { n: 'slow', form: k } });
  else slow.push({ n: 'drop', v: { n: 'slow', form: k } }, { n: 'return', v: { n: 'load', t: result, addr: SCRATCH + 32 } });

  const body = [...prelude];
  if (fast === undefined) body.push(...slow);
  else if (fast.cond === undefined) body.push({ n: 'return', v: fast.value });
  else body.push({ n: 'if', c: fast.cond, then: [...(fast.effect ?? []), { n: 'return', v: fast.value }] }, ...slow);
  return { name: `sse_${f.name}`, params: ['v128', src], result, locals, body };
}

type ArithOp = 'add' | 'sub' | 'mul' | 'div' | 'sqrt';

/**
 * How an arithmetic fast path decides PE when it is clear (i32s, over all lanes): `safe` says the
 * error-free transformation is exact here (no overflow in its intermediates, no
 * underflow of a product's error term); then `stmts` (sets of locals) make `exact`
 * true exactly when the result needed no rounding.
 */
interface Exactness { safe: Node; stmts: Node[]; exact: Node }

/**
 * Limits for Dekker's product, as the interpreter's (src/interp/sse/ieee.ts): operands
 * and product below HIGH keep Veltkamp's split (by 2^s + 1, s = ceil(p/2)) and the
 * partial products finite; a product of at least LOW (or zero) makes every partial
 * product a multiple of the smallest denormal, so gradual underflow loses nothing.
 * f64: ulp(a)*ulp(b) = 2^(ea+eb-104) >= 2^-1074 needs ea+eb >= -970, and |p| >= 2^-969
 * gives ea+eb >= -970. f32: 2^(ea+eb-46) >= 2^-149 needs ea+eb >= -103; |p| >= 2^-100
 * gives ea+eb >= -101. Sums use the same HIGH (TwoSum's intermediates stay finite
 * below half the largest value; a sum's error is never lost to underflow).
 */
const DEKKER = {
  f64: { split: 2 ** 27 + 1, high: 2 ** 995, low: 2 ** -969 },
  f32: { split: 2 ** 12 + 1, high: 2 ** 114, low: 2 ** -100 },
} as const;

/**
 * The exactness test of x OP y = r (sqrt: y = x, r = sqrt(x)), all zero or normal with
 * r normal or an exact zero (the fast path's guard). add/sub: Knuth's TwoSum error of
 * r is zero. mul: Dekker's TwoProduct error of r is zero. div: r*y is exactly x
 * (TwoProduct of r and y: rounded product x and error zero). sqrt: r*r is exactly x.
 */
function exactness(L: Lanes, o: ArithOp, x: Node, y: Node, r: Node, keepIn: (into: Node[], e: Node) => Node): Exactness {
  const { split, high, low } = DEKKER[L.elem];
  const stmts: Node[] = [];
  const keep = (e: Node): Node => keepIn(stmts, e);
  const small = (v: Node): Node => L.op('lt', L.op('abs', v), L.k(high));
  const zero = (v: Node): Node => L.op('eq', v, L.k(0));
  const bigOrZero = (v: Node): Node => L.or(L.op('ge', L.op('abs', v), L.k(low)), zero(v));
  const halves = (a: Node): [Node, Node] => {
    const c = keep(L.op('mul', L.k(split), a));
    const hi = keep(L.op('sub', c, L.op('sub', c, a)));
    return [hi, keep(L.op('sub', a, hi))];
  };
  /** The rounding error of p = a*b. */
  const productError = (a: Node, b: Node, p: Node): Node => {
    const [ah, al] = halves(a);
    const [bh, bl] = a === b ? [ah, al] : halves(b);
    const m = (u: Node, v: Node): Node => L.op('mul', u, v);
    return L.op('add', L.op('add', L.op('add', L.op('sub', m(ah, bh), p), m(ah, bl)), m(al, bh)), m(al, bl));
  };
  switch (o) {
    case 'add': case 'sub': {
      // TwoSum of x and y' = ±y: bb = r - x; err = (x - (r - bb)) + (y' - bb).
      const bb = keep(L.op('sub', r, x));
      const xe = L.op('sub', x, L.op('sub', r, bb));
      const err = o === 'add' ? L.op('add', xe, L.op('sub', y, bb)) : L.op('sub', xe, L.op('add', y, bb));
      return { safe: L.all(L.and(small(x), small(y))), stmts, exact: L.all(zero(err)) };
    }
    case 'mul':
      return { safe: L.all(L.and(L.and(small(x), small(y)), L.and(small(r), bigOrZero(r)))), stmts, exact: L.all(zero(productError(x, y, r))) };
    case 'div': {
      const p = keep(L.op('mul', r, y));
      return {
        safe: L.all(L.and(L.and(small(x), small(y)), L.and(small(r), bigOrZero(x)))),
        stmts,
        exact: L.all(L.and(L.op('eq', p, x), zero(productError(r, y, p)))),
      };
    }
    case 'sqrt': {
      const p = keep(L.op('mul', r, r));
      return { safe: L.all(L.and(small(x), bigOrZero(x))), stmts, exact: L.all(L.and(L.op('eq', p, x), zero(productError(r, r, p)))) };
    }
  }
}

/**
 * An arithmetic fast path: `base` (i32) proves wasm's result is the interpreter's and
 * that no flag but PE can change. With PE set that is all (PE is sticky); with PE clear
 * (RC nearest, no DAZ/FTZ) the error-free transformation must be safe, and the path
 * sets PE itself when the result is inexact.
 */
function withExactness(base: Node, ex: Exactness, value: Node): FastPath {
  const near = op('i32.eq', and({ n: 'mxcsr' }, i32(NEAR_MASK)), i32(0));
  const env: Node = { n: 'envFast' };
  const cond = and(or(env, and(near, ex.safe)), base);
  const effect: Node[] = [{
    n: 'if', c: op('i32.eq', env, i32(0)),
    then: [...ex.stmts, { n: 'if', c: op('i32.eq', ex.exact, i32(0)), then: [{ n: 'setPE' }] }],
  }];
  return { cond, effect, value };
}

/** The fast path of SSE form k (see HelperParts). */
export function sseHelperParts(k: number): HelperParts {
  const f = SSE_FORMS[k]!;
  const locals: VT[] = [];
  const body: Node[] = [];
  const src = vt(f.src), result = vt(f.result);
  const A: Node = { n: 'get', l: 0, t: 'v128' }, B: Node = { n: 'get', l: 1, t: src };
  /** Evaluates e once into a new local, appending the set to `into`; returns its read. */
  const keepIn = (into: Node[], t: VT, e: Node): Node => {
    locals.push(t);
    const l = 1 + locals.length;
    into.push({ n: 'set', l, v: e });
    return { n: 'get', l, t };
  };
  const keep = (t: VT, e: Node): Node => keepIn(body, t, e);
  let mxNode: Node | undefined;
  const mx = (): Node => (mxNode ??= keep('i32', { n: 'mxcsr' }));
  const envFast = (): Node => ({ n: 'envFast' });
  const peSet = (): Node => op('i32.ne', and(mx(), i32(PE)), i32(0));

  const scalar = f.lanes === 1;
  const et = f.elem;
  const shape = et === 'f64' ? 'f64x2' : 'f32x4';
  const L = new Lanes(et, !scalar);
  const lane0 = (v: Node): Node => keep(et, lane(`${shape}.extract_lane`, 0, v));
  const operands = (): [Node, Node] => (scalar ? [lane0(A), lane0(B)] : [A, B]);
  const intoA = (r: Node): Node => (scalar ? lane(`${shape}.replace_lane`, 0, A, r) : r);

  let fast: FastPath | undefined;
  /** Sets PE when `inexact` holds and PE is still clear (a conversion that rounded). */
  const setPEIf = (inexact: Node): Node[] => [{ n: 'if', c: and(inexact, op('i32.eq', peSet(), i32(0))), then: [{ n: 'setPE' }] }];
  switch (f.fast) {
    case SseFast.Arith: {
      const [x, y] = operands();
      const lt = scalar ? et : 'v128';
      const r = keep(lt, L.op(f.op as 'add', x, y));
      let ok: Node;
      switch (f.op) {
        case 'add': case 'sub': ok = L.or(L.safeResult(r), L.op('eq', r, L.k(0))); break;
        case 'mul': ok = L.or(L.safeResult(r), L.or(L.op('eq', x, L.k(0)), L.op('eq', y, L.k(0)))); break;
        default: ok = L.and(L.op('ne', y, L.k(0)), L.or(L.safeResult(r), L.op('eq', x, L.k(0))));
      }
      const ex = exactness(L, f.op as ArithOp, x, y, r, (into, e) => keepIn(into, lt, e));
      fast = withExactness(L.all(L.and(L.and(L.zeroOrNormal(x), L.zeroOrNormal(y)), ok)), ex, intoA(r));
      break;
    }
    case SseFast.Sqrt: {
      const y = scalar ? lane0(B) : B;
      const lt = scalar ? et : 'v128';
      const r = keep(lt, L.op('sqrt', y));
      const ex = exactness(L, 'sqrt', y, y, r, (into, e) => keepIn(into, lt, e));
      fast = withExactness(L.all(L.and(L.zeroOrNormal(y), L.op('ge', y, L.k(0)))), ex, intoA(r));
      break;
    }
    case SseFast.MinMax: {
      const [x, y] = operands();
      const pick: Node = { n: 'select', c: L.op(f.op === 'min' ? 'lt' : 'gt', x, y), a: x, b: y };
      fast = { cond: and(L.notNaNOrDenormal(x), L.notNaNOrDenormal(y)), value: intoA(pick) };
      break;
    }
    case SseFast.Compare: {
      const [x, y] = operands();
      const value: Node = { n: 'select', c: L.op('lt', x, y), a: i32(1), b: { n: 'select', c: L.op('gt', x, y), a: i32(0), b: i32(2) } };
      fast = { cond: and(L.notNaNOrDenormal(x), L.notNaNOrDenormal(y)), value };
      break;
    }
    case SseFast.FromInt: {
      const wide = src === 'i64';
      const conv = lane(`${shape}.replace_lane`, 0, A, op(`${et}.convert_${wide ? 'i64' : 'i32'}_s` as OpName, B));
      if (et === 'f64' && !wide) { fast = { value: conv }; break; }
      // Exact when |b| fits the significand; otherwise only PE, rounding to nearest even as wasm does.
      // With RC nearest and PE clear, an integer that does not fit rounds and sets PE here.
      const bits = et === 'f64' ? 53 : 24;
      const exact = wide
        ? op('i64.le_u', op('i64.add', B, i64(1n << BigInt(bits))), i64(1n << BigInt(bits + 1)))
        : op('i32.le_u', op('i32.add', B, i32(2 ** bits)), i32(2 ** (bits + 1)));
      // Rounded iff converting the result back gives another integer (a large power of
      // two is exact; 2^63 from a rounded i64 saturates to 2^63-1, also another integer).
      const near = op('i32.eq', and(mx(), i32(RC_MASK)), i32(0));
      const r = keep(et, op(`${et}.convert_${wide ? 'i64' : 'i32'}_s` as OpName, B));
      const back = op(wide ? 'i64.trunc_sat_f64_s' : 'i32.trunc_sat_f64_s', et === 'f64' ? r : op('f64.promote_f32', r));
      const rounded = op(wide ? 'i64.ne' : 'i32.ne', back, B);
      fast = { cond: or(exact, near), effect: setPEIf(rounded), value: lane(`${shape}.replace_lane`, 0, A, r) };
      break;
    }
    case SseFast.ToInt: {
      const wide = result === 'i64';
      const l = lane(`${shape}.extract_lane`, 0, B);
      const x = keep('f64', et === 'f64' ? l : op('f64.promote_f32', l)); // exact for non-NaN; NaN fails the range test
      const round = f.op === 'round';
      const r = round ? keep('f64', op('f64.nearest', x)) : op('f64.trunc', x);
      const lim = wide ? 2 ** 63 : 2 ** 31;
      // A non-integral value only sets PE, here too when PE is clear; but with DAZ a
      // denormal input converts as zero, exactly, so then PE must already be set.
      const dazClear = op('i32.eq', and(mx(), i32(DAZ)), i32(0));
      let cond = and(and(op('f64.ge', r, f64c(-lim)), op('f64.lt', r, f64c(lim))), or(op('f64.eq', r, x), or(peSet(), dazClear)));
      if (round) cond = and(cond, op('i32.eq', and(mx(), i32(RC_MASK)), i32(0)));
      fast = { cond, effect: setPEIf(op('f64.ne', r, x)), value: op(wide ? 'i64.trunc_sat_f64_s' : 'i32.trunc_sat_f64_s', r) };
      break;
    }
    case SseFast.Narrow: {
      const x = lane0(B);
      const r = keep('f32', op('f32.demote_f64', x));
      // With PE clear (RC nearest, no DAZ/FTZ), a result that rounded sets PE here.
      const near = op('i32.eq', and(mx(), i32(NEAR_MASK)), i32(0));
      fast = {
        cond: and(or(envFast(), near), or(op('f64.eq', x, f64c(0)), new Lanes('f32', false).safeResult(r))),
        effect: setPEIf(op('f64.ne', op('f64.promote_f32', r), x)),
        value: lane('f32x4.replace_lane', 0, A, r),
      };
      break;
    }
    case SseFast.Widen: {
      if (scalar) {
        const y = lane0(B);
        fast = { cond: L.notNaNOrDenormal(y), value: lane('f64x2.replace_lane', 0, A, op('f64.promote_f32', y)) };
        break;
      }
      // CVTPS2PD: lanes 0 and 1 of the source.
      const mask = op('i32x4.bitmask', new Lanes('f32', true).notNaNOrDenormal(B));
      fast = { cond: op('i32.eq', and(mask, i32(3)), i32(3)), value: op('f64x2.promote_low_f32x4', B) };
      break;
    }
    case SseFast.IntToDouble: fast = { value: op('f64x2.convert_low_i32x4_s', B) }; break;
    default: fast = undefined;
  }

  return { locals, prelude: body, fast };
}

// The SSE instruction forms the IR's `sse` op can stand for: one row per form, giving
// the interpreter mnemonic that defines its semantics, its operand shapes and result
// type. `sse k, a, b` means "run form k as the interpreter would, with the destination
// register holding a and the source holding b", MXCSR included. Backends lower it as a
// call into the runtime (SseSlowPath, which runs the interpreter's own handler) and may
// add an inline fast path where they can prove it exact (both do: src/jit/sse-fast.ts).
//
// The row index is the `k` of the op and the argument of the runtime call, so rows are
// only ever appended.

import type { Ty } from './ir.js';

/** What a backend's fast path does (the slow path is the same for all). */
export const enum SseFast {
  /** No fast path: always the runtime call. */
  None,
  /** Scalar/packed add, sub, mul, div (lane op `op`). */
  Arith,
  Sqrt,
  /** MIN/MAX (scalar only). */
  MinMax,
  /** COMIS/UCOMIS. */
  Compare,
  /** CVTSI2SD/SS. */
  FromInt,
  /** CVT(T)SD2SI/CVT(T)SS2SI. */
  ToInt,
  /** CVTSD2SS. */
  Narrow,
  /** CVTSS2SD, CVTPS2PD. */
  Widen,
  /** CVTDQ2PD (always exact, no flags). */
  IntToDouble,
}

export interface SseForm {
  /** Name in the IR text. */
  name: string;
  /** The interpreter's handler (iced mnemonic). */
  mnemonic: string;
  /** Result: v128 (destination XMM), i32/i64 (GPR), or i32 ordering code (COMIS/UCOMIS). */
  result: Ty;
  /** The source operand b: v128 (XMM or memory), or the integer width of a GPR/memory source. */
  src: Ty;
  /** Element type and lanes the form works on (its fast path's shape). */
  elem: 'f32' | 'f64';
  lanes: number;
  fast: SseFast;
  /** Arith: the lane operation; MinMax: 'min' | 'max'; Compare: 'ordered' (COMIS) | 'unordered' (UCOMIS); ToInt: 'trunc' | 'round'. */
  op: string;
}

function row(name: string, result: Ty, src: Ty, elem: 'f32' | 'f64', lanes: number, fast: SseFast, op = ''): SseForm {
  const m = name.replace(/(32|64)$/, '');
  return { name, mnemonic: m[0]!.toUpperCase() + m.slice(1), result, src, elem, lanes, fast, op };
}

const forms: SseForm[] = [];
for (const [suffix, elem, lanes] of [['sd', 'f64', 1], ['ss', 'f32', 1], ['pd', 'f64', 2], ['ps', 'f32', 4]] as const) {
  for (const op of ['add', 'sub', 'mul', 'div'] as const) forms.push(row(op + suffix, 'v128', 'v128', elem, lanes, SseFast.Arith, op));
  forms.push(row('sqrt' + suffix, 'v128', 'v128', elem, lanes, SseFast.Sqrt));
  for (const op of ['min', 'max'] as const) forms.push(row(op + suffix, 'v128', 'v128', elem, lanes, lanes === 1 ? SseFast.MinMax : SseFast.None, op));
}
forms.push(
  row('comisd', 'i32', 'v128', 'f64', 1, SseFast.Compare, 'ordered'),
  row('ucomisd', 'i32', 'v128', 'f64', 1, SseFast.Compare, 'unordered'),
  row('comiss', 'i32', 'v128', 'f32', 1, SseFast.Compare, 'ordered'),
  row('ucomiss', 'i32', 'v128', 'f32', 1, SseFast.Compare, 'unordered'),
  row('cvtsi2sd32', 'v128', 'i32', 'f64', 1, SseFast.FromInt),
  row('cvtsi2sd64', 'v128', 'i64', 'f64', 1, SseFast.FromInt),
  row('cvtsi2ss32', 'v128', 'i32', 'f32', 1, SseFast.FromInt),
  row('cvtsi2ss64', 'v128', 'i64', 'f32', 1, SseFast.FromInt),
  row('cvttsd2si32', 'i32', 'v128', 'f64', 1, SseFast.ToInt, 'trunc'),
  row('cvttsd2si64', 'i64', 'v128', 'f64', 1, SseFast.ToInt, 'trunc'),
  row('cvtsd2si32', 'i32', 'v128', 'f64', 1, SseFast.ToInt, 'round'),
  row('cvtsd2si64', 'i64', 'v128', 'f64', 1, SseFast.ToInt, 'round'),
  row('cvttss2si32', 'i32', 'v128', 'f32', 1, SseFast.ToInt, 'trunc'),
  row('cvttss2si64', 'i64', 'v128', 'f32', 1, SseFast.ToInt, 'trunc'),
  row('cvtss2si32', 'i32', 'v128', 'f32', 1, SseFast.ToInt, 'round'),
  row('cvtss2si64', 'i64', 'v128', 'f32', 1, SseFast.ToInt, 'round'),
  row('cvtsd2ss', 'v128', 'v128', 'f64', 1, SseFast.Narrow),
  row('cvtss2sd', 'v128', 'v128', 'f32', 1, SseFast.Widen),
  row('cvtps2pd', 'v128', 'v128', 'f32', 2, SseFast.Widen),
  row('cvtpd2ps', 'v128', 'v128', 'f64', 2, SseFast.None),
  row('cvtdq2pd', 'v128', 'v128', 'f64', 2, SseFast.IntToDouble),
  row('cvtdq2ps', 'v128', 'v128', 'f32', 4, SseFast.None),
  row('cvttpd2dq', 'v128', 'v128', 'f64', 2, SseFast.None),
  row('cvttps2dq', 'v128', 'v128', 'f32', 4, SseFast.None),
  row('cvtpd2dq', 'v128', 'v128', 'f64', 2, SseFast.None),
  row('cvtps2dq', 'v128', 'v128', 'f32', 4, SseFast.None),
);

export const SSE_FORMS: readonly SseForm[] = forms;

const byName = new Map(forms.map((f, i) => [f.name, i]));

/** The row index of a form by its IR name (throws for an unknown name). */
export function sseFormIndex(name: string): number {
  const i = byName.get(name);
  if (i === undefined) throw new Error(`unknown SSE form ${name}`);
  return i;
}

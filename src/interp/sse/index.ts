// SSE, SSE2, SSE3, SSSE3, SSE4.1 (and SSE4.2 PCMPGTQ) instruction semantics for the
// reference interpreter, keyed by iced-x86 mnemonic name.
//
// Name collision: iced calls both the SSE2 scalar-double move/compare and the string
// instructions "Movsd"/"Cmpsd". `sseHandlers.Movsd`/`.Cmpsd` implement only the SSE
// forms; the interpreter routes with `isSseForm(insn)` (SSE forms have XMM operands,
// string forms have none), or wraps both with `routeSseOrString`.

import type { Handler, HandlerTable } from '../machine.js';
import type { Insn } from '../../x86/insn.js';
import { approxHandlers } from './approx.js';
import { arithHandlers } from './arith.js';
import { convertHandlers } from './convert.js';
import { integerHandlers } from './integer.js';
import { moveHandlers } from './moves.js';
import { isXmm } from './operands.js';
import { shuffleHandlers } from './shuffle.js';
import { ssse3Handlers } from './ssse3.js';
import { sse41Handlers } from './sse41.js';

export const sseHandlers: HandlerTable = {
  ...moveHandlers,
  ...arithHandlers,
  ...convertHandlers,
  ...integerHandlers,
  ...shuffleHandlers,
  ...approxHandlers,
  ...ssse3Handlers,
  ...sse41Handlers,
};

/** True for the SSE forms of the mnemonics shared with string instructions (MOVSD, CMPSD). */
export function isSseForm(insn: Insn): boolean {
  return insn.ops.some(isXmm);
}

/** One handler for "Movsd" or "Cmpsd" that dispatches to the SSE or the string form. */
export function routeSseOrString(sse: Handler, string: Handler): Handler {
  return (m, insn) => (isSseForm(insn) ? sse(m, insn) : string(m, insn));
}

export { GP_FAULT_ADDRESS } from './operands.js';
export { APPROXIMATE, approxMatches } from './approx.js';

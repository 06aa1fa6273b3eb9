// __C_specific_handler: the language handler MSVC and clang attach to functions with
// __try/__except/__finally. Its handler data is a scope table:
//   ULONG Count; { ULONG BeginAddress, EndAddress, HandlerAddress, JumpTarget } [Count]
// (RVAs). JumpTarget != 0: an __except scope whose HandlerAddress is a filter funclet
// (or 1, the constant EXCEPTION_EXECUTE_HANDLER) and JumpTarget its handler body.
// JumpTarget == 0: a __finally scope whose HandlerAddress is the termination funclet.
// Scopes are listed innermost first.
//
// Dispatch: the first __except scope covering ControlPc whose filter says
// EXECUTE_HANDLER unwinds to its body (RtlUnwindEx with the exception code as the
// return value, which the body finds in EAX); a negative filter result continues
// execution. Unwind: every __finally scope covering ControlPc runs with
// AbnormalTermination = TRUE, except, at the target frame, those that also cover the
// target (they are not being left); DispatcherContext.ScopeIndex is advanced first, so
// a collided unwind does not run a __finally twice.

import type { Process } from '../../runtime/process.js';
import { Reg } from '../cpu/state.js';
import { Rec, Disp, ExcFlag, Disposition, Filter } from './layout.js';
import { callHandler } from './state.js';
import { unwindFromApi } from './unwind.js';

interface Scope { begin: number; end: number; handler: number; jump: number }

function scopes(p: Process, table: number): Scope[] {
  const m = p.mem;
  const count = m.read32(table);
  const out: Scope[] = [];
  for (let i = 0; i < count; i++) {
    const r = table + 4 + 16 * i;
    out.push({ begin: m.read32(r), end: m.read32(r + 4), handler: m.read32(r + 8), jump: m.read32(r + 12) });
  }
  return out;
}

/** Called as a native: the return address is at RSP, the free stack below it. */
export function cSpecificHandler(p: Process, rec: number, frame: number, ctx: number, dc: number): number {
  const m = p.mem;
  const imageBase = m.readPtr(dc + Disp.imageBase);
  const pc = m.readPtr(dc + Disp.controlPc) - imageBase;
  const table = scopes(p, m.readPtr(dc + Disp.handlerData));
  const flags = m.read32(rec + Rec.flags);
  const scratch = Math.floor((p.st.getNum(Reg.RSP) - 0x40) / 16) * 16;
  const covers = (s: Scope, rva: number): boolean => rva >= s.begin && rva < s.end;

  if ((flags & (ExcFlag.UNWINDING | ExcFlag.EXIT_UNWIND)) === 0) {
    m.writePtr(scratch, rec);
    m.writePtr(scratch + 8, ctx);
    for (let i = m.read32(dc + Disp.scopeIndex); i < table.length; i++) {
      const s = table[i]!;
      if (!covers(s, pc) || s.jump === 0) continue;
      const verdict = s.handler === 1 ? Filter.ExecuteHandler
        : callHandler(p, { kind: 'filter', exceptionContext: ctx, dispatcherContext: 0, frameContext: 0 }, imageBase + s.handler, [scratch, frame], scratch);
      if (verdict < 0) return Disposition.ContinueExecution;
      if (verdict > 0) {
        unwindFromApi(p, {
          targetFrame: frame, targetIp: imageBase + s.jump, record: rec,
          returnValue: BigInt(m.read32(rec + Rec.code)), historyTable: m.readPtr(dc + Disp.historyTable),
        });
      }
    }
    return Disposition.ContinueSearch;
  }

  const target = m.readPtr(dc + Disp.targetIp) - imageBase;
  const atTarget = (flags & ExcFlag.TARGET_UNWIND) !== 0;
  for (let i = m.read32(dc + Disp.scopeIndex); i < table.length; i++) {
    const s = table[i]!;
    if (!covers(s, pc)) continue;
    if (atTarget && table.some((t) => covers(t, target) && t.jump === s.jump && t.handler === s.handler)) break;
    if (s.jump !== 0) {
      if (atTarget && target === s.jump) break;
      continue;
    }
    m.write32(dc + Disp.scopeIndex, i + 1);
    callHandler(p, { kind: 'unwind', exceptionContext: ctx, dispatcherContext: dc, frameContext: m.readPtr(dc + Disp.contextRecord) },
      imageBase + s.handler, [1, frame], scratch);
  }
  return Disposition.ContinueSearch;
}

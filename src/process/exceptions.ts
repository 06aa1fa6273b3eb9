// Guest faults as Windows exceptions: the engine's fault hook. A fault goes to the
// structured-exception dispatcher (src/seh/dispatch.ts: vectored handlers, frame
// handlers found through .pdata, then the SetUnhandledExceptionFilter filter); a
// ContextTransfer (the end of an unwind) is installed at the engine level it targets.
// When the stack has no room left to dispatch on (a stack overflow), only the
// top-level filter is offered the fault, with records on the process heap.

import { GuestFault, ExceptionCode } from '../mem/fault.js';
import type { Process } from '../../runtime/process.js';
import { TebOff } from '../../runtime/process-env.js';
import { writeContext, readContext } from '../seh/context.js';
import { Ctx, Rec, Filter } from '../seh/layout.js';
import { ContextTransfer, acceptTransfer } from '../seh/transfer.js';
import { dispatchFault, canDispatchOnStack, topLevelFilter, markDispatched } from '../seh/dispatch.js';
import { sehState } from '../seh/state.js';

export { topLevelFilter };
export const EXCEPTION_EXECUTE_HANDLER = Filter.ExecuteHandler;
export const EXCEPTION_CONTINUE_SEARCH = Filter.ContinueSearch;
export const EXCEPTION_CONTINUE_EXECUTION = Filter.ContinueExecution;

const normalized = new WeakMap<GuestFault, GuestFault>();

/**
 * Touching the stack's guard page (or the no-access page below it) means the stack is
 * exhausted: Windows reports STATUS_STACK_OVERFLOW for that. The same fault always
 * normalizes to the same object, so it is dispatched once however many engine levels
 * it passes on its way out.
 */
export function normalizeFault(p: Process, f: GuestFault): GuestFault {
  if (f instanceof ContextTransfer) return f;
  const known = normalized.get(f);
  if (known) return known;
  let out = f;
  const low = p.mem.readPtr(p.teb + TebOff.deallocationStack);
  const inGuardArea = f.address >= low && f.address < low + 0x2000;
  if (inGuardArea && (f.code === ExceptionCode.GuardPage || f.code === ExceptionCode.AccessViolation)) {
    out = new GuestFault(ExceptionCode.StackOverflow, f.address, f.access);
  }
  normalized.set(f, out);
  return out;
}

/**
 * The engine's fault hook. Returns true when execution resumes from the CPU state
 * (a handler continued execution, or an unwind's target context was installed),
 * false when the fault is unhandled (or is a transfer for an outer engine level).
 */
export function dispatchUnhandled(p: Process, f: GuestFault): boolean {
  if (f instanceof ContextTransfer) return acceptTransfer(p, f);
  if (sehState(p).dispatched.has(f)) return false;
  if (canDispatchOnStack(p)) return dispatchFault(p, f);
  markDispatched(p, f);
  return offerToTopLevelFilter(p, f);
}

/** Calls the top-level filter with records on the heap; true when it continued execution. */
function offerToTopLevelFilter(p: Process, f: GuestFault): boolean {
  const filter = topLevelFilter(p);
  const state = p.dllState('seh.topLevel', () => ({ active: false }));
  if (filter === 0 || state.active) return false;
  state.active = true;
  try {
    return callFilter(p, filter, f);
  } finally {
    state.active = false;
  }
}

function callFilter(p: Process, filter: number, f: GuestFault): boolean {
  const st = p.st;
  const rec = p.dllState('exceptions.record', () => p.alloc(Rec.size + Ctx.size + 16 + 16, true));
  const ctx = Math.ceil((rec + Rec.size) / 16) * 16;
  const ptrs = ctx + Ctx.size;
  const m = p.mem;
  m.fill(rec, 0, Rec.size);
  m.write32(rec + Rec.code, f.code);
  m.writePtr(rec + Rec.address, st.rip);
  if (f.code === ExceptionCode.AccessViolation) {
    m.write32(rec + Rec.numberParameters, 2);
    m.writePtr(rec + Rec.information, f.access);
    m.write64(rec + Rec.information + 8, BigInt.asUintN(64, BigInt(f.address)));
  }
  writeContext(m, ctx, st);
  m.writePtr(ptrs, rec);
  m.writePtr(ptrs + 8, ctx);
  // A stack overflow has used up the stack: run the filter on what the guard page left.
  let verdict: number;
  try {
    verdict = Number(BigInt.asIntN(32, p.callGuest(filter, [ptrs])));
  } catch (e) {
    if (e instanceof ContextTransfer && acceptTransfer(p, e)) return true;
    if (e instanceof GuestFault && !(e instanceof ContextTransfer)) return false; // a fault inside the filter: the original one stands
    throw e;
  }
  if (verdict === Filter.ContinueExecution) {
    readContext(m, ctx, st);
    return true;
  }
  return false;
}

// Per-process exception-handling state: the function tables, vectored handlers, and
// the stack of handler calls in progress.
//
// The dispatcher and the unwinder run in TypeScript and call guest handlers through
// Process.callGuest. A guest handler's outermost frame returns to the callback
// sentinel, so a frame walk that starts inside a handler (a nested exception, or
// an unwind the handler started) reaches that sentinel. The active-call stack says
// which dispatch or unwind made that call, which is what Windows learns from the
// handlers of its RtlpExecuteHandlerFor{Exception,Unwind} frames: a walk that
// crosses a dispatch continues at that dispatch's exception context (a nested
// exception); one that crosses an unwind continues at the frame that unwind was
// processing (a collided unwind) and calls that frame's handler again.

import type { Process } from '../../runtime/process.js';
import { Reg } from '../cpu/state.js';
import { PAGE_SIZE } from '../mem/memory.js';
import type { GuestFault } from '../mem/fault.js';
import { TebOff } from '../../runtime/process-env.js';
import { FunctionTables } from './function-table.js';

export type ActiveCallKind = 'dispatch' | 'unwind' | 'filter';

/** One guest handler call in progress. */
export interface ActiveCall {
  readonly kind: ActiveCallKind;
  /** Process.callbackDepth before the call: where a transfer abandoning this call resumes. */
  readonly depth: number;
  /** Guest RSP when callGuest was entered; the sentinel return address sits just below. */
  readonly rsp: number;
  /** The exception context the operation started from (a nested walk continues there). */
  readonly exceptionContext: number;
  /** The DISPATCHER_CONTEXT passed to the handler (frame handlers only). */
  readonly dispatcherContext: number;
  /** For unwinds: the CONTEXT of the frame being unwound (the collided walk resumes from it). */
  readonly frameContext: number;
}

export interface VectoredHandler { readonly handle: number; readonly fn: number }

export interface SehState {
  readonly tables: FunctionTables;
  readonly vectored: VectoredHandler[];
  readonly continueHandlers: VectoredHandler[];
  readonly active: ActiveCall[];
  /** Faults already dispatched (an unhandled one passes every engine level on its way out). */
  readonly dispatched: WeakSet<GuestFault>;
  /** Dispatches in progress, to stop runaway nesting. */
  nesting: number;
  nextHandle: number;
}

export function sehState(p: Process): SehState {
  return p.dllState('seh', () => {
    const tables = new FunctionTables(p.mem);
    tables.addImage(p.imageBase);
    return { tables, vectored: [], continueHandlers: [], active: [], dispatched: new WeakSet(), nesting: 0, nextHandle: 0x5e0010 };
  });
}

/** How far below the callGuest entry RSP the sentinel slot can be (callGuest's own reserve). */
const SENTINEL_REACH = 0x200;

/** The handler call whose sentinel a walk reached with RSP = `rsp` (after popping it). */
export function activeCallAt(s: SehState, rsp: number): ActiveCall | undefined {
  for (let i = s.active.length - 1; i >= 0; i--) {
    const a = s.active[i]!;
    if (rsp <= a.rsp && a.rsp - rsp < SENTINEL_REACH) return a;
  }
  return undefined;
}

/**
 * Calls a guest handler with the call recorded as active. The guest stack below
 * `below` is free for the call (the caller's scratch structures sit above it).
 */
export function callHandler(
  p: Process, call: Omit<ActiveCall, 'depth' | 'rsp'>, fn: number, args: readonly (number | bigint)[], below: number,
): number {
  const s = sehState(p);
  const st = p.st;
  const savedRsp = st.getNum(Reg.RSP);
  st.setNum(Reg.RSP, below);
  s.active.push({ ...call, depth: p.callbackDepth, rsp: below });
  try {
    return Number(BigInt.asIntN(32, p.callGuest(fn, args)));
  } finally {
    s.active.pop();
    st.setNum(Reg.RSP, savedRsp);
  }
}

/** The callbackDepth at which a context with stack pointer `rsp` runs: handler calls below it are abandoned. */
export function depthForStack(p: Process, rsp: number): number {
  for (const a of sehState(p).active) if (a.rsp < rsp) return a.depth;
  return p.callbackDepth;
}

export interface StackBounds { low: number; high: number }

export function stackBounds(p: Process): StackBounds {
  return { low: p.mem.readPtr(p.teb + TebOff.deallocationStack), high: p.mem.readPtr(p.teb + TebOff.stackBase) };
}

/**
 * Room for `size` bytes of dispatcher structures below `rsp` on the guest stack, 64-byte
 * aligned, or undefined when that would leave less than a page above the guard area
 * (a stack overflow being dispatched).
 */
export function stackScratch(p: Process, rsp: number, size: number): number | undefined {
  const base = Math.floor((rsp - size - 0x40) / 64) * 64;
  const { low } = stackBounds(p);
  return base - 3 * PAGE_SIZE >= low ? base : undefined;
}

/** Whether `pc` is the return address Process.callGuest gives every host-to-guest call. */
export function isCallbackSentinel(p: Process, pc: number): boolean {
  const t = p.thunks.info(pc);
  return t !== undefined && t.dll === 'wexe' && t.name === 'callback-return';
}

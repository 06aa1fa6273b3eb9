// The exception dispatcher (RtlDispatchException) and its two entries: a hardware
// fault reported by the engine, and a software exception raised through an API.
//
// Order, as on Windows: vectored handlers; then the frame-based handlers found by
// walking the stack from the exception context with RtlLookupFunctionEntry and
// RtlVirtualUnwind (each called with the EXCEPTION_RECORD, its establisher frame, the
// original CONTEXT and a DISPATCHER_CONTEXT); then the program's top-level filter
// (SetUnhandledExceptionFilter), which Windows calls from the frame handler of the
// thread's first function. Nobody handling it ends the process with the exception code.
//
// The records live on the guest stack below the exception context's RSP (where
// Windows' KiUserExceptionDispatcher puts them) and handlers run below those, so
// nested exceptions and unwinds stack up naturally.
//
// How control leaves:
// - continue execution: the (possibly edited) CONTEXT is installed; for a fault the
//   engine resumes from it, for RaiseException the API "returns" into it (jumpTo);
// - a handler unwinds (RtlUnwindEx): the unwind ends in a ContextTransfer (transfer.ts)
//   that abandons the dispatcher's host frames and resumes the target frame;
// - unhandled: the fault, marked as dispatched, ends the process with a crash report.

import type { Process } from '../../runtime/process.js';
import { Reg } from '../cpu/state.js';
import { GuestFault, ExceptionCode } from '../mem/fault.js';
import { Ctx, Rec, Disp, ExcFlag, Disposition, Filter, UnwFlag, Status, EXCEPTION_MAXIMUM_PARAMETERS } from './layout.js';
import { writeContext, readContext, ctxRip, ctxReg, setCtxRip, setCtxReg, RSP } from './context.js';
import { virtualUnwind } from './virtual-unwind.js';
import { BadUnwindInfo } from './unwind-info.js';
import { sehState, callHandler, activeCallAt, stackBounds, stackScratch, isCallbackSentinel, type StackBounds } from './state.js';
import { ContextTransfer, acceptTransfer } from './transfer.js';

/** Guest structures of one dispatch, carved from the stack. */
interface DispatchFrame {
  rec: number;
  /** The exception CONTEXT handlers see and may edit. */
  ctx: number;
  /** The walk's current CONTEXT (DISPATCHER_CONTEXT.ContextRecord). */
  walk: number;
  dc: number;
  /** EXCEPTION_POINTERS for vectored handlers and filters. */
  pointers: number;
  /** Spare record for STATUS_NONCONTINUABLE_EXCEPTION. */
  rec2: number;
  /** Handlers run below this. */
  bottom: number;
}

const DISPATCH_SCRATCH = 0xc00;
const MAX_NESTING = 32;
const MAX_FRAMES = 100_000;

function carve(base: number): DispatchFrame {
  return { rec: base, ctx: base + 0xa0, walk: base + 0x570, dc: base + 0xa40, pointers: base + 0xa90, rec2: base + 0xaa0, bottom: base };
}

/** The program's SetUnhandledExceptionFilter filter (kept by KERNEL32), 0 for none. */
export function topLevelFilter(p: Process): number {
  return p.dllState('kernel32.exceptionFilter', () => ({ filter: 0 })).filter;
}

type Outcome = 'continue' | 'unhandled';

/**
 * Engine fault hook: dispatches a guest fault (CPU state at the faulting instruction).
 * True: resume from the CPU state. False: the fault ends the process (or, for a
 * transfer meant for an outer engine level, travels on).
 */
export function dispatchFault(p: Process, f: GuestFault): boolean {
  if (f instanceof ContextTransfer) return acceptTransfer(p, f);
  const s = sehState(p);
  if (s.dispatched.has(f)) return false;
  const st = p.st;
  const base = stackScratch(p, st.getNum(Reg.RSP), DISPATCH_SCRATCH);
  if (base === undefined) return false; // no stack left to dispatch on: see canDispatchOnStack
  s.dispatched.add(f);
  const saved = st.snapshot();
  const d = carve(base);
  writeContext(p.mem, d.ctx, st);
  writeRecord(p, d.rec, f.code, 0, st.rip, f.code === ExceptionCode.AccessViolation ? [BigInt(f.access), BigInt(f.address)] : []);
  try {
    if (dispatchException(p, d) === 'continue') { readContext(p.mem, d.ctx, st); return true; }
    st.restore(saved);
    return false;
  } catch (e) {
    if (e instanceof ContextTransfer && acceptTransfer(p, e)) return true;
    throw e;
  }
}

/** Whether dispatchFault could not even start (no stack room): the old top-level-only path applies. */
export function canDispatchOnStack(p: Process): boolean {
  return stackScratch(p, p.st.getNum(Reg.RSP), DISPATCH_SCRATCH) !== undefined;
}

/**
 * RaiseException/RtlRaiseException, called from a native whose return address is at
 * RSP. Returns when a handler continued execution (the CPU state then holds the
 * context to return into, RIP/RSP included, and a jump is pending); never returns
 * otherwise.
 */
export function raiseFromApi(p: Process, build: (rec: number, returnAddress: number) => void, record?: number): void {
  const st = p.st;
  const rsp = st.getNum(Reg.RSP);
  const ret = p.mem.readPtr(rsp);
  const base = stackScratch(p, rsp, DISPATCH_SCRATCH);
  if (base === undefined) throw markDispatched(p, new GuestFault(ExceptionCode.StackOverflow, rsp, 1, 'no stack left to raise an exception on'));
  const d = carve(base);
  if (record !== undefined) d.rec = record;
  writeContext(p.mem, d.ctx, st);
  setCtxRip(p.mem, d.ctx, ret);
  setCtxReg(p.mem, d.ctx, RSP, rsp + 8);
  build(d.rec, ret);
  if (dispatchException(p, d) === 'continue') {
    readContext(p.mem, d.ctx, st);
    p.jumpTo(st.rip, st.getNum(Reg.RSP));
    return;
  }
  readContext(p.mem, d.ctx, st);
  const code = p.mem.read32(d.rec + Rec.code);
  throw markDispatched(p, new GuestFault(code, 0, 0, 'raised by RaiseException and not handled'));
}

export function markDispatched(p: Process, f: GuestFault): GuestFault {
  sehState(p).dispatched.add(f);
  return f;
}

export function writeRecord(p: Process, rec: number, code: number, flags: number, address: number, params: readonly bigint[]): void {
  const m = p.mem;
  m.fill(rec, 0, Rec.size);
  m.write32(rec + Rec.code, code >>> 0);
  m.write32(rec + Rec.flags, flags);
  m.writePtr(rec + Rec.address, address);
  const n = Math.min(params.length, EXCEPTION_MAXIMUM_PARAMETERS);
  m.write32(rec + Rec.numberParameters, n);
  for (let i = 0; i < n; i++) m.write64(rec + Rec.information + 8 * i, params[i]!);
}

function dispatchException(p: Process, d: DispatchFrame): Outcome {
  const s = sehState(p);
  if (s.nesting >= MAX_NESTING) return 'unhandled';
  s.nesting++;
  try {
    return dispatchOnce(p, d);
  } finally {
    s.nesting--;
  }
}

function dispatchOnce(p: Process, d: DispatchFrame): Outcome {
  const s = sehState(p);
  const m = p.mem;
  m.writePtr(d.pointers, d.rec);
  m.writePtr(d.pointers + 8, d.ctx);
  const filterCall = { kind: 'filter' as const, exceptionContext: d.ctx, dispatcherContext: 0, frameContext: 0 };
  for (const v of [...s.vectored]) {
    if (callHandler(p, filterCall, v.fn, [d.pointers], d.bottom) === Filter.ContinueExecution) return continued(p, d);
  }
  const walked = walkFrames(p, d);
  if (walked === 'continue') return continued(p, d);
  if (walked === 'noncontinuable') return raiseNoncontinuable(p, d);
  const filter = topLevelFilter(p);
  const guard = p.dllState('seh.topLevel', () => ({ active: false }));
  if (filter !== 0 && !guard.active) {
    guard.active = true;
    let verdict: number;
    try {
      verdict = callHandler(p, filterCall, filter, [d.pointers], d.bottom);
    } finally {
      guard.active = false;
    }
    // Windows calls the filter from the __except filter of the thread's first frame, so
    // continuing is subject to the same rule as for any frame handler.
    if (verdict === Filter.ContinueExecution) {
      return m.read32(d.rec + Rec.flags) & ExcFlag.NONCONTINUABLE ? raiseNoncontinuable(p, d) : 'continue';
    }
  }
  return 'unhandled';
}

/** Continuing a noncontinuable exception raises STATUS_NONCONTINUABLE_EXCEPTION from the same context. */
function raiseNoncontinuable(p: Process, d: DispatchFrame): Outcome {
  const m = p.mem;
  writeRecord(p, d.rec2, Status.NONCONTINUABLE_EXCEPTION, ExcFlag.NONCONTINUABLE, m.readPtr(d.rec + Rec.address), []);
  m.writePtr(d.rec2 + Rec.record, d.rec);
  return dispatchException(p, { ...d, rec: d.rec2, rec2: d.rec });
}

/** Vectored continue handlers run when execution is about to continue. */
function continued(p: Process, d: DispatchFrame): Outcome {
  const call = { kind: 'filter' as const, exceptionContext: d.ctx, dispatcherContext: 0, frameContext: 0 };
  for (const v of [...sehState(p).continueHandlers]) {
    if (callHandler(p, call, v.fn, [d.pointers], d.bottom) === Filter.ContinueExecution) break;
  }
  return 'continue';
}

interface FrameInfo {
  controlPc: number;
  imageBase: number;
  functionEntry: number;
  establisherFrame: number;
  handler: number;
  handlerData: number;
  scopeIndex: number;
}

export function validFrame(b: StackBounds, frame: number): boolean {
  return (frame & 7) === 0 && frame >= b.low && frame <= b.high;
}

/** Walks the frames from the exception context, calling exception handlers. */
function walkFrames(p: Process, d: DispatchFrame): 'continue' | 'noncontinuable' | 'end' {
  const m = p.mem;
  const s = sehState(p);
  const bounds = stackBounds(p);
  m.writeBytes(d.walk, m.readBytes(d.ctx, Ctx.size));
  let nestedFrame = 0;

  const callFrame = (fr: FrameInfo): 'continue' | 'noncontinuable' | 'search' => {
    writeDispatcherContext(p, d.dc, fr, 0, d.walk, 0);
    const r = callHandler(p, { kind: 'dispatch', exceptionContext: d.ctx, dispatcherContext: d.dc, frameContext: d.walk },
      fr.handler, [d.rec, fr.establisherFrame, d.ctx, d.dc], d.bottom);
    const flags = m.read32(d.rec + Rec.flags);
    if (nestedFrame !== 0 && fr.establisherFrame === nestedFrame) {
      m.write32(d.rec + Rec.flags, flags & ~ExcFlag.NESTED_CALL);
      nestedFrame = 0;
    }
    switch (r) {
      case Disposition.ContinueExecution: return flags & ExcFlag.NONCONTINUABLE ? 'noncontinuable' : 'continue';
      case Disposition.ContinueSearch: return 'search';
      case Disposition.NestedException: m.write32(d.rec + Rec.flags, m.read32(d.rec + Rec.flags) | ExcFlag.NESTED_CALL); return 'search';
      default: throw markDispatched(p, new GuestFault(Status.INVALID_DISPOSITION, 0, 0, `exception handler 0x${fr.handler.toString(16)} returned ${r}`));
    }
  };

  for (let step = 0; step < MAX_FRAMES; step++) {
    const pc = ctxRip(m, d.walk);
    const rsp = ctxReg(m, d.walk, RSP);
    if (isCallbackSentinel(p, pc)) {
      const a = activeCallAt(s, rsp);
      if (a === undefined) return 'end';
      if (a.kind === 'unwind') {
        // Collided with an unwind in progress: take up its frame and call that frame's handler again.
        m.writeBytes(d.walk, m.readBytes(a.frameContext, Ctx.size));
        const fr = readDispatcherContext(p, a.dispatcherContext);
        virtualUnwind(m, UnwFlag.NHANDLER, fr.imageBase, fr.controlPc, fr.functionEntry, d.walk);
        const r = callFrame(fr);
        if (r !== 'search') return r;
        continue;
      }
      // A nested exception: go on from the outer exception's context.
      m.write32(d.rec + Rec.flags, m.read32(d.rec + Rec.flags) | ExcFlag.NESTED_CALL);
      if (a.dispatcherContext !== 0) nestedFrame = Math.max(nestedFrame, m.readPtr(a.dispatcherContext + Disp.establisherFrame));
      m.writeBytes(d.walk, m.readBytes(a.exceptionContext, Ctx.size));
      continue;
    }
    const hit = s.tables.lookup(pc);
    try {
      if (hit === undefined) {
        // A leaf function (or runtime thunk): the return address is at RSP.
        if (rsp < bounds.low || rsp + 8 > bounds.high) return 'end';
        setCtxRip(m, d.walk, m.readPtr(rsp));
        setCtxReg(m, d.walk, RSP, rsp + 8);
        if (ctxRip(m, d.walk) === 0) return 'end';
        continue;
      }
      const r = virtualUnwind(m, UnwFlag.EHANDLER, hit.imageBase, pc, hit.entry, d.walk);
      if (!validFrame(bounds, r.establisherFrame)) {
        m.write32(d.rec + Rec.flags, m.read32(d.rec + Rec.flags) | ExcFlag.STACK_INVALID);
        return 'end';
      }
      if (r.handler !== 0) {
        const out = callFrame({ controlPc: pc, imageBase: hit.imageBase, functionEntry: hit.entry, establisherFrame: r.establisherFrame, handler: r.handler, handlerData: r.handlerData, scopeIndex: 0 });
        if (out !== 'search') return out;
      }
    } catch (e) {
      if (e instanceof BadUnwindInfo || (e instanceof GuestFault && !(e instanceof ContextTransfer) && !s.dispatched.has(e))) return 'end';
      throw e;
    }
    const next = ctxReg(m, d.walk, RSP);
    if (next > bounds.high || ctxRip(m, d.walk) === 0) return 'end';
  }
  return 'end';
}

export function writeDispatcherContext(p: Process, dc: number, fr: FrameInfo, targetIp: number, contextRecord: number, historyTable: number): void {
  const m = p.mem;
  m.fill(dc, 0, Disp.size);
  m.writePtr(dc + Disp.controlPc, fr.controlPc);
  m.writePtr(dc + Disp.imageBase, fr.imageBase);
  m.writePtr(dc + Disp.functionEntry, fr.functionEntry);
  m.writePtr(dc + Disp.establisherFrame, fr.establisherFrame);
  m.writePtr(dc + Disp.targetIp, targetIp);
  m.writePtr(dc + Disp.contextRecord, contextRecord);
  m.writePtr(dc + Disp.languageHandler, fr.handler);
  m.writePtr(dc + Disp.handlerData, fr.handlerData);
  m.writePtr(dc + Disp.historyTable, historyTable);
  m.write32(dc + Disp.scopeIndex, fr.scopeIndex);
}

export function readDispatcherContext(p: Process, dc: number): FrameInfo {
  const m = p.mem;
  return {
    controlPc: m.readPtr(dc + Disp.controlPc),
    imageBase: m.readPtr(dc + Disp.imageBase),
    functionEntry: m.readPtr(dc + Disp.functionEntry),
    establisherFrame: m.readPtr(dc + Disp.establisherFrame),
    handler: m.readPtr(dc + Disp.languageHandler),
    handlerData: m.readPtr(dc + Disp.handlerData),
    scopeIndex: m.read32(dc + Disp.scopeIndex),
  };
}

export type { FrameInfo };

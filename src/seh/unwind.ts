// RtlUnwindEx: the second pass. Walks from the caller's frame to the target frame,
// calling each frame's unwind handler (EXCEPTION_UNWINDING, plus
// EXCEPTION_TARGET_UNWIND at the target), then installs the target frame's context
// with RIP = TargetIp and RAX = ReturnValue. Never returns: the end is a
// ContextTransfer (transfer.ts).
//
// The walk starts at the API's caller. Inside a handler call that means the handler's
// own frames first, then the sentinel of the call, where the active-call stack says
// how to go on (state.ts): past an exception dispatch to the frames that raised it,
// into an unwind in progress as a collided unwind (its current frame's handler is
// called again, with EXCEPTION_COLLIDED_UNWIND).

import type { Process } from '../../runtime/process.js';
import { Reg } from '../cpu/state.js';
import { GuestFault } from '../mem/fault.js';
import { Ctx, Rec, ExcFlag, Disposition, UnwFlag, Status } from './layout.js';
import { writeContext, ctxRip, ctxReg, setCtxRip, setCtxReg, RSP } from './context.js';
import { virtualUnwind } from './virtual-unwind.js';
import { BadUnwindInfo } from './unwind-info.js';
import { sehState, callHandler, activeCallAt, stackBounds, stackScratch, isCallbackSentinel } from './state.js';
import { transferTo, ContextTransfer } from './transfer.js';
import { markDispatched, validFrame, writeDispatcherContext, readDispatcherContext, writeRecord, type FrameInfo } from './dispatch.js';

const UNWIND_SCRATCH = 0xc00;
const MAX_FRAMES = 100_000;
const RAX = 0;

export interface UnwindRequest {
  /** Establisher frame to stop at; 0 unwinds the whole stack (exit unwind). */
  targetFrame: number;
  targetIp: number;
  /** Guest EXCEPTION_RECORD, 0 for a STATUS_UNWIND record of our own. */
  record: number;
  returnValue: bigint;
  historyTable: number;
}

/** Unwinds from the caller of the current native (return address at RSP). */
export function unwindFromApi(p: Process, req: UnwindRequest): never {
  const st = p.st;
  const m = p.mem;
  const rsp = st.getNum(Reg.RSP);
  const base = stackScratch(p, rsp, UNWIND_SCRATCH);
  if (base === undefined) throw fatal(p, Status.BAD_STACK, 'no stack left to unwind on');
  const cur = base, prev = base + 0x4d0, dc = base + 0x9a0, localRec = base + 0x9f0;
  writeContext(m, cur, st);
  setCtxRip(m, cur, m.readPtr(rsp));
  setCtxReg(m, cur, RSP, rsp + 8);
  let rec = req.record;
  if (rec === 0) {
    rec = localRec;
    writeRecord(p, rec, Status.UNWIND, 0, m.readPtr(rsp), []);
  }
  const s = sehState(p);
  const bounds = stackBounds(p);
  const baseFlags = (m.read32(rec + Rec.flags) & ExcFlag.NONCONTINUABLE) | ExcFlag.UNWINDING | (req.targetFrame === 0 ? ExcFlag.EXIT_UNWIND : 0);

  const callUnwindHandler = (fr: FrameInfo, extra: number): void => {
    const target = fr.establisherFrame === req.targetFrame ? ExcFlag.TARGET_UNWIND : 0;
    m.write32(rec + Rec.flags, baseFlags | extra | target);
    m.write64(cur + Ctx.gpr + 8 * RAX, req.returnValue);
    writeDispatcherContext(p, dc, fr, req.targetIp, cur, req.historyTable);
    const r = callHandler(p, { kind: 'unwind', exceptionContext: cur, dispatcherContext: dc, frameContext: cur },
      fr.handler, [rec, fr.establisherFrame, cur, dc], base);
    m.write32(rec + Rec.flags, baseFlags);
    if (r !== Disposition.ContinueSearch) throw fatal(p, Status.INVALID_DISPOSITION, `unwind handler 0x${fr.handler.toString(16)} returned ${r}`);
  };

  for (let step = 0; step < MAX_FRAMES; step++) {
    const pc = ctxRip(m, cur);
    const sp = ctxReg(m, cur, RSP);
    if (isCallbackSentinel(p, pc)) {
      const a = activeCallAt(s, sp);
      if (a === undefined) break;
      if (a.kind === 'unwind') {
        // Collided: resume the interrupted unwind's frame, calling its handler again.
        m.writeBytes(cur, m.readBytes(a.frameContext, Ctx.size));
        m.writeBytes(prev, m.readBytes(cur, Ctx.size));
        const fr = readDispatcherContext(p, a.dispatcherContext);
        virtualUnwind(m, UnwFlag.NHANDLER, fr.imageBase, fr.controlPc, fr.functionEntry, prev);
        callUnwindHandler(fr, ExcFlag.COLLIDED_UNWIND);
        if (fr.establisherFrame === req.targetFrame) return finish(p, cur, req);
        m.writeBytes(cur, m.readBytes(prev, Ctx.size));
        continue;
      }
      m.writeBytes(cur, m.readBytes(a.exceptionContext, Ctx.size));
      continue;
    }
    const hit = s.tables.lookup(pc);
    if (hit === undefined) {
      if (sp < bounds.low || sp + 8 > bounds.high) break;
      setCtxRip(m, cur, m.readPtr(sp));
      setCtxReg(m, cur, RSP, sp + 8);
      continue;
    }
    m.writeBytes(prev, m.readBytes(cur, Ctx.size));
    let r;
    try {
      r = virtualUnwind(m, UnwFlag.UHANDLER, hit.imageBase, pc, hit.entry, prev);
    } catch (e) {
      if (e instanceof BadUnwindInfo || (e instanceof GuestFault && !(e instanceof ContextTransfer))) throw fatal(p, Status.BAD_STACK, `unwinding at 0x${pc.toString(16)}: ${(e as Error).message}`);
      throw e;
    }
    if (!validFrame(bounds, r.establisherFrame)) throw fatal(p, Status.BAD_STACK, `frame 0x${r.establisherFrame.toString(16)} is outside the stack`);
    if (req.targetFrame !== 0 && r.establisherFrame > req.targetFrame) {
      throw fatal(p, Status.INVALID_UNWIND_TARGET, `unwind target frame 0x${req.targetFrame.toString(16)} is not on the stack`);
    }
    if (r.handler !== 0) {
      callUnwindHandler({ controlPc: pc, imageBase: hit.imageBase, functionEntry: hit.entry, establisherFrame: r.establisherFrame, handler: r.handler, handlerData: r.handlerData, scopeIndex: 0 }, 0);
    }
    if (r.establisherFrame === req.targetFrame) return finish(p, cur, req);
    m.writeBytes(cur, m.readBytes(prev, Ctx.size));
  }
  throw fatal(p, req.targetFrame === 0 ? Status.UNWIND : Status.INVALID_UNWIND_TARGET,
    req.targetFrame === 0 ? 'exit unwind reached the end of the stack' : `unwind target frame 0x${req.targetFrame.toString(16)} was not found`);
}

function finish(p: Process, cur: number, req: UnwindRequest): never {
  p.mem.write64(cur + Ctx.gpr + 8 * RAX, req.returnValue);
  setCtxRip(p.mem, cur, req.targetIp);
  return transferTo(p, cur);
}

function fatal(p: Process, code: number, detail: string): GuestFault {
  return markDispatched(p, new GuestFault(code, 0, 0, detail));
}

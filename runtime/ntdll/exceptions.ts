// The Rtl* exception-handling API (NTDLL; KERNEL32 forwards most of it). The work is
// done by src/seh/: this file only marshals arguments.

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { Reg } from '../../src/cpu/state.js';
import { Rec, UnwFlag } from '../../src/seh/layout.js';
import { writeContext, setCtxRip, setCtxReg, ctxReg, RSP } from '../../src/seh/context.js';
import { virtualUnwind } from '../../src/seh/virtual-unwind.js';
import { BadUnwindInfo } from '../../src/seh/unwind-info.js';
import { sehState, type VectoredHandler } from '../../src/seh/state.js';
import { raiseFromApi, writeRecord } from '../../src/seh/dispatch.js';
import { unwindFromApi } from '../../src/seh/unwind.js';
import { transferTo } from '../../src/seh/transfer.js';
import { cSpecificHandler } from '../../src/seh/c-specific-handler.js';
import { moduleHandle } from '../modules.js';

/** RtlCaptureContext: the caller's registers, as if the call had just returned. */
function captureContext(p: Process, ctx: number): void {
  const rsp = p.st.getNum(Reg.RSP);
  writeContext(p.mem, ctx, p.st);
  setCtxRip(p.mem, ctx, p.mem.readPtr(rsp));
  setCtxReg(p.mem, ctx, RSP, rsp + 8);
}

function lookupFunctionEntry(p: Process, pc: number, imageBaseOut: number): number {
  const hit = sehState(p).tables.lookup(pc);
  if (!hit) return 0;
  if (imageBaseOut) p.mem.writePtr(imageBaseOut, hit.imageBase);
  return hit.entry;
}

function rtlVirtualUnwind(p: Process, type: number, imageBase: number, pc: number, entry: number, ctx: number,
  handlerDataOut: number, frameOut: number, ptrs: number): number {
  let r;
  try {
    r = virtualUnwind(p.mem, type, imageBase, pc, entry, ctx, ptrs);
  } catch (e) {
    if (!(e instanceof BadUnwindInfo)) throw e;
    // Unusable unwind data: treat the function as a leaf, as the walkers do for code without any.
    const rsp = ctxReg(p.mem, ctx, RSP);
    r = { handler: 0, handlerData: 0, establisherFrame: rsp };
    setCtxRip(p.mem, ctx, p.mem.readPtr(rsp));
    setCtxReg(p.mem, ctx, RSP, rsp + 8);
  }
  if (handlerDataOut) p.mem.writePtr(handlerDataOut, r.handlerData);
  if (frameOut) p.mem.writePtr(frameOut, r.establisherFrame);
  return r.handler;
}

/**
 * The base of the module holding `addr`: a loaded image (the executable, wexert.dll) or,
 * for an API thunk, the emulated DLL it belongs to; 0 when none.
 */
export function moduleBaseOf(p: Process, addr: number): number {
  const base = sehState(p).tables.imageBaseOf(addr) ?? 0;
  if (base !== 0) return base;
  const t = p.thunks.info(addr);
  return t && t.fn ? moduleHandle(p, t.dll) : 0;
}

function pcToFileHeader(p: Process, pc: number, out: number): number {
  const base = moduleBaseOf(p, pc);
  p.mem.writePtr(out, base);
  return base;
}

function addVectored(p: Process, list: VectoredHandler[], first: number, handler: number): number {
  const handle = p.alloc(16, true);
  p.mem.writePtr(handle, handler);
  const entry = { handle, fn: handler };
  if (first) list.unshift(entry); else list.push(entry);
  return handle;
}

function removeVectored(list: VectoredHandler[], handle: number): number {
  const i = list.findIndex((v) => v.handle === handle);
  if (i < 0) return 0;
  list.splice(i, 1);
  return 1;
}

/** RaiseException's record: flags keep only EXCEPTION_NONCONTINUABLE; at most 15 parameters. */
export function raiseException(p: Process, code: number, flags: number, count: number, args: number): void {
  const params: bigint[] = [];
  if (args !== 0) for (let i = 0; i < Math.min(count, 15); i++) params.push(p.mem.read64(args + 8 * i));
  raiseFromApi(p, (rec, ret) => writeRecord(p, rec, code, flags & 1, ret, params));
}

export const vectoredFunctions = {
  AddVectoredExceptionHandler: fn(['u32', 'ptr'], 'ptr', (p, first, h) => addVectored(p, sehState(p).vectored, first, h)),
  RemoveVectoredExceptionHandler: fn(['ptr'], 'u32', (p, h) => removeVectored(sehState(p).vectored, h)),
  AddVectoredContinueHandler: fn(['u32', 'ptr'], 'ptr', (p, first, h) => addVectored(p, sehState(p).continueHandlers, first, h)),
  RemoveVectoredContinueHandler: fn(['ptr'], 'u32', (p, h) => removeVectored(sehState(p).continueHandlers, h)),
};

/** Exported by NTDLL and, forwarded, by KERNEL32. */
export const rtlExceptionFunctions = {
  RtlCaptureContext: fn(['ptr'], 'void', (p, ctx) => captureContext(p, ctx)),
  RtlLookupFunctionEntry: fn(['ptr', 'ptr', 'ptr'], 'ptr', (p, pc, base) => lookupFunctionEntry(p, pc, base)),
  RtlVirtualUnwind: fn(['u32', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'ptr',
    (p, type, base, pc, entry, ctx, data, frame, ptrs) => rtlVirtualUnwind(p, type & (UnwFlag.EHANDLER | UnwFlag.UHANDLER), base, pc, entry, ctx, data, frame, ptrs)),
  RtlUnwindEx: fn(['ptr', 'ptr', 'ptr', 'u64', 'ptr', 'ptr'], 'void', (p, frame, ip, rec, value, _ctx, history) => {
    unwindFromApi(p, { targetFrame: frame, targetIp: ip, record: rec, returnValue: value, historyTable: history });
  }),
  RtlUnwind: fn(['ptr', 'ptr', 'ptr', 'u64'], 'void', (p, frame, ip, rec, value) => {
    unwindFromApi(p, { targetFrame: frame, targetIp: ip, record: rec, returnValue: value, historyTable: 0 });
  }),
  RtlRestoreContext: fn(['ptr', 'ptr'], 'void', (p, ctx) => transferTo(p, ctx)),
  RtlRaiseException: fn(['ptr'], 'void', (p, rec) => raiseFromApi(p, (r, ret) => p.mem.writePtr(r + Rec.address, ret), rec)),
  RtlPcToFileHeader: fn(['ptr', 'ptr'], 'ptr', (p, pc, out) => pcToFileHeader(p, pc, out)),
  RtlAddFunctionTable: fn(['ptr', 'u32', 'ptr'], 'bool', (p, table, count, base) => sehState(p).tables.addTable(table, count, base)),
  RtlDeleteFunctionTable: fn(['ptr'], 'bool', (p, table) => sehState(p).tables.deleteTable(table)),
};

export const ntdllExceptionFunctions = {
  ...rtlExceptionFunctions,
  RtlAddVectoredExceptionHandler: vectoredFunctions.AddVectoredExceptionHandler,
  RtlRemoveVectoredExceptionHandler: vectoredFunctions.RemoveVectoredExceptionHandler,
  RtlAddVectoredContinueHandler: vectoredFunctions.AddVectoredContinueHandler,
  RtlRemoveVectoredContinueHandler: vectoredFunctions.RemoveVectoredContinueHandler,
  __C_specific_handler: fn(['ptr', 'ptr', 'ptr', 'ptr'], 'i32', (p, rec, frame, ctx, dc) => cSpecificHandler(p, rec, frame, ctx, dc)),
};



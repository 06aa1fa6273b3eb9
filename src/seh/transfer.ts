// Non-local transfers: installing a CONTEXT somewhere up the stack (the end of an
// unwind, RtlRestoreContext, a handler that continues execution).
//
// The API that asks for it runs as a native inside some engine.run level, possibly
// several host-to-guest calls deeper than the frame it transfers to. It throws a
// ContextTransfer carrying the CONTEXT bytes and the callbackDepth of the level that
// runs the target frame. The exception unwinds the JavaScript stack, and with it the
// abandoned handler calls (each callGuest lowers callbackDepth in its `finally`);
// every engine level hands guest faults to the process fault handler, and the one
// whose depth matches installs the context and resumes (acceptTransfer). The
// dispatcher of a hardware fault runs inside that fault handler, so it accepts
// transfers to its own level itself.

import type { Process } from '../../runtime/process.js';
import { GuestFault } from '../mem/fault.js';
import { Ctx, Status } from './layout.js';
import { readContext } from './context.js';
import { depthForStack } from './state.js';

const RSP_OFFSET = Ctx.gpr + 8 * 4;

export class ContextTransfer extends GuestFault {
  constructor(readonly context: Uint8Array, readonly depth: number) {
    super(Status.INVALID_UNWIND_TARGET, 0, 0, 'a context transfer found no engine level to resume in');
    this.name = 'ContextTransfer';
  }
}

/** Throws the transfer to the CONTEXT at guest address `ctx` (copied now). */
export function transferTo(p: Process, ctx: number): never {
  const bytes = p.mem.readBytes(ctx, Ctx.size);
  const view = new DataView(bytes.buffer);
  const rsp = view.getUint32(RSP_OFFSET, true) + view.getUint32(RSP_OFFSET + 4, true) * 0x1_0000_0000;
  throw new ContextTransfer(bytes, depthForStack(p, rsp));
}

/** Installs `t` when this engine level is its target; false lets it travel further out. */
export function acceptTransfer(p: Process, t: ContextTransfer): boolean {
  if (t.depth !== p.callbackDepth) return false;
  installContextBytes(p, t.context);
  return true;
}

export function installContextBytes(p: Process, bytes: Uint8Array): void {
  // readContext works on guest memory: stage the bytes in a per-process buffer.
  const at = p.dllState('seh.installBuffer', () => p.alloc(Ctx.size + 16, true));
  const aligned = Math.ceil(at / 16) * 16;
  p.mem.writeBytes(aligned, bytes);
  readContext(p.mem, aligned, p.st);
}

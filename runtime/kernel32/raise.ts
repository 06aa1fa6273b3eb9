// RaiseException: a software exception becomes a guest fault with the caller's code,
// flags and parameters, dispatched like a hardware one (the top-level filter, then the
// end of the process with the exception code). The context it carries is the caller's
// state just after the call, so a filter that continues execution returns from
// RaiseException, as on Windows.

import { fn } from '../../src/abi/api.js';
import { Reg } from '../../src/cpu/state.js';
import { GuestFault } from '../../src/mem/fault.js';
import type { Process } from '../process.js';

export const EXCEPTION_NONCONTINUABLE = 0x1;
const EXCEPTION_MAXIMUM_PARAMETERS = 15;

/** A software exception: ExceptionFlags and ExceptionInformation travel with it. */
export class RaisedException extends GuestFault {
  constructor(code: number, readonly flags: number, readonly params: readonly bigint[], address: number) {
    super(code >>> 0, address, 0, `RaiseException(0x${(code >>> 0).toString(16)}) from 0x${address.toString(16)}`);
  }
}

function raiseException(p: Process, code: number, flags: number, count: number, args: number): never {
  const n = Math.min(count, EXCEPTION_MAXIMUM_PARAMETERS);
  const params: bigint[] = [];
  for (let i = 0; i < n && args !== 0; i++) params.push(p.mem.read64(args + 8 * i));
  // Leave the CPU as the caller sees it after the call returns.
  const rsp = p.st.getNum(Reg.RSP);
  const ret = p.mem.readPtr(rsp);
  p.st.rip = ret;
  p.st.setNum(Reg.RSP, rsp + 8);
  throw new RaisedException(code, flags & EXCEPTION_NONCONTINUABLE, params, ret);
}

export const raiseFunctions = {
  RaiseException: fn(['u32', 'u32', 'u32', 'ptr'], 'void', (p, code, flags, count, args) => raiseException(p, code, flags, count, args)),
};

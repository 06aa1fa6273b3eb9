// Runs a created process to completion: TLS callbacks, then the entry point, until the
// guest exits, crashes, calls something the runtime lacks, or exceeds a limit. Every
// ending becomes a RunResult with an exit status; nothing a guest does reaches the
// user as a JavaScript stack trace.

import { Reg } from '../cpu/state.js';
import { GuestFault, exceptionName } from '../mem/fault.js';
import { normalizeFault } from './exceptions.js';
import { NotImplemented } from '../abi/api.js';
import { ProcessExit } from '../../runtime/process.js';
import { flushAll } from '../../runtime/msvcrt/stdio.js';
import type { CreatedProcess } from './create.js';
import { crashReport } from './crash.js';
import { ExitStatus } from './exit-status.js';

export class InstructionLimitExceeded extends Error {
  constructor(readonly limit: number) { super(`instruction limit of ${limit} reached`); this.name = 'InstructionLimitExceeded'; }
}

export class TimeoutExceeded extends Error {
  constructor(readonly seconds: number) { super(`time limit of ${seconds} s reached`); this.name = 'TimeoutExceeded'; }
}

export type Ending =
  | { kind: 'exit'; code: number }
  | { kind: 'crash'; code: number; report: string }
  | { kind: 'not-implemented'; message: string }
  | { kind: 'limit'; message: string };

export interface RunResult {
  ending: Ending;
  /** The status wexe exits with (the guest's code & 0xFF for guest endings). */
  status: number;
  /** The full 32-bit Windows exit code, where the guest ended itself or crashed. */
  windowsCode?: number;
  wallMs: number;
}

export interface RunLimits {
  maxInstructions?: number;
  timeoutSeconds?: number;
}

export function runProcess(cp: CreatedProcess, limits: RunLimits = {}): RunResult {
  const p = cp.process;
  const started = performance.now();
  let ending: Ending;
  if (limits.maxInstructions !== undefined) p.instructionLimit = p.engine.stats.instructions + limits.maxInstructions;
  try {
    if (cp.image.tls) {
      for (const cb of cp.image.tls.callbacks) p.callGuest(cb, [cp.image.base, 1, 0]);
    }
    p.engine.run({ maxInstructions: p.instructionsLeft() });
    ending = { kind: 'exit', code: p.st.lo(Reg.RAX) };
  } catch (e) {
    ending = classify(cp, e, limits);
  }
  if (ending.kind !== 'exit' && ending.kind !== 'crash') {
    try { flushAll(p); } catch { /* the guest state may be broken; output is best effort */ }
  }
  const wallMs = performance.now() - started;
  switch (ending.kind) {
    case 'exit': return { ending, status: ending.code & 0xff, windowsCode: ending.code, wallMs };
    case 'crash': return { ending, status: ending.code & 0xff, windowsCode: ending.code, wallMs };
    case 'not-implemented': return { ending, status: ExitStatus.NotImplemented, wallMs };
    case 'limit': return { ending, status: ending.message.includes('time') ? ExitStatus.Timeout : ExitStatus.InstructionLimit, wallMs };
  }
}

function classify(cp: CreatedProcess, e: unknown, limits: RunLimits): Ending {
  if (e instanceof ProcessExit) return { kind: 'exit', code: e.code };
  if (e instanceof GuestFault) {
    const fault = normalizeFault(cp.process, e);
    return { kind: 'crash', code: fault.code, report: crashReport(cp, fault) };
  }
  if (e instanceof NotImplemented) return { kind: 'not-implemented', message: e.message };
  if (e instanceof InstructionLimitExceeded || (e instanceof Error && e.name === 'InstructionLimitExceeded')) {
    return { kind: 'limit', message: `stopped: the instruction limit (${limits.maxInstructions}) was reached at 0x${cp.process.st.rip.toString(16)}` };
  }
  if (e instanceof TimeoutExceeded) {
    return { kind: 'limit', message: `stopped: the time limit (${limits.timeoutSeconds} s) was reached at 0x${cp.process.st.rip.toString(16)}` };
  }
  throw e;
}

export { exceptionName };

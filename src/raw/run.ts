// Runs a raw program on a named engine until HLT, a fault or the instruction budget,
// and reports how it ended together with the final CPU state.
//
// HLT is privileged: engines raise it as a privileged-instruction fault with RIP at the
// HLT. Raw mode treats exactly that as the normal end of the run and reports RIP just
// past the HLT, as the CPU would show it after resuming.

import type { CpuState } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';
import { ExceptionCode, GuestFault, exceptionName } from '../mem/fault.js';
import { createEngine } from '../engines.js';
import type { EngineName } from '../engines.js';
import { InstructionLimitExceeded } from '../process/run.js';
import { decode } from '../x86/decode.js';
import { DecodeTruncated } from '../x86/insn.js';
import { setUpRaw } from './setup.js';
import type { RawProgram } from './setup.js';
import { dumpState } from './dump.js';
import type { RawStateDump } from './dump.js';

export type RawEnding =
  | { kind: 'hlt' }
  | { kind: 'fault'; code: number; name: string; rip: number; address?: number; access?: number }
  | { kind: 'limit'; instructions: number };

export interface RawResult {
  ending: RawEnding;
  instructions: number;
  state: RawStateDump;
}

/** Process exit statuses of `wexe raw`. */
export const RawExit = {
  Hlt: 0,
  Fault: 1,
  /** Usage errors keep the CLI-wide value. */
  Usage: 2,
  InstructionLimit: 3,
} as const;

export function rawExitStatus(e: RawEnding): number {
  return e.kind === 'hlt' ? RawExit.Hlt : e.kind === 'fault' ? RawExit.Fault : RawExit.InstructionLimit;
}

/** Is the instruction at RIP a HLT (whatever its prefixes)? */
function atHlt(st: CpuState, mem: GuestMemory): number | undefined {
  const rip = st.rip;
  try {
    const insn = decode(mem.u8.subarray(0, Math.min(rip + 15, mem.u8.length)), rip, rip);
    return insn.mnemonic === 'Hlt' ? insn.len : undefined;
  } catch (e) {
    if (e instanceof DecodeTruncated) return undefined;
    throw e;
  }
}

export interface RawRunOptions {
  engine?: EngineName;
  maxInstructions?: number;
}

/** Runs already set-up state (see setUpRaw); the state is left as the run ended. */
export function runRawState(st: CpuState, mem: GuestMemory, opts: RawRunOptions = {}): { ending: RawEnding; instructions: number } {
  const engine = createEngine(opts.engine ?? 'interp', st, mem);
  let ending: RawEnding;
  try {
    engine.run({ maxInstructions: opts.maxInstructions ?? 1_000_000 });
    throw new Error('engine returned without a stop condition');
  } catch (e) {
    if (e instanceof GuestFault) {
      const hltLen = e.code === ExceptionCode.PrivilegedInstruction ? atHlt(st, mem) : undefined;
      if (hltLen !== undefined) {
        st.rip += hltLen;
        ending = { kind: 'hlt' };
      } else {
        ending = { kind: 'fault', code: e.code, name: exceptionName(e.code), rip: st.rip };
        if (e.code === ExceptionCode.AccessViolation) { ending.address = e.address; ending.access = e.access; }
      }
    } else if (e instanceof InstructionLimitExceeded) {
      ending = { kind: 'limit', instructions: engine.stats.instructions };
    } else {
      throw e;
    }
  }
  return { ending, instructions: engine.stats.instructions + (ending.kind === 'hlt' ? 1 : 0) };
}

export function runRaw(p: RawProgram, opts: RawRunOptions = {}): RawResult {
  const { mem, st } = setUpRaw(p);
  const { ending, instructions } = runRawState(st, mem, opts);
  return { ending, instructions, state: dumpState(st) };
}

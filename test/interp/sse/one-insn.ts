// A one-instruction interpreter for SSE differential tests: loads a native-oracle
// CpuCase into a wexe Machine, decodes its single instruction with the iced adapter,
// runs the SSE handler, and reports the state in the oracle's CpuResult shape.

import { CpuState } from '../../../src/cpu/state.js';
import { GuestMemory, Prot } from '../../../src/mem/memory.js';
import { GuestFault } from '../../../src/mem/fault.js';
import type { Machine } from '../../../src/interp/machine.js';
import type { Insn } from '../../../src/x86/insn.js';
import { icedDecode } from '../../support/iced-insn.js';
import { sseHandlers, GP_FAULT_ADDRESS } from '../../../src/interp/sse/index.js';
import {
  CODE_ADDRESS, SCRATCH_ADDRESS, SCRATCH_SIZE, caseGprs, caseMxcsr, caseRflags, caseScratch, caseXmm,
  type CpuCase,
} from '../../native/case.js';

let machine: Machine | undefined;

function getMachine(): Machine {
  if (!machine) {
    const mem = new GuestMemory();
    mem.map(SCRATCH_ADDRESS, SCRATCH_SIZE, Prot.RW);
    machine = { mem, st: new CpuState(mem.buffer) };
  }
  return machine;
}

export interface EmuResult {
  /** 'GP' for a general-protection fault, 'PF' for a page fault (with faultAddress). */
  fault?: 'GP' | 'PF';
  faultAddress?: bigint;
  gpr: bigint[];
  rflags: number;
  xmm: Uint8Array[];
  mxcsr: number;
  scratch: Uint8Array;
  insn: Insn;
  text: string;
}

export function decodeOne(code: Uint8Array): { insn: Insn; text: string } {
  const d = icedDecode(code, CODE_ADDRESS);
  if (!d) throw new Error(`iced cannot decode ${Buffer.from(code).toString('hex')}`);
  if (d.insn.len !== code.length) throw new Error(`case code ${Buffer.from(code).toString('hex')} is not exactly one instruction`);
  return d;
}

export function runOne(c: CpuCase): EmuResult {
  const m = getMachine();
  const { st, mem } = m;
  st.reset();
  const { values } = caseGprs(c);
  values.forEach((v, i) => st.setBig(i, v));
  st.rflags = caseRflags(c);
  st.mxcsr = caseMxcsr(c);
  for (let i = 0; i < 16; i++) mem.u8.set(caseXmm(c, i), st.xmmAddr(i));
  mem.u8.set(caseScratch(c), SCRATCH_ADDRESS);
  const { insn, text } = decodeOne(c.code);
  const handler = sseHandlers[insn.mnemonic];
  if (!handler) throw new Error(`no SSE handler for ${insn.mnemonic} (${text})`);
  let fault: EmuResult['fault'];
  let faultAddress: bigint | undefined;
  try {
    handler(m, insn);
  } catch (e) {
    if (!(e instanceof GuestFault)) throw e;
    if (e.address === GP_FAULT_ADDRESS) fault = 'GP';
    else { fault = 'PF'; faultAddress = BigInt(e.address); }
  }
  const xmm: Uint8Array[] = [];
  for (let i = 0; i < 16; i++) xmm.push(mem.u8.slice(st.xmmAddr(i), st.xmmAddr(i) + 16));
  const gpr: bigint[] = [];
  for (let i = 0; i < 16; i++) gpr.push(i === 4 ? 0n : st.getBig(i));
  return {
    fault, faultAddress, gpr, rflags: st.rflags, xmm, mxcsr: st.mxcsr,
    scratch: mem.u8.slice(SCRATCH_ADDRESS, SCRATCH_ADDRESS + SCRATCH_SIZE), insn, text,
  };
}

// Compares wexe's one-instruction result with the CPU's, field by field, and
// describes the differences readably (register lanes in hex, MXCSR flags by name).

import type { CpuCase, CpuResult } from '../../native/case.js';
import { caseXmm } from '../../native/case.js';
import { APPROXIMATE, approxMatches } from '../../../src/interp/sse/index.js';
import type { EmuResult } from './one-insn.js';

const ARITH = 0x8d5;
const hex = (b: Uint8Array): string => Array.from(b).reverse().map((x) => x.toString(16).padStart(2, '0')).join('').replace(/(.{8})(?!$)/g, '$1_');
const MX_NAMES = ['IE', 'DE', 'ZE', 'OE', 'UE', 'PE'];
const mxFlags = (v: number): string => `0x${v.toString(16)}[${MX_NAMES.filter((_, i) => v & (1 << i)).join(' ')}]`;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Approximate lanes (RCP/RSQRT) of the destination: within 1.5*2^-12 of the correctly rounded value. */
function approxEqual(ours: Uint8Array, cpu: Uint8Array): boolean {
  const a = new DataView(ours.buffer, ours.byteOffset, 16);
  const b = new DataView(cpu.buffer, cpu.byteOffset, 16);
  for (let i = 0; i < 4; i++) if (!approxMatches(a.getUint32(4 * i, true), b.getUint32(4 * i, true))) return false;
  return true;
}

/** Returns a description of every difference, or [] when the results agree. */
export function differences(c: CpuCase, ours: EmuResult, cpu: CpuResult): string[] {
  const d: string[] = [];
  const cpuFault = cpu.fault === undefined ? undefined : cpu.fault === 'SIGSEGV' && cpu.faultAddress === undefined ? 'GP' : cpu.fault === 'SIGSEGV' ? 'PF' : cpu.fault;
  if (ours.fault !== cpuFault) d.push(`fault: ours ${ours.fault ?? 'none'}, cpu ${cpuFault ?? 'none'}`);
  else if (ours.fault === 'PF' && ours.faultAddress !== cpu.faultAddress) d.push(`fault address: ours ${ours.faultAddress}, cpu ${cpu.faultAddress}`);
  const approx = APPROXIMATE.has(ours.insn.mnemonic) ? ours.insn.ops[0]!.reg : -1;
  for (let i = 0; i < 16; i++) {
    if (sameBytes(ours.xmm[i]!, cpu.xmm[i]!)) continue;
    if (i === approx && approxEqual(ours.xmm[i]!, cpu.xmm[i]!)) continue;
    d.push(`xmm${i}: ours ${hex(ours.xmm[i]!)} cpu ${hex(cpu.xmm[i]!)} (was ${hex(caseXmm(c, i))})`);
  }
  if (ours.mxcsr !== cpu.mxcsr) d.push(`mxcsr: ours ${mxFlags(ours.mxcsr)} cpu ${mxFlags(cpu.mxcsr)} (was ${mxFlags(c.mxcsr ?? 0x1f80)})`);
  if ((ours.rflags & ARITH) !== (cpu.rflags & ARITH)) d.push(`rflags: ours 0x${(ours.rflags & ARITH).toString(16)} cpu 0x${(cpu.rflags & ARITH).toString(16)}`);
  for (let i = 0; i < 16; i++) {
    if (i !== 4 && ours.gpr[i] !== cpu.gpr[i]) d.push(`gpr${i}: ours 0x${ours.gpr[i]!.toString(16)} cpu 0x${cpu.gpr[i]!.toString(16)}`);
  }
  if (!sameBytes(ours.scratch, cpu.scratch)) {
    let first = 0;
    while (ours.scratch[first] === cpu.scratch[first]) first++;
    d.push(`memory differs from scratch+0x${first.toString(16)}: ours ${hex(ours.scratch.subarray(first, first + 16))} cpu ${hex(cpu.scratch.subarray(first, first + 16))}`);
  }
  return d;
}

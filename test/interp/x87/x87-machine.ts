// Runs one x87 instruction on wexe's interpreter handlers from the same starting point
// the host oracle uses (an FSAVE image, a memory buffer at RDI, RAX and RFLAGS) and
// reports the result in the oracle's shape, so the two can be compared field by field.

import { CpuState, Reg } from '../../../src/cpu/state.js';
import { GuestMemory, Prot } from '../../../src/mem/memory.js';
import type { Machine } from '../../../src/interp/machine.js';
import { x87Handlers } from '../../../src/interp/x87/index.js';
import { f80FromBytes, f80ToBytes } from '../../../src/interp/x87/float80.js';
import {
  fpuControl, fpuStatus, fpuTagWord, fpuTop, readPhysical, retag, setFpuControl, setFpuStatus, writePhysicalBits,
} from '../../../src/interp/x87/fpu-state.js';
import { icedDecode } from '../../support/iced-insn.js';
import type { HostCase, HostResult } from './host-x87.js';

export const DATA = 0x200000;
export const CODE = 0x100000;

let shared: Machine | undefined;

export function x87Machine(): Machine {
  if (shared) return shared;
  const mem = new GuestMemory();
  const st = new CpuState(mem.buffer);
  st.reset();
  mem.map(DATA, 0x2000, Prot.RW);
  shared = { st, mem };
  return shared;
}

/** Loads an FSAVE image the way FRSTOR does (tags recomputed from the contents). */
export function loadImage(m: Machine, image: Uint8Array): void {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  setFpuControl(m.st, dv.getUint16(0, true));
  setFpuStatus(m.st, dv.getUint16(4, true));
  const top = fpuTop(m.st);
  for (let i = 0; i < 8; i++) writePhysicalBits(m.st, (top + i) & 7, f80FromBytes(image, 28 + 10 * i));
  const tw = dv.getUint16(8, true);
  let empty = 0;
  for (let p = 0; p < 8; p++) if (((tw >> (2 * p)) & 3) === 3) empty |= 1 << p;
  retag(m.st, empty);
}

/** The FSAVE image of the current state (pointer fields zero). */
export function saveImage(m: Machine): Uint8Array {
  const b = new Uint8Array(108);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, fpuControl(m.st), true);
  dv.setUint16(4, fpuStatus(m.st), true);
  dv.setUint16(8, fpuTagWord(m.st), true);
  const top = fpuTop(m.st);
  for (let i = 0; i < 8; i++) f80ToBytes(readPhysical(m.st, (top + i) & 7), b, 28 + 10 * i);
  return b;
}

export interface InterpResult extends HostResult { error?: unknown }

export function runOnInterp(c: HostCase): InterpResult {
  const m = x87Machine();
  m.st.reset();
  loadImage(m, c.image);
  m.mem.u8.fill(0, DATA, DATA + 1024);
  m.mem.u8.set(c.mem, DATA);
  m.st.setBig(Reg.RDI, BigInt(DATA));
  m.st.setBig(Reg.RAX, c.rax);
  m.st.rflags = Number(c.rflags);
  const decoded = icedDecode(c.code, CODE);
  if (!decoded) throw new Error(`iced cannot decode ${Buffer.from(c.code).toString('hex')}`);
  const handler = x87Handlers[decoded.insn.mnemonic];
  if (!handler) throw new Error(`no x87 handler for ${decoded.insn.mnemonic}`);
  let error: unknown;
  try { handler(m, decoded.insn); } catch (e) { error = e; }
  return {
    image: saveImage(m),
    mem: m.mem.u8.slice(DATA, DATA + c.mem.length),
    rax: m.st.getBig(Reg.RAX),
    rflags: BigInt(m.st.rflags),
    error,
  };
}

// Test harness for the interpreter: one guest memory per test process (each is a 4 GiB
// reservation), iced-x86 as the decoder, helpers to place code and run it.

import { GuestMemory, Prot } from '../../../src/mem/memory.js';
import { CpuState } from '../../../src/cpu/state.js';
import type { Insn } from '../../../src/x86/insn.js';
import { DecodeTruncated, Flow, Rep } from '../../../src/x86/insn.js';
import { Interpreter } from '../../../src/interp/interpreter.js';
import type { InterpreterOptions } from '../../../src/interp/interpreter.js';
import { icedDecode } from '../../support/iced-insn.js';

/** A DecodeFn backed by iced-x86 (the decoding oracle). */
export function icedDecodeFn(bytes: Uint8Array, offset: number, addr: number): Insn {
  const avail = bytes.length - offset;
  const window = bytes.subarray(offset, offset + Math.min(15, avail));
  const r = icedDecode(window, addr);
  if (r) return r.insn;
  if (avail < 15) {
    const padded = new Uint8Array(15);
    padded.set(window);
    const p = icedDecode(padded, addr);
    if (p && p.insn.len > avail) throw new DecodeTruncated(addr);
  }
  return {
    addr, len: 1, mnemonic: 'INVALID', opSize: 4, addrSize: 8, ops: [], rep: Rep.None, lock: false,
    cond: -1, flow: Flow.Trap, bytes: window.slice(0, Math.min(avail, 15)),
  };
}

export function hex(s: string): Uint8Array {
  const clean = s.replace(/[^0-9a-fA-F]/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => parseInt(b, 16));
}

let sharedMem: GuestMemory | undefined;

export const CODE = 0x400000;
export const DATA = 0x500000;
export const STACK_TOP = 0x700000;
export const STACK_SIZE = 0x10000;

export interface TestMachine {
  mem: GuestMemory;
  st: CpuState;
  interp: Interpreter;
  /** Writes code at `addr` (default CODE), sets RIP there. */
  load(code: Uint8Array | string, addr?: number): void;
}

/** A fresh interpreter over the shared memory: code RWX at CODE, data RW at DATA, a stack. */
export function makeMachine(options: Partial<InterpreterOptions> = {}): TestMachine {
  if (!sharedMem) sharedMem = new GuestMemory();
  const mem = sharedMem;
  // Reset the address space regions the tests use.
  for (const [a, size] of [[CODE, 0x10000], [DATA, 0x10000], [STACK_TOP - STACK_SIZE, STACK_SIZE]] as const) {
    if (mem.prot[a >>> 12] !== 0) mem.unmap(a, size);
  }
  mem.map(CODE, 0x10000, Prot.RWX);
  mem.map(DATA, 0x10000, Prot.RW);
  mem.map(STACK_TOP - STACK_SIZE, STACK_SIZE, Prot.RW);
  const st = new CpuState(mem.buffer);
  st.reset();
  st.setNum(4, STACK_TOP - 0x100);
  const interp = new Interpreter(st, mem, { decode: icedDecodeFn, ...options });
  return {
    mem, st, interp,
    load(code, addr = CODE) {
      mem.poke(addr, typeof code === 'string' ? hex(code) : code);
      st.rip = addr;
    },
  };
}

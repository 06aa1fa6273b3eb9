// Raw mode: a flat binary loaded at a chosen address and run on a bare CPU, with no PE
// loader, no runtime and no process. Used to try single instructions and short
// sequences by hand (`wexe raw`) and by the differential tests.
//
// This file turns a RawProgram (code, where it goes, extra memory, initial registers)
// into a GuestMemory and CpuState ready to run.

import { CpuState, Off } from '../cpu/state.js';
import { GuestMemory, NULL_REGION_END, PAGE_SIZE, ADDRESS_LIMIT, Prot } from '../mem/memory.js';

/** FNINIT's x87 control word (all exceptions masked, 64-bit precision, round to nearest). */
export const RAW_FPU_CONTROL = 0x037f;
export const RAW_RFLAGS = 0x202;
export const RAW_MXCSR = 0x1f80;

export interface RawRegion { addr: number; size: number }

export interface RawProgram {
  code: Uint8Array;
  /** Where the code is loaded (page aligned). The code's pages are read-write-execute. */
  base: number;
  /** Extra read-write regions (page granular, zero filled). */
  maps?: readonly RawRegion[];
  /** Initial register values by name (see RAW_REGISTER_NAMES); everything else starts as documented. */
  set?: Readonly<Record<string, bigint>>;
}

const GPRS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** Names `set` accepts: GPRs, rip, rflags, mxcsr, fsbase, gsbase, fcw, xmm0..xmm15 (128-bit). */
export const RAW_REGISTER_NAMES: readonly string[] = [
  ...GPRS, 'rip', 'rflags', 'mxcsr', 'fsbase', 'gsbase', 'fcw', ...Array.from({ length: 16 }, (_, i) => `xmm${i}`),
];

export class RawSetupError extends Error {
  constructor(message: string) { super(message); this.name = 'RawSetupError'; }
}

function pageRange(addr: number, size: number, what: string): [number, number] {
  if (!Number.isSafeInteger(addr) || !Number.isSafeInteger(size) || size <= 0) throw new RawSetupError(`${what}: bad address or size`);
  const start = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
  const end = Math.ceil((addr + size) / PAGE_SIZE) * PAGE_SIZE;
  if (start < NULL_REGION_END || end > ADDRESS_LIMIT) {
    throw new RawSetupError(`${what}: 0x${addr.toString(16)}+0x${size.toString(16)} must lie within [0x10000, 0x100000000)`);
  }
  return [start, end - start];
}

function checkWidth(name: string, v: bigint, bits: number): bigint {
  if (v < -(1n << BigInt(bits - 1)) || v >= 1n << BigInt(bits)) throw new RawSetupError(`${name}: value does not fit in ${bits} bits`);
  return BigInt.asUintN(bits, v);
}

/** Builds memory and CPU state for a raw program; RIP = base unless `set.rip` says otherwise. */
export function setUpRaw(p: RawProgram, mem = new GuestMemory()): { mem: GuestMemory; st: CpuState } {
  if (p.code.length === 0) throw new RawSetupError('the code is empty');
  if (p.base % PAGE_SIZE !== 0) throw new RawSetupError(`base 0x${p.base.toString(16)} is not page aligned`);
  const [codeStart, codeSize] = pageRange(p.base, p.code.length, 'code');
  const regions: [number, number, string][] = [[codeStart, codeSize, 'code']];
  for (const m of p.maps ?? []) {
    const [s, n] = pageRange(m.addr, m.size, `--map 0x${m.addr.toString(16)}:0x${m.size.toString(16)}`);
    for (const [os, on, what] of regions) {
      if (s < os + on && os < s + n) throw new RawSetupError(`--map 0x${m.addr.toString(16)}:0x${m.size.toString(16)} overlaps ${what}`);
    }
    regions.push([s, n, `map 0x${m.addr.toString(16)}`]);
  }
  mem.map(codeStart, codeSize, Prot.RWX);
  mem.poke(p.base, p.code);
  for (const [s, n] of regions.slice(1)) mem.map(s, n, Prot.RW);

  const st = new CpuState(mem.buffer);
  st.reset();
  st.rflags = RAW_RFLAGS;
  st.mxcsr = RAW_MXCSR;
  st.dv.setUint16(Off.fpuControl, RAW_FPU_CONTROL, true);
  st.dv.setUint16(Off.fpuTag, 0xffff, true);
  st.rip = p.base;
  for (const [name, value] of Object.entries(p.set ?? {})) setRegister(st, name.toLowerCase(), value);
  return { mem, st };
}

function setRegister(st: CpuState, name: string, value: bigint): void {
  const g = GPRS.indexOf(name);
  if (g >= 0) { st.setBig(g, checkWidth(name, value, 64)); return; }
  const xmm = /^xmm(\d+)$/.exec(name);
  if (xmm && Number(xmm[1]) < 16) {
    const v = checkWidth(name, value, 128);
    const at = Off.xmm + 16 * Number(xmm[1]);
    st.dv.setBigUint64(at, v & 0xffff_ffff_ffff_ffffn, true);
    st.dv.setBigUint64(at + 8, v >> 64n, true);
    return;
  }
  switch (name) {
    case 'rip': {
      const v = checkWidth(name, value, 64);
      if (v >= BigInt(ADDRESS_LIMIT)) throw new RawSetupError('rip must be below 4 GiB');
      st.rip = Number(v);
      return;
    }
    case 'rflags': {
      const v = Number(checkWidth(name, value, 32));
      // Only the flags user code can hold; bit 1 always set, IF always set as in user mode.
      if (v & ~(0xcd5 | RAW_RFLAGS)) throw new RawSetupError('rflags: only CF PF AF ZF SF OF DF (0xcd5) may be set (0x202 always is)');
      st.rflags = (v & 0xcd5) | RAW_RFLAGS;
      return;
    }
    case 'mxcsr': {
      const v = Number(checkWidth(name, value, 32));
      if (v > 0xffff) throw new RawSetupError('mxcsr: reserved bits set');
      st.mxcsr = v;
      return;
    }
    case 'fcw': st.dv.setUint16(Off.fpuControl, Number(checkWidth(name, value, 16)), true); return;
    case 'fsbase': st.dv.setBigUint64(Off.fsBase, checkWidth(name, value, 64), true); return;
    case 'gsbase': st.dv.setBigUint64(Off.gsBase, checkWidth(name, value, 64), true); return;
  }
  throw new RawSetupError(`unknown register "${name}" (known: ${RAW_REGISTER_NAMES.join(' ')})`);
}

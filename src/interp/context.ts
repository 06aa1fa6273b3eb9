// The execution context every compiled instruction closure captures: typed views over
// the CPU state and guest memory, fast checked memory accessors, and two scratch
// fields that carry the high half of a 64-bit value and the effective address of a
// read-modify-write operand between the closures of one instruction.
//
// The fast accessors handle the common case inline (mapped, permitted, inside one
// page, not a code page for writes) and defer everything else to GuestMemory's
// checked accessors, which raise the exact fault and invalidate decoded code.

import type { CpuState } from '../cpu/state.js';
import { STATE_BASE, Off } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';
import type { Machine } from './machine.js';

/** Prot bits that must read 1 (R) with Guard clear: (prot & 9) === 1. */
const R_MASK = 9;
/** Prot bits that must read 2 (W) with Guard clear: (prot & 10) === 2. */
const W_MASK = 10;

export class ExecContext implements Machine {
  readonly u32: Uint32Array;
  readonly u16: Uint16Array;
  /** Byte view over the whole guest memory (the state block included). */
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly prot: Uint8Array;
  readonly codePages: Uint8Array;
  /** dword index of RAX's low half. */
  readonly gi: number;
  /** dword index of RFLAGS. */
  readonly fi: number;
  /** dword index of RIP. */
  readonly ri: number;
  /** Byte offset of RAX in guest memory (byte registers are addressed from here). */
  readonly gb: number;
  /** Scratch: the high half of the last 64-bit value read. */
  hi = 0;
  /** Scratch: the effective address of the last memory operand read. */
  ea = 0;
  /** Host clock for RDTSC, in ticks (any monotonic unit). */
  readonly clock: () => number;

  constructor(readonly st: CpuState, readonly mem: GuestMemory, clock?: () => number) {
    this.u32 = new Uint32Array(mem.buffer, 0, (STATE_BASE + Off.end) >>> 2);
    this.u16 = new Uint16Array(mem.buffer, 0, (STATE_BASE + Off.end) >>> 1);
    this.u8 = mem.u8;
    this.dv = mem.dv;
    this.prot = mem.prot;
    this.codePages = mem.codePages;
    this.gi = st.gprIndex;
    this.fi = st.flagsIndex;
    this.ri = st.ripIndex;
    this.gb = STATE_BASE + Off.gpr;
    this.clock = clock ?? defaultClock();
  }

  /** Sets RIP to a guest address (any value below 2^64 representable as a number). */
  setRip(a: number): void {
    if (a <= 0xffffffff) { this.u32[this.ri] = a; this.u32[this.ri + 1] = 0; } else this.st.rip = a;
  }

  /** Replaces the six arithmetic flags with `bits`. */
  setArith(bits: number): void {
    const fi = this.fi;
    this.u32[fi] = (this.u32[fi]! & ~0x8d5) | bits;
  }

  rd8(a: number): number {
    if (a <= 0xffffffff && (this.prot[a >>> 12]! & R_MASK) === 1) return this.u8[a]!;
    return this.mem.read8(a);
  }
  rd16(a: number): number {
    if (a <= 0xfffffffe && (a & 0xfff) !== 0xfff && (this.prot[a >>> 12]! & R_MASK) === 1) return this.dv.getUint16(a, true);
    return this.mem.read16(a);
  }
  rd32(a: number): number {
    if (a <= 0xfffffffc && (a & 0xfff) <= 0xffc && (this.prot[a >>> 12]! & R_MASK) === 1) return this.dv.getUint32(a, true);
    return this.mem.read32(a);
  }
  /** Reads 64 bits: returns the low half, leaves the high half in `hi`. */
  rd64(a: number): number {
    if (!(a <= 0xfffffff8 && (a & 0xfff) <= 0xff8 && (this.prot[a >>> 12]! & R_MASK) === 1)) this.mem.check(a, 8, 1, 0);
    this.hi = this.dv.getUint32(a + 4, true);
    return this.dv.getUint32(a, true);
  }
  /** Reads `size` (1, 2, 4) bytes. */
  rdN(a: number, size: number): number {
    return size === 4 ? this.rd32(a) : size === 1 ? this.rd8(a) : this.rd16(a);
  }

  wr8(a: number, v: number): void {
    if (a <= 0xffffffff) {
      const p = a >>> 12;
      if ((this.prot[p]! & W_MASK) === 2 && this.codePages[p] === 0) { this.u8[a] = v; return; }
    }
    this.mem.write8(a, v);
  }
  wr16(a: number, v: number): void {
    if (a <= 0xfffffffe && (a & 0xfff) !== 0xfff) {
      const p = a >>> 12;
      if ((this.prot[p]! & W_MASK) === 2 && this.codePages[p] === 0) { this.dv.setUint16(a, v, true); return; }
    }
    this.mem.write16(a, v);
  }
  wr32(a: number, v: number): void {
    if (a <= 0xfffffffc && (a & 0xfff) <= 0xffc) {
      const p = a >>> 12;
      if ((this.prot[p]! & W_MASK) === 2 && this.codePages[p] === 0) { this.dv.setUint32(a, v, true); return; }
    }
    this.mem.write32(a, v);
  }
  wr64(a: number, lo: number, hi: number): void {
    if (a <= 0xfffffff8 && (a & 0xfff) <= 0xff8) {
      const p = a >>> 12;
      if ((this.prot[p]! & W_MASK) === 2 && this.codePages[p] === 0) {
        this.dv.setUint32(a, lo, true);
        this.dv.setUint32(a + 4, hi, true);
        return;
      }
    }
    this.mem.write64Parts(a, lo, hi);
  }
  /** Writes `size` (1, 2, 4) bytes. */
  wrN(a: number, size: number, v: number): void {
    if (size === 4) this.wr32(a, v); else if (size === 1) this.wr8(a, v); else this.wr16(a, v);
  }

  // ---- register helpers (slow, generic; hot closures index u32 directly) ----------
  getReg(r: number, size: number): number {
    switch (size) {
      case 1: return this.u8[this.gb + 8 * r]!;
      case 2: return this.u16[(this.gb >>> 1) + 4 * r]!;
      default: return this.u32[this.gi + 2 * r]!;
    }
  }
  /** Writes a 1/2/4-byte register value with x86-64 merge/zero-extension rules. */
  setReg(r: number, size: number, v: number): void {
    switch (size) {
      case 1: this.u8[this.gb + 8 * r] = v; break;
      case 2: this.u16[(this.gb >>> 1) + 4 * r] = v; break;
      default: this.u32[this.gi + 2 * r] = v; this.u32[this.gi + 2 * r + 1] = 0;
    }
  }
}

function defaultClock(): () => number {
  // A monotonic host clock in nanoseconds-ish ticks; RDTSC only needs it to be monotonic.
  const perf = globalThis.performance;
  return () => Math.floor(perf.now() * 1e3);
}

// Host-to-guest calls (_initterm, atexit, TLS callbacks, signal handlers, exception
// filters): a Win64 call frame for a guest function, run until it returns to a sentinel
// address, with the caller's whole CPU state saved before and restored after, so the
// native that called is unaffected whatever the guest does (even a non-conforming
// callee that clobbers non-volatile registers). Re-entrant: a guest callee may call a
// native that calls the guest again.
//
// The call does no per-call allocation (exception handlers run once per frame of every
// dispatch): the saved states are buffers reused per nesting level, number arguments go
// into the registers without BigInt, and RAX is kept as two 32-bit halves.

import type { CpuState } from '../cpu/state.js';
import { Reg } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';

const ARG_REGS = [Reg.RCX, Reg.RDX, Reg.R8, Reg.R9];
/** Room left below the caller's stack pointer before the callee's frame (a red zone for the interrupted code). */
const FRAME_GAP = 0x80;

export class GuestCalls {
  /** RAX as the last completed call returned it. */
  resultLo = 0;
  resultHi = 0;
  private readonly saved: Uint8Array[] = [];
  private depth = 0;

  /** `returnAddress`: where every callee returns to; `run` must execute the guest until RIP reaches it. */
  constructor(private readonly st: CpuState, private readonly mem: GuestMemory, readonly returnAddress: number) {}

  /** Calls guest function `fn` with integer/pointer arguments (numbers: integers above -2^53 and below 2^64; bigints taken mod 2^64). */
  call(fn: number, args: readonly (number | bigint)[], run: () => void): void {
    const { st, mem } = this;
    const saved = this.saved[this.depth] ??= new Uint8Array(st.u8.length);
    saved.set(st.u8);
    // Keep 16-byte alignment at the call: RSP is 16-aligned before the return address is pushed.
    let rsp = Math.floor((st.getNum(Reg.RSP) - FRAME_GAP - 8 * Math.max(4, args.length)) / 16) * 16;
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!;
      let lo: number;
      let hi: number;
      if (typeof v === 'number') {
        lo = v >>> 0;
        hi = Math.floor(v / 0x100000000) >>> 0;
      } else {
        const u = BigInt.asUintN(64, v);
        lo = Number(u & 0xffffffffn);
        hi = Number(u >> 32n);
      }
      if (i < 4) {
        st.set64(ARG_REGS[i]!, lo, hi);
      } else {
        mem.write32(rsp + 8 * i, lo);
        mem.write32(rsp + 8 * i + 4, hi);
      }
    }
    rsp -= 8;
    mem.writePtr(rsp, this.returnAddress);
    st.setNum(Reg.RSP, rsp);
    st.rip = fn;
    this.depth++;
    try {
      run();
    } finally {
      this.depth--;
    }
    this.resultLo = st.lo(Reg.RAX);
    this.resultHi = st.hi(Reg.RAX);
    st.u8.set(saved);
  }

  /** The last result as an unsigned 64-bit value. */
  result(): bigint {
    return this.resultHi === 0 ? BigInt(this.resultLo) : (BigInt(this.resultHi) << 32n) | BigInt(this.resultLo);
  }
}

// MXCSR: the SSE control/status register, and the per-instruction floating-point
// environment the element operations read (rounding, DAZ, FTZ) and write (flags).
//
// Handlers call beginFp() before computing and endFp() after: the sticky exception
// flags the operations raise are ORed into MXCSR in one place. Unmasked exceptions
// are not delivered (Windows programs run with all SIMD exceptions masked; a program
// that unmasks them gets the masked, flag-only behaviour); noted in the report.

import type { Machine } from '../machine.js';

export const enum Mx {
  IE = 0x1, DE = 0x2, ZE = 0x4, OE = 0x8, UE = 0x10, PE = 0x20,
  DAZ = 0x40,
  RC_SHIFT = 13, RC_MASK = 0x6000,
  FZ = 0x8000,
}

/** Rounding control values (MXCSR.RC and ROUNDxx imm8[1:0]). */
export const enum Rc { Nearest = 0, Down = 1, Up = 2, Zero = 3 }

/** Bits LDMXCSR accepts; any other bit set raises #GP (MXCSR_MASK = 0xFFFF on CPUs with DAZ). */
export const MXCSR_WRITABLE = 0xffff;

/** The environment of the instruction being executed. */
export const env = {
  rc: Rc.Nearest as Rc,
  daz: false,
  ftz: false,
  /** Exception flags raised so far by this instruction. */
  flags: 0,
};

export function beginFp(m: Machine): void {
  const mx = m.st.mxcsr;
  env.rc = ((mx & Mx.RC_MASK) >>> Mx.RC_SHIFT) as Rc;
  env.daz = (mx & Mx.DAZ) !== 0;
  env.ftz = (mx & Mx.FZ) !== 0;
  env.flags = 0;
}

export function endFp(m: Machine): void {
  if (env.flags !== 0) m.st.mxcsr = m.st.mxcsr | env.flags;
}

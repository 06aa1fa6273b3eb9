// Which guest registers and flags a region reads and writes: both backends load the
// used ones into locals on entry and store the written ones back on exit.

import type { Region } from '../ir/ir.js';

export interface StateUsage {
  regsUsed: Set<number>;
  regsWritten: Set<number>;
  /** Bit per IR flag number. */
  flagsUsed: number;
  flagsWritten: number;
}

export function stateUsage(region: Region): StateUsage {
  const u: StateUsage = { regsUsed: new Set(), regsWritten: new Set(), flagsUsed: 0, flagsWritten: 0 };
  for (const b of region.blocks) {
    for (const i of b.insts) {
      if (i.op === 'getreg' && i.k < 16) u.regsUsed.add(i.k);
      if (i.op === 'setreg') { u.regsUsed.add(i.k); u.regsWritten.add(i.k); }
      if (i.op === 'getflag') u.flagsUsed |= 1 << i.k;
      if (i.op === 'setflag') { u.flagsUsed |= 1 << i.k; u.flagsWritten |= 1 << i.k; }
    }
  }
  return u;
}

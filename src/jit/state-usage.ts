// Which guest registers, flags and XMM registers a region reads and writes: the
// backends load the used ones into locals on entry and store the written ones back
// on exit (XMM registers: the direct backend only).
//
// A `helper` op (the interpreter running one instruction on the state in memory) adds
// nothing here although it may read and write any register: around it the direct
// backend stores the written set (the only locals that can be newer than memory) and
// reloads the used set (the only locals there are), so every other register lives in
// memory alone, where the handler finds and leaves it. Counting all 16 GPRs and XMM
// registers instead cost a loop around cmpltsd about 20% (their loads and stores at
// every helper call and region entry).

import type { Region } from '../ir/ir.js';
import { F } from '../ir/ir.js';

const RAX = 0, RCX = 1, RSI = 6, RDI = 7;

export interface StateUsage {
  regsUsed: Set<number>;
  regsWritten: Set<number>;
  /** Bit per IR flag number. */
  flagsUsed: number;
  flagsWritten: number;
  /** XMM registers read or written, and written. */
  xmmUsed: Set<number>;
  xmmWritten: Set<number>;
}

export function stateUsage(region: Region): StateUsage {
  const u: StateUsage = { regsUsed: new Set(), regsWritten: new Set(), flagsUsed: 0, flagsWritten: 0, xmmUsed: new Set(), xmmWritten: new Set() };
  for (const b of region.blocks) {
    for (const i of b.insts) {
      if (i.op === 'getreg' && i.k < 16) u.regsUsed.add(i.k);
      if (i.op === 'setreg') { u.regsUsed.add(i.k); u.regsWritten.add(i.k); }
      if (i.op === 'getflag') u.flagsUsed |= 1 << i.k;
      if (i.op === 'setflag') { u.flagsUsed |= 1 << i.k; u.flagsWritten |= 1 << i.k; }
      if (i.op === 'getxmm') u.xmmUsed.add(i.k);
      if (i.op === 'setxmm') { u.xmmUsed.add(i.k); u.xmmWritten.add(i.k); }
      // The inline fast path of REP MOVS / STOS works on the locals: RCX, RDI (RSI, RAX), DF.
      if (i.op === 'repmovs' || i.op === 'repstos') {
        for (const r of i.op === 'repmovs' ? [RCX, RSI, RDI] : [RCX, RDI]) { u.regsUsed.add(r); u.regsWritten.add(r); }
        if (i.op === 'repstos') u.regsUsed.add(RAX);
        u.flagsUsed |= 1 << F.DF;
      }
    }
  }
  return u;
}

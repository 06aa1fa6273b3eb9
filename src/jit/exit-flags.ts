// Which flags the code a region exits to may read before writing them, so dead-flag
// elimination need not keep every flag live at every exit. Without it a loop's exit edge
// keeps all six arithmetic flags of its compare alive on every iteration, parity and
// adjust included, although the code after the loop overwrites them at once.
//
// The look-ahead lifts the first instructions at the target (the lifter is the one
// authority on what each instruction reads and writes); a flag neither read nor written
// within them counts as read, as does every flag when the code there cannot be decoded.
// As with dead flags inside a region, a guest fault raised in that look-ahead before the
// flags are written sees them stale in its exception context (src/jit/README.md).

import type { GuestMemory } from '../mem/memory.js';
import { PAGE_SHIFT } from '../mem/memory.js';
import { ALL_FLAGS } from '../ir/ir.js';
import { liftBlock } from '../ir/lift.js';
import { liveIn } from '../ir/passes.js';
import type { DecodeFn } from './decode-block.js';
import { blockPages, decodeBlock } from './decode-block.js';

/** Instructions examined at an exit target: most code writes the flags within a few. */
const LOOKAHEAD = 8;

/** What the look-ahead found at one address. */
export interface ExitTarget {
  /** The flags (bit per F) code there may read before writing them. */
  live: number;
  /** Pages the examined instructions occupy: a region relying on `live` must be dropped when they change. */
  firstPage: number;
  lastPage: number;
}

export class ExitFlags {
  private readonly cache = new Map<number, ExitTarget>();

  constructor(private readonly mem: GuestMemory, private readonly decode: DecodeFn) {
    // Overwritten code may read other flags: forget everything (writes to code are rare).
    mem.onCodeWrite(() => this.cache.clear());
  }

  at(addr: number): ExitTarget {
    let t = this.cache.get(addr);
    if (t === undefined) {
      t = this.examine(addr);
      this.cache.set(addr, t);
    }
    return t;
  }

  private examine(addr: number): ExitTarget {
    const page = addr >>> PAGE_SHIFT;
    let insns;
    try {
      insns = decodeBlock(this.mem, this.decode, addr, LOOKAHEAD);
    } catch {
      return { live: ALL_FLAGS, firstPage: page, lastPage: page };
    }
    if (insns.length === 0) return { live: ALL_FLAGS, firstPage: page, lastPage: page };
    const [firstPage, lastPage] = blockPages(insns);
    // Marked as code so a write there reaches the listeners (this cache, the regions).
    for (let p = firstPage; p <= lastPage; p++) this.mem.markCode(p << PAGE_SHIFT);
    // Skipping flag writes a later instruction overwrites before a read leaves which
    // flags are written before being read unchanged, and lifts less.
    return { live: liveIn(liftBlock(insns, true).block, ALL_FLAGS), firstPage, lastPage };
  }
}

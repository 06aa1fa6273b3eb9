// The protection mirror compiled code checks before touching guest memory inline: one
// byte per page in guest memory (see layout.ts), bit Read = "plain readable page",
// bit Write = "plain writable page that holds no decoded code". Each bit is set only
// where GuestMemory would allow the access, so the inline path never allows an access
// the interpreter would refuse, and never writes code without invalidation.
//
// The bits follow every map, unmap and protect as it happens (a whole range takes one
// native fill, plus a look at its code pages), so compiled code finds ordinary pages
// open from the start. A new code page loses its Write bit; when code on a page is
// dropped (a write to it), the bit stays clear until an access through the slow path
// finds the page plain again (allow()).

import type { GuestMemory } from '../mem/memory.js';
import { PAGE_SHIFT, PAGE_SIZE, Prot } from '../mem/memory.js';
import { JitAddr, MirrorBit } from './layout.js';
import { lowWords, stackRangeTouched } from './stack-range.js';

const installed = new WeakSet<GuestMemory>();

/** The mirror bits of a page with protection `prot` that holds no code. */
function bitsFor(prot: number): number {
  if ((prot & Prot.Guard) !== 0 || (prot & Prot.R) === 0) return 0;
  return (prot & Prot.W) !== 0 ? MirrorBit.Read | MirrorBit.Write : MirrorBit.Read;
}

export class ProtectionMirror {
  private readonly base = JitAddr.mirror;
  constructor(private readonly mem: GuestMemory) {
    // Pages mapped before the JIT existed (tests build memory first; a process creates
    // its engine before mapping anything).
    const mappedBefore = Math.min(mem.highestMappedPage + 1, this.base >>> PAGE_SHIFT);
    if (mem.prot[this.base >>> PAGE_SHIFT] === 0) mem.map(this.base, JitAddr.mirrorSize, Prot.None);
    if (installed.has(mem)) return;
    installed.add(mem);
    // GuestMemory has no listener for protection changes yet: wrap the instance's methods.
    const low = lowWords(mem);
    const update = (addr: number, size: number): void => {
      const first = addr >>> PAGE_SHIFT, last = (addr + Math.max(size, 1) - 1) >>> PAGE_SHIFT;
      this.refresh(first, last + 1);
      stackRangeTouched(low, addr, size);
    };
    const map = mem.map.bind(mem), unmap = mem.unmap.bind(mem), protect = mem.protect.bind(mem), markCode = mem.markCode.bind(mem);
    mem.map = (a, s, p) => { map(a, s, p); update(a, s); };
    mem.unmap = (a, s) => { unmap(a, s); update(a, s); };
    mem.protect = (a, s, p) => { const r = protect(a, s, p); update(a, s); return r; };
    mem.markCode = (a) => { markCode(a); mem.u8[this.base + (a >>> PAGE_SHIFT)]! &= ~MirrorBit.Write; stackRangeTouched(low, a, 1); };
    low[JitAddr.stackRangeValid >>> 2] = 0;
    low[JitAddr.stackLen >>> 2] = 0;
    this.refresh(0, mappedBefore);
  }

  /** Sets the bits of pages [first, end) from their protection and code marks. */
  private refresh(first: number, end: number): void {
    const { prot, codePages, u8 } = this.mem;
    let p = first;
    while (p < end) {
      // A run of equal protection (map and protect set whole ranges): one fill.
      const v = prot[p]!;
      let q = p + 1;
      while (q < end && prot[q] === v) q++;
      u8.fill(bitsFor(v), this.base + p, this.base + q);
      const code = codePages.subarray(p, q);
      for (let i = code.indexOf(1); i >= 0; i = code.indexOf(1, i + 1)) u8[this.base + p + i]! &= ~MirrorBit.Write;
      p = q;
    }
  }

  /** After the slow path performed an access inside one page: let the next ones run inline. */
  allow(addr: number, write: boolean): void {
    const p = addr >>> PAGE_SHIFT;
    const prot = this.mem.prot[p]!;
    if (prot & Prot.Guard) return;
    if (!write) { if (prot & Prot.R) this.mem.u8[this.base + p] |= MirrorBit.Read; return; }
    if ((prot & Prot.W) && this.mem.codePages[p] === 0 && (prot & Prot.R)) this.mem.u8[this.base + p] |= MirrorBit.Write | MirrorBit.Read;
  }
}

export { PAGE_SIZE };

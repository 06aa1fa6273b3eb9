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
    // map, unmap and protect each give the whole range one protection: one fill.
    const update = (addr: number, size: number): void => {
      const first = addr >>> PAGE_SHIFT, last = (addr + Math.max(size, 1) - 1) >>> PAGE_SHIFT;
      this.fill(first, last + 1, mem.prot[first]!);
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
    const prot = this.mem.prot;
    for (let p = first; p < end;) {
      const v = prot[p]!;
      let q = p + 1;
      while (q < end && prot[q] === v) q++;
      this.fill(p, q, v);
      p = q;
    }
  }

  /** Sets the bits of pages [first, end), which all have protection `prot`; code pages lose Write. */
  private fill(first: number, end: number, prot: number): void {
    const u8 = this.mem.u8;
    u8.fill(bitsFor(prot), this.base + first, this.base + end);
    const code = this.mem.codePages.subarray(first, end);
    for (let i = code.indexOf(1); i >= 0; i = code.indexOf(1, i + 1)) u8[this.base + first + i]! &= ~MirrorBit.Write;
  }

  /**
   * After the slow path performed an access of `size` bytes at `addr` (below 4 GiB): when
   * it stays inside one page that allows it, the next ones run inline (a read opens
   * reads only).
   */
  allow(addr: number, size: number, write: boolean): void {
    if ((addr & (PAGE_SIZE - 1)) + size > PAGE_SIZE) return;
    const p = addr >>> PAGE_SHIFT;
    let bits = bitsFor(this.mem.prot[p]!);
    if (this.mem.codePages[p] !== 0) bits &= ~MirrorBit.Write;
    if ((bits & (write ? MirrorBit.Write : MirrorBit.Read)) === 0) return;
    this.mem.u8[this.base + p] |= write ? bits : MirrorBit.Read;
  }
}

export { PAGE_SIZE };

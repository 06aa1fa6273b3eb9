// The protection mirror compiled code checks before touching guest memory inline: one
// byte per page in guest memory (see layout.ts), bit Read = "plain readable page",
// bit Write = "plain writable page that holds no decoded code". Bits are only ever set
// by the slow path after GuestMemory agreed to an access, and every protection change,
// mapping change or new code page clears them, so the inline path never allows an
// access the interpreter would refuse, and never writes code without invalidation.

import type { GuestMemory } from '../mem/memory.js';
import { PAGE_SHIFT, PAGE_SIZE, Prot } from '../mem/memory.js';
import { JitAddr, MirrorBit } from './layout.js';

const installed = new WeakSet<GuestMemory>();

export class ProtectionMirror {
  private readonly base = JitAddr.mirror;
  constructor(private readonly mem: GuestMemory) {
    if (mem.prot[this.base >>> PAGE_SHIFT] === 0) mem.map(this.base, JitAddr.mirrorSize, Prot.None);
    if (installed.has(mem)) return;
    installed.add(mem);
    // GuestMemory has no listener for protection changes yet: wrap the instance's methods.
    const clear = (addr: number, size: number): void => {
      const first = addr >>> PAGE_SHIFT, last = (addr + Math.max(size, 1) - 1) >>> PAGE_SHIFT;
      mem.u8.fill(0, this.base + first, this.base + last + 1);
    };
    const map = mem.map.bind(mem), unmap = mem.unmap.bind(mem), protect = mem.protect.bind(mem), markCode = mem.markCode.bind(mem);
    mem.map = (a, s, p) => { map(a, s, p); clear(a, s); };
    mem.unmap = (a, s) => { unmap(a, s); clear(a, s); };
    mem.protect = (a, s, p) => { const r = protect(a, s, p); clear(a, s); return r; };
    mem.markCode = (a) => { markCode(a); mem.u8[this.base + (a >>> PAGE_SHIFT)]! &= ~MirrorBit.Write; };
    mem.u8.fill(0, this.base, this.base + JitAddr.mirrorSize);
  }

  /** After the slow path performed an access inside one page: let the next ones run inline. */
  allow(addr: number, write: boolean): void {
    const p = addr >>> PAGE_SHIFT;
    const prot = this.mem.prot[p]!;
    if (prot & Prot.Guard) return;
    if (!write) { if (prot & Prot.R) this.mem.u8[this.base + p] |= MirrorBit.Read; return; }
    if ((prot & Prot.W) && this.mem.codePages[p] === 0 && (prot & Prot.R)) this.mem.u8[this.base + p] |= MirrorBit.Write | MirrorBit.Read;
  }

  clearAll(): void { this.mem.u8.fill(0, this.base, this.base + JitAddr.mirrorSize); }
}

export { PAGE_SIZE };

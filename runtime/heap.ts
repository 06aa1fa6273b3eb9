// A heap over one reserved guest region: HeapAlloc/HeapFree and the CRT's malloc family.
//
// Bookkeeping lives on the JavaScript side, not in guest memory, so a guest buffer
// overrun cannot corrupt the allocator (Windows would detect most of those anyway).
// Blocks are 16-byte aligned, as on Windows x64. Free blocks are coalesced with their
// neighbours and kept in size buckets (16-byte steps up to 4 KiB) or a first-fit list.

import type { GuestMemory } from '../src/mem/memory.js';
import { Prot } from '../src/mem/memory.js';
import { GuestFault } from '../src/mem/fault.js';

const ALIGN = 16;
const SMALL_LIMIT = 4096;
/** STATUS_HEAP_CORRUPTION: what Windows raises for a double or invalid free. */
export const STATUS_HEAP_CORRUPTION = 0xc0000374;

export class Heap {
  private top: number;
  private highWater: number;
  private readonly allocated = new Map<number, number>(); // addr -> rounded size
  private readonly requested = new Map<number, number>(); // addr -> size the caller asked for
  private readonly freeByStart = new Map<number, number>(); // addr -> size
  private readonly freeByEnd = new Map<number, number>(); // end addr -> start
  private readonly buckets: Set<number>[] = [];
  private readonly large = new Set<number>();
  bytesInUse = 0;

  constructor(private mem: GuestMemory, readonly base: number, readonly limit: number) {
    mem.map(base, limit - base, Prot.RW);
    this.top = base;
    this.highWater = base;
    for (let i = 0; i <= SMALL_LIMIT / ALIGN; i++) this.buckets.push(new Set());
  }

  contains(addr: number): boolean { return this.allocated.has(addr); }
  /** Size the caller asked for (HeapSize, _msize), or undefined for a pointer we did not hand out. */
  sizeOf(addr: number): number | undefined { return this.requested.get(addr); }

  alloc(size: number, zero = false): number | undefined {
    const n = Math.max(ALIGN, Math.ceil(size / ALIGN) * ALIGN);
    let addr = this.takeFree(n);
    if (addr === undefined) {
      if (this.top + n > this.limit) return undefined;
      addr = this.top;
      this.top += n;
    }
    // Memory above the high-water mark has never been handed out and is still zero.
    if (zero && addr < this.highWater) this.mem.u8.fill(0, addr, Math.min(addr + n, this.highWater));
    if (addr + n > this.highWater) this.highWater = addr + n;
    this.allocated.set(addr, n);
    this.requested.set(addr, size);
    this.bytesInUse += n;
    return addr;
  }

  free(addr: number): void {
    const n = this.allocated.get(addr);
    if (n === undefined) throw new GuestFault(STATUS_HEAP_CORRUPTION, addr, 0, `free of 0x${addr.toString(16)}, which is not an allocated block`);
    this.allocated.delete(addr);
    this.requested.delete(addr);
    this.bytesInUse -= n;
    let start = addr;
    let size = n;
    const before = this.freeByEnd.get(start);
    if (before !== undefined) { size += start - before; this.removeFree(before); start = before; }
    const afterSize = this.freeByStart.get(start + size);
    if (afterSize !== undefined) { this.removeFree(start + size); size += afterSize; }
    if (start + size === this.top) { this.top = start; return; }
    this.addFree(start, size);
  }

  /** Resizes in place when possible, else moves; returns undefined when out of memory. */
  realloc(addr: number, size: number): number | undefined {
    const n = this.allocated.get(addr);
    if (n === undefined) throw new GuestFault(STATUS_HEAP_CORRUPTION, addr, 0, `realloc of 0x${addr.toString(16)}, which is not an allocated block`);
    const want = Math.max(ALIGN, Math.ceil(size / ALIGN) * ALIGN);
    if (want <= n) { this.requested.set(addr, size); return addr; }
    if (addr + n === this.top && addr + want <= this.limit) {
      this.top = addr + want;
      if (this.top > this.highWater) this.highWater = this.top;
      this.allocated.set(addr, want);
      this.requested.set(addr, size);
      this.bytesInUse += want - n;
      return addr;
    }
    const nu = this.alloc(size);
    if (nu === undefined) return undefined;
    this.mem.u8.copyWithin(nu, addr, addr + Math.min(n, want));
    this.free(addr);
    return nu;
  }

  private takeFree(n: number): number | undefined {
    if (n <= SMALL_LIMIT) {
      for (let b = n / ALIGN; b < this.buckets.length; b++) {
        const set = this.buckets[b]!;
        if (set.size === 0) continue;
        const start = set.values().next().value as number;
        return this.splitFree(start, n);
      }
    }
    for (const start of this.large) {
      if (this.freeByStart.get(start)! >= n) return this.splitFree(start, n);
    }
    return undefined;
  }

  private splitFree(start: number, n: number): number {
    const size = this.freeByStart.get(start)!;
    this.removeFree(start);
    if (size > n) this.addFree(start + n, size - n);
    return start;
  }

  private addFree(start: number, size: number): void {
    this.freeByStart.set(start, size);
    this.freeByEnd.set(start + size, start);
    if (size <= SMALL_LIMIT) this.buckets[size / ALIGN]!.add(start); else this.large.add(start);
  }

  private removeFree(start: number): void {
    const size = this.freeByStart.get(start)!;
    this.freeByStart.delete(start);
    this.freeByEnd.delete(start + size);
    if (size <= SMALL_LIMIT) this.buckets[size / ALIGN]!.delete(start); else this.large.delete(start);
  }
}

// A heap over one reserved guest region: HeapAlloc/HeapFree and the CRT's malloc family.
//
// Bookkeeping lives on the JavaScript side, not in guest memory, so a guest buffer
// overrun cannot corrupt the allocator (Windows would detect most of those anyway).
// Blocks are 16-byte aligned, as on Windows x64.
//
// The region is measured in 16-byte granules. Blocks tile [base, top) without gaps;
// above `top` nothing has been handed out. Every operation is O(1) apart from the rare
// large request that has to look through its own size class:
// - Each block start has a header word: its size in granules, positive when
//   allocated, negative when free, zero for every granule that starts no block.
//   An allocated block also records the byte size the caller asked for; a free block
//   records its list links, and its last granule records where it starts (a footer),
//   so a freed block finds a free predecessor without a search.
// - Free neighbours are always merged, and a free block never touches `top` (it is
//   given back to the top instead).
// - Free blocks sit in doubly linked lists by size class: one class per exact size up
//   to 4 KiB (allocation pops the first block: last freed, first reused), then one
//   class per power of two. A bitmap of non-empty classes finds the smallest class
//   that can serve a request in a few word operations. Any block in a class above a
//   request's own class fits it, so only a large request's own class needs a look at
//   each block's size.
// - The header words live in typed-array pages of 4096 granules, created when a block
//   first starts or ends in one, so a single huge block costs no more than a small one.

import type { GuestMemory } from '../src/mem/memory.js';
import { Prot } from '../src/mem/memory.js';
import { GuestFault } from '../src/mem/fault.js';

const ALIGN = 16;
const GRANULE_SHIFT = 4;
/** Blocks up to this many granules (4 KiB) have a free list of their exact size. */
const SMALL_GRANULES = 256;
const SMALL_LOG2 = 8;
/** Classes 1..256 are exact sizes; class 257 + k holds sizes in [max(257, 2^(8+k)), 2^(9+k)). */
const CLASS_COUNT = SMALL_GRANULES + 1 + (32 - SMALL_LOG2);
const BITMAP_WORDS = (CLASS_COUNT + 31) >>> 5; // at most 32: one summary word covers them
/** How many blocks of its own class a large request examines before trying larger classes. */
const OWN_CLASS_PROBES = 16;

const PAGE_SHIFT = 12;
const PAGE_MASK = (1 << PAGE_SHIFT) - 1;
/** Header words per granule. */
const FIELDS = 4;
/** Size in granules: > 0 allocated, < 0 free, 0 no block starts here. */
const F_SIZE = 0;
/** Allocated: the byte size asked for. Free: the next block in its class list (-1 = none). */
const F_REQUESTED = 1;
const F_NEXT = 1;
/** Free: the previous block in its class list (-1 = none: the list head). */
const F_PREV = 2;
/** Last granule of a free block: the granule the block starts at. */
const F_FOOTER = 3;
const NONE = -1;
/** Shared, never written: what every page reads as before it has been written. */
const EMPTY_PAGE = new Int32Array(FIELDS << PAGE_SHIFT);

/** STATUS_HEAP_CORRUPTION: what Windows raises for a double or invalid free. */
export const STATUS_HEAP_CORRUPTION = 0xc0000374;

/** The free-list class of a block of `n` granules. */
function classOf(n: number): number {
  return n <= SMALL_GRANULES ? n : SMALL_GRANULES + 1 + (31 - Math.clz32(n)) - SMALL_LOG2;
}

export class Heap {
  /** Granules from base to the top (everything below is tiled by blocks). */
  private topG = 0;
  /** Granules ever handed out: memory above is still zero. */
  private highWaterG = 0;
  private readonly limitG: number;
  private readonly pages: Int32Array[];
  private readonly heads = new Int32Array(CLASS_COUNT).fill(NONE);
  private readonly nonEmpty = new Uint32Array(BITMAP_WORDS);
  /** Bit w set: nonEmpty[w] is not zero. */
  private nonEmptyWords = 0;
  bytesInUse = 0;

  constructor(private mem: GuestMemory, readonly base: number, readonly limit: number) {
    if (base % ALIGN !== 0) throw new Error(`heap base 0x${base.toString(16)} is not ${ALIGN}-byte aligned`);
    mem.map(base, limit - base, Prot.RW);
    this.limitG = Math.floor((limit - base) / ALIGN);
    this.pages = new Array<Int32Array>((this.limitG >>> PAGE_SHIFT) + 1).fill(EMPTY_PAGE);
  }

  contains(addr: number): boolean { return this.blockAt(addr) >= 0; }

  /** Size the caller asked for (HeapSize, _msize), or undefined for a pointer we did not hand out. */
  sizeOf(addr: number): number | undefined {
    const g = this.blockAt(addr);
    return g < 0 ? undefined : this.get(g, F_REQUESTED) >>> 0;
  }

  alloc(size: number, zero = false): number | undefined {
    if (!(size <= this.limit - this.base)) return undefined;
    const n = size <= ALIGN ? 1 : Math.ceil(size / ALIGN);
    let g = this.takeFree(n, OWN_CLASS_PROBES);
    if (g < 0) {
      if (this.topG + n <= this.limitG) {
        g = this.topG;
        this.topG += n;
      } else {
        g = this.takeFree(n, Infinity);
        if (g < 0) return undefined;
      }
    }
    this.set(g, F_SIZE, n);
    this.set(g, F_REQUESTED, size);
    this.bytesInUse += n * ALIGN;
    const addr = this.base + g * ALIGN;
    if (g < this.highWaterG) {
      if (zero) this.mem.u8.fill(0, addr, this.base + Math.min(g + n, this.highWaterG) * ALIGN);
      if (g + n > this.highWaterG) this.highWaterG = g + n;
    } else {
      this.highWaterG = g + n;
    }
    return addr;
  }

  free(addr: number): void {
    const g = this.blockAt(addr);
    if (g < 0) throw new GuestFault(STATUS_HEAP_CORRUPTION, addr, 0, `free of 0x${addr.toString(16)}, which is not an allocated block`);
    const n = this.get(g, F_SIZE);
    this.bytesInUse -= n * ALIGN;
    let start = g;
    let size = n;
    if (g > 0) {
      const before = this.get(g - 1, F_FOOTER);
      const beforeSize = this.freeSizeAt(before);
      if (beforeSize > 0 && before + beforeSize === g) {
        this.unlink(before, beforeSize);
        this.set(g, F_SIZE, 0);
        start = before;
        size += beforeSize;
      }
    }
    this.release(start, size);
  }

  /** Resizes in place when possible, else moves; returns undefined when out of memory. */
  realloc(addr: number, size: number): number | undefined {
    const g = this.blockAt(addr);
    if (g < 0) throw new GuestFault(STATUS_HEAP_CORRUPTION, addr, 0, `realloc of 0x${addr.toString(16)}, which is not an allocated block`);
    if (!(size <= this.limit - this.base)) return undefined;
    const n = this.get(g, F_SIZE);
    const want = size <= ALIGN ? 1 : Math.ceil(size / ALIGN);
    if (want <= n) {
      this.set(g, F_REQUESTED, size);
      if (want < n) {
        this.set(g, F_SIZE, want);
        this.bytesInUse -= (n - want) * ALIGN;
        this.release(g + want, n - want);
      }
      return addr;
    }
    const next = g + n;
    if (next === this.topG) {
      if (g + want <= this.limitG) {
        this.topG = g + want;
        if (this.topG > this.highWaterG) this.highWaterG = this.topG;
        this.grown(g, n, want, size);
        return addr;
      }
    } else {
      const nextSize = this.freeSizeAt(next);
      if (nextSize > 0 && n + nextSize >= want) {
        this.unlink(next, nextSize);
        this.set(next, F_SIZE, 0);
        // The free block never touches the top, so neither does what is left of it.
        if (n + nextSize > want) this.makeFree(g + want, n + nextSize - want);
        this.grown(g, n, want, size);
        return addr;
      }
    }
    const nu = this.alloc(size);
    if (nu === undefined) return undefined;
    this.mem.u8.copyWithin(nu, addr, addr + n * ALIGN);
    this.free(addr);
    return nu;
  }

  // ---- internals --------------------------------------------------------------------

  /** The granule of the allocated block starting at `addr`, or -1. */
  private blockAt(addr: number): number {
    const off = addr - this.base;
    if (!(off >= 0 && off < this.topG * ALIGN) || off % ALIGN !== 0) return -1;
    const g = off >>> GRANULE_SHIFT;
    return this.get(g, F_SIZE) > 0 ? g : -1;
  }

  private grown(g: number, n: number, want: number, size: number): void {
    this.set(g, F_SIZE, want);
    this.set(g, F_REQUESTED, size);
    this.bytesInUse += (want - n) * ALIGN;
  }

  /** Size in granules of the free block starting at `g`, or 0 when none starts there. */
  private freeSizeAt(g: number): number {
    const v = this.get(g, F_SIZE);
    return v < 0 ? -v : 0; // never -0: V8 deoptimises integer code that meets minus zero
  }

  private get(g: number, field: number): number {
    return this.pages[g >>> PAGE_SHIFT]![((g & PAGE_MASK) * FIELDS) + field]!;
  }

  private set(g: number, field: number, v: number): void {
    const i = g >>> PAGE_SHIFT;
    let page = this.pages[i]!;
    if (page === EMPTY_PAGE) page = this.pages[i] = new Int32Array(FIELDS << PAGE_SHIFT);
    page[((g & PAGE_MASK) * FIELDS) + field] = v;
  }

  /**
   * Frees granules [start, start + size), whose predecessor is not free: merges with a
   * free successor, and gives the space back to the top when it reaches it.
   */
  private release(start: number, size: number): void {
    const after = start + size;
    if (after !== this.topG) {
      const afterSize = this.freeSizeAt(after);
      if (afterSize > 0) {
        this.unlink(after, afterSize);
        this.set(after, F_SIZE, 0);
        size += afterSize;
      }
    }
    if (start + size === this.topG) {
      this.set(start, F_SIZE, 0);
      this.topG = start;
      return;
    }
    this.makeFree(start, size);
  }

  /** Takes a free block of at least `n` granules (splitting off the rest), or returns -1. */
  private takeFree(n: number, ownClassProbes: number): number {
    const c = classOf(n);
    let g: number;
    if (n <= SMALL_GRANULES) {
      const k = this.firstClassFrom(c);
      if (k < 0) return -1;
      g = this.heads[k]!;
    } else {
      // Sizes in a large request's own class may be smaller than the request.
      g = this.heads[c]!;
      for (let i = 0; g !== NONE && i < ownClassProbes; i++) {
        if (this.freeSizeAt(g) >= n) break;
        g = this.get(g, F_NEXT);
      }
      if (g === NONE || this.freeSizeAt(g) < n) {
        const k = this.firstClassFrom(c + 1);
        if (k < 0) return -1;
        g = this.heads[k]!;
      }
    }
    const size = this.freeSizeAt(g);
    this.unlink(g, size);
    // What is left keeps the block's successor, which is allocated, so it needs no merging.
    if (size > n) this.makeFree(g + n, size - n);
    return g;
  }

  /** The first class at or above `c` with a free block, or -1. */
  private firstClassFrom(c: number): number {
    let w = c >>> 5;
    if (w >= BITMAP_WORDS) return -1;
    let bits = this.nonEmpty[w]! & (-1 << (c & 31));
    if (bits === 0) {
      const words = this.nonEmptyWords & (-2 << w);
      if (words === 0) return -1;
      w = 31 - Math.clz32(words & -words);
      bits = this.nonEmpty[w]!;
    }
    return (w << 5) + 31 - Math.clz32(bits & -bits);
  }

  private makeFree(g: number, size: number): void {
    this.set(g, F_SIZE, -size);
    this.set(g + size - 1, F_FOOTER, g);
    const c = classOf(size);
    const head = this.heads[c]!;
    this.set(g, F_NEXT, head);
    this.set(g, F_PREV, NONE);
    if (head === NONE) {
      this.nonEmpty[c >>> 5] = this.nonEmpty[c >>> 5]! | (1 << (c & 31));
      this.nonEmptyWords |= 1 << (c >>> 5);
    }
    else this.set(head, F_PREV, g);
    this.heads[c] = g;
  }

  /** Removes free block `g` of `size` granules from its class list (its header stays). */
  private unlink(g: number, size: number): void {
    const next = this.get(g, F_NEXT);
    const prev = this.get(g, F_PREV);
    if (next !== NONE) this.set(next, F_PREV, prev);
    if (prev !== NONE) {
      this.set(prev, F_NEXT, next);
    } else {
      const c = classOf(size);
      this.heads[c] = next;
      if (next === NONE) {
        const word = this.nonEmpty[c >>> 5]! & ~(1 << (c & 31));
        this.nonEmpty[c >>> 5] = word;
        if (word === 0) this.nonEmptyWords &= ~(1 << (c >>> 5));
      }
    }
  }
}

// The runtime's handle on a guest heap: HeapAlloc/HeapFree and the CRT's malloc family
// are guest code (runtime/guestlib/heap.c in wexert.dll), as msvcrt -> ntdll
// RtlAllocateHeap are on Windows, so compiled code calls malloc like any other guest
// function. The runtime's own allocations (strdup, FILE buffers, getenv, the
// environment block, TLS...) must come from the same heap because the guest frees some
// of them with free(): this class calls the library's wexe_heap_* exports through
// Process.callRuntimeGuest (which compiles nothing meanwhile: a hundred start-up
// allocations would otherwise make the heap hot in every process). Such calls are rare
// next to the guest's own.
//
// A heap is one reserved region whose state sits at its start, so its handle is its
// base address (GetProcessHeap returns the PEB's ProcessHeap). Blocks are 16-byte
// aligned with a 16-byte header before each, as on Windows x64; heap.c describes the
// allocator (LIFO lists per size for requests up to 1 KiB, under a general allocator
// with segregated free lists, boundary tags and a bump top).
//
// Corruption: freeing or reallocating a pointer that is not an allocated block (a
// double free, an interior or wild pointer) makes the C code call the heap's `report`
// function, a native of this file that raises STATUS_HEAP_CORRUPTION (0xC0000374) as a
// guest exception, as Windows does, with the message the runtime always gave.

import type { Process } from './process.js';
import { Prot } from '../src/mem/memory.js';
import { GuestFault } from '../src/mem/fault.js';
import { Reg } from '../src/cpu/state.js';
import { guestLibraryExport } from './guestlib/index.js';

/** STATUS_HEAP_CORRUPTION: what Windows raises for a double or invalid free. */
export const STATUS_HEAP_CORRUPTION = 0xc0000374;

const HEAP_ZERO_MEMORY = 0x8;
/** What heap.c's report() is told (REPORT_FREE, REPORT_REALLOC). */
const REPORTED_OPERATION = ['', 'free', 'realloc'];
const NOT_A_BLOCK = 0xffff_ffff_ffff_ffffn;

interface HeapEntries {
  init: number; alloc: number; free: number; realloc: number; size: number; inUse: number; validate: number;
  /** The native heap.c calls on corruption. */
  report: number;
}

function entries(p: Process): HeapEntries {
  return p.dllState('heap.entries', () => ({
    init: guestLibraryExport(p, 'wexe_heap_init'),
    alloc: guestLibraryExport(p, 'wexe_heap_alloc'),
    free: guestLibraryExport(p, 'wexe_heap_free'),
    realloc: guestLibraryExport(p, 'wexe_heap_realloc'),
    size: guestLibraryExport(p, 'wexe_heap_size'),
    inUse: guestLibraryExport(p, 'wexe_heap_in_use'),
    validate: guestLibraryExport(p, 'wexe_heap_validate'),
    report: p.thunks.allocateNative('heap-corruption', () => {
      // report(what, addr): never returns (a handler cannot continue after corruption).
      const what = REPORTED_OPERATION[p.st.lo(Reg.RCX)] ?? 'use';
      const addr = p.st.getNum(Reg.RDX);
      throw new GuestFault(STATUS_HEAP_CORRUPTION, addr, 0, `${what} of 0x${addr.toString(16)}, which is not an allocated block`);
    }),
  }));
}

export class Heap {
  private readonly fns: HeapEntries;

  /** Maps [base, limit) and makes it a heap (guest code: the library must be mapped). */
  constructor(private readonly p: Process, readonly base: number, readonly limit: number) {
    if (base % 16 !== 0) throw new Error(`heap base 0x${base.toString(16)} is not 16-byte aligned`);
    p.mem.map(base, limit - base, Prot.RW);
    this.fns = entries(p);
    p.callRuntimeGuest(this.fns.init, [base, limit, this.fns.report]);
  }

  /** Whether `addr` is an allocated block's memory. */
  contains(addr: number): boolean {
    // 0 would ask for the whole heap's check.
    return Number.isSafeInteger(addr) && addr > 0 && this.validAt(addr);
  }

  /** Whether the whole heap is consistent (heap.c's wexe_heap_validate walks every block and list). */
  validate(): boolean { return this.validAt(0); }

  /** wexe_heap_validate's BOOL for block `addr`, or for the whole heap when 0. */
  private validAt(addr: number): boolean { return (this.p.callRuntimeGuest(this.fns.validate, [this.base, addr]) & 0xffff_ffffn) !== 0n; }

  /** Size the caller asked for (HeapSize, _msize), or undefined for a pointer we did not hand out. */
  sizeOf(addr: number): number | undefined {
    const r = this.p.callRuntimeGuest(this.fns.size, [this.base, addr]);
    return r === NOT_A_BLOCK ? undefined : Number(r);
  }

  alloc(size: number, zero = false): number | undefined {
    if (!(size >= 0 && size <= this.limit - this.base)) return undefined;
    const a = Number(this.p.callRuntimeGuest(this.fns.alloc, [this.base, size, zero ? HEAP_ZERO_MEMORY : 0]));
    return a === 0 ? undefined : a;
  }

  /** Raises STATUS_HEAP_CORRUPTION for a pointer that is not an allocated block. */
  free(addr: number): void { this.p.callRuntimeGuest(this.fns.free, [this.base, addr]); }

  /** Resizes in place when possible, else moves; returns undefined when out of memory. */
  realloc(addr: number, size: number): number | undefined {
    // Validates `addr` even when the size is out of reach, as heap.c does.
    const n = size >= 0 && size <= this.limit - this.base ? size : 2 ** 53;
    const a = Number(this.p.callRuntimeGuest(this.fns.realloc, [this.base, addr, n, 0]));
    return a === 0 ? undefined : a;
  }

  /** Bytes handed out: each allocated block's request rounded up to 16 (at least 16), headers not counted (a walk over the heap: for tests and diagnostics). */
  get bytesInUse(): number { return Number(this.p.callRuntimeGuest(this.fns.inUse, [this.base])); }
}

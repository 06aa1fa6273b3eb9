// KERNEL32 virtual memory and heaps.

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { Prot, PAGE_SIZE } from '../../src/mem/memory.js';
import { Layout } from '../../src/mem/layout.js';
import { Win32Error } from './errors.js';
import type { Heap } from '../heap.js';

export const MEM_COMMIT = 0x1000;
export const MEM_RESERVE = 0x2000;
export const MEM_DECOMMIT = 0x4000;
export const MEM_RELEASE = 0x8000;
export const MEM_FREE = 0x10000;
export const MEM_PRIVATE = 0x20000;
export const MEM_IMAGE = 0x1000000;
const ALLOCATION_GRANULARITY = 0x10000;

const PAGE_PROTECTIONS: [number, number][] = [
  [0x01, Prot.None], [0x02, Prot.R], [0x04, Prot.RW], [0x08, Prot.RW],
  [0x10, Prot.X], [0x20, Prot.RX], [0x40, Prot.RWX], [0x80, Prot.RWX],
];

/** PAGE_* constant to wexe Prot bits (undefined for invalid values). */
export function fromPageProtect(v: number): number | undefined {
  const guard = (v & 0x100) !== 0 ? Prot.Guard : 0;
  const base = v & 0xff;
  for (const [w, p] of PAGE_PROTECTIONS) if (w === base) return p | guard;
  return undefined;
}

export function toPageProtect(prot: number): number {
  const p = prot & Prot.RWX;
  const guard = (prot & Prot.Guard) !== 0 ? 0x100 : 0;
  switch (p) {
    case Prot.None: return 0x01 | guard;
    case Prot.R: return 0x02 | guard;
    case Prot.RW: return 0x04 | guard;
    case Prot.X: return 0x10 | guard;
    case Prot.RX: return 0x20 | guard;
    default: return 0x40 | guard;
  }
}

export interface Region { base: number; size: number; type: number; allocProtect: number; committed?: boolean }

/** Allocation regions (images, stacks, heaps, VirtualAlloc) for VirtualQuery and VirtualFree. */
export function regions(p: Process): Region[] { return p.dllState('kernel32.regions', () => []); }

export function addRegion(p: Process, r: Region): void { regions(p).push(r); }

function regionAt(p: Process, addr: number): Region | undefined {
  return regions(p).find((r) => addr >= r.base && addr < r.base + r.size);
}

/** Protection of reserved-but-uncommitted pages: allocated, no access. */
const RESERVED = 0;

/**
 * Pages reserved but not committed (VirtualAlloc MEM_RESERVE, MEM_DECOMMIT), one byte
 * per page. Protection bits alone cannot tell them from committed PAGE_NOACCESS pages.
 */
function reservedPages(p: Process): Uint8Array {
  return p.dllState('kernel32.reservedPages', () => new Uint8Array(p.mem.prot.length));
}

function markReserved(p: Process, start: number, end: number, reserved: boolean): void {
  reservedPages(p).fill(reserved ? 1 : 0, start / PAGE_SIZE, end / PAGE_SIZE);
}

function isCommitted(p: Process, page: number): boolean {
  return (p.mem.prot[page]! & Prot.Allocated) !== 0 && reservedPages(p)[page] === 0;
}

function virtualAlloc(p: Process, addr: number, size: number, type: number, protect: number): number {
  const prot = fromPageProtect(protect);
  if (size === 0 || prot === undefined || (type & (MEM_COMMIT | MEM_RESERVE)) === 0) { p.lastError = Win32Error.INVALID_PARAMETER; return 0; }
  const mem = p.mem;
  if (addr !== 0 && (type & MEM_RESERVE) === 0) {
    // Commit inside an existing reservation.
    const r = regionAt(p, addr);
    const start = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.ceil((addr + size) / PAGE_SIZE) * PAGE_SIZE;
    if (!r || end > r.base + r.size) { p.lastError = Win32Error.INVALID_ADDRESS; return 0; }
    for (let a = start; a < end; a += PAGE_SIZE) {
      // Committing already committed pages keeps their contents; fresh pages are zero.
      if (!isCommitted(p, a / PAGE_SIZE)) mem.u8.fill(0, a, a + PAGE_SIZE);
    }
    mem.protect(start, end - start, prot);
    markReserved(p, start, end, false);
    return start;
  }
  const want = Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
  let base: number | undefined;
  if (addr !== 0) {
    base = Math.floor(addr / ALLOCATION_GRANULARITY) * ALLOCATION_GRANULARITY;
    if (!mem.isFree(base, want + (addr - base))) { p.lastError = Win32Error.INVALID_ADDRESS; return 0; }
  } else {
    base = mem.findFree(want, ALLOCATION_GRANULARITY, Layout.virtualAllocFrom) ?? mem.findFree(want, ALLOCATION_GRANULARITY, Layout.heapSearchFrom);
    if (base === undefined) { p.lastError = Win32Error.NOT_ENOUGH_MEMORY; return 0; }
  }
  const total = Math.ceil((addr === 0 ? want : addr + size - base) / PAGE_SIZE) * PAGE_SIZE;
  mem.map(base, total, (type & MEM_COMMIT) ? prot : RESERVED);
  markReserved(p, base, base + total, (type & MEM_COMMIT) === 0);
  mem.u8.fill(0, base, base + total);
  addRegion(p, { base, size: total, type: MEM_PRIVATE, allocProtect: protect });
  return addr !== 0 ? Math.floor(addr / PAGE_SIZE) * PAGE_SIZE : base;
}

function virtualFree(p: Process, addr: number, size: number, type: number): boolean {
  const rs = regions(p);
  const i = rs.findIndex((r) => r.base === addr);
  if (type === MEM_RELEASE) {
    // As Wine (recorded by the system and kernel32api samples): a size is invalid (87), an
    // address inside an allocation but not its base is ERROR_INVALID_ADDRESS (487), an
    // address in no allocation is invalid again (87).
    if (size !== 0) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
    if (i < 0 && regionAt(p, addr)) { p.lastError = Win32Error.INVALID_ADDRESS; return false; }
    if (i < 0 || rs[i]!.type !== MEM_PRIVATE) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
    markReserved(p, rs[i]!.base, rs[i]!.base + rs[i]!.size, false);
    p.mem.unmap(rs[i]!.base, rs[i]!.size);
    rs.splice(i, 1);
    return true;
  }
  if (type === MEM_DECOMMIT) {
    const r = regionAt(p, addr);
    if (!r) { p.lastError = Win32Error.INVALID_ADDRESS; return false; }
    const start = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    const end = size === 0 ? r.base + r.size : Math.ceil((addr + size) / PAGE_SIZE) * PAGE_SIZE;
    p.mem.protect(start, end - start, RESERVED);
    markReserved(p, start, end, true);
    p.mem.u8.fill(0, start, end);
    return true;
  }
  p.lastError = Win32Error.INVALID_PARAMETER;
  return false;
}

function virtualProtect(p: Process, addr: number, size: number, protect: number, oldPtr: number): boolean {
  const prot = fromPageProtect(protect);
  if (prot === undefined || size === 0) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
  const start = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
  const end = Math.ceil((addr + size) / PAGE_SIZE) * PAGE_SIZE;
  for (let a = start; a < end; a += PAGE_SIZE) {
    if (!isCommitted(p, a / PAGE_SIZE)) { p.lastError = Win32Error.INVALID_ADDRESS; return false; }
  }
  const old = p.mem.protect(start, end - start, prot);
  if (oldPtr) p.mem.write32(oldPtr, toPageProtect(old));
  return true;
}

function virtualQuery(p: Process, addr: number, info: number, len: number): number {
  if (len < 48) { p.lastError = Win32Error.INSUFFICIENT_BUFFER; return 0; }
  const mem = p.mem;
  const page = Math.floor(addr / PAGE_SIZE);
  if (addr >= 0x1_0000_0000) { p.lastError = Win32Error.INVALID_PARAMETER; return 0; }
  const bits = mem.prot[page]!;
  const r = regionAt(p, addr);
  let end = page + 1;
  const limit = r ? (r.base + r.size) / PAGE_SIZE : mem.prot.length;
  const reserved = reservedPages(p);
  while (end < limit && mem.prot[end] === bits && reserved[end] === reserved[page]) end++;
  const allocated = (bits & Prot.Allocated) !== 0;
  const committed = isCommitted(p, page);
  mem.writePtr(info + 0, page * PAGE_SIZE);
  mem.writePtr(info + 8, allocated && r ? r.base : 0);
  mem.write32(info + 16, allocated && r ? r.allocProtect : 0);
  mem.write32(info + 20, 0);
  mem.writePtr(info + 24, (end - page) * PAGE_SIZE);
  mem.write32(info + 32, !allocated ? MEM_FREE : committed ? MEM_COMMIT : MEM_RESERVE);
  // Free regions report PAGE_NOACCESS, reserved ones 0 (as Windows does).
  mem.write32(info + 36, committed ? toPageProtect(bits) : allocated ? 0 : 0x01);
  mem.write32(info + 40, allocated ? (r?.type ?? MEM_PRIVATE) : 0);
  mem.write32(info + 44, 0);
  return 48;
}

// ---- heaps --------------------------------------------------------------------------
// HeapAlloc, HeapFree, HeapReAlloc, HeapSize, HeapValidate and the Local/Global
// allocation functions are guest code (runtime/guestlib/heap.c); a heap handle is the
// heap's base address. Creating and destroying a heap maps and unmaps its region here.

/** Heaps made by HeapCreate, by handle (base address). */
function createdHeaps(p: Process): Map<number, Heap> {
  return p.dllState('kernel32.heaps', () => new Map<number, Heap>());
}

export function processHeapHandle(p: Process): number { return p.processHeap.base; }

export const memoryFunctions = {
  VirtualAlloc: fn(['ptr', 'u64', 'u32', 'u32'], 'ptr', (p, addr, size, type, protect) => virtualAlloc(p, addr, Number(size), type, protect)),
  VirtualFree: fn(['ptr', 'u64', 'u32'], 'bool', (p, addr, size, type) => virtualFree(p, addr, Number(size), type)),
  VirtualProtect: fn(['ptr', 'u64', 'u32', 'ptr'], 'bool', (p, addr, size, prot, old) => virtualProtect(p, addr, Number(size), prot, old)),
  VirtualQuery: fn(['ptr', 'ptr', 'u64'], 'u64', (p, addr, info, len) => BigInt(virtualQuery(p, addr, info, Number(len)))),
  GetProcessHeap: fn([], 'handle', (p) => processHeapHandle(p)),
  GetProcessHeaps: fn(['u32', 'ptr'], 'u32', (p, n, out) => {
    if (n >= 1 && out) p.mem.writePtr(out, processHeapHandle(p));
    return 1;
  }),
  HeapCreate: fn(['u32', 'u64', 'u64'], 'handle', (p, _opts, initial, max) => {
    const size = Math.max(Number(max) || 0, Number(initial) || 0, 0x100000) ;
    const heap = p.createHeap(max === 0n ? 0x1000000 : size);
    if (!heap) { p.lastError = Win32Error.NOT_ENOUGH_MEMORY; return 0; }
    addRegion(p, { base: heap.base, size: heap.limit - heap.base, type: MEM_PRIVATE, allocProtect: 4 });
    createdHeaps(p).set(heap.base, heap);
    return heap.base;
  }),
  HeapDestroy: fn(['handle'], 'bool', (p, h) => {
    const heap = createdHeaps(p).get(h);
    if (!heap) { p.lastError = Win32Error.INVALID_HANDLE; return false; }
    createdHeaps(p).delete(h);
    p.mem.unmap(heap.base, heap.limit - heap.base);
    return true;
  }),
  HeapSetInformation: fn(['handle', 'u32', 'ptr', 'u64'], 'bool', () => true),
};

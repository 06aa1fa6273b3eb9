// The stack range: the run of plain read-write pages around the guest's stack pointer,
// which compiled code trusts for accesses through RSP with one compare instead of a
// protection-mirror lookup (a push, a pop, a spill: the most common accesses of call-heavy
// code; the mirror lookup costs about ten host instructions and three branches each).
//
// Invariant: while JitAddr.stackRangeValid is nonzero, every page of [lo, lo + len + 16)
// is mapped read-write, not a guard page and holds no decoded code, so an access of up
// to 16 bytes starting in [lo, lo + len) is one the interpreter would allow. The mirror
// (mirror.ts) zeroes the length and the valid word on every map, unmap, protect or new
// code page inside the range; compiled code reads the range at region entry and after
// each API call (the only places inside a region where protections can change); the
// dispatcher recomputes it from RSP when it is invalid.

import type { GuestMemory } from '../mem/memory.js';
import { PAGE_SHIFT } from '../mem/memory.js';
import { JitAddr, MirrorBit } from './layout.js';

/** How far the range may extend on either side of RSP's page. */
const MAX_PAGES_EACH_WAY = 1024;
/** Largest access compiled code makes (a 16-byte SSE load or store). */
export const STACK_RANGE_SLACK = 16;

/** Plain read-write, no guard, no code: what the protection mirror's Write bit says (mirror.ts). */
function plainRW(mem: GuestMemory, page: number): boolean {
  if (page < 16 || page >= JitAddr.mirror >>> PAGE_SHIFT) return false;
  return (mem.u8[JitAddr.mirror + page]! & MirrorBit.Write) !== 0;
}

/** A view of the words this file reads and writes (the null region's first 64 KiB). */
export function lowWords(mem: GuestMemory): Uint32Array { return new Uint32Array(mem.buffer, 0, 0x4000); }

/**
 * Computes the range around `rsp` and publishes it through `u32` (lowWords of `mem`):
 * valid afterwards, maybe empty.
 */
export function refreshStackRange(mem: GuestMemory, u32: Uint32Array, rsp: number): void {
  let len = 0, lo = 0;
  const page = Math.floor(rsp / 4096);
  if (rsp < JitAddr.mirror && plainRW(mem, page)) {
    let first = page, last = page;
    while (page - first < MAX_PAGES_EACH_WAY && plainRW(mem, first - 1)) first--;
    while (last - page < MAX_PAGES_EACH_WAY && plainRW(mem, last + 1)) last++;
    lo = first << PAGE_SHIFT;
    len = Math.max(0, ((last + 1 - first) << PAGE_SHIFT) - STACK_RANGE_SLACK);
  }
  u32[JitAddr.stackLo >>> 2] = lo >>> 0;
  u32[JitAddr.stackLen >>> 2] = len >>> 0;
  u32[JitAddr.stackRangeValid >>> 2] = 1;
}

/** Called for every protection, mapping or code-page change of [addr, addr + size). */
export function stackRangeTouched(u32: Uint32Array, addr: number, size: number): void {
  const lo = u32[JitAddr.stackLo >>> 2]!, len = u32[JitAddr.stackLen >>> 2]!;
  if (u32[JitAddr.stackRangeValid >>> 2] === 0) return;
  if (addr < lo + len + STACK_RANGE_SLACK && addr + Math.max(size, 1) > lo) {
    u32[JitAddr.stackLen >>> 2] = 0;
    u32[JitAddr.stackRangeValid >>> 2] = 0;
  }
}

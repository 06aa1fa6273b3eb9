// The allocator behind HeapAlloc and malloc (guest code: runtime/guestlib/heap.c, driven
// through runtime/heap.ts). Alignment (16 bytes on Windows x64, as
// MEMORY_ALLOCATION_ALIGNMENT says), zeroing, reuse and coalescing of freed blocks,
// realloc, and STATUS_HEAP_CORRUPTION (0xC0000374, ntstatus.h) for frees of pointers the
// heap never handed out. Each block has a 16-byte header before it.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { GuestFault } from '../../src/mem/fault.js';
import { STATUS_HEAP_CORRUPTION } from '../../runtime/heap.js';
import type { Heap } from '../../runtime/heap.js';
import { makeGuest } from './support/guest.js';

const g = makeGuest();
after(() => g.dispose());
const mem = g.p.mem;
/** A fresh heap of `size` bytes (HeapCreate's path: at least 64 KiB) in the test process. */
function newHeap(size = 0x10_0000): Heap {
  const h = g.p.createHeap(size)!;
  assert.ok(h.validate(), 'a new heap is consistent');
  return h;
}
/** Bytes a block serving `size` bytes takes: its header and its 16-byte granules (at least one). */
const blockBytes = (size: number) => 16 + Math.max(16, Math.ceil(size / 16) * 16);
/** The largest request that fits a block of `bytes`. */
const fitting = (bytes: number) => bytes - 16;

const corruption = (e: unknown) => e instanceof GuestFault && e.code === STATUS_HEAP_CORRUPTION;

test('STATUS_HEAP_CORRUPTION is 0xC0000374', () => assert.equal(STATUS_HEAP_CORRUPTION, 0xc0000374));

test('blocks are 16-byte aligned, disjoint, and remember the size asked for', () => {
  const h = newHeap();
  const blocks: [number, number][] = [];
  for (const size of [1, 0, 15, 16, 17, 100, 4095, 4096, 4097, 70000]) {
    const a = h.alloc(size)!;
    assert.equal(a % 16, 0, `alignment of a ${size}-byte block`);
    assert.equal(h.sizeOf(a), size);
    assert.ok(h.contains(a));
    blocks.push([a, Math.max(size, 1)]);
  }
  blocks.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < blocks.length; i++) assert.ok(blocks[i - 1]![0] + blocks[i - 1]![1] <= blocks[i]![0], 'blocks overlap');
});

test('alloc(size, true) returns zeros even where a freed block left data', () => {
  const h = newHeap();
  const a = h.alloc(256)!;
  const guard = h.alloc(16)!; // keeps `a` from merging back into the untouched top
  mem.u8.fill(0xab, a, a + 256);
  h.free(a);
  const b = h.alloc(256, true)!;
  assert.equal(b, a, 'the freed block is reused');
  assert.ok(mem.u8.subarray(b, b + 256).every((x) => x === 0));
  void guard;
});

// Blocks above 1 KiB: the general allocator's. (Small blocks wait on their size's list
// until consolidated: heap-patterns.test.ts.)
test('freed neighbours coalesce: two adjacent freed blocks serve one allocation of their combined size', () => {
  for (const order of [[0, 1], [1, 0]]) {
    const h = newHeap();
    const blocks = [h.alloc(1100)!, h.alloc(1100)!];
    h.alloc(16); // a live block after them
    for (const i of order) h.free(blocks[i]!);
    assert.ok(h.validate());
    assert.equal(h.alloc(fitting(2 * blockBytes(1100))), blocks[0], `free order ${order.join(',')}`);
  }
});

test('a block freed between two free blocks merges all three', () => {
  const h = newHeap();
  const [a, b, c] = [h.alloc(1100)!, h.alloc(1200)!, h.alloc(1300)!];
  h.alloc(16);
  h.free(a);
  h.free(c);
  h.free(b);
  assert.ok(h.validate());
  assert.equal(h.alloc(fitting(blockBytes(1100) + blockBytes(1200) + blockBytes(1300))), a);
});

test('freeing the topmost block returns its space to the top', () => {
  const h = newHeap(0x10000);
  const a = h.alloc(0x1000)!;
  const rest = h.limit - (a + 0x1000) - 16;
  const b = h.alloc(rest)!;
  assert.equal(h.alloc(0), undefined, 'the heap is full');
  h.free(b);
  assert.equal(h.alloc(rest), b);
  void a;
});

test('an allocation larger than the heap fails with undefined rather than overlapping', () => {
  const h = newHeap(0x10000);
  assert.equal(h.alloc(0x10001), undefined);
  const first = h.alloc(16)!;
  h.free(first);
  assert.equal(h.alloc(h.limit - first + 1), undefined);
  const a = h.alloc(h.limit - first)!;
  assert.equal(a, first);
  assert.equal(h.alloc(0), undefined);
  h.free(a);
  assert.notEqual(h.alloc(32), undefined);
});

test('freeing a pointer the heap did not hand out raises STATUS_HEAP_CORRUPTION', () => {
  const h = newHeap();
  const a = h.alloc(64)!;
  assert.throws(() => h.free(a + 16), corruption, 'interior pointer');
  assert.throws(() => h.free(0x1234), corruption, 'wild pointer');
  h.free(a);
  assert.throws(() => h.free(a), corruption, 'double free');
  assert.throws(() => h.realloc(a, 10), corruption, 'realloc of a freed block');
});

test('realloc shrinking or growing within the rounded size keeps the address and the data', () => {
  const h = newHeap();
  const a = h.alloc(40)!;
  h.alloc(16);
  mem.u8.set([1, 2, 3, 4], a);
  assert.equal(h.realloc(a, 8), a);
  assert.equal(h.sizeOf(a), 8);
  assert.equal(h.realloc(a, 48), a, '48 still fits the 48-byte rounded block');
  assert.ok(h.validate());
  assert.deepEqual([...mem.u8.subarray(a, a + 4)], [1, 2, 3, 4]);
});

test('realloc growing a block that cannot grow in place moves it and copies the contents', () => {
  const h = newHeap();
  const a = h.alloc(32)!;
  const b = h.alloc(32)!;
  for (let i = 0; i < 32; i++) mem.u8[a + i] = i + 1;
  const moved = h.realloc(a, 200)!;
  assert.notEqual(moved, a);
  assert.deepEqual([...mem.u8.subarray(moved, moved + 32)], Array.from({ length: 32 }, (_, i) => i + 1));
  assert.equal(h.sizeOf(moved), 200);
  assert.equal(h.contains(a), false, 'the old block was freed');
  assert.ok(h.contains(b));
});

test('realloc of the topmost block grows in place', () => {
  const h = newHeap();
  const a = h.alloc(32)!;
  mem.u8[a] = 9;
  assert.equal(h.realloc(a, 5000), a);
  assert.equal(mem.u8[a], 9);
  const next = h.alloc(16)!;
  assert.ok(next >= a + 5000, 'the grown block is not handed out again');
});

test('realloc beyond the heap returns undefined and leaves the block alone', () => {
  const h = newHeap(0x10000);
  const a = h.alloc(0x100)!;
  h.alloc(16);
  mem.u8[a] = 7;
  assert.equal(h.realloc(a, 0x20000), undefined);
  assert.ok(h.contains(a));
  assert.equal(h.sizeOf(a), 0x100);
  assert.equal(mem.u8[a], 7);
});

test('bytesInUse follows allocations and frees', () => {
  const h = newHeap();
  const a = h.alloc(10)!;
  const b = h.alloc(100)!;
  assert.equal(h.bytesInUse, 16 + 112);
  h.free(a);
  assert.equal(h.bytesInUse, 112);
  h.free(b);
  assert.equal(h.bytesInUse, 0);
});

test('a freed or stale block header is not taken for an allocated block', () => {
  const h = newHeap();
  const a = h.alloc(64)!;
  const b = h.alloc(64)!;
  h.alloc(16);
  h.free(b);
  // a's memory holds what looks like headers: a copy of b's (freed) and of a's own.
  mem.u8.copyWithin(a + 16, b - 16, b);
  mem.u8.copyWithin(a + 32, a - 16, a);
  assert.throws(() => h.free(a + 32), corruption, 'a copied header at another address');
  assert.throws(() => h.free(b), corruption, 'the freed block');
  assert.ok(h.validate());
  h.free(a);
  assert.ok(h.validate());
});

test('HeapValidate(heap, 0) notices a damaged header', () => {
  const h = newHeap();
  const a = h.alloc(64)!;
  h.alloc(64);
  assert.ok(h.validate());
  const saved = mem.u8.slice(a - 16, a);
  mem.u8[a - 16] = 3; // the size field
  assert.equal(h.validate(), false);
  mem.u8.set(saved, a - 16);
  assert.ok(h.validate());
});

test('kernel32 and msvcrt heap functions are guest code on the process heap, whose handle is its base', async () => {
  const { api } = await import('./support/guest.js');
  const { guestLibrary } = await import('../../runtime/guestlib/index.js');
  const { crt } = await import('../../runtime/msvcrt/state.js');
  const p = g.p;
  const lib = guestLibrary(p);
  const heap = Number(api(p, 'kernel32.dll', 'GetProcessHeap'));
  assert.equal(heap, p.processHeap.base);
  assert.equal(p.mem.readPtr(p.peb + 0x30), heap, 'PEB.ProcessHeap');
  const a = Number(api(p, 'kernel32.dll', 'HeapAlloc', heap, 0, 40));
  mem.u8.fill(0xcc, a, a + 40);
  assert.equal(api(p, 'kernel32.dll', 'HeapSize', heap, 0, a), 40n);
  assert.equal(Number(api(p, 'kernel32.dll', 'HeapFree', heap, 0, a)), 1);
  const z = Number(api(p, 'kernel32.dll', 'HeapAlloc', heap, 8 /* HEAP_ZERO_MEMORY */, 40));
  assert.equal(z, a, 'the freed block again');
  assert.ok(mem.u8.subarray(z, z + 40).every((x) => x === 0), 'zeroed');
  assert.equal(Number(api(p, 'msvcrt.dll', '_msize', z)), 40, 'malloc and HeapAlloc share the heap');
  api(p, 'msvcrt.dll', 'free', z);
  assert.throws(() => api(p, 'msvcrt.dll', 'free', z), corruption, 'double free through msvcrt');
  assert.equal(api(p, 'msvcrt.dll', 'malloc', 2n ** 40n), 0n);
  assert.equal(crt(p).errno, 12, 'ENOMEM');
  for (const [dll, name] of [['msvcrt.dll', 'malloc'], ['kernel32.dll', 'HeapAlloc'], ['kernel32.dll', 'LocalAlloc']] as const) {
    const { thunk } = await import('./support/guest.js');
    assert.ok(lib.contains(thunk(p, dll, name)), `${dll}!${name} resolves to wexert.dll code`);
  }
});

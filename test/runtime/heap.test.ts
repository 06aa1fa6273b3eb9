// runtime/heap.ts: the allocator behind HeapAlloc and malloc. Alignment (16 bytes on
// Windows x64, as MEMORY_ALLOCATION_ALIGNMENT says), zeroing, reuse and coalescing of
// freed blocks, realloc, and STATUS_HEAP_CORRUPTION (0xC0000374, ntstatus.h) for frees
// of pointers the heap never handed out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestMemory } from '../../src/mem/memory.js';
import { GuestFault } from '../../src/mem/fault.js';
import { Heap, STATUS_HEAP_CORRUPTION } from '../../runtime/heap.js';

const mem = new GuestMemory();
let nextBase = 0x1000_0000;
/** A fresh heap of `size` bytes in its own part of the one guest memory. */
function newHeap(size = 0x10_0000): Heap {
  const h = new Heap(mem, nextBase, nextBase + size);
  nextBase += Math.max(size, 0x10_0000);
  return h;
}

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

test('freed neighbours coalesce: two adjacent freed blocks serve one allocation of their combined size', () => {
  for (const order of [[0, 1], [1, 0]]) {
    const h = newHeap();
    const blocks = [h.alloc(64)!, h.alloc(64)!];
    h.alloc(16); // a live block after them
    for (const i of order) h.free(blocks[i]!);
    assert.equal(h.alloc(128), blocks[0], `free order ${order.join(',')}`);
  }
});

test('a block freed between two free blocks merges all three', () => {
  const h = newHeap();
  const [a, b, c] = [h.alloc(32)!, h.alloc(48)!, h.alloc(80)!];
  h.alloc(16);
  h.free(a);
  h.free(c);
  h.free(b);
  assert.equal(h.alloc(160), a);
});

test('freeing the topmost block returns its space to the top', () => {
  const h = newHeap(0x2000);
  const a = h.alloc(0x1000)!;
  const b = h.alloc(0x1000)!;
  assert.equal(h.alloc(16), undefined, 'the heap is full');
  h.free(b);
  assert.equal(h.alloc(0x1000), b);
  void a;
});

test('an allocation larger than the heap fails with undefined rather than overlapping', () => {
  const h = newHeap(0x10000);
  assert.equal(h.alloc(0x10001), undefined);
  const a = h.alloc(0xfff0)!;
  assert.equal(h.alloc(32), undefined);
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

// The guest heap (runtime/guestlib/heap.c through runtime/heap.ts) under allocation
// patterns: reuse of freed blocks by size, small blocks kept on their size's list,
// splitting, coalescing back to an empty heap, fragmentation that must not grow the heap,
// invalid frees of every kind, and a long random churn checked against a plain model of
// which bytes belong to which block (contents survive, blocks never overlap).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { GuestFault } from '../../src/mem/fault.js';
import { STATUS_HEAP_CORRUPTION } from '../../runtime/heap.js';
import type { Heap } from '../../runtime/heap.js';
import { Rng } from '../support/prng.js';
import { makeGuest } from './support/guest.js';

const g = makeGuest();
after(() => g.dispose());
const mem = g.p.mem;
/** Where each heap's first block's memory starts (after the heap's state and the block header). */
const firstBlock = new Map<Heap, number>();
function newHeap(size = 0x10_0000): Heap {
  const h = g.p.createHeap(size)!;
  // A general block (above the small tier's 1 KiB) goes back to the top when freed.
  const a = h.alloc(2000)!;
  h.free(a);
  firstBlock.set(h, a);
  return h;
}
/** Bytes a block serving `size` bytes takes: its header and its 16-byte granules (at least one). */
const blockBytes = (size: number) => 16 + Math.max(16, Math.ceil(size / 16) * 16);

const corruption = (e: unknown) => e instanceof GuestFault && e.code === STATUS_HEAP_CORRUPTION;

/** The heap is empty again: one allocation of all of it succeeds, at its base. */
function assertEmpty(h: Heap): void {
  assert.equal(h.bytesInUse, 0);
  assert.ok(h.validate());
  const first = firstBlock.get(h)!;
  const all = h.alloc(h.limit - first);
  assert.equal(all, first, 'every freed block went back to the top');
  h.free(all!);
}

test('the most recently freed block of a size is the first reused', () => {
  const h = newHeap();
  const blocks = Array.from({ length: 6 }, () => h.alloc(48)!);
  h.alloc(16);
  h.free(blocks[1]!);
  h.free(blocks[3]!);
  assert.equal(h.alloc(48), blocks[3]);
  assert.equal(h.alloc(40), blocks[1], 'same rounded size');
});

test('a small request whose list is empty splits the smallest larger free block of the general allocator', () => {
  const h = newHeap();
  const big = h.alloc(4000)!;
  h.alloc(16);
  const medium = h.alloc(2000)!;
  h.alloc(16);
  h.free(big);
  h.free(medium);
  const a = h.alloc(100)!;
  assert.equal(a, medium, 'the 2016-byte block, not the 4016-byte one');
  assert.equal(h.alloc(1872), medium + blockBytes(100), 'the rest of it');
  assert.equal(h.alloc(16), big);
});

test('small blocks stay on their size\'s list (not split, not merged) until a request nothing else can serve consolidates them', () => {
  const h = newHeap(0x10000);
  const small = h.alloc(200)!;
  const neighbour = h.alloc(200)!;
  const guard = h.alloc(16)!;
  h.free(small);
  h.free(neighbour);
  assert.ok(h.validate());
  const a = h.alloc(100)!;
  assert.ok(a > guard, 'a free block of another size is neither split nor merged: the top serves');
  assert.equal(h.alloc(400 - 16), a + blockBytes(100), 'nor are two neighbours of 224 bytes merged for 400');
  assert.equal(h.alloc(200), neighbour, 'its own size reuses the last freed');
  assert.equal(h.alloc(200), small);
  // Fill the heap with small blocks, free them all: the whole heap serves one request again.
  const blocks = [small, neighbour, guard, a, a + blockBytes(100)];
  for (let b = h.alloc(48); b !== undefined; b = h.alloc(48)) blocks.push(b);
  assert.ok(blocks.length > 900, `${blocks.length} blocks of 64 bytes in 64 KiB`);
  for (const b of blocks) h.free(b);
  assert.ok(h.validate());
  assertEmpty(h);
});

test('a large request takes a fitting block from its own class, or from a larger class', () => {
  const h = newHeap(0x100_0000);
  const sizes = [0x6000, 0x7000, 0x20000];
  const [a, b, c] = sizes.map((s) => { const x = h.alloc(s)!; h.alloc(16); return x; });
  h.free(c!);
  h.free(b!);
  h.free(a!); // class [0x4000, 0x8000) now holds a (0x6000) first, then b (0x7000)
  assert.equal(h.alloc(0x6800), b, 'a is too small, b fits');
  assert.equal(h.alloc(0x7800), c, 'nothing else in the class fits: the larger class serves');
  assert.equal(h.alloc(0x6000), a);
});

test('freeing everything, in any order, leaves one empty heap', () => {
  const rng = new Rng(7);
  const rnd = () => rng.u32() / 0x1_0000_0000;
  for (const order of ['forward', 'backward', 'random']) {
    const h = newHeap();
    const blocks = Array.from({ length: 500 }, () => h.alloc(1 + Math.floor(rnd() * 3000))!);
    if (order === 'backward') blocks.reverse();
    if (order === 'random') blocks.sort(() => rnd() - 0.5);
    for (const b of blocks) h.free(b);
    assertEmpty(h);
  }
});

test('freeing every other block and allocating the same sizes again does not grow the heap', () => {
  const h = newHeap();
  const sizes = Array.from({ length: 400 }, (_, i) => 16 * (1 + (i * 7) % 40));
  const blocks = sizes.map((s) => h.alloc(s)!);
  const end = Math.max(...blocks.map((b, i) => b + sizes[i]!));
  for (let i = 0; i < blocks.length; i += 2) h.free(blocks[i]!);
  for (let i = 0; i < blocks.length; i += 2) {
    const a = h.alloc(sizes[i]!)!;
    assert.ok(a + sizes[i]! <= end, `block ${i} was placed above the old end`);
  }
});

test('realloc grows into a free successor in place, and shrinking frees the tail', () => {
  const h = newHeap();
  // General blocks (above 1 KiB): a small block's neighbours never merge with it.
  const a = h.alloc(1100)!;
  const b = h.alloc(1500)!;
  const guard = h.alloc(16)!;
  mem.u8.fill(0x5a, a, a + 1100);
  h.free(b);
  assert.equal(h.realloc(a, 2000), a, 'grown into the freed neighbour');
  assert.ok(mem.u8.subarray(a, a + 1100).every((x) => x === 0x5a));
  assert.equal(h.alloc(112), a + blockBytes(2000), 'the rest of the neighbour is still free');
  assert.equal(h.realloc(a, 32), a);
  assert.equal(h.bytesInUse, 32 + 112 + 16);
  assert.ok(h.validate());
  assert.equal(h.alloc(blockBytes(2000) - blockBytes(32) - 16), a + blockBytes(32), 'the shrunk tail is free again');
  void guard;
});

test('invalid frees raise STATUS_HEAP_CORRUPTION and leave the heap intact', () => {
  const h = newHeap();
  const a = h.alloc(64)!;
  const b = h.alloc(64)!;
  const c = h.alloc(64)!;
  // General blocks (above 1 KiB) merge when freed: bigB no longer starts a block.
  const bigA = h.alloc(2000)!;
  const bigB = h.alloc(2000)!;
  h.alloc(16);
  h.free(a);
  h.free(b); // small blocks: on the 64-byte list, their tags say free
  h.free(bigA);
  h.free(bigB);
  const bad = [a, b, bigA, bigB, c + 8, c + 16, c - 16, h.base - 16, h.limit, h.limit + 0x1000, 0, 0x1234, -16, 2 ** 40, NaN];
  for (const p of bad) assert.throws(() => h.free(p), corruption, `free(0x${p.toString(16)})`);
  for (const p of bad) assert.throws(() => h.realloc(p, 8), corruption, `realloc(0x${p.toString(16)})`);
  for (const p of bad) { assert.equal(h.contains(p), false); assert.equal(h.sizeOf(p), undefined); }
  const top = h.alloc(3000)!;
  h.free(top);
  assert.throws(() => h.free(top), corruption, 'a block given back to the top');
  assert.ok(h.validate());
  assert.equal(h.sizeOf(c), 64);
  h.free(c);
});

test('requests the heap cannot hold fail without touching it', () => {
  const h = newHeap(0x10000);
  const a = h.alloc(100)!;
  for (const size of [h.limit - firstBlock.get(h)! + 1, 0x10001, 2 ** 32, 2 ** 64, Infinity, NaN]) assert.equal(h.alloc(size), undefined, `alloc(${size})`);
  assert.equal(h.realloc(a, 2 ** 64), undefined);
  assert.equal(h.sizeOf(a), 100);
  h.free(a);
  assertEmpty(h);
});

test('random churn: blocks never overlap, contents survive, sizes are remembered, all frees coalesce', () => {
  const rng = new Rng(12345);
  const rnd = () => rng.u32() / 0x1_0000_0000;
  const h = newHeap(0x40_0000);
  const live = new Map<number, { size: number; tag: number }>();
  const owner = new Map<number, number>(); // 16-byte granule address -> block
  const claim = (a: number, size: number) => {
    for (let g = a; g < a + Math.max(size, 1); g += 16) {
      assert.equal(owner.get(g), undefined, `0x${g.toString(16)} handed out twice`);
      owner.set(g, a);
    }
  };
  const unclaim = (a: number, size: number) => { for (let g = a; g < a + Math.max(size, 1); g += 16) owner.delete(g); };
  const check = (a: number) => {
    const { size, tag } = live.get(a)!;
    assert.equal(h.sizeOf(a), size);
    for (let i = 0; i < size; i += 7) assert.equal(mem.u8[a + i], (tag + i) & 0xff, `contents of 0x${a.toString(16)}`);
  };
  const fill = (a: number, size: number, tag: number) => { for (let i = 0; i < size; i++) mem.u8[a + i] = (tag + i) & 0xff; };
  const randomSize = () => { const r = rnd(); return r < 0.7 ? Math.floor(rnd() * 128) : r < 0.95 ? Math.floor(rnd() * 5000) : Math.floor(rnd() * 70000); };
  for (let step = 0; step < 4000; step++) {
    const op = rnd();
    const keys = [...live.keys()];
    if (op < 0.45 || keys.length === 0) {
      const size = randomSize();
      const zero = rnd() < 0.3;
      const a = h.alloc(size, zero);
      if (a === undefined) continue;
      assert.equal(a % 16, 0);
      assert.ok(a >= firstBlock.get(h)! && a + size <= h.limit);
      if (zero) for (let i = 0; i < size; i++) assert.equal(mem.u8[a + i], 0, 'zeroed');
      claim(a, size);
      const tag = Math.floor(rnd() * 256);
      fill(a, size, tag);
      live.set(a, { size, tag });
    } else if (op < 0.8) {
      const a = keys[Math.floor(rnd() * keys.length)]!;
      check(a);
      unclaim(a, live.get(a)!.size);
      live.delete(a);
      h.free(a);
    } else {
      const a = keys[Math.floor(rnd() * keys.length)]!;
      check(a);
      const old = live.get(a)!;
      const size = randomSize();
      unclaim(a, old.size);
      const nu = h.realloc(a, size);
      if (nu === undefined) { claim(a, old.size); continue; }
      live.delete(a);
      claim(nu, size);
      for (let i = 0; i < Math.min(size, old.size); i += 7) assert.equal(mem.u8[nu + i], (old.tag + i) & 0xff, 'realloc kept the contents');
      const tag = Math.floor(rnd() * 256);
      fill(nu, size, tag);
      live.set(nu, { size, tag });
    }
    assert.equal(h.bytesInUse, [...live.values()].reduce((s, b) => s + Math.max(16, Math.ceil(b.size / 16) * 16), 0));
    if (step % 200 === 0) assert.ok(h.validate(), `heap consistent at step ${step}`);
  }
  for (const a of live.keys()) { check(a); h.free(a); }
  assertEmpty(h);
});

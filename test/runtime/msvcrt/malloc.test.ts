// msvcrt's malloc family called through its real thunks: size_t arguments arrive as
// numbers ('size'), and the C rules still hold at the edges: calloc fails on a product
// that does not fit (C11 7.22.3.2) instead of wrapping, huge requests fail with ENOMEM
// (errno.h: 12), realloc(NULL, n) is malloc and realloc(p, 0) frees (msvcrt returns NULL).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeGuest, api } from '../support/guest.js';

const ENOMEM = 12;
const g = makeGuest();
after(() => g.dispose());
const p = g.p;
const ptr = (v: bigint) => Number(v);
const crt = (name: string, ...args: (number | bigint)[]) => ptr(api(p, 'msvcrt.dll', name, ...args));
const errno = () => p.mem.read32(crt('_errno'));
const setErrno = (v: number) => p.mem.write32(crt('_errno'), v);

test('malloc: 16-byte aligned, _msize is the size asked for, free gives the block back', () => {
  const a = crt('malloc', 100);
  assert.equal(a % 16, 0);
  assert.equal(api(p, 'msvcrt.dll', '_msize', a), 100n);
  crt('free', a);
  assert.equal(api(p, 'msvcrt.dll', '_msize', a), 0xffff_ffff_ffff_ffffn, '_msize of a freed block is -1');
  assert.equal(crt('malloc', 100), a, 'the freed block is reused');
  crt('free', a);
});

test('malloc of sizes no heap can hold returns NULL with errno ENOMEM', () => {
  for (const size of [0xffff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0x20_0000_0000_0001n, 0x1_0000_0000_0000n]) {
    setErrno(0);
    assert.equal(crt('malloc', size), 0, `malloc(0x${size.toString(16)})`);
    assert.equal(errno(), ENOMEM);
  }
});

test('calloc: zeroed memory even where a freed block left data; a product beyond 32 bits fails rather than wrapping', () => {
  const dirty = crt('malloc', 48);
  p.mem.fill(dirty, 0xee, 48);
  crt('free', dirty);
  const a = crt('calloc', 3, 16);
  assert.equal(a, dirty);
  assert.ok(p.mem.readBytes(a, 48).every((x) => x === 0));
  crt('free', a);
  // 2^32 * 2^32 wraps to 0 in 64-bit arithmetic; 0x1_0000_0001 * 0xffff_ffff is 2^64 - 1 + 2^32.
  for (const [n, size] of [[0x1_0000_0000n, 0x1_0000_0000n], [0x1_0000_0001n, 0xffff_ffffn], [0x1_0000_0000n, 1n], [0xffff_ffff_ffff_ffffn, 2n]]) {
    setErrno(0);
    assert.equal(crt('calloc', n!, size!), 0, `calloc(0x${n!.toString(16)}, 0x${size!.toString(16)})`);
    assert.equal(errno(), ENOMEM);
  }
});

test('realloc: NULL pointer allocates, size 0 frees, growth keeps the contents', () => {
  const a = crt('realloc', 0, 20);
  assert.notEqual(a, 0);
  p.mem.writeBytes(a, Uint8Array.from([1, 2, 3, 4, 5]));
  crt('malloc', 16); // keeps `a` from growing at the top
  const b = crt('realloc', a, 5000);
  assert.deepEqual([...p.mem.readBytes(b, 5)], [1, 2, 3, 4, 5]);
  assert.equal(api(p, 'msvcrt.dll', '_msize', b), 5000n);
  assert.equal(crt('realloc', b, 0), 0);
  assert.equal(api(p, 'msvcrt.dll', '_msize', b), 0xffff_ffff_ffff_ffffn, 'realloc(p, 0) freed the block');
});

test('_recalloc zeroes the grown part; _aligned_malloc aligns and _aligned_free frees', () => {
  const a = crt('_recalloc', 0, 4, 8);
  p.mem.fill(a, 0x11, 32);
  crt('malloc', 16);
  const b = crt('_recalloc', a, 16, 8);
  assert.ok(p.mem.readBytes(b, 32).every((x) => x === 0x11));
  assert.ok(p.mem.readBytes(b + 32, 96).every((x) => x === 0));
  for (const align of [16, 64, 4096]) {
    const c = crt('_aligned_malloc', 100, align);
    assert.equal(c % align, 0, `aligned to ${align}`);
    crt('_aligned_free', c);
  }
});

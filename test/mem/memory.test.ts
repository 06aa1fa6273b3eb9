import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestMemory, Prot, Access } from '../../src/mem/memory.js';
import { GuestFault, ExceptionCode } from '../../src/mem/fault.js';

const mem = new GuestMemory();

test('mapped pages read and write little-endian values', () => {
  mem.map(0x20000, 0x2000, Prot.RW);
  mem.write32(0x20ffe, 0x11223344); // crosses a page boundary
  assert.equal(mem.read32(0x20ffe), 0x11223344);
  assert.equal(mem.read8(0x20ffe), 0x44);
  mem.writePtr(0x20010, 0x123456789a);
  assert.equal(mem.readPtr(0x20010), 0x123456789a);
  assert.equal(mem.read64(0x20010), 0x123456789an);
});

test('unmapped, read-only and null-page accesses are access violations', () => {
  mem.map(0x30000, 0x1000, Prot.R);
  const av = (fn: () => void, access: number) => assert.throws(fn, (e: unknown) =>
    e instanceof GuestFault && e.code === ExceptionCode.AccessViolation && e.access === access);
  av(() => mem.write8(0x30000, 1), 1);
  av(() => mem.read8(0x0), 0);
  av(() => mem.read32(0x21ffe), 0); // second page of the pair is unmapped
  av(() => mem.read8(0x1_0000_0000), 0);
});

test('a guard page faults once with STATUS_GUARD_PAGE_VIOLATION', () => {
  mem.map(0x40000, 0x1000, Prot.RW | Prot.Guard);
  assert.throws(() => mem.read8(0x40000), (e: unknown) => e instanceof GuestFault && e.code === ExceptionCode.GuardPage);
  assert.equal(mem.read8(0x40000), 0);
});

test('writes to code pages notify listeners once', () => {
  const seen: number[] = [];
  mem.onCodeWrite((p) => seen.push(p));
  mem.map(0x50000, 0x1000, Prot.RWX);
  mem.markCode(0x50010);
  mem.write8(0x50020, 0x90);
  mem.write8(0x50021, 0x90);
  assert.deepEqual(seen, [0x50]);
});

test('a long write notifies every code page it covers, also those between its first and last page', () => {
  const seen: number[] = [];
  const m = mem;
  m.onCodeWrite((p) => seen.push(p));
  m.map(0x60000, 0x4000, Prot.RWX);
  m.markCode(0x61000);
  m.markCode(0x62000);
  m.fill(0x60ff0, 0xcc, 0x2100);
  assert.deepEqual(seen, [0x61, 0x62]);
  m.markCode(0x61000);
  m.copyWithin(0x60800, 0x61800, 0x2000);
  assert.deepEqual(seen, [0x61, 0x62, 0x61]);
});

test('copyWithin is memmove: overlapping ranges, source checked before destination', () => {
  const m = mem;
  m.map(0x70000, 0x1000, Prot.RW);
  m.map(0x71000, 0x1000, Prot.R);
  for (let i = 0; i < 16; i++) m.u8[0x70000 + i] = i;
  m.copyWithin(0x70004, 0x70000, 8);
  assert.deepEqual([...m.u8.subarray(0x70000, 0x70010)], [0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]);
  m.copyWithin(0x70000, 0x70004, 8);
  assert.deepEqual([...m.u8.subarray(0x70000, 0x70008)], [0, 1, 2, 3, 4, 5, 6, 7]);
  // Unreadable source (past the mapping) faults as a read; read-only destination as a write.
  assert.throws(() => m.copyWithin(0x70000, 0x71ff0, 0x20), (e: unknown) => e instanceof GuestFault && e.access === Access.Read);
  assert.throws(() => m.copyWithin(0x71000, 0x70000, 4), (e: unknown) => e instanceof GuestFault && e.access === Access.Write);
  assert.equal(m.u8[0x71000], 0, 'nothing written');
});

test('findFree skips allocated ranges and honours alignment', () => {
  const a = mem.findFree(0x3000, 0x10000, 0x20000);
  assert.ok(a !== undefined && a % 0x10000 === 0 && mem.isFree(a, 0x3000));
});

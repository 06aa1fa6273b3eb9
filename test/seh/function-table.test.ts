// RtlLookupFunctionEntry's data source: .pdata found through a mapped image's headers
// (binary search, gaps, bounds, indirect entries) and tables added at run time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionTables } from '../../src/seh/function-table.js';
import { machine, writeFunction, IMAGE, PDATA, CODE } from './support.js';

function imageWithPdata(count: number): ReturnType<typeof machine>['mem'] {
  const { mem } = machine();
  mem.write32(IMAGE + 0x3c, 0x80);
  mem.write32(IMAGE + 0x80, 0x4550); // PE\0\0
  const opt = IMAGE + 0x80 + 24;
  mem.write16(opt, 0x20b);
  mem.write32(opt + 56, 0x10000); // SizeOfImage
  mem.write32(opt + 108, 16); // NumberOfRvaAndSizes
  mem.write32(opt + 112 + 3 * 8, PDATA - IMAGE);
  mem.write32(opt + 112 + 3 * 8 + 4, 12 * count);
  // Functions of 0x20 bytes with 0x10-byte gaps: [CODE + 0x30 i, CODE + 0x30 i + 0x20).
  for (let i = 0; i < count; i++) writeFunction(mem, i, CODE + 0x30 * i, CODE + 0x30 * i + 0x20, IMAGE + 0x8000 + 0x10 * i);
  return mem;
}

test('lookups in an image\'s .pdata: first, last, every function, gaps and outside', () => {
  const mem = imageWithPdata(101);
  const t = new FunctionTables(mem);
  t.addImage(IMAGE);
  for (let i = 0; i < 101; i++) {
    for (const off of [0, 0x1f]) {
      const hit = t.lookup(CODE + 0x30 * i + off);
      assert.deepEqual(hit, { entry: PDATA + 12 * i, imageBase: IMAGE }, `function ${i} +${off}`);
    }
    assert.equal(t.lookup(CODE + 0x30 * i + 0x20), undefined, `gap after ${i}`);
  }
  assert.equal(t.lookup(CODE - 1), undefined);
  assert.equal(t.lookup(IMAGE + 0x10000), undefined);
  assert.equal(t.imageBaseOf(CODE + 5), IMAGE);
  assert.equal(t.imageBaseOf(IMAGE + 0x10000), undefined);
});

test('an indirect entry resolves to the RUNTIME_FUNCTION it names', () => {
  const mem = imageWithPdata(3);
  mem.write32(PDATA + 12 + 8, (PDATA - IMAGE) + 1); // entry 1 -> entry 0
  const t = new FunctionTables(mem);
  t.addImage(IMAGE);
  assert.equal(t.lookup(CODE + 0x30 + 4)?.entry, PDATA);
});

test('an image without an exception directory covers nothing but is still an image', () => {
  const mem = imageWithPdata(0);
  const t = new FunctionTables(mem);
  t.addImage(IMAGE);
  assert.equal(t.lookup(CODE), undefined);
  assert.equal(t.imageBaseOf(CODE), IMAGE);
});

test('dynamic tables: added, searched relative to their base, deleted', () => {
  const { mem } = machine();
  const t = new FunctionTables(mem);
  const base = 0x70_0000;
  const table = IMAGE + 0x4000;
  for (const [i, [b, e]] of [[0x100, 0x180], [0x200, 0x240]].entries()) {
    mem.write32(table + 12 * i, b!);
    mem.write32(table + 12 * i + 4, e!);
    mem.write32(table + 12 * i + 8, 0x900);
  }
  assert.equal(t.addTable(table, 0, base), false, 'an empty table is refused');
  assert.equal(t.addTable(table, 2, base), true);
  assert.deepEqual(t.lookup(base + 0x210), { entry: table + 12, imageBase: base });
  assert.equal(t.lookup(base + 0x1a0), undefined);
  assert.equal(t.imageBaseOf(base + 0x1a0), base);
  assert.equal(t.deleteTable(table), true);
  assert.equal(t.deleteTable(table), false);
  assert.equal(t.lookup(base + 0x210), undefined);
});

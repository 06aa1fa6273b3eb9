// Real MinGW programs from samples/ (committed .exe files): parse, load, and check the
// relocations against an independent decoding of the raw .reloc bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { GuestMemory, Prot } from '../../src/mem/memory.js';
import { parsePE } from '../../src/pe/parse.js';
import { loadImage } from '../../src/pe/loader.js';
import { describeImage } from '../../src/pe/describe.js';

const samplesDir = fileURLToPath(new URL('../../../samples/', import.meta.url));
const exes = existsSync(samplesDir) ? readdirSync(samplesDir).filter((f) => f.endsWith('.exe')).sort() : [];

/** Independent of src/pe: reads the section table and the .reloc blocks straight from the file. */
function rawFixups(file: Uint8Array): { imageBase: bigint; fixups: Map<number, number> } {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const nt = dv.getUint32(0x3c, true);
  const sectionCount = dv.getUint16(nt + 6, true);
  const optSize = dv.getUint16(nt + 20, true);
  const opt = nt + 24;
  const imageBase = dv.getBigUint64(opt + 24, true);
  const relocRva = dv.getUint32(opt + 112 + 5 * 8, true);
  const relocSize = dv.getUint32(opt + 112 + 5 * 8 + 4, true);
  const toFile = (rva: number) => {
    for (let i = 0; i < sectionCount; i++) {
      const h = opt + optSize + 40 * i;
      const va = dv.getUint32(h + 12, true);
      const raw = dv.getUint32(h + 16, true);
      if (rva >= va && rva < va + raw) return dv.getUint32(h + 20, true) + (rva - va);
    }
    throw new Error(`rva 0x${rva.toString(16)} not in file`);
  };
  const fixups = new Map<number, number>(); // rva -> width
  let o = toFile(relocRva);
  const end = o + relocSize;
  while (o < end) {
    const page = dv.getUint32(o, true);
    const size = dv.getUint32(o + 4, true);
    for (let e = o + 8; e < o + size; e += 2) {
      const entry = dv.getUint16(e, true);
      if (entry >> 12 === 10) fixups.set(page + (entry & 0xfff), 8);
      else if (entry >> 12 === 3) fixups.set(page + (entry & 0xfff), 4);
      else assert.equal(entry >> 12, 0);
    }
    o += size;
  }
  return { imageBase, fixups };
}

test('samples/ holds MinGW programs to check against', { skip: exes.length === 0 && 'no samples/*.exe' }, () => {
  assert.ok(exes.length > 0);
});

for (const name of exes) {
  test(`real program ${name}: parse, load, relocate`, () => {
    const file = new Uint8Array(readFileSync(join(samplesDir, name)));
    const pe = parsePE(file, name);
    const mem = new GuestMemory();
    const img = loadImage(mem, pe);

    // MinGW links at 0x140000000, so the image is rebased below 4 GiB.
    assert.equal(pe.optionalHeader.imageBase, 0x1_4000_0000);
    assert.equal(img.base, 0x400000);
    const entry = img.sectionAt(img.entryPoint);
    assert.equal(entry?.name, '.text');
    assert.equal(entry.prot & Prot.X, Prot.X);
    const dlls = img.imports.map((d) => d.dllKey);
    assert.ok(dlls.includes('kernel32.dll'), dlls.join());
    assert.ok(dlls.includes('msvcrt.dll') || dlls.some((d) => d.startsWith('api-ms-win-crt-')), dlls.join());
    assert.equal(img.imports.find((d) => d.dllKey === 'kernel32.dll')!.dll, 'KERNEL32.dll');
    for (const f of img.runtimeFunctions) assert.equal(img.sectionAt(f.begin)?.name, '.text');
    assert.ok(img.runtimeFunctions.length > 10);
    for (const cb of img.tls?.callbacks ?? []) assert.equal(img.sectionAt(cb)?.name, '.text');

    // Every loaded byte equals the file's, except at fixup sites, which moved by exactly the delta.
    const { imageBase, fixups } = rawFixups(file);
    assert.ok(fixups.size > 0);
    assert.equal(fixups.size, pe.relocations.length);
    const delta = BigInt(img.base) - imageBase;
    for (const s of pe.sections) {
      const raw = Math.min(s.sizeOfRawData, s.virtualSize);
      const loaded = mem.u8.subarray(img.base + s.virtualAddress, img.base + s.virtualAddress + raw);
      const original = file.subarray(s.pointerToRawData, s.pointerToRawData + raw);
      const ldv = new DataView(loaded.buffer, loaded.byteOffset, loaded.byteLength);
      const odv = new DataView(original.buffer, original.byteOffset, original.byteLength);
      let i = 0;
      while (i < raw) {
        const width = fixups.get(s.virtualAddress + i);
        if (width === 8) {
          assert.equal(ldv.getBigUint64(i, true), BigInt.asUintN(64, odv.getBigUint64(i, true) + delta), `${s.name}+0x${i.toString(16)}`);
          i += 8;
        } else if (width === 4) {
          assert.equal(ldv.getUint32(i, true), Number(BigInt.asUintN(32, BigInt(odv.getUint32(i, true)) + delta)));
          i += 4;
        } else {
          if (loaded[i] !== original[i]) assert.fail(`${name}: ${s.name}+0x${i.toString(16)} differs without a fixup`);
          i++;
        }
      }
    }
    assert.ok(describeImage(pe, img).includes('KERNEL32.dll'));
  });
}

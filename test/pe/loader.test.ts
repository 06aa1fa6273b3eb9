import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestMemory, Prot, PAGE_SIZE } from '../../src/mem/memory.js';
import { GuestFault } from '../../src/mem/fault.js';
import { parsePE } from '../../src/pe/parse.js';
import { loadImage } from '../../src/pe/loader.js';
import { PeFormatError } from '../../src/pe/errors.js';
import { isResourceLeaf } from '../../src/pe/types.js';
import { buildPE, TEXT } from './build-pe.js';
import { CUSTOM_DATA, TEXT_BYTES, TLS_TEMPLATE, sampleSpec } from './sample-spec.js';

const mem = new GuestMemory();
const built = buildPE(sampleSpec());
const pe = parsePE(built.bytes, 'sample.exe');
const img = loadImage(mem, pe);
const at = (section: string, offset: number) => img.base + built.rva({ section, offset });

test('an image based above 4 GiB is rebased to 0x400000', () => {
  assert.equal(img.base, 0x400000);
  assert.equal(img.rebased, true);
  assert.equal(img.size, built.sizeOfImage);
  assert.equal(img.entryPoint, at('.text', 0x10));
  assert.equal(img.moduleOffset(img.base + 0x1234), 'sample.exe+0x1234');
  assert.equal(img.moduleOffset(img.base + img.size), undefined);
  assert.equal(img.sectionAt(at('.data', 8))?.name, '.data');
  assert.equal(img.stackReserve, 0x200000);
  assert.equal(img.heapCommit, 0x1000);
  assert.equal(img.subsystem, 3);
});

test('headers and section contents are in memory, zero fill beyond raw data', () => {
  assert.deepEqual(mem.readBytes(img.base, 2), Uint8Array.from([0x4d, 0x5a]));
  assert.deepEqual(mem.readBytes(at('.text', 0), TEXT_BYTES.length), TEXT_BYTES);
  assert.equal(mem.read8(at('.text', TEXT_BYTES.length)), 0);
  assert.deepEqual(mem.readBytes(at('.tls', 0), 16), TLS_TEMPLATE);
  assert.ok(mem.readBytes(at('.bss', 0), 0x2345).every((b) => b === 0));
});

test('page protections follow the section characteristics', () => {
  const prot = (addr: number) => mem.prot[Math.floor(addr / PAGE_SIZE)]! & Prot.RWX;
  assert.equal(prot(img.base), Prot.R);
  assert.equal(prot(at('.text', 0)), Prot.RX);
  assert.equal(prot(at('.data', 0)), Prot.RW);
  assert.equal(prot(at('.bss', 0x2000)), Prot.RW);
  assert.equal(prot(at('.rdata', 0)), Prot.R);
  assert.throws(() => mem.write8(at('.text', 0), 0x90), GuestFault);
  assert.throws(() => mem.write8(img.base, 0), GuestFault);
  assert.throws(() => mem.read8(img.base + img.size), GuestFault);
  assert.equal(pe.sections.length, img.sections.length);
  assert.deepEqual(img.sections.find((s) => s.name === '.text'), { name: '.text', va: at('.text', 0), size: TEXT_BYTES.length, prot: Prot.RX, characteristics: TEXT });
});

test('DIR64 and HIGHLOW fixups hold the rebased addresses', () => {
  assert.equal(mem.readPtr(at('.data', 0x10)), at('.text', 0x20));
  assert.equal(mem.readPtr(at('.data', 0x18)), at('.bss', 0x1000));
  assert.equal(mem.read32(at('.data', 0x20)), at('.data', 0x80));
  // Bytes that are not fixups are untouched (the TLS index slot sits between them).
  assert.equal(mem.read32(at('.data', 0x24)), 0);
  assert.equal(mem.readPtr(at('.data', 0x40)), 0);
});

test('TLS as relocated VAs; callbacks read back from guest memory', () => {
  assert.deepEqual(img.tls, {
    templateStart: at('.tls', 0), templateEnd: at('.tls', 16), zeroFill: 8, indexAddress: at('.data', 0x40),
    callbacks: [at('.text', 0x40), at('.text', 0x50)], characteristics: 0,
  });
  // The directory itself was relocated in memory too.
  assert.equal(mem.readPtr(img.base + built.marks.get('tls')!), at('.tls', 0));
});

test('imports list IAT slot addresses, unbound, with normalised DLL names', () => {
  const k32 = img.imports[0]!;
  assert.equal(k32.dll, 'KERNEL32.dll');
  assert.equal(k32.dllKey, 'kernel32.dll');
  const iat = img.base + built.marks.get('import.iat.KERNEL32.dll')!;
  assert.deepEqual(k32.functions, [{ iatSlot: iat, name: 'ExitProcess', hint: 0 }, { iatSlot: iat + 8, name: 'GetStdHandle', hint: 0x2a5 }]);
  assert.deepEqual(img.imports[1]!.functions[2], { iatSlot: img.base + built.marks.get('import.iat.msvcrt.dll')! + 16, ordinal: 17 });
  assert.equal(img.imports[2]!.dllKey, 'api-ms-win-crt-stdio-l1-1-0.dll');
  const d = img.delayImports[0]!;
  assert.equal(d.moduleHandleSlot, img.base + built.marks.get('delay.hmod.USER32.dll')!);
  assert.deepEqual(d.functions.map((f) => f.iatSlot - img.base), [0, 8].map((o) => built.marks.get('delay.iat.USER32.dll')! + o));
  // The slots are writable data, so the runtime can bind them.
  mem.writePtr(k32.functions[0]!.iatSlot, 0x7fff0000);
  assert.equal(mem.readPtr(k32.functions[0]!.iatSlot), 0x7fff0000);
});

test('exports, .pdata and resources as VAs', () => {
  assert.deepEqual(img.exports, [
    { ordinal: 5, name: 'exported_fn', va: at('.text', 0x60) },
    { ordinal: 6, name: 'Forwarded', forwarder: 'NTDLL.RtlFoo' },
    { ordinal: 7, va: at('.data', 0x80) },
  ]);
  assert.deepEqual(img.runtimeFunctions[1], { begin: at('.text', 0x40), end: at('.text', 0x58), unwindInfo: at('.data', 0xc8) });
  assert.equal(img.runtimeFunctionAt(at('.text', 0x3f)), img.runtimeFunctions[0]);
  assert.equal(img.runtimeFunctionAt(at('.text', 0x58)), undefined);
  const named = img.resources!.entries[0]!.child;
  assert.ok(!isResourceLeaf(named));
  const lang = named.entries[0]!.child;
  assert.ok(!isResourceLeaf(lang));
  const leaf = lang.entries[0]!.child;
  assert.ok(isResourceLeaf(leaf));
  assert.deepEqual(mem.readBytes(leaf.data.va, leaf.data.size), CUSTOM_DATA);
});

test('a free preferred base below 4 GiB is used as is, without relocating', () => {
  const m = new GuestMemory();
  const b = buildPE(sampleSpec({ imageBase: 0x1000_0000n }));
  const li = loadImage(m, parsePE(b.bytes, 'low.exe'));
  assert.equal(li.base, 0x1000_0000);
  assert.equal(li.rebased, false);
  assert.equal(m.readPtr(li.base + b.rva({ section: '.data', offset: 0x10 })), 0x1000_0000 + b.rva({ section: '.text', offset: 0x20 }));
});

test('an occupied preferred base moves to the first free 64 KiB-aligned range at or above opts.base', () => {
  const m = new GuestMemory();
  const b = buildPE(sampleSpec({ imageBase: 0x1000_0000n }));
  m.map(0x1000_0000, 0x1000, Prot.RW);
  m.map(0x0060_0000, 0x1000, Prot.RW);
  const li = loadImage(m, parsePE(b.bytes, 'moved.exe'), { base: 0x005f_8000 });
  assert.equal(li.base, 0x0061_0000); // rounded up to 0x600000, which is taken
  assert.equal(li.rebased, true);
  assert.equal(m.readPtr(li.base + b.rva({ section: '.data', offset: 0x10 })), li.base + b.rva({ section: '.text', offset: 0x20 }));
});

test('an image with an empty relocation directory can still be rebased', () => {
  const m = new GuestMemory();
  const b = buildPE({ forceRelocSection: true, sections: [{ name: '.text', data: new Uint8Array([0xc3]), characteristics: TEXT }] });
  const li = loadImage(m, parsePE(b.bytes, 'pic.exe'));
  assert.equal(li.base, 0x400000);
});

test('images without relocations that cannot be placed are rejected', () => {
  const spec = { sections: [{ name: '.text', data: new Uint8Array([0xc3]), characteristics: TEXT }] };
  const high = parsePE(buildPE(spec).bytes, 'high.exe');
  assert.throws(() => loadImage(new GuestMemory(), high), (e: unknown) => e instanceof PeFormatError &&
    e.message === 'image has no relocations and its base 0x140000000 is above 4 GiB; wexe maps guest memory below 4 GiB');
  const m = new GuestMemory();
  m.map(0x0040_1000, 0x1000, Prot.R);
  const low = parsePE(buildPE({ ...spec, imageBase: 0x40_0000n }).bytes, 'low.exe');
  assert.throws(() => loadImage(m, low), (e: unknown) => e instanceof PeFormatError &&
    e.message === 'image has no relocations and its base range 0x400000-0x402000 is not free');
});

test('low-alignment images (SectionAlignment 0x200) share pages; a shared page gets the union of protections', () => {
  const m = new GuestMemory();
  const b = buildPE({
    imageBase: 0x20_0000n, sectionAlignment: 0x200, fileAlignment: 0x200,
    sections: [
      { name: '.text', data: new Uint8Array([0x90, 0xc3]), characteristics: TEXT },
      { name: '.data', data: new Uint8Array([7, 8, 9]), characteristics: 0xc0000040 },
    ],
  });
  const li = loadImage(m, parsePE(b.bytes, 'tiny.exe'));
  assert.equal(li.base, 0x20_0000);
  const text = b.section('.text').rva;
  const data = b.section('.data').rva;
  assert.equal(Math.floor(text / PAGE_SIZE), Math.floor(data / PAGE_SIZE));
  assert.equal(m.prot[Math.floor((li.base + data) / PAGE_SIZE)]! & Prot.RWX, Prot.RWX);
  assert.deepEqual(m.readBytes(li.base + text, 2), Uint8Array.from([0x90, 0xc3]));
  assert.deepEqual(m.readBytes(li.base + data, 3), Uint8Array.from([7, 8, 9]));
});

test('DLL names are normalised for lookup: lower case, .dll added when there is no extension', async () => {
  const { normaliseDllName } = await import('../../src/pe/imports.js');
  assert.equal(normaliseDllName('KERNEL32.dll'), 'kernel32.dll');
  assert.equal(normaliseDllName('MSVCRT'), 'msvcrt.dll');
  assert.equal(normaliseDllName('api-ms-win-crt-stdio-l1-1-0.dll'), 'api-ms-win-crt-stdio-l1-1-0.dll');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePE } from '../../src/pe/parse.js';
import { isResourceLeaf, type ResourceDirectory } from '../../src/pe/types.js';
import { buildPE } from './build-pe.js';
import { CUSTOM_DATA, TLS_TEMPLATE, VERSION_DATA, sampleSpec } from './sample-spec.js';

const built = buildPE(sampleSpec());
const pe = parsePE(built.bytes, 'sample.exe');

test('headers: machine, PE32+ fields and data directories', () => {
  assert.equal(pe.fileHeader.machine, 0x8664);
  assert.equal(pe.fileHeader.numberOfSections, built.sections.length);
  const oh = pe.optionalHeader;
  assert.equal(oh.magic, 0x20b);
  assert.equal(oh.imageBase, 0x1_4000_0000);
  assert.equal(oh.sectionAlignment, 0x1000);
  assert.equal(oh.fileAlignment, 0x200);
  assert.equal(oh.sizeOfImage, built.sizeOfImage);
  assert.equal(oh.subsystem, 3);
  assert.equal(oh.dllCharacteristics, 0x160);
  assert.equal(oh.sizeOfStackReserve, 0x200000);
  assert.equal(oh.sizeOfStackCommit, 0x1000);
  assert.equal(oh.sizeOfHeapReserve, 0x100000);
  assert.equal(oh.numberOfRvaAndSizes, 16);
  assert.equal(pe.entryPointRva, built.rva({ section: '.text', offset: 0x10 }));
  assert.equal(pe.debugEntryCount, 2);
  assert.equal(oh.dataDirectories[1]!.rva, built.marks.get('import.descriptors'));
});

test('sections: names (long ones via the string table), addresses, sizes, protections', () => {
  const byName = (n: string) => pe.sections.find((s) => s.name === n)!;
  assert.deepEqual(pe.sections.map((s) => s.name), ['.text', '.data', '.tls', '.bss', '.debug_info', '.rdata', '.idata', '.edata', '.pdata', '.rsrc', '.reloc']);
  assert.equal(byName('.text').prot, 5);
  assert.equal(byName('.data').prot, 3);
  assert.equal(byName('.rdata').prot, 1);
  assert.equal(byName('.bss').virtualSize, 0x2345);
  assert.equal(byName('.bss').sizeOfRawData, 0);
  for (const b of built.sections) {
    const s = byName(b.name);
    assert.equal(s.virtualAddress, b.rva, b.name);
    assert.equal(s.pointerToRawData, b.fileOffset, b.name);
  }
});

test('imports by name with hint and by ordinal, each with its IAT slot RVA', () => {
  assert.deepEqual(pe.imports.map((d) => [d.dll, d.dllKey]), [
    ['KERNEL32.dll', 'kernel32.dll'], ['msvcrt.dll', 'msvcrt.dll'], ['api-ms-win-crt-stdio-l1-1-0', 'api-ms-win-crt-stdio-l1-1-0.dll'],
  ]);
  const k32Iat = built.marks.get('import.iat.KERNEL32.dll')!;
  assert.deepEqual(pe.imports[0]!.functions, [
    { name: 'ExitProcess', hint: 0, iatRva: k32Iat },
    { name: 'GetStdHandle', hint: 0x2a5, iatRva: k32Iat + 8 },
  ]);
  const crtIat = built.marks.get('import.iat.msvcrt.dll')!;
  assert.deepEqual(pe.imports[1]!.functions[2], { ordinal: 17, iatRva: crtIat + 16 });
});

test('delay-load imports', () => {
  assert.equal(pe.delayImports.length, 1);
  const d = pe.delayImports[0]!;
  assert.equal(d.dll, 'USER32.dll');
  assert.equal(d.dllKey, 'user32.dll');
  assert.equal(d.moduleHandleRva, built.marks.get('delay.hmod.USER32.dll'));
  const iat = built.marks.get('delay.iat.USER32.dll')!;
  assert.deepEqual(d.functions, [{ name: 'MessageBoxA', hint: 0, iatRva: iat }, { ordinal: 5, iatRva: iat + 8 }]);
});

test('base relocations match what the writer emitted, ABSOLUTE padding dropped', () => {
  const expected = built.relocations.map((r) => ({ rva: r.rva, type: r.type === 'dir64' ? 10 : 3 })).sort((a, b) => a.rva - b.rva);
  assert.deepEqual(pe.relocations.map((r) => ({ rva: r.rva, type: r.type as number })), expected);
  assert.equal(pe.relocatable, true);
});

test('TLS directory as RVAs, callbacks read from the file', () => {
  const t = pe.tls!;
  assert.equal(t.rawDataStartRva, built.rva({ section: '.tls', offset: 0 }));
  assert.equal(t.rawDataEndRva - t.rawDataStartRva, TLS_TEMPLATE.length);
  assert.equal(t.indexRva, built.rva({ section: '.data', offset: 0x40 }));
  assert.equal(t.callbacksRva, built.marks.get('tls.callbacks'));
  assert.deepEqual(t.callbacks, [built.rva({ section: '.text', offset: 0x40 }), built.rva({ section: '.text', offset: 0x50 })]);
  assert.equal(t.sizeOfZeroFill, 8);
});

test('exports: names, ordinals from the base, forwarders, ordinal-only entries', () => {
  const e = pe.exports!;
  assert.equal(e.dllName, 'sample.exe');
  assert.equal(e.ordinalBase, 5);
  assert.deepEqual(e.functions[0], { ordinal: 5, name: 'exported_fn', rva: built.rva({ section: '.text', offset: 0x60 }) });
  assert.equal(e.functions[1]!.name, 'Forwarded');
  assert.equal(e.functions[1]!.ordinal, 6);
  assert.equal(e.functions[1]!.forwarder, 'NTDLL.RtlFoo');
  assert.deepEqual(e.functions[2], { ordinal: 7, rva: built.rva({ section: '.data', offset: 0x80 }) });
});

test('.pdata entries', () => {
  const r = (s: string, o: number) => built.rva({ section: s, offset: o });
  assert.deepEqual(pe.runtimeFunctions, [
    { begin: r('.text', 0x10), end: r('.text', 0x40), unwindInfo: r('.data', 0xc0) },
    { begin: r('.text', 0x40), end: r('.text', 0x58), unwindInfo: r('.data', 0xc8) },
  ]);
});

test('resource tree: named and numeric ids, leaves with RVA, size and code page', () => {
  const root = pe.resources!;
  assert.deepEqual(root.entries.map((e) => e.id), ['MYTYPE', 16]);
  const leafAt = (dir: ResourceDirectory, ...path: (number | string)[]) => {
    let node: ResourceDirectory | { data: { rva: number; size: number; codePage: number } } = dir;
    for (const id of path) {
      assert.ok(!isResourceLeaf(node));
      node = node.entries.find((e) => e.id === id)!.child;
    }
    assert.ok(isResourceLeaf(node));
    return node.data;
  };
  const version = leafAt(root, 16, 1, 0x409);
  assert.equal(version.codePage, 1252);
  assert.equal(version.size, VERSION_DATA.length);
  assert.deepEqual(built.bytes.subarray(built.fileOffset(version.rva), built.fileOffset(version.rva) + version.size), VERSION_DATA);
  const custom = leafAt(root, 'MYTYPE', 'NAME', 0);
  assert.deepEqual(built.bytes.subarray(built.fileOffset(custom.rva), built.fileOffset(custom.rva) + custom.size), CUSTOM_DATA);
});

test('an image without optional directories parses to empty lists', () => {
  const bare = parsePE(buildPE({ sections: [{ name: '.text', data: new Uint8Array([0xc3]), characteristics: 0x60000020 }] }).bytes, 'bare.exe');
  assert.deepEqual(bare.imports, []);
  assert.deepEqual(bare.relocations, []);
  assert.equal(bare.relocatable, false);
  assert.equal(bare.tls, undefined);
  assert.equal(bare.exports, undefined);
  assert.equal(bare.resources, undefined);
  assert.equal(bare.entryPointRva, 0);
});

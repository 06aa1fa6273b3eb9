// One line per malformed file: a mutation of the reference image and the exact one-line
// PeFormatError it must produce. Offsets are those of the reference layout:
// headers 0x400 bytes; .text 0x1000, .data 0x2000, .tls 0x3000, .bss 0x4000,
// .debug_info 0x7000, .rdata 0x8000 (TLS), .idata 0x9000, .edata 0xa000, .pdata 0xb000,
// .rsrc 0xc000, .reloc 0xd000; SizeOfImage 0xe000; file 0x1810 bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePE } from '../../src/pe/parse.js';
import { PeFormatError } from '../../src/pe/errors.js';
import { loadImage } from '../../src/pe/loader.js';
import { GuestMemory } from '../../src/mem/memory.js';
import { buildPE, TEXT, type BuiltPE } from './build-pe.js';
import { sampleSpec } from './sample-spec.js';

const ref = buildPE(sampleSpec());
const OH = ref.optionalHeader; // 0x98
const FH = ref.fileHeader; // 0x84

type Edit = (b: Uint8Array, dv: DataView, pe: BuiltPE) => Uint8Array | void;

const dir = (i: number) => OH + 112 + 8 * i;
const sec = (name: string) => ref.section(name).headerOffset;
const at = (rva: number) => ref.fileOffset(rva);
const mark = (name: string) => ref.marks.get(name)!;
const u64 = (dv: DataView, o: number, v: bigint) => dv.setBigUint64(o, v, true);

/** A file whose last section is .idata with raw data reaching SizeOfImage, so a name can run off the image. */
function importsOnly(): BuiltPE {
  const b = buildPE({ sections: [{ name: '.text', data: new TextEncoder().encode('KERNEL32.dll\0'), characteristics: TEXT }], imports: [{ dll: 'KERNEL32.dll', functions: ['ExitProcess'] }] });
  const dv = new DataView(b.bytes.buffer);
  const idata = b.section('.idata');
  dv.setUint32(idata.headerOffset + 8, idata.rawSize, true); // VirtualSize = SizeOfRawData
  dv.setUint32(OH + 56, idata.rva + idata.rawSize, true); // SizeOfImage ends with the raw data
  return b;
}

const cases: [string, Edit, string][] = [
  ['bad MZ', (b) => { b[0] = 0x4e; }, 'not a PE file: missing MZ signature'],
  ['empty file', () => new Uint8Array(0), 'not a PE file: missing MZ signature'],
  ['truncated DOS header', (b) => b.slice(0, 0x20), 'truncated DOS header: needs bytes 0x0..0x40 but the file is 0x20 bytes'],
  ['e_lfanew past EOF', (b, dv) => dv.setUint32(0x3c, 0x100000, true), 'DOS header: e_lfanew 0x100000 points past the end of the file (0x1810 bytes)'],
  ['missing PE signature', (b) => { b[0x81] = 0x58; }, 'not a PE file: missing PE signature at offset 0x80 (an MS-DOS program?)'],
  ['truncated COFF header', (b) => b.slice(0, 0x90), 'truncated COFF file header: needs bytes 0x84..0x98 but the file is 0x90 bytes'],
  ['i386 machine', (b, dv) => dv.setUint16(FH, 0x14c, true), '32-bit (PE32) programs are not supported yet'],
  ['PE32 optional header magic', (b, dv) => dv.setUint16(OH, 0x10b, true), '32-bit (PE32) programs are not supported yet'],
  ['ARM64 machine', (b, dv) => dv.setUint16(FH, 0xaa64, true), 'COFF file header: machine 0xaa64 (ARM64) is not supported; wexe runs x86-64 (AMD64) programs'],
  ['ROM optional header magic', (b, dv) => dv.setUint16(OH, 0x107, true), 'optional header: magic 0x107 is not PE32+ (0x20b)'],
  ['truncated optional header', (b) => b.slice(0, OH + 100), 'truncated optional header: needs bytes 0x98..0x188 but the file is 0xfc bytes'],
  ['SizeOfOptionalHeader too small', (b, dv) => dv.setUint16(FH + 16, 0x40, true), 'COFF file header: SizeOfOptionalHeader 0x40 is too small for a PE32+ optional header (0x70)'],
  ['NumberOfRvaAndSizes past the optional header', (b, dv) => dv.setUint16(FH + 16, 0x90, true), 'optional header: NumberOfRvaAndSizes 16 does not fit in SizeOfOptionalHeader 0x90'],
  ['huge NumberOfSections', (b, dv) => dv.setUint16(FH + 2, 200, true), 'COFF file header: NumberOfSections 200 is more than 96'],
  ['section table past EOF', (b, dv) => { dv.setUint16(FH + 2, 96, true); return b.slice(0, 0x800); }, 'section table (96 entries at offset 0x188) extends past the end of the file (0x800 bytes)'],
  ['section table past SizeOfHeaders', (b, dv) => dv.setUint32(OH + 60, 0x200, true), 'section table (11 entries at offset 0x188) extends past SizeOfHeaders 0x200'],
  ['zero SectionAlignment', (b, dv) => dv.setUint32(OH + 32, 0, true), 'optional header: SectionAlignment 0x0 is not a power of two'],
  ['SectionAlignment not a power of two', (b, dv) => dv.setUint32(OH + 32, 0x1800, true), 'optional header: SectionAlignment 0x1800 is not a power of two'],
  ['FileAlignment above SectionAlignment', (b, dv) => dv.setUint32(OH + 36, 0x2000, true), 'optional header: FileAlignment 0x2000 is larger than SectionAlignment 0x1000'],
  ['SizeOfImage above 2 GiB', (b, dv) => dv.setUint32(OH + 56, 0x8000_1000, true), 'optional header: SizeOfImage 0x80001000 is larger than 2 GiB'],
  ['ImageBase not 64 KiB aligned', (b, dv) => u64(dv, OH + 24, 0x1_4000_1000n), 'optional header: ImageBase 0x140001000 is not a multiple of 64 KiB'],
  ['ImageBase in kernel space', (b, dv) => u64(dv, OH + 24, 0xffff_8000_0000_0000n), 'optional header: ImageBase 0xffff800000000000 is too large'],
  ['absurd stack reserve', (b, dv) => u64(dv, OH + 72, 1n << 40n), 'optional header: SizeOfStackReserve 0x10000000000 is too large'],
  ['SizeOfHeaders past EOF', (b, dv) => dv.setUint32(OH + 60, 0x10000, true), 'optional header: SizeOfHeaders 0x10000 is past the end of the file (0x1810 bytes)'],
  ['entry point outside the image', (b, dv) => dv.setUint32(OH + 16, 0xe000, true), 'optional header: AddressOfEntryPoint 0xe000 is outside the image (SizeOfImage 0xe000)'],
  ['SizeOfImage too small for the sections', (b, dv) => dv.setUint32(OH + 56, 0xd000, true), 'section .reloc (0xd000-0xd024) extends past SizeOfImage 0xd000'],
  ['section raw data past EOF', (b, dv) => dv.setUint32(sec('.text') + 16, 0x100000, true), 'section .text: raw data 0x400+0x100000 is past the end of the file (0x1810 bytes)'],
  ['overlapping sections', (b, dv) => dv.setUint32(sec('.data') + 12, 0x1000, true), 'section .data (0x1000-0x2000) overlaps section .text (0x1000-0x2000)'],
  ['sections out of order', (b, dv) => dv.setUint32(sec('.bss') + 8, 0x4000, true), 'section .debug_info (0x7000-0x8000) overlaps section .bss (0x4000-0x8000)'],
  ['unaligned section address', (b, dv) => dv.setUint32(sec('.data') + 12, 0x2010, true), 'section .data: VirtualAddress 0x2010 is not a multiple of SectionAlignment 0x1000'],
  ['section over the headers', (b, dv) => dv.setUint32(sec('.text') + 12, 0, true), 'section .text at RVA 0x0 overlaps the headers (0x400 bytes)'],
  ['long section name outside the string table', (b) => { b.set(new TextEncoder().encode('/9999\0'), sec('.debug_info')); }, 'section 4: long name offset /9999 is outside the COFF string table (0x10 bytes)'],
  ['CLR header', (b, dv) => { dv.setUint32(dir(14), 0x8000, true); dv.setUint32(dir(14) + 4, 0x48, true); }, 'this is a .NET assembly (CLR runtime header present); wexe runs native x86-64 programs'],
  ['security directory past EOF', (b, dv) => { dv.setUint32(dir(4), 0x1800, true); dv.setUint32(dir(4) + 4, 0x100, true); }, 'security directory (file offset 0x1800, 0x100 bytes) is past the end of the file (0x1810 bytes)'],
  ['import directory outside the image', (b, dv) => dv.setUint32(dir(1), 0xe000, true), 'import directory (RVA 0xe000, 0x50 bytes) is outside the image (SizeOfImage 0xe000)'],
  ['import DLL name outside the image', (b, dv) => dv.setUint32(at(mark('import.descriptors')) + 12, 0x7fff_ffff, true), 'import descriptor 0: DLL name (RVA 0x7fffffff, 0x1 bytes) is outside the image (SizeOfImage 0xe000)'],
  ['import descriptor without FirstThunk', (b, dv) => dv.setUint32(at(mark('import.descriptors')) + 20 + 16, 0, true), 'import descriptor 1: Name 0x9141 or FirstThunk 0x0 is zero'],
  ['import lookup table outside the image', (b, dv) => dv.setUint32(at(mark('import.descriptors')), 0xdffc, true), 'import lookup table entry 0 of KERNEL32.dll (RVA 0xdffc, 0x8 bytes) is outside the image (SizeOfImage 0xe000)'],
  ['import name entry outside the image', (b, dv) => u64(dv, at(mark('import.ilt.KERNEL32.dll')), 0xe000n), 'import name entry of KERNEL32.dll (RVA 0xe000, 0x2 bytes) is outside the image (SizeOfImage 0xe000)'],
  ['import thunk with reserved bits', (b, dv) => u64(dv, at(mark('import.ilt.KERNEL32.dll') + 8), 0x100_0000_90c0n), 'import of KERNEL32.dll by name: thunk 0x100000090c0 has reserved bits set'],
  ['unterminated import name', (b, dv, pe) => { const s = pe.section('.idata'); b.fill(0x41, pe.fileOffset(pe.marks.get('import.name.ExitProcess')!), s.fileOffset + s.rawSize); }, 'import descriptor 0: DLL name at RVA 0x2056 is not NUL-terminated within the image'],
  ['unterminated import function name', (b, dv, pe) => {
    const s = pe.section('.idata');
    b.fill(0x41, pe.fileOffset(pe.marks.get('import.name.ExitProcess')!), s.fileOffset + s.rawSize);
    dv.setUint32(pe.fileOffset(pe.marks.get('import.descriptors')!) + 12, 0x1000, true); // the DLL name, copied into .text
  }, 'import name of KERNEL32.dll at RVA 0x204a is not NUL-terminated within the image'],
  ['delay import descriptor with VAs', (b, dv) => dv.setUint32(at(mark('delay.descriptors')), 0, true), 'delay import descriptor 0: attributes 0x0 mark a VA-based (Visual C++ 6) descriptor; only RVA-based ones are supported'],
  ['relocation block of size 0', (b, dv) => dv.setUint32(at(mark('reloc')) + 4, 0, true), 'base relocation block for page 0x2000 has invalid size 0x0'],
  ['relocation block past the directory', (b, dv) => dv.setUint32(at(mark('reloc')) + 4, 0x1000, true), 'base relocation block for page 0x2000 (size 0x1000) runs past the end of the relocation directory (size 0x24)'],
  ['relocation block larger than one page needs', (b, dv) => dv.setUint32(at(mark('reloc')) + 4, 0x200a, true), 'base relocation block for page 0x2000 has invalid size 0x200a'],
  ['relocation directory cut inside a block header', (b, dv) => dv.setUint32(dir(5) + 4, 0x14, true), 'base relocation block at directory offset 0x10 is truncated (4 bytes left)'],
  ['unknown relocation type', (b, dv) => dv.setUint16(at(mark('reloc')) + 8, 0x4010, true), 'base relocation at RVA 0x2010 has unsupported type 4 (HIGHADJ)'],
  ['fixup outside the image', (b, dv) => dv.setUint32(at(mark('reloc')), 0x7fff_0000, true), 'base relocation at RVA 0x7fff0010 (DIR64) is outside the image (SizeOfImage 0xe000)'],
  ['fixup straddling the image end', (b, dv) => dv.setUint32(at(mark('reloc')), 0xd000, true) /* entry offsets 0x10.. */ ?? dv.setUint16(at(mark('reloc')) + 8, 0xaffc, true), 'base relocation at RVA 0xdffc (DIR64) is outside the image (SizeOfImage 0xe000)'],
  ['export address table out of range', (b, dv) => dv.setUint32(at(mark('export')) + 28, 0xdff8, true), 'export address table (RVA 0xdff8, 0xc bytes) is outside the image (SizeOfImage 0xe000)'],
  ['export table longer than 16-bit ordinals allow', (b, dv) => dv.setUint32(at(mark('export')) + 20, 0x10001, true), 'export directory: NumberOfFunctions 65537 or NumberOfNames 2 is more than 65536'],
  ['export ordinal index out of range', (b, dv) => dv.setUint16(at(mark('export.ordinals')), 9, true), 'export Forwarded: ordinal index 9 is outside the export address table (3 entries)'],
  ['export RVA outside the image', (b, dv) => dv.setUint32(at(mark('export')) + 0x28, 0x10000, true), 'export ordinal 5: RVA 0x10000 is outside the image (SizeOfImage 0xe000)'],
  ['TLS callbacks pointer outside the image', (b, dv) => u64(dv, at(mark('tls')) + 24, 0x1_bfff_0000n), 'TLS directory: AddressOfCallBacks 0x1bfff0000 is outside the image (0x140000000-0x14000e000)'],
  ['TLS callback outside the image', (b, dv) => u64(dv, at(mark('tls.callbacks')), 0x1000n), 'TLS directory: callback 0 0x1000 is outside the image (0x140000000-0x14000e000)'],
  ['TLS template end before start', (b, dv) => u64(dv, at(mark('tls')) + 8, 0x1_4000_2000n), 'TLS directory: EndAddressOfRawData 0x140002000 is below StartAddressOfRawData 0x140003000'],
  ['TLS index slot straddling the image end', (b, dv) => u64(dv, at(mark('tls')) + 16, 0x1_4000_dffen), 'TLS directory: AddressOfIndex 0x14000dffe is outside the image (0x140000000-0x14000e000)'],
  ['exception directory size not a multiple of 12', (b, dv) => dv.setUint32(dir(3) + 4, 0x17, true), 'exception directory: size 0x17 is not a multiple of 12'],
  ['.pdata entry ending before it begins', (b, dv) => dv.setUint32(at(mark('pdata')) + 4, 0x1000, true), 'exception directory entry 0: function 0x1010-0x1000 with unwind info 0x20c0 is outside the image or empty'],
  ['resource loop', (b, dv) => dv.setUint32(at(mark('rsrc')) + 16 + 4, 0x8000_0000, true), 'resource directory at offset 0x0 is reached twice (a loop in the resource tree)'],
  ['resource subdirectory outside the resource directory', (b, dv) => dv.setUint32(at(mark('rsrc')) + 16 + 4, 0xffff_fff0, true), 'resource directory at offset 0x7ffffff0 is outside the resource directory (size 0xd6)'],
  ['resource data outside the image', (b, dv) => dv.setUint32(at(mark('rsrc.data.0')), 0xdffc, true), 'resource data entry at offset 0x80 (RVA 0xdffc, 0x6 bytes) is outside the image (SizeOfImage 0xe000)'],
];

for (const [name, edit, message] of cases) {
  test(`malformed: ${name}`, () => {
    const base = name.startsWith('unterminated') ? importsOnly() : buildPE(sampleSpec());
    const bytes = base.bytes.slice();
    const edited = edit(bytes, new DataView(bytes.buffer), base) ?? bytes;
    assert.throws(() => parsePE(edited, 'bad.exe'), (e: unknown) => {
      assert.ok(e instanceof PeFormatError, `threw ${String(e)}`);
      assert.equal(e.message, message);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  });
}

test('the unmodified reference files parse', () => {
  parsePE(buildPE(sampleSpec()).bytes, 'ok.exe');
  parsePE(importsOnly().bytes.slice(), 'ok.exe');
  assert.ok(cases.length >= 25);
});

test('random corruption never throws anything but PeFormatError, from parsing or loading', () => {
  const mem = new GuestMemory();
  let loaded = 0;
  // A fixed-seed xorshift, so a failure is reproducible from the iteration number.
  let seed = 0x2545f491;
  const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 0x1_0000_0000; };
  const bytes = ref.bytes;
  const hot = [[0, 0x400], [0x400, 0x1810]] as const;
  for (let i = 0; i < 1500; i++) {
    const b = bytes.slice();
    const flips = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < flips; k++) {
      const [lo, hi] = hot[rand() < 0.5 ? 0 : 1];
      const o = lo + Math.floor(rand() * (hi - lo));
      b[o] = rand() < 0.3 ? 0xff : Math.floor(rand() * 256);
    }
    const file = rand() < 0.1 ? b.slice(0, Math.floor(rand() * b.length)) : b;
    try {
      const pe = parsePE(file, 'fuzz.exe');
      // Loading (and unmapping) a corrupted 2 GiB SizeOfImage would touch real memory for nothing.
      if (pe.optionalHeader.sizeOfImage <= 0x100000) {
        const img = loadImage(mem, pe);
        mem.unmap(img.base, img.size);
        loaded++;
      }
    } catch (e) {
      if (!(e instanceof PeFormatError)) assert.fail(`iteration ${i}: ${String(e)}`);
      assert.ok(!e.message.includes('\n'));
    }
  }
  assert.ok(loaded > 100, `only ${loaded} corrupted files loaded`); // the corruption must not be all-or-nothing
});


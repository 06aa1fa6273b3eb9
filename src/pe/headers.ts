// The fixed headers of a PE32+ file: DOS header, NT signature, COFF file header,
// optional header and section table. Every offset is checked against the file and
// every section against the image before any directory is read.

import { PeFormatError, hex } from './errors.js';
import {
  MACHINE_AMD64, MACHINE_I386, MACHINE_NAMES, MAGIC_PE32, MAGIC_PE32_PLUS,
  SCN_MEM_EXECUTE, SCN_MEM_READ, SCN_MEM_WRITE,
} from './constants.js';
import { SectionProt, type DataDirectory, type FileHeader, type OptionalHeader, type Section } from './types.js';

const DOS_HEADER_SIZE = 64;
const FILE_HEADER_SIZE = 20;
const OPTIONAL_HEADER_FIXED_SIZE = 112;
const SECTION_HEADER_SIZE = 40;
const MAX_SECTIONS = 96;
const MAX_IMAGE_SIZE = 0x8000_0000;
/** The highest user-mode address on x64 Windows; ImageBase must lie below it. */
const USER_ADDRESS_LIMIT = 0x8000_0000_0000;
const PE32_MESSAGE = '32-bit (PE32) programs are not supported yet';

export interface Headers {
  readonly ntHeaderOffset: number;
  readonly fileHeader: FileHeader;
  readonly optionalHeader: OptionalHeader;
  readonly sections: readonly Section[];
}

/** Bounds-checked little-endian reads from the file. */
class FileReader {
  private readonly dv: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number { return this.bytes.length; }
  require(offset: number, len: number, what: string): void {
    if (offset + len > this.bytes.length) {
      throw new PeFormatError(`truncated ${what}: needs bytes ${hex(offset)}..${hex(offset + len)} but the file is ${hex(this.bytes.length)} bytes`);
    }
  }
  u8(o: number): number { return this.bytes[o]!; }
  u16(o: number): number { return this.dv.getUint16(o, true); }
  u32(o: number): number { return this.dv.getUint32(o, true); }
  /** A 64-bit field as a number; `what` names it when the value is too large to be meaningful. */
  u64(o: number, what: string, limit = Number.MAX_SAFE_INTEGER): number {
    const v = this.dv.getBigUint64(o, true);
    if (v > BigInt(limit)) throw new PeFormatError(`optional header: ${what} ${hex(v)} is too large`);
    return Number(v);
  }
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

export function parseHeaders(file: Uint8Array): Headers {
  const r = new FileReader(file);
  if (r.length < 2 || r.u8(0) !== 0x4d || r.u8(1) !== 0x5a) throw new PeFormatError('not a PE file: missing MZ signature');
  r.require(0, DOS_HEADER_SIZE, 'DOS header');
  const ntHeaderOffset = r.u32(0x3c);
  if (ntHeaderOffset + 4 > r.length) {
    throw new PeFormatError(`DOS header: e_lfanew ${hex(ntHeaderOffset)} points past the end of the file (${hex(r.length)} bytes)`);
  }
  if (r.u32(ntHeaderOffset) !== 0x00004550) {
    throw new PeFormatError(`not a PE file: missing PE signature at offset ${hex(ntHeaderOffset)} (an MS-DOS program?)`);
  }
  const fileHeader = parseFileHeader(r, ntHeaderOffset + 4);
  const optOffset = ntHeaderOffset + 4 + FILE_HEADER_SIZE;
  const optionalHeader = parseOptionalHeader(r, optOffset, fileHeader.sizeOfOptionalHeader);
  const sectionTable = optOffset + fileHeader.sizeOfOptionalHeader;
  const sections = parseSections(r, sectionTable, fileHeader, optionalHeader);
  return { ntHeaderOffset, fileHeader, optionalHeader, sections };
}

function parseFileHeader(r: FileReader, o: number): FileHeader {
  r.require(o, FILE_HEADER_SIZE, 'COFF file header');
  const machine = r.u16(o);
  if (machine === MACHINE_I386) throw new PeFormatError(PE32_MESSAGE);
  if (machine !== MACHINE_AMD64) {
    const name = MACHINE_NAMES[machine] ?? 'unknown';
    throw new PeFormatError(`COFF file header: machine ${hex(machine)} (${name}) is not supported; wexe runs x86-64 (AMD64) programs`);
  }
  const numberOfSections = r.u16(o + 2);
  if (numberOfSections > MAX_SECTIONS) {
    throw new PeFormatError(`COFF file header: NumberOfSections ${numberOfSections} is more than ${MAX_SECTIONS}`);
  }
  return {
    machine,
    numberOfSections,
    timeDateStamp: r.u32(o + 4),
    pointerToSymbolTable: r.u32(o + 8),
    numberOfSymbols: r.u32(o + 12),
    sizeOfOptionalHeader: r.u16(o + 16),
    characteristics: r.u16(o + 18),
  };
}

function parseOptionalHeader(r: FileReader, o: number, declaredSize: number): OptionalHeader {
  if (declaredSize < 2) throw new PeFormatError(`COFF file header: SizeOfOptionalHeader ${hex(declaredSize)} is too small for a PE32+ optional header`);
  r.require(o, 2, 'optional header');
  const magic = r.u16(o);
  if (magic === MAGIC_PE32) throw new PeFormatError(PE32_MESSAGE);
  if (magic !== MAGIC_PE32_PLUS) throw new PeFormatError(`optional header: magic ${hex(magic)} is not PE32+ (0x20b)`);
  if (declaredSize < OPTIONAL_HEADER_FIXED_SIZE) {
    throw new PeFormatError(`COFF file header: SizeOfOptionalHeader ${hex(declaredSize)} is too small for a PE32+ optional header (${hex(OPTIONAL_HEADER_FIXED_SIZE)})`);
  }
  r.require(o, declaredSize, 'optional header');

  const numberOfRvaAndSizes = r.u32(o + 108);
  const dirCount = Math.min(numberOfRvaAndSizes, 16);
  if (OPTIONAL_HEADER_FIXED_SIZE + 8 * dirCount > declaredSize) {
    throw new PeFormatError(`optional header: NumberOfRvaAndSizes ${numberOfRvaAndSizes} does not fit in SizeOfOptionalHeader ${hex(declaredSize)}`);
  }
  const dataDirectories: DataDirectory[] = [];
  for (let i = 0; i < 16; i++) {
    dataDirectories.push(i < dirCount ? { rva: r.u32(o + 112 + 8 * i), size: r.u32(o + 116 + 8 * i) } : { rva: 0, size: 0 });
  }

  const imageBase = r.u64(o + 24, 'ImageBase', USER_ADDRESS_LIMIT - 1);
  if (imageBase % 0x10000 !== 0) throw new PeFormatError(`optional header: ImageBase ${hex(imageBase)} is not a multiple of 64 KiB`);
  const sectionAlignment = r.u32(o + 32);
  const fileAlignment = r.u32(o + 36);
  if (!isPowerOfTwo(sectionAlignment)) throw new PeFormatError(`optional header: SectionAlignment ${hex(sectionAlignment)} is not a power of two`);
  if (!isPowerOfTwo(fileAlignment)) throw new PeFormatError(`optional header: FileAlignment ${hex(fileAlignment)} is not a power of two`);
  if (fileAlignment > sectionAlignment) {
    throw new PeFormatError(`optional header: FileAlignment ${hex(fileAlignment)} is larger than SectionAlignment ${hex(sectionAlignment)}`);
  }
  const sizeOfImage = r.u32(o + 56);
  if (sizeOfImage > MAX_IMAGE_SIZE) throw new PeFormatError(`optional header: SizeOfImage ${hex(sizeOfImage)} is larger than 2 GiB`);
  const sizeOfHeaders = r.u32(o + 60);
  if (sizeOfHeaders > r.length) {
    throw new PeFormatError(`optional header: SizeOfHeaders ${hex(sizeOfHeaders)} is past the end of the file (${hex(r.length)} bytes)`);
  }
  if (sizeOfHeaders > sizeOfImage) {
    throw new PeFormatError(`optional header: SizeOfHeaders ${hex(sizeOfHeaders)} is larger than SizeOfImage ${hex(sizeOfImage)}`);
  }
  if (imageBase + sizeOfImage > USER_ADDRESS_LIMIT) {
    throw new PeFormatError(`optional header: ImageBase ${hex(imageBase)} + SizeOfImage ${hex(sizeOfImage)} is past the user address space`);
  }
  const addressOfEntryPoint = r.u32(o + 16);
  if (addressOfEntryPoint >= sizeOfImage) {
    throw new PeFormatError(`optional header: AddressOfEntryPoint ${hex(addressOfEntryPoint)} is outside the image (SizeOfImage ${hex(sizeOfImage)})`);
  }
  const version = (at: number) => `${r.u16(at)}.${r.u16(at + 2)}`;
  return {
    magic,
    linkerVersion: `${r.u8(o + 2)}.${r.u8(o + 3)}`,
    sizeOfCode: r.u32(o + 4),
    sizeOfInitializedData: r.u32(o + 8),
    sizeOfUninitializedData: r.u32(o + 12),
    addressOfEntryPoint,
    baseOfCode: r.u32(o + 20),
    imageBase,
    sectionAlignment,
    fileAlignment,
    osVersion: version(o + 40),
    imageVersion: version(o + 44),
    subsystemVersion: version(o + 48),
    sizeOfImage,
    sizeOfHeaders,
    checkSum: r.u32(o + 64),
    subsystem: r.u16(o + 68),
    dllCharacteristics: r.u16(o + 70),
    sizeOfStackReserve: r.u64(o + 72, 'SizeOfStackReserve', MAX_IMAGE_SIZE),
    sizeOfStackCommit: r.u64(o + 80, 'SizeOfStackCommit', MAX_IMAGE_SIZE),
    sizeOfHeapReserve: r.u64(o + 88, 'SizeOfHeapReserve', MAX_IMAGE_SIZE),
    sizeOfHeapCommit: r.u64(o + 96, 'SizeOfHeapCommit', MAX_IMAGE_SIZE),
    loaderFlags: r.u32(o + 104),
    numberOfRvaAndSizes,
    dataDirectories,
  };
}

function sectionProt(characteristics: number): number {
  let prot = 0;
  if (characteristics & SCN_MEM_READ) prot |= SectionProt.R;
  // Windows has no write-only pages: a writable section is readable too.
  if (characteristics & SCN_MEM_WRITE) prot |= SectionProt.R | SectionProt.W;
  if (characteristics & SCN_MEM_EXECUTE) prot |= SectionProt.X;
  return prot;
}

/** Resolves `/123` section names through the COFF string table that follows the symbol table. */
function sectionName(r: FileReader, raw: Uint8Array, index: number, fh: FileHeader): string {
  let end = raw.indexOf(0);
  if (end < 0) end = raw.length;
  const short = String.fromCharCode(...raw.subarray(0, end));
  if (!/^\/\d+$/.test(short) || fh.pointerToSymbolTable === 0) return short;
  const table = fh.pointerToSymbolTable + fh.numberOfSymbols * 18;
  const offset = Number(short.slice(1));
  if (table + 4 > r.length) {
    throw new PeFormatError(`section ${index}: long name ${short} needs the COFF string table at ${hex(table)}, past the end of the file`);
  }
  const tableSize = r.u32(table);
  if (offset < 4 || offset >= tableSize || table + tableSize > r.length) {
    throw new PeFormatError(`section ${index}: long name offset ${short} is outside the COFF string table (${hex(tableSize)} bytes)`);
  }
  let i = table + offset;
  let name = '';
  while (i < table + tableSize && r.u8(i) !== 0) name += String.fromCharCode(r.u8(i++));
  if (i >= table + tableSize) throw new PeFormatError(`section ${index}: long name ${short} is not NUL-terminated in the COFF string table`);
  return name;
}

function parseSections(r: FileReader, o: number, fh: FileHeader, oh: OptionalHeader): Section[] {
  const count = fh.numberOfSections;
  if (o + count * SECTION_HEADER_SIZE > r.length) {
    throw new PeFormatError(`section table (${count} entries at offset ${hex(o)}) extends past the end of the file (${hex(r.length)} bytes)`);
  }
  if (o + count * SECTION_HEADER_SIZE > oh.sizeOfHeaders) {
    throw new PeFormatError(`section table (${count} entries at offset ${hex(o)}) extends past SizeOfHeaders ${hex(oh.sizeOfHeaders)}`);
  }
  const sections: Section[] = [];
  const headersEnd = alignUp(oh.sizeOfHeaders, oh.sectionAlignment);
  let previous: { name: string; start: number; end: number } | undefined;
  for (let i = 0; i < count; i++) {
    const at = o + i * SECTION_HEADER_SIZE;
    const name = sectionName(r, r.bytes.subarray(at, at + 8), i, fh);
    const declaredVirtualSize = r.u32(at + 8);
    const virtualAddress = r.u32(at + 12);
    const sizeOfRawData = r.u32(at + 16);
    const pointerToRawData = r.u32(at + 20);
    const characteristics = r.u32(at + 36);
    const virtualSize = declaredVirtualSize !== 0 ? declaredVirtualSize : sizeOfRawData;
    if (virtualAddress % oh.sectionAlignment !== 0) {
      throw new PeFormatError(`section ${name}: VirtualAddress ${hex(virtualAddress)} is not a multiple of SectionAlignment ${hex(oh.sectionAlignment)}`);
    }
    const start = virtualAddress;
    const end = start + alignUp(virtualSize, oh.sectionAlignment);
    if (start < headersEnd) {
      throw new PeFormatError(`section ${name} at RVA ${hex(start)} overlaps the headers (${hex(oh.sizeOfHeaders)} bytes)`);
    }
    if (previous && start < previous.end) {
      throw new PeFormatError(`section ${name} (${hex(start)}-${hex(end)}) overlaps section ${previous.name} (${hex(previous.start)}-${hex(previous.end)})`);
    }
    if (start + virtualSize > oh.sizeOfImage) {
      throw new PeFormatError(`section ${name} (${hex(start)}-${hex(start + virtualSize)}) extends past SizeOfImage ${hex(oh.sizeOfImage)}`);
    }
    if (sizeOfRawData > 0 && pointerToRawData + sizeOfRawData > r.length) {
      throw new PeFormatError(`section ${name}: raw data ${hex(pointerToRawData)}+${hex(sizeOfRawData)} is past the end of the file (${hex(r.length)} bytes)`);
    }
    previous = { name, start, end };
    sections.push({
      name, virtualAddress, virtualSize, sizeOfRawData, pointerToRawData, characteristics,
      prot: sectionProt(characteristics),
    });
  }
  return sections;
}

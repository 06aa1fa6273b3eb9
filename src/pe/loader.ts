// loadImage: places a parsed PE32+ image in guest memory. It picks the base (the
// preferred one when it is free and below 4 GiB, otherwise a rebase, which needs
// relocations), writes headers and sections, applies base relocations and sets page
// protections. Imports are listed with their IAT slot addresses but not bound: the
// runtime writes its thunk addresses into those slots.

import { GuestMemory, PAGE_SIZE, ADDRESS_LIMIT, Prot } from '../mem/memory.js';
import { PeFormatError, hex } from './errors.js';
import { alignUp } from './headers.js';
import {
  RelocationType, isResourceLeaf,
  type PEImage, type ResourceDirectory, type ResourceData, type ImportedFunction, type ExportedFunction,
} from './types.js';

export interface LoadOptions {
  /** Where to start looking for a free range when the image must be rebased (default 0x400000). */
  readonly base?: number;
}

export const DEFAULT_REBASE_ADDRESS = 0x0040_0000;
const IMAGE_ALIGNMENT = 0x10000;

export interface LoadedSection {
  readonly name: string;
  readonly va: number;
  /** Virtual size in bytes (not rounded). */
  readonly size: number;
  /** Prot bits (R/W/X) the section's pages were mapped with. */
  readonly prot: number;
  readonly characteristics: number;
}

export interface LoadedImportFunction {
  readonly name?: string;
  readonly hint?: number;
  readonly ordinal?: number;
  /** Guest address of the 8-byte IAT slot the caller fills with the function's address. */
  readonly iatSlot: number;
}

export interface LoadedImportDll {
  /** As written in the file. */
  readonly dll: string;
  /** Lower case, `.dll` appended when missing: the key for runtime DLL lookup. */
  readonly dllKey: string;
  readonly functions: readonly LoadedImportFunction[];
}

export interface LoadedDelayImportDll extends LoadedImportDll {
  /** Guest address of the HMODULE slot (0 when the descriptor has none). */
  readonly moduleHandleSlot: number;
}

export interface LoadedExport {
  readonly ordinal: number;
  readonly name?: string;
  /** Address of the export; undefined for a forwarder. */
  readonly va?: number;
  readonly forwarder?: string;
}

export interface LoadedTls {
  /** Template initialised data [templateStart, templateEnd), then zeroFill zero bytes. */
  readonly templateStart: number;
  readonly templateEnd: number;
  readonly zeroFill: number;
  /** Address of the DWORD that receives the module's TLS index (0 when absent). */
  readonly indexAddress: number;
  /** Callback addresses as read from guest memory after relocation. */
  readonly callbacks: readonly number[];
  readonly characteristics: number;
}

export interface LoadedRuntimeFunction {
  readonly begin: number;
  readonly end: number;
  readonly unwindInfo: number;
}

export interface LoadedResourceData {
  readonly va: number;
  readonly size: number;
  readonly codePage: number;
}

export class LoadedImage {
  constructor(
    readonly name: string,
    readonly pe: PEImage,
    readonly base: number,
    /** SizeOfImage rounded up to whole pages. */
    readonly size: number,
    /** Entry point address, 0 when the image has none. */
    readonly entryPoint: number,
    /** True when loaded away from ImageBase (relocations were applied). */
    readonly rebased: boolean,
    readonly sections: readonly LoadedSection[],
    readonly imports: readonly LoadedImportDll[],
    readonly delayImports: readonly LoadedDelayImportDll[],
    readonly exports: readonly LoadedExport[],
    readonly tls: LoadedTls | undefined,
    /** .pdata entries as VAs, sorted by begin as in the file. */
    readonly runtimeFunctions: readonly LoadedRuntimeFunction[],
    readonly resources: ResourceDirectory<LoadedResourceData> | undefined,
  ) {}

  get subsystem(): number { return this.pe.optionalHeader.subsystem; }
  get stackReserve(): number { return this.pe.optionalHeader.sizeOfStackReserve; }
  get stackCommit(): number { return this.pe.optionalHeader.sizeOfStackCommit; }
  get heapReserve(): number { return this.pe.optionalHeader.sizeOfHeapReserve; }
  get heapCommit(): number { return this.pe.optionalHeader.sizeOfHeapCommit; }

  contains(addr: number): boolean {
    return addr >= this.base && addr < this.base + this.size;
  }

  /** "prog.exe+0x1234" for an address inside the image, for crash reports. */
  moduleOffset(addr: number): string | undefined {
    return this.contains(addr) ? `${this.name}+${hex(addr - this.base)}` : undefined;
  }

  /** The section holding `addr`, if any. */
  sectionAt(addr: number): LoadedSection | undefined {
    return this.sections.find((s) => addr >= s.va && addr < s.va + Math.max(s.size, 1));
  }

  /** The .pdata entry covering `addr` (binary search; entries are sorted). */
  runtimeFunctionAt(addr: number): LoadedRuntimeFunction | undefined {
    let lo = 0;
    let hi = this.runtimeFunctions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const f = this.runtimeFunctions[mid]!;
      if (addr < f.begin) hi = mid - 1;
      else if (addr >= f.end) lo = mid + 1;
      else return f;
    }
    return undefined;
  }
}

function chooseBase(mem: GuestMemory, pe: PEImage, size: number, opts: LoadOptions): number {
  const preferred = pe.optionalHeader.imageBase;
  if (preferred + size <= ADDRESS_LIMIT && mem.isFree(preferred, size)) return preferred;
  if (!pe.relocatable) {
    if (preferred + size > ADDRESS_LIMIT) {
      throw new PeFormatError(`image has no relocations and its base ${hex(preferred)} is above 4 GiB; wexe maps guest memory below 4 GiB`);
    }
    throw new PeFormatError(`image has no relocations and its base range ${hex(preferred)}-${hex(preferred + size)} is not free`);
  }
  const from = opts.base ?? DEFAULT_REBASE_ADDRESS;
  const base = mem.findFree(size, IMAGE_ALIGNMENT, from);
  if (base === undefined) throw new PeFormatError(`no free 64 KiB-aligned range of ${hex(size)} bytes at or above ${hex(from)} for the image`);
  return base;
}

/** Protection per page: headers read-only, each section's pages the union of the sections on them. */
function pageProtections(pe: PEImage, pages: number): Uint8Array {
  const prot = new Uint8Array(pages);
  const oh = pe.optionalHeader;
  const headerPages = Math.ceil(oh.sizeOfHeaders / PAGE_SIZE);
  for (let p = 0; p < headerPages && p < pages; p++) prot[p] = Prot.R;
  for (const s of pe.sections) {
    const first = Math.floor(s.virtualAddress / PAGE_SIZE);
    const last = Math.ceil((s.virtualAddress + alignUp(s.virtualSize, oh.sectionAlignment)) / PAGE_SIZE);
    for (let p = first; p < last && p < pages; p++) prot[p] |= s.prot;
  }
  return prot;
}

function applyRelocations(mem: GuestMemory, pe: PEImage, base: number, size: number): void {
  const delta = base - pe.optionalHeader.imageBase;
  const delta64 = BigInt(delta);
  const dv = mem.dv;
  for (const r of pe.relocations) {
    const width = r.type === RelocationType.Dir64 ? 8 : 4;
    if (r.rva + width > size) throw new PeFormatError(`base relocation at RVA ${hex(r.rva)} is outside the image`);
    const at = base + r.rva;
    if (r.type === RelocationType.Dir64) {
      const value = (BigInt(dv.getUint32(at + 4, true)) << 32n) | BigInt(dv.getUint32(at, true));
      dv.setBigUint64(at, BigInt.asUintN(64, value + delta64), true);
    } else {
      dv.setUint32(at, (dv.getUint32(at, true) + delta) >>> 0, true);
    }
  }
}

function mapResources(dir: ResourceDirectory, base: number): ResourceDirectory<LoadedResourceData> {
  return {
    characteristics: dir.characteristics,
    entries: dir.entries.map((e) => ({
      id: e.id,
      child: isResourceLeaf<ResourceData>(e.child)
        ? { data: { va: base + e.child.data.rva, size: e.child.data.size, codePage: e.child.data.codePage } }
        : mapResources(e.child, base),
    })),
  };
}

export function loadImage(mem: GuestMemory, pe: PEImage, opts: LoadOptions = {}): LoadedImage {
  const oh = pe.optionalHeader;
  const size = alignUp(Math.max(oh.sizeOfImage, 1), PAGE_SIZE);
  const base = chooseBase(mem, pe, size, opts);

  // Reserve the whole range (gaps between sections stay inaccessible), then give each run
  // of pages with the same protection its protection. Free pages are always zero (a fresh
  // memory, or GuestMemory.unmap zeroed them), so zero fill needs no writes.
  mem.map(base, size, Prot.None);
  const prot = pageProtections(pe, size / PAGE_SIZE);
  for (let p = 0; p < prot.length;) {
    let q = p + 1;
    while (q < prot.length && prot[q] === prot[p]) q++;
    if (prot[p]) mem.map(base + p * PAGE_SIZE, (q - p) * PAGE_SIZE, prot[p]!);
    p = q;
  }

  mem.poke(base, pe.file.subarray(0, oh.sizeOfHeaders));
  for (const s of pe.sections) {
    const raw = Math.min(s.sizeOfRawData, s.virtualSize);
    if (raw > 0) mem.poke(base + s.virtualAddress, pe.file.subarray(s.pointerToRawData, s.pointerToRawData + raw));
  }
  const rebased = base !== oh.imageBase;
  if (rebased) applyRelocations(mem, pe, base, size);

  const va = (rva: number) => (rva === 0 ? 0 : base + rva);
  const sections = pe.sections.map((s) => ({
    name: s.name, va: base + s.virtualAddress, size: s.virtualSize, prot: s.prot, characteristics: s.characteristics,
  }));
  const imports = pe.imports.map((d) => ({
    dll: d.dll, dllKey: d.dllKey,
    functions: d.functions.map((f) => loadedFunction(f, base)),
  }));
  const delayImports = pe.delayImports.map((d) => ({
    dll: d.dll, dllKey: d.dllKey, moduleHandleSlot: va(d.moduleHandleRva),
    functions: d.functions.map((f) => loadedFunction(f, base)),
  }));
  const exports = (pe.exports?.functions ?? []).map((e) => loadedExport(e, base));
  let tls: LoadedTls | undefined;
  if (pe.tls) {
    const t = pe.tls;
    const callbacks: number[] = [];
    for (let i = 0; i < t.callbacks.length; i++) {
      const at = base + t.callbacksRva + 8 * i;
      callbacks.push(mem.dv.getUint32(at, true) + mem.dv.getUint32(at + 4, true) * 0x1_0000_0000);
    }
    tls = {
      templateStart: va(t.rawDataStartRva), templateEnd: va(t.rawDataEndRva), zeroFill: t.sizeOfZeroFill,
      indexAddress: va(t.indexRva), callbacks, characteristics: t.characteristics,
    };
  }
  const runtimeFunctions = pe.runtimeFunctions.map((f) => ({ begin: base + f.begin, end: base + f.end, unwindInfo: base + f.unwindInfo }));
  const resources = pe.resources && mapResources(pe.resources, base);
  const entryPoint = va(pe.entryPointRva);
  return new LoadedImage(pe.name, pe, base, size, entryPoint, rebased, sections, imports, delayImports, exports, tls, runtimeFunctions, resources);
}

function loadedFunction(f: ImportedFunction, base: number): LoadedImportFunction {
  const out: { -readonly [K in keyof LoadedImportFunction]: LoadedImportFunction[K] } = { iatSlot: base + f.iatRva };
  if (f.name !== undefined) out.name = f.name;
  if (f.hint !== undefined) out.hint = f.hint;
  if (f.ordinal !== undefined) out.ordinal = f.ordinal;
  return out;
}

function loadedExport(e: ExportedFunction, base: number): LoadedExport {
  const out: { -readonly [K in keyof LoadedExport]: LoadedExport[K] } = { ordinal: e.ordinal };
  if (e.name !== undefined) out.name = e.name;
  if (e.forwarder !== undefined) out.forwarder = e.forwarder;
  else out.va = base + e.rva;
  return out;
}

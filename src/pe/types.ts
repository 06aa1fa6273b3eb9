// The parsed form of a PE32+ file: plain data, every RVA already checked against the
// image and every file offset against the file. Produced by parse.ts, consumed by the
// loader and by describe.ts.

/** Protection bits of a section; the values equal src/mem/memory.ts's Prot.R/W/X. */
export const SectionProt = { R: 1, W: 2, X: 4 } as const;

export interface DataDirectory {
  readonly rva: number;
  readonly size: number;
}

export interface FileHeader {
  readonly machine: number;
  readonly numberOfSections: number;
  readonly timeDateStamp: number;
  readonly pointerToSymbolTable: number;
  readonly numberOfSymbols: number;
  readonly sizeOfOptionalHeader: number;
  readonly characteristics: number;
}

export interface OptionalHeader {
  readonly magic: number;
  readonly linkerVersion: string;
  readonly sizeOfCode: number;
  readonly sizeOfInitializedData: number;
  readonly sizeOfUninitializedData: number;
  readonly addressOfEntryPoint: number;
  readonly baseOfCode: number;
  /** Preferred load address; below 2^47, so exact as a number. */
  readonly imageBase: number;
  readonly sectionAlignment: number;
  readonly fileAlignment: number;
  readonly osVersion: string;
  readonly imageVersion: string;
  readonly subsystemVersion: string;
  readonly sizeOfImage: number;
  readonly sizeOfHeaders: number;
  readonly checkSum: number;
  readonly subsystem: number;
  readonly dllCharacteristics: number;
  readonly sizeOfStackReserve: number;
  readonly sizeOfStackCommit: number;
  readonly sizeOfHeapReserve: number;
  readonly sizeOfHeapCommit: number;
  readonly loaderFlags: number;
  readonly numberOfRvaAndSizes: number;
  /** Always 16 entries; those beyond NumberOfRvaAndSizes are zero. */
  readonly dataDirectories: readonly DataDirectory[];
}

export interface Section {
  /** The name as written, with `/123` long names resolved through the COFF string table. */
  readonly name: string;
  readonly virtualAddress: number;
  /** VirtualSize, or SizeOfRawData when VirtualSize is zero (as the Windows loader does). */
  readonly virtualSize: number;
  readonly sizeOfRawData: number;
  readonly pointerToRawData: number;
  readonly characteristics: number;
  /** SectionProt bits derived from the MEM_READ / MEM_WRITE / MEM_EXECUTE characteristics. */
  readonly prot: number;
}

export interface ImportedFunction {
  /** Set for imports by name. */
  readonly name?: string;
  readonly hint?: number;
  /** Set for imports by ordinal. */
  readonly ordinal?: number;
  /** RVA of this function's IAT slot (8 bytes). */
  readonly iatRva: number;
}

export interface ImportedDll {
  /** As written in the file. */
  readonly dll: string;
  /** Lower case with `.dll` appended when the name has no extension. */
  readonly dllKey: string;
  readonly functions: readonly ImportedFunction[];
}

export interface DelayImportedDll extends ImportedDll {
  readonly attributes: number;
  /** RVA of the HMODULE slot the delay-load helper fills in (0 if none). */
  readonly moduleHandleRva: number;
  readonly iatRva: number;
  readonly nameTableRva: number;
}

export const enum RelocationType { Absolute = 0, HighLow = 3, Dir64 = 10 }

export interface BaseRelocation {
  readonly rva: number;
  readonly type: RelocationType.HighLow | RelocationType.Dir64;
}

export interface TlsDirectory {
  /** RVAs (the file holds VAs for the preferred base; these are VA - ImageBase). */
  readonly rawDataStartRva: number;
  readonly rawDataEndRva: number;
  /** 0 when the directory has no index slot. */
  readonly indexRva: number;
  /** 0 when there is no callback array. */
  readonly callbacksRva: number;
  /** The callbacks as RVAs, read from the file image (terminating zero excluded). */
  readonly callbacks: readonly number[];
  readonly sizeOfZeroFill: number;
  readonly characteristics: number;
}

export interface ExportedFunction {
  readonly ordinal: number;
  readonly name?: string;
  /** RVA of the code or data; for a forwarder, the RVA of the forwarder string. */
  readonly rva: number;
  /** "OTHERDLL.Function" or "OTHERDLL.#12" when the export is forwarded. */
  readonly forwarder?: string;
}

export interface ExportDirectory {
  readonly dllName: string;
  readonly ordinalBase: number;
  readonly functions: readonly ExportedFunction[];
}

/** One .pdata entry, as RVAs. */
export interface RuntimeFunction {
  readonly begin: number;
  readonly end: number;
  readonly unwindInfo: number;
}

export interface ResourceData {
  readonly rva: number;
  readonly size: number;
  readonly codePage: number;
}

/** A resource directory level: by type at the root, then by name, then by language. */
export interface ResourceDirectory<D = ResourceData> {
  readonly characteristics: number;
  readonly entries: readonly ResourceEntry<D>[];
}

export interface ResourceEntry<D = ResourceData> {
  /** A numeric id, or a name read from the directory's string. */
  readonly id: number | string;
  readonly child: ResourceDirectory<D> | ResourceLeaf<D>;
}

export interface ResourceLeaf<D = ResourceData> {
  readonly data: D;
}

export interface PEImage {
  readonly name: string;
  readonly file: Uint8Array;
  readonly ntHeaderOffset: number;
  readonly fileHeader: FileHeader;
  readonly optionalHeader: OptionalHeader;
  readonly sections: readonly Section[];
  readonly entryPointRva: number;
  readonly imports: readonly ImportedDll[];
  readonly delayImports: readonly DelayImportedDll[];
  /** Present when the image carries a base relocation directory and is not RELOCS_STRIPPED. */
  readonly relocatable: boolean;
  readonly relocations: readonly BaseRelocation[];
  readonly tls?: TlsDirectory;
  readonly exports?: ExportDirectory;
  readonly runtimeFunctions: readonly RuntimeFunction[];
  readonly resources?: ResourceDirectory;
  readonly debugEntryCount: number;
}

export function isResourceLeaf<D>(node: ResourceDirectory<D> | ResourceLeaf<D>): node is ResourceLeaf<D> {
  return 'data' in node;
}

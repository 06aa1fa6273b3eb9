// Numeric constants of the PE/COFF format (Microsoft's "PE Format" specification) and
// their readable names, shared by the parser and by describe.ts.

export const MACHINE_AMD64 = 0x8664;
export const MACHINE_I386 = 0x14c;
export const MAGIC_PE32 = 0x10b;
export const MAGIC_PE32_PLUS = 0x20b;

export const MACHINE_NAMES: Readonly<Record<number, string>> = {
  0x0: 'UNKNOWN', 0x14c: 'I386', 0x162: 'R3000', 0x166: 'R4000', 0x1a2: 'SH3', 0x1a6: 'SH4',
  0x1c0: 'ARM', 0x1c2: 'THUMB', 0x1c4: 'ARMNT', 0x200: 'IA64', 0x5032: 'RISCV32', 0x5064: 'RISCV64',
  0x8664: 'AMD64', 0xaa64: 'ARM64', 0xa641: 'ARM64EC', 0xebc: 'EBC',
};

/** IMAGE_FILE_* characteristics of the COFF file header. */
export const FILE_RELOCS_STRIPPED = 0x0001;
export const FILE_CHARACTERISTIC_NAMES: readonly (readonly [number, string])[] = [
  [0x0001, 'RELOCS_STRIPPED'], [0x0002, 'EXECUTABLE_IMAGE'], [0x0004, 'LINE_NUMS_STRIPPED'],
  [0x0008, 'LOCAL_SYMS_STRIPPED'], [0x0010, 'AGGRESSIVE_WS_TRIM'], [0x0020, 'LARGE_ADDRESS_AWARE'],
  [0x0080, 'BYTES_REVERSED_LO'], [0x0100, '32BIT_MACHINE'], [0x0200, 'DEBUG_STRIPPED'],
  [0x0400, 'REMOVABLE_RUN_FROM_SWAP'], [0x0800, 'NET_RUN_FROM_SWAP'], [0x1000, 'SYSTEM'],
  [0x2000, 'DLL'], [0x4000, 'UP_SYSTEM_ONLY'], [0x8000, 'BYTES_REVERSED_HI'],
];

export const DLLCHAR_HIGH_ENTROPY_VA = 0x0020;
export const DLLCHAR_DYNAMIC_BASE = 0x0040;
export const DLLCHAR_NX_COMPAT = 0x0100;
export const DLL_CHARACTERISTIC_NAMES: readonly (readonly [number, string])[] = [
  [0x0020, 'HIGH_ENTROPY_VA'], [0x0040, 'DYNAMIC_BASE'], [0x0080, 'FORCE_INTEGRITY'],
  [0x0100, 'NX_COMPAT'], [0x0200, 'NO_ISOLATION'], [0x0400, 'NO_SEH'], [0x0800, 'NO_BIND'],
  [0x1000, 'APPCONTAINER'], [0x2000, 'WDM_DRIVER'], [0x4000, 'GUARD_CF'], [0x8000, 'TERMINAL_SERVER_AWARE'],
];

export const SUBSYSTEM_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN', 1: 'NATIVE', 2: 'WINDOWS_GUI', 3: 'WINDOWS_CUI', 5: 'OS2_CUI', 7: 'POSIX_CUI',
  8: 'NATIVE_WINDOWS', 9: 'WINDOWS_CE_GUI', 10: 'EFI_APPLICATION', 11: 'EFI_BOOT_SERVICE_DRIVER',
  12: 'EFI_RUNTIME_DRIVER', 13: 'EFI_ROM', 14: 'XBOX', 16: 'WINDOWS_BOOT_APPLICATION',
};

export const enum DirectoryIndex {
  Export = 0, Import = 1, Resource = 2, Exception = 3, Security = 4, BaseReloc = 5, Debug = 6,
  Architecture = 7, GlobalPtr = 8, Tls = 9, LoadConfig = 10, BoundImport = 11, Iat = 12,
  DelayImport = 13, ClrRuntime = 14, Reserved = 15,
}

export const DIRECTORY_NAMES: readonly string[] = [
  'export', 'import', 'resource', 'exception', 'security', 'base relocation', 'debug',
  'architecture', 'global pointer', 'TLS', 'load configuration', 'bound import', 'IAT',
  'delay import', 'CLR runtime', 'reserved',
];

/** IMAGE_SCN_* section characteristics. */
export const SCN_CNT_CODE = 0x00000020;
export const SCN_CNT_INITIALIZED_DATA = 0x00000040;
export const SCN_CNT_UNINITIALIZED_DATA = 0x00000080;
export const SCN_MEM_DISCARDABLE = 0x02000000;
export const SCN_MEM_SHARED = 0x10000000;
export const SCN_MEM_EXECUTE = 0x20000000;
export const SCN_MEM_READ = 0x40000000;
export const SCN_MEM_WRITE = 0x80000000;

/** Base relocation types by number, for messages about the ones wexe does not apply. */
export const RELOCATION_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'ABSOLUTE', 1: 'HIGH', 2: 'LOW', 3: 'HIGHLOW', 4: 'HIGHADJ', 5: 'MIPS_JMPADDR/ARM_MOV32',
  7: 'THUMB_MOV32', 8: 'RISCV_LOW12S', 9: 'MIPS_JMPADDR16', 10: 'DIR64',
};

export function flagNames(value: number, table: readonly (readonly [number, string])[]): string[] {
  const names: string[] = [];
  let rest = value;
  for (const [bit, name] of table) {
    if (value & bit) { names.push(name); rest &= ~bit; }
  }
  if (rest) names.push(`0x${(rest >>> 0).toString(16)}`);
  return names;
}

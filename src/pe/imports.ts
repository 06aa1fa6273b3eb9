// Import and delay-load import directories. Only the names and the IAT slot addresses
// are collected: binding is the caller's job (it writes thunk addresses into the slots).

import { PeFormatError, hex } from './errors.js';
import type { ImageView } from './image-view.js';
import type { DataDirectory, DelayImportedDll, ImportedDll, ImportedFunction } from './types.js';

const IMPORT_DESCRIPTOR_SIZE = 20;
const DELAY_DESCRIPTOR_SIZE = 32;
const ORDINAL_FLAG = 1n << 63n;
/** Upper bounds that no real image reaches; they stop runaway tables without a terminator. */
const MAX_DLLS = 4096;
/** Across all DLLs of one directory: descriptors may share one long table, which must not multiply. */
const MAX_FUNCTIONS = 65536;

/** Lower case, with `.dll` appended when the name has no extension (as LoadLibrary does). */
export function normaliseDllName(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes('.') ? lower : `${lower}.dll`;
}

/** Reads a lookup table (ILT/INT) of 64-bit thunks; slot i's IAT entry is at iatRva + 8*i. */
function readThunks(view: ImageView, tableRva: number, iatRva: number, dll: string, budget: { left: number }): ImportedFunction[] {
  const functions: ImportedFunction[] = [];
  for (let i = 0; ; i++) {
    if (budget.left-- <= 0) throw new PeFormatError(`import tables list more than ${MAX_FUNCTIONS} functions (at ${dll})`);
    const thunk = view.u64(tableRva + 8 * i, `import lookup table entry ${i} of ${dll}`);
    if (thunk === 0n) break;
    const slot = iatRva + 8 * i;
    view.require(slot, 8, `IAT slot ${i} of ${dll}`);
    if (thunk & ORDINAL_FLAG) {
      if (thunk & 0x7fff_ffff_ffff_0000n) throw new PeFormatError(`import of ${dll} by ordinal: thunk ${hex(thunk)} has reserved bits set`);
      functions.push({ ordinal: Number(thunk & 0xffffn), iatRva: slot });
    } else {
      if (thunk > 0x7fff_ffffn) throw new PeFormatError(`import of ${dll} by name: thunk ${hex(thunk)} has reserved bits set`);
      const hintRva = Number(thunk);
      const hint = view.u16(hintRva, `import name entry of ${dll}`);
      const name = view.cString(hintRva + 2, `import name of ${dll}`);
      functions.push({ name, hint, iatRva: slot });
    }
  }
  return functions;
}

export function parseImports(view: ImageView, dir: DataDirectory): ImportedDll[] {
  if (dir.rva === 0) return [];
  view.require(dir.rva, dir.size, 'import directory');
  const dlls: ImportedDll[] = [];
  const budget = { left: MAX_FUNCTIONS };
  for (let i = 0; ; i++) {
    if (i >= MAX_DLLS) throw new PeFormatError(`import directory has more than ${MAX_DLLS} descriptors`);
    const at = dir.rva + i * IMPORT_DESCRIPTOR_SIZE;
    view.require(at, IMPORT_DESCRIPTOR_SIZE, `import descriptor ${i}`);
    const lookupRva = view.u32(at, 'import descriptor');
    const nameRva = view.u32(at + 12, 'import descriptor');
    const iatRva = view.u32(at + 16, 'import descriptor');
    if (lookupRva === 0 && nameRva === 0 && iatRva === 0) break;
    if (nameRva === 0 || iatRva === 0) {
      throw new PeFormatError(`import descriptor ${i}: Name ${hex(nameRva)} or FirstThunk ${hex(iatRva)} is zero`);
    }
    const dll = view.cString(nameRva, `import descriptor ${i}: DLL name`);
    // Without an import lookup table the IAT itself holds the names (older linkers).
    const functions = readThunks(view, lookupRva !== 0 ? lookupRva : iatRva, iatRva, dll, budget);
    dlls.push({ dll, dllKey: normaliseDllName(dll), functions });
  }
  return dlls;
}

export function parseDelayImports(view: ImageView, dir: DataDirectory): DelayImportedDll[] {
  if (dir.rva === 0) return [];
  view.require(dir.rva, dir.size, 'delay import directory');
  const dlls: DelayImportedDll[] = [];
  const budget = { left: MAX_FUNCTIONS };
  for (let i = 0; ; i++) {
    if (i >= MAX_DLLS) throw new PeFormatError(`delay import directory has more than ${MAX_DLLS} descriptors`);
    const at = dir.rva + i * DELAY_DESCRIPTOR_SIZE;
    view.require(at, DELAY_DESCRIPTOR_SIZE, `delay import descriptor ${i}`);
    const attributes = view.u32(at, 'delay import descriptor');
    const nameRva = view.u32(at + 4, 'delay import descriptor');
    const moduleHandleRva = view.u32(at + 8, 'delay import descriptor');
    const iatRva = view.u32(at + 12, 'delay import descriptor');
    const nameTableRva = view.u32(at + 16, 'delay import descriptor');
    if (nameRva === 0) break;
    if ((attributes & 1) === 0) {
      throw new PeFormatError(`delay import descriptor ${i}: attributes ${hex(attributes)} mark a VA-based (Visual C++ 6) descriptor; only RVA-based ones are supported`);
    }
    if (iatRva === 0 || nameTableRva === 0) {
      throw new PeFormatError(`delay import descriptor ${i}: IAT ${hex(iatRva)} or name table ${hex(nameTableRva)} is zero`);
    }
    if (moduleHandleRva !== 0) view.require(moduleHandleRva, 8, `delay import descriptor ${i}: module handle slot`);
    const dll = view.cString(nameRva, `delay import descriptor ${i}: DLL name`);
    const functions = readThunks(view, nameTableRva, iatRva, dll, budget);
    dlls.push({ dll, dllKey: normaliseDllName(dll), functions, attributes, moduleHandleRva, iatRva, nameTableRva });
  }
  return dlls;
}

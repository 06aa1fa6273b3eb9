// Export directory: the address table by ordinal, the name pointer table and the
// ordinal table that links names to addresses. An address inside the export directory
// itself is a forwarder string ("OTHERDLL.Function").

import { PeFormatError, hex } from './errors.js';
import type { ImageView } from './image-view.js';
import type { DataDirectory, ExportDirectory, ExportedFunction } from './types.js';

const EXPORT_DIRECTORY_SIZE = 40;
/** Ordinals are 16-bit, so no table can usefully be longer. */
const MAX_EXPORTS = 0x10000;

export function parseExports(view: ImageView, dir: DataDirectory): ExportDirectory | undefined {
  if (dir.rva === 0) return undefined;
  view.require(dir.rva, Math.max(dir.size, EXPORT_DIRECTORY_SIZE), 'export directory');
  const at = dir.rva;
  const nameRva = view.u32(at + 12, 'export directory');
  const ordinalBase = view.u32(at + 16, 'export directory');
  const functionCount = view.u32(at + 20, 'export directory');
  const nameCount = view.u32(at + 24, 'export directory');
  const functionsRva = view.u32(at + 28, 'export directory');
  const namesRva = view.u32(at + 32, 'export directory');
  const ordinalsRva = view.u32(at + 36, 'export directory');
  if (functionCount > MAX_EXPORTS || nameCount > MAX_EXPORTS) {
    throw new PeFormatError(`export directory: NumberOfFunctions ${functionCount} or NumberOfNames ${nameCount} is more than ${MAX_EXPORTS}`);
  }
  view.require(functionsRva, 4 * functionCount, 'export address table');
  view.require(namesRva, 4 * nameCount, 'export name pointer table');
  view.require(ordinalsRva, 2 * nameCount, 'export ordinal table');
  const dllName = nameRva !== 0 ? view.cString(nameRva, 'export directory: DLL name') : '';

  const namesByIndex = new Map<number, string[]>();
  for (let i = 0; i < nameCount; i++) {
    const name = view.cString(view.u32(namesRva + 4 * i, 'export name pointer table'), `export name ${i}`);
    const index = view.u16(ordinalsRva + 2 * i, 'export ordinal table');
    if (index >= functionCount) {
      throw new PeFormatError(`export ${name}: ordinal index ${index} is outside the export address table (${functionCount} entries)`);
    }
    const list = namesByIndex.get(index);
    if (list) list.push(name);
    else namesByIndex.set(index, [name]);
  }

  const functions: ExportedFunction[] = [];
  for (let i = 0; i < functionCount; i++) {
    const rva = view.u32(functionsRva + 4 * i, 'export address table');
    const ordinal = ordinalBase + i;
    if (rva === 0) continue; // an unused ordinal
    if (rva >= view.sizeOfImage) {
      throw new PeFormatError(`export ordinal ${ordinal}: RVA ${hex(rva)} is outside the image (SizeOfImage ${hex(view.sizeOfImage)})`);
    }
    const forwarded = rva >= dir.rva && rva < dir.rva + dir.size;
    const forwarder = forwarded ? view.cString(rva, `export ordinal ${ordinal}: forwarder`) : undefined;
    const names = namesByIndex.get(i);
    if (!names) functions.push(forwarder === undefined ? { ordinal, rva } : { ordinal, rva, forwarder });
    else for (const name of names) functions.push(forwarder === undefined ? { ordinal, name, rva } : { ordinal, name, rva, forwarder });
  }
  return { dllName, ordinalBase, functions };
}

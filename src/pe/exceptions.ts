// Exception directory (.pdata): RUNTIME_FUNCTION entries sorted by BeginAddress. The
// UNWIND_INFO they point to is decoded later, on demand, by the exception dispatcher.

import { PeFormatError, hex } from './errors.js';
import type { ImageView } from './image-view.js';
import type { DataDirectory, RuntimeFunction } from './types.js';

const RUNTIME_FUNCTION_SIZE = 12;
/** About 1.4 million functions; bounds what a corrupt size can make the parser allocate. */
const MAX_EXCEPTION_DIRECTORY_SIZE = 0x100_0000;

export function parseRuntimeFunctions(view: ImageView, dir: DataDirectory): RuntimeFunction[] {
  if (dir.rva === 0 || dir.size === 0) return [];
  view.require(dir.rva, dir.size, 'exception directory');
  if (dir.size > MAX_EXCEPTION_DIRECTORY_SIZE) {
    throw new PeFormatError(`exception directory: size ${hex(dir.size)} is more than ${hex(MAX_EXCEPTION_DIRECTORY_SIZE)}`);
  }
  if (dir.size % RUNTIME_FUNCTION_SIZE !== 0) {
    throw new PeFormatError(`exception directory: size ${hex(dir.size)} is not a multiple of ${RUNTIME_FUNCTION_SIZE}`);
  }
  const table = view.bytes(dir.rva, dir.size, 'exception directory');
  const dv = new DataView(table.buffer);
  const entries: RuntimeFunction[] = [];
  for (let o = 0; o < dir.size; o += RUNTIME_FUNCTION_SIZE) {
    const begin = dv.getUint32(o, true);
    const end = dv.getUint32(o + 4, true);
    const unwindInfo = dv.getUint32(o + 8, true);
    if (begin === 0 && end === 0 && unwindInfo === 0) continue; // padding some linkers leave
    if (!(begin < end && end <= view.sizeOfImage && unwindInfo < view.sizeOfImage)) {
      throw new PeFormatError(`exception directory entry ${o / RUNTIME_FUNCTION_SIZE}: function ${hex(begin)}-${hex(end)} with unwind info ${hex(unwindInfo)} is outside the image or empty`);
    }
    entries.push({ begin, end, unwindInfo });
  }
  return entries;
}

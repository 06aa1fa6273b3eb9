// Base relocation directory: blocks of (page RVA, size) followed by 16-bit entries
// (4-bit type, 12-bit offset). x64 images use DIR64; HIGHLOW appears in hand-made
// images; ABSOLUTE is padding. Anything else cannot be applied and is reported.

import { PeFormatError, hex } from './errors.js';
import { RELOCATION_TYPE_NAMES } from './constants.js';
import type { ImageView } from './image-view.js';
import { RelocationType, type BaseRelocation, type DataDirectory } from './types.js';

/** A block covers one 4 KiB page: at most one entry per byte offset. */
const MAX_BLOCK_SIZE = 8 + 2 * 0x1000;

export function parseRelocations(view: ImageView, dir: DataDirectory): BaseRelocation[] {
  if (dir.rva === 0 || dir.size === 0) return [];
  view.require(dir.rva, dir.size, 'base relocation directory');
  const relocations: BaseRelocation[] = [];
  let offset = 0;
  while (offset < dir.size) {
    const at = dir.rva + offset;
    if (dir.size - offset < 8) {
      throw new PeFormatError(`base relocation block at directory offset ${hex(offset)} is truncated (${dir.size - offset} bytes left)`);
    }
    const pageRva = view.u32(at, 'base relocation block');
    const blockSize = view.u32(at + 4, 'base relocation block');
    if (blockSize < 8 || blockSize % 2 !== 0 || blockSize > MAX_BLOCK_SIZE) {
      throw new PeFormatError(`base relocation block for page ${hex(pageRva)} has invalid size ${hex(blockSize)}`);
    }
    if (blockSize > dir.size - offset) {
      throw new PeFormatError(`base relocation block for page ${hex(pageRva)} (size ${hex(blockSize)}) runs past the end of the relocation directory (size ${hex(dir.size)})`);
    }
    const entries = view.bytes(at + 8, blockSize - 8, 'base relocation block');
    for (let i = 0; i + 1 < entries.length; i += 2) {
      const entry = entries[i]! | (entries[i + 1]! << 8);
      const type = entry >>> 12;
      const rva = pageRva + (entry & 0xfff);
      if (type === RelocationType.Absolute) continue;
      if (type !== RelocationType.Dir64 && type !== RelocationType.HighLow) {
        const name = RELOCATION_TYPE_NAMES[type] ?? 'unknown';
        throw new PeFormatError(`base relocation at RVA ${hex(rva)} has unsupported type ${type} (${name})`);
      }
      const width = type === RelocationType.Dir64 ? 8 : 4;
      if (!view.contains(rva, width)) {
        throw new PeFormatError(`base relocation at RVA ${hex(rva)} (${RELOCATION_TYPE_NAMES[type]}) is outside the image (SizeOfImage ${hex(view.sizeOfImage)})`);
      }
      relocations.push({ rva, type });
    }
    offset += blockSize;
  }
  return relocations;
}

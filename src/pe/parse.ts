// parsePE: from a file's bytes to a checked PEImage, without touching guest memory.
// Malformed input raises PeFormatError and nothing else: every read below goes through
// the bounds-checked FileReader (headers) or ImageView (everything addressed by RVA).

import { PeFormatError, hex } from './errors.js';
import { DIRECTORY_NAMES, DirectoryIndex, FILE_RELOCS_STRIPPED } from './constants.js';
import { parseHeaders } from './headers.js';
import { ImageView, type MappedRange } from './image-view.js';
import { parseImports, parseDelayImports } from './imports.js';
import { parseRelocations } from './relocations.js';
import { parseTls } from './tls.js';
import { parseExports } from './exports.js';
import { parseRuntimeFunctions } from './exceptions.js';
import { parseResources } from './resources.js';
import type { PEImage } from './types.js';

const DEBUG_DIRECTORY_ENTRY_SIZE = 28;

export function parsePE(file: Uint8Array, name: string): PEImage {
  const { ntHeaderOffset, fileHeader, optionalHeader: oh, sections } = parseHeaders(file);

  const mapped: MappedRange[] = [{ rva: 0, size: oh.sizeOfHeaders, fileOffset: 0 }];
  for (const s of sections) {
    mapped.push({ rva: s.virtualAddress, size: Math.min(s.sizeOfRawData, s.virtualSize), fileOffset: s.pointerToRawData });
  }
  const view = new ImageView(file, oh.sizeOfImage, mapped);

  const dirs = oh.dataDirectories;
  dirs.forEach((d, i) => {
    if (d.rva === 0 && d.size === 0) return;
    if (i === DirectoryIndex.Security) {
      // The only directory addressed by file offset: the Authenticode signature.
      if (d.rva + d.size > file.length) {
        throw new PeFormatError(`security directory (file offset ${hex(d.rva)}, ${hex(d.size)} bytes) is past the end of the file (${hex(file.length)} bytes)`);
      }
      return;
    }
    view.require(d.rva, d.size, `${DIRECTORY_NAMES[i]} directory`);
  });
  if (dirs[DirectoryIndex.ClrRuntime]!.rva !== 0) {
    throw new PeFormatError('this is a .NET assembly (CLR runtime header present); wexe runs native x86-64 programs');
  }

  const relocDir = dirs[DirectoryIndex.BaseReloc]!;
  return {
    name,
    file,
    ntHeaderOffset,
    fileHeader,
    optionalHeader: oh,
    sections,
    entryPointRva: oh.addressOfEntryPoint,
    imports: parseImports(view, dirs[DirectoryIndex.Import]!),
    delayImports: parseDelayImports(view, dirs[DirectoryIndex.DelayImport]!),
    relocatable: relocDir.rva !== 0 && (fileHeader.characteristics & FILE_RELOCS_STRIPPED) === 0,
    relocations: parseRelocations(view, relocDir),
    tls: parseTls(view, dirs[DirectoryIndex.Tls]!, oh.imageBase),
    exports: parseExports(view, dirs[DirectoryIndex.Export]!),
    runtimeFunctions: parseRuntimeFunctions(view, dirs[DirectoryIndex.Exception]!),
    resources: parseResources(view, dirs[DirectoryIndex.Resource]!),
    debugEntryCount: Math.floor(dirs[DirectoryIndex.Debug]!.size / DEBUG_DIRECTORY_ENTRY_SIZE),
  };
}

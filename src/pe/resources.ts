// Resource directory: a tree of IMAGE_RESOURCE_DIRECTORY tables (type, name, language
// by convention) whose leaves are data entries holding an RVA, a size and a code page.
// Offsets inside the tree are relative to the start of the directory and must stay
// inside it; a directory reached twice is a loop.

import { PeFormatError, hex } from './errors.js';
import type { ImageView } from './image-view.js';
import type { DataDirectory, ResourceDirectory, ResourceEntry, ResourceLeaf } from './types.js';

const MAX_DEPTH = 16;

export function parseResources(view: ImageView, dir: DataDirectory): ResourceDirectory | undefined {
  if (dir.rva === 0) return undefined;
  view.require(dir.rva, dir.size, 'resource directory');
  const visited = new Set<number>();

  const within = (offset: number, len: number, what: string): number => {
    if (offset + len > dir.size) {
      throw new PeFormatError(`resource ${what} at offset ${hex(offset)} is outside the resource directory (size ${hex(dir.size)})`);
    }
    return dir.rva + offset;
  };

  const readName = (offset: number): string => {
    const at = within(offset, 2, 'name');
    const length = view.u16(at, 'resource name');
    const bytes = view.bytes(within(offset + 2, 2 * length, 'name'), 2 * length, 'resource name');
    let s = '';
    for (let i = 0; i < length; i++) s += String.fromCharCode(bytes[2 * i]! | (bytes[2 * i + 1]! << 8));
    return s;
  };

  const readLeaf = (offset: number): ResourceLeaf => {
    const at = within(offset, 16, 'data entry');
    const rva = view.u32(at, 'resource data entry');
    const size = view.u32(at + 4, 'resource data entry');
    view.require(rva, size, `resource data entry at offset ${hex(offset)}`);
    return { data: { rva, size, codePage: view.u32(at + 8, 'resource data entry') } };
  };

  const readDirectory = (offset: number, depth: number): ResourceDirectory => {
    if (visited.has(offset)) throw new PeFormatError(`resource directory at offset ${hex(offset)} is reached twice (a loop in the resource tree)`);
    if (depth > MAX_DEPTH) throw new PeFormatError(`resource tree is deeper than ${MAX_DEPTH} levels`);
    visited.add(offset);
    const at = within(offset, 16, 'directory');
    const count = view.u16(at + 12, 'resource directory') + view.u16(at + 14, 'resource directory');
    within(offset + 16, 8 * count, 'directory entries');
    const entries: ResourceEntry[] = [];
    for (let i = 0; i < count; i++) {
      const e = at + 16 + 8 * i;
      const nameField = view.u32(e, 'resource directory entry');
      const target = view.u32(e + 4, 'resource directory entry');
      const id = nameField & 0x8000_0000 ? readName(nameField & 0x7fff_ffff) : nameField & 0xffff;
      const child = target & 0x8000_0000 ? readDirectory(target & 0x7fff_ffff, depth + 1) : readLeaf(target);
      entries.push({ id, child });
    }
    return { characteristics: view.u32(at, 'resource directory'), entries };
  };

  return readDirectory(0, 0);
}

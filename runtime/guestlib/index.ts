// The builtin guest library, wexert.dll (built from wexert.c by the Makefile here): runtime
// functions that run as guest x86-64 code, like Wine's builtin DLLs that are real code.
// qsort and bsearch live there because their comparators are guest functions: called
// from guest code they are ordinary calls the JIT compiles, where a TypeScript sort
// would make one host-to-guest callback per comparison.
//
// The DLL is mapped into every process at creation, before the executable's imports are
// bound to its exports, and its .pdata is registered like the executable's, so that
// exceptions raised in a comparator unwind through the sort's frame.

import type { Process } from '../process.js';
import { parsePE } from '../../src/pe/parse.js';
import { loadImage, type LoadedImage } from '../../src/pe/loader.js';
import type { PEImage } from '../../src/pe/types.js';
import { Layout } from '../../src/mem/layout.js';
import { sehState } from '../../src/seh/state.js';
import { addRegion, MEM_IMAGE } from '../kernel32/memory.js';
import { WEXERT_DLL_BASE64 } from './wexert-dll.js';

export const GUEST_LIBRARY_NAME = 'wexert.dll';

/** PAGE_EXECUTE_WRITECOPY: the allocation protection Windows reports for image regions. */
const IMAGE_ALLOC_PROTECT = 0x80;

let parsed: PEImage | undefined;

/** The parsed DLL (shared by all processes: a PEImage is never modified). */
export function guestLibraryImage(): PEImage {
  if (parsed === undefined) {
    const bytes = Uint8Array.from(atob(WEXERT_DLL_BASE64), (c) => c.charCodeAt(0));
    parsed = parsePE(bytes, GUEST_LIBRARY_NAME);
  }
  return parsed;
}

/** The library as mapped into `p`, mapping it on first use. */
export function guestLibrary(p: Process): LoadedImage {
  return p.dllState('guestlib', () => {
    const pe = guestLibraryImage();
    // Not relocatable (its code has no absolute addresses, so the linker wrote no
    // relocations): it loads at its preferred base, free when the process is created.
    const image = loadImage(p.mem, pe, { base: Layout.builtinLibraryBase });
    sehState(p).tables.addImage(image.base);
    addRegion(p, { base: image.base, size: image.size, type: MEM_IMAGE, allocProtect: IMAGE_ALLOC_PROTECT });
    return image;
  });
}

/** The guest address of the library's export `name`. */
export function guestLibraryExport(p: Process, name: string): number {
  const e = guestLibrary(p).exports.find((x) => x.name === name);
  if (e?.va === undefined) throw new Error(`internal: ${GUEST_LIBRARY_NAME} does not export ${name}`);
  return e.va;
}

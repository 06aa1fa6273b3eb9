// Guest code to feed the translator: the .text sections of the committed .exe files
// (the samples and the benchmark programs), with their function starts from .pdata.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePE } from '../../src/pe/parse.js';
import { PROGRAMS_DIR, REPO_ROOT } from '../paths.js';

export interface CodeImage {
  name: string;
  imageBase: number;
  /** The executable sections' bytes, each with its guest address (image base + RVA). */
  sections: { addr: number; bytes: Uint8Array }[];
  /** Function start addresses from the exception directory (.pdata). */
  functions: number[];
}

export function loadCorpus(): CodeImage[] {
  const dirs = [join(REPO_ROOT, 'samples'), PROGRAMS_DIR];
  const out: CodeImage[] = [];
  for (const dir of dirs) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.exe')).sort()) {
      const pe = parsePE(new Uint8Array(readFileSync(join(dir, f))), f);
      const base = pe.optionalHeader.imageBase;
      const sections = pe.sections.filter((s) => (s.characteristics & 0x20000000) !== 0).map((s) => ({
        addr: base + s.virtualAddress,
        // A plain copy: the decoder must not get a cheap Buffer view.
        bytes: new Uint8Array(pe.file.subarray(s.pointerToRawData, s.pointerToRawData + Math.min(s.sizeOfRawData, s.virtualSize))),
      }));
      out.push({ name: f, imageBase: base, sections, functions: pe.runtimeFunctions.map((r) => base + r.begin) });
    }
  }
  return out;
}

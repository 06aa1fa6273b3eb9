// Decoder-vs-iced fuzzing on mutated real code: windows of the samples' executable
// sections with a few bytes flipped, replaced, inserted (prefixes, REX) or deleted.
// Real compiler output reaches the instruction mixes random bytes rarely hit.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePE } from '../../src/pe/parse.js';
import { loadImage } from '../../src/pe/loader.js';
import { GuestMemory } from '../../src/mem/memory.js';
import { compareDecoders } from '../x86/iced-diff.js';
import { Rng } from './values.js';

interface CodeRange { bytes: Uint8Array; va: number }

let cached: CodeRange[] | undefined;

/** The executable sections of every samples/*.exe. */
export function sampleCode(dir = join(process.cwd(), 'samples')): CodeRange[] {
  if (cached) return cached;
  const mem = new GuestMemory();
  const out: CodeRange[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.exe')).sort()) {
    const pe = parsePE(readFileSync(join(dir, file)), file);
    const img = loadImage(mem, pe, { base: 0x1000_0000 });
    for (const s of img.sections.filter((x) => (x.prot & 4) !== 0)) out.push({ bytes: mem.u8.slice(s.va, s.va + s.size), va: s.va });
    mem.unmap(img.base, img.size);
  }
  cached = out;
  return out;
}

const PREFIXES = [0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x64, 0x65, 0x40, 0x41, 0x44, 0x48, 0x4c, 0x4f, 0x0f];

function mutate(r: Rng, window: number[]): number[] {
  const w = [...window];
  const n = 1 + r.int(3);
  for (let k = 0; k < n; k++) {
    const at = r.int(Math.min(w.length, 6));
    switch (r.int(5)) {
      case 0: w[at] = w[at]! ^ (1 << r.int(8)); break;
      case 1: w[at] = r.int(256); break;
      case 2: w.splice(at, 0, r.pick(PREFIXES)); break;
      case 3: w.splice(at, 1); break;
      default: w[at] = r.pick(PREFIXES);
    }
  }
  return w.slice(0, 15);
}

export interface MutationResult { cases: number; mismatches: number; reports: string[] }

export function runMutations(seed: number, count: number, maxReports = 50): MutationResult {
  const code = sampleCode();
  const r = new Rng(seed);
  const reports: string[] = [];
  let mismatches = 0;
  for (let i = 0; i < count; i++) {
    const range = r.pick(code);
    const off = r.int(Math.max(1, range.bytes.length - 16));
    const window = Array.from(range.bytes.subarray(off, off + 15));
    const bytes = Uint8Array.from(mutate(r, window));
    const d = compareDecoders(bytes, range.va + off);
    if (d === null) continue;
    mismatches++;
    if (reports.length < maxReports) reports.push(d);
  }
  return { cases: count, mismatches, reports };
}

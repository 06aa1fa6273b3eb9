// Deterministic case lists: case i of seed S exercises runnable form i mod N with its own
// PRNG stream, so any slice of a long run regenerates identically.

import { FORMS } from './forms.js';
import type { FormInfo } from './forms.js';
import { generateCase } from './gen.js';
import type { FuzzCase } from './gen.js';
import { Rng } from './values.js';

/** Forms the native oracle can run, optionally only the given mnemonics (case-insensitive). */
export function runnableForms(only?: readonly string[]): FormInfo[] {
  return FORMS.filter((f) => f.refusal === undefined && (!only || only.includes(f.form.mnemonic.toLowerCase())));
}

function mix(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h ^= h >>> 16; h = Math.imul(h, 0x7feb352d); h ^= h >>> 15;
  return h >>> 0;
}

export function generateCases(seed: number, start: number, count: number, only?: readonly string[]): FuzzCase[] {
  const forms = runnableForms(only);
  if (forms.length === 0) throw new Error(`no runnable forms${only ? ` for ${only.join(',')}` : ''}`);
  const out: FuzzCase[] = [];
  for (let i = start; i < start + count; i++) {
    const c = generateCase(new Rng(mix(seed, i)), forms[i % forms.length]!);
    if (c) out.push(c);
  }
  return out;
}

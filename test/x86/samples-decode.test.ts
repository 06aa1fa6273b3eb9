// The decoder against iced-x86 on every instruction of every sample program's code:
// a linear sweep of each executable section, restarted at every .pdata function start so
// padding between functions cannot desynchronise it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePE } from '../../src/pe/parse.js';
import { loadImage } from '../../src/pe/loader.js';
import { GuestMemory } from '../../src/mem/memory.js';
import { decode } from '../../src/x86/decode.js';
import { compareDecoders } from './iced-diff.js';

const SAMPLES = join(process.cwd(), 'samples');
const mem = new GuestMemory();

for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.exe')).sort()) {
  test(`decoder agrees with iced-x86 on all code of samples/${file}`, () => {
    const pe = parsePE(readFileSync(join(SAMPLES, file)), file);
    const img = loadImage(mem, pe, { base: 0x1000_0000 });
    const starts = new Set(img.runtimeFunctions.map((f) => f.begin));
    let checked = 0;
    const problems: string[] = [];
    for (const s of img.sections.filter((x) => (x.prot & 4) !== 0)) {
      const bytes = mem.u8.slice(s.va, s.va + s.size);
      let off = 0;
      while (off < bytes.length) {
        const addr = s.va + off;
        const window = bytes.subarray(off, Math.min(off + 15, bytes.length));
        const diff = compareDecoders(window, addr);
        if (diff) problems.push(diff);
        checked++;
        let len = 1;
        try { len = decode(bytes, off, addr).len; } catch { len = 1; }
        // Resynchronise at the next function start if this instruction runs into it.
        let next = off + len;
        for (let a = addr + 1; a < addr + len; a++) if (starts.has(a)) { next = a - s.va; break; }
        off = next;
      }
    }
    mem.unmap(img.base, img.size);
    assert.deepEqual(problems.slice(0, 10), [], `${problems.length} disagreements in ${checked} instructions`);
    assert.ok(checked > 1000, `swept ${checked} instructions`);
  });
}

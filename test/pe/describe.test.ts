import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestMemory } from '../../src/mem/memory.js';
import { parsePE } from '../../src/pe/parse.js';
import { loadImage } from '../../src/pe/loader.js';
import { describeImage } from '../../src/pe/describe.js';
import { buildPE } from './build-pe.js';
import { sampleSpec } from './sample-spec.js';

const pe = parsePE(buildPE(sampleSpec()).bytes, 'sample.exe');
const lines = (s: string) => s.split('\n').map((l) => l.trim().replace(/\s+/g, ' '));

test('describe: headers, flags by name, sections with protections', () => {
  const text = lines(describeImage(pe));
  assert.equal(text[0], 'sample.exe: PE32+ executable, x86-64, WINDOWS_CUI');
  assert.ok(text.includes('machine 0x8664 (AMD64)'));
  assert.ok(text.includes('dll characteristics 0x160 HIGH_ENTROPY_VA DYNAMIC_BASE NX_COMPAT'));
  assert.ok(text.includes('entry point 0x1010 in .text'));
  assert.ok(text.includes('image base 0x140000000'));
  assert.ok(text.includes('stack reserve/commit 0x200000 / 0x1000'));
  assert.ok(text.includes('.text 0x1000 0x180 0x400 0x200 r-x'));
  assert.ok(text.includes('.data 0x2000 0x100 0x600 0x200 rw-'));
  assert.ok(text.includes('.debug_info 0x7000 0x40 0xa00 0x200 r--'));
  assert.ok(text.includes('base relocations 9 (8 DIR64, 1 HIGHLOW)'));
  assert.ok(text.includes('.pdata functions 2'));
  assert.ok(text.includes('resources "MYTYPE" x1, VERSION x1'));
  assert.ok(text.includes('debug entries 2'));
  assert.ok(text.includes('6 Forwarded -> NTDLL.RtlFoo'));
  assert.ok(text.includes('callbacks 0x1040, 0x1050'));
});

test('describe: imports marked implemented or missing, with a missing count', () => {
  const implemented = (dll: string, fn: string | number) => dll === 'kernel32.dll' || fn === 'puts';
  const text = lines(describeImage(pe, undefined, implemented));
  assert.ok(text.includes('Imports (3 DLLs, 6 functions, 3 missing)'));
  assert.ok(text.includes('ExitProcess hint 0 IAT 0x90a8 implemented'));
  assert.ok(text.includes('printf hint 0 IAT 0x9110 MISSING'));
  assert.ok(text.includes('puts hint 1 IAT 0x9118 implemented'));
  assert.ok(text.includes('#17 (by ordinal) IAT 0x9120 MISSING'));
  assert.ok(text.includes('api-ms-win-crt-stdio-l1-1-0 (api-ms-win-crt-stdio-l1-1-0.dll)'));
  assert.ok(text.includes('Delay-load imports (1 DLL, 2 functions, 2 missing)'));
  assert.ok(!describeImage(pe).includes('missing'));
});

test('describe: a loaded image shows addresses and the rebase', () => {
  const loaded = loadImage(new GuestMemory(), pe);
  const text = lines(describeImage(pe, loaded));
  assert.ok(text.includes('image base 0x140000000, loaded at 0x400000 (rebased)'));
  assert.ok(text.includes('entry point 0x1010 (0x401010) in .text'));
  assert.ok(text.includes('.text 0x401000 0x180 0x400 0x200 r-x'));
  assert.ok(text.includes('callbacks 0x401040, 0x401050'));
  assert.ok(text.includes('base relocations 9 (8 DIR64, 1 HIGHLOW), applied'));
});

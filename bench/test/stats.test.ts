import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStats } from '../../src/cli/stats.js';
import type { RunReport } from '../../src/api.js';
import { failureReason, parseWexeStats } from '../wexe-stats.js';

// The real --stats formatter is the outside truth: if its format changes, this fails.
function fakeReport(instructions: number, wallMs: number): RunReport {
  return {
    status: 0, wallMs, ending: { kind: 'exit', code: 0 },
    stats: { instructions, blocksDecoded: 10, blockCacheHits: 5, nativeCalls: 1, apiCalls: 3 },
    missingImports: [],
  } as unknown as RunReport;
}

test('parses what formatStats prints', () => {
  const text = `some guest stderr\n${formatStats(fakeReport(12_345_678, 2500), 'interp')}`;
  const s = parseWexeStats(text);
  assert.ok(s);
  assert.equal(s.instructions, 12_345_678);
  assert.equal(s.guestWallMs, 2500);
  assert.equal(s.compileMs, undefined);
});

test('reads a compile time line in s or ms', () => {
  const base = 'wexe stats (engine jit):\n  guest instructions  1,000\n  wall time           2.000 s\n';
  assert.equal(parseWexeStats(`${base}  compile time        0.250 s\n`)?.compileMs, 250);
  assert.equal(parseWexeStats(`${base}  compile time        12.5 ms  (40 regions)\n`)?.compileMs, 12.5);
});

test('no stats block gives undefined', () => {
  assert.equal(parseWexeStats('wexe: cannot read x.exe: no such file\n'), undefined);
});

test('failure reason takes the crash line and its detail, not the stats', () => {
  const stderr = 'wexe: unhandled exception 0xC000001D (EXCEPTION_ILLEGAL_INSTRUCTION) at 0x40119c (a.exe+0x119c)\n'
    + '  stosq [f3 48 ab] at 0x40119c: no handler\n  faulting instruction: rep stosq [rdi]\n'
    + formatStats(fakeReport(56, 110), 'interp');
  assert.equal(failureReason(stderr, 29, 0, false),
    'wexe: unhandled exception 0xC000001D (EXCEPTION_ILLEGAL_INSTRUCTION) at 0x40119c (a.exe+0x119c): stosq [f3 48 ab] at 0x40119c: no handler');
  assert.equal(failureReason('', 3, 0, false), 'exit code 3');
  assert.equal(failureReason('', -1, 9, false), 'killed by signal 9');
  assert.equal(failureReason('anything', -1, 9, true), 'timed out');
});

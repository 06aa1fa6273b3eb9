// What the integer forms added for the bail/fallback work lift to: each lifts whole
// (no interp exit), passes the verifier and round-trips through the text form; the
// shapes that matter for speed and exactness are pinned in IR text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liftBlock } from '../../src/ir/lift.js';
import { insns, assertRoundTrips } from './support.js';
import { verifyBlock } from '../../src/ir/verify.js';


/** Lifts `hex` followed by ret; asserts it lifted whole and verifies; returns the text. */
function lift(hex: string): string {
  const { block, stoppedAt } = liftBlock(insns(`${hex} c3`));
  assert.equal(stoppedAt, undefined, `${hex}: ${stoppedAt?.why}`);
  verifyBlock(block);
  return assertRoundTrips(block);
}

const count = (text: string, re: RegExp): number => (text.match(new RegExp(re, 'g')) ?? []).length;

test('every added integer form lifts whole', () => {
  for (const hex of [
    '0fa3d1', '480fabd1', '660fb3d1', '0fbbd1', '480fbae93f', '0fa35708', '480fab5708', '660fba7f0811', // bt family
    '0fbcc1', '480fbdc1', '660fbcc1', 'f30fbcc1', 'f3480fbdc1', 'f30fb8c1', 'f3480fb84708', // scans and counts
    '0fa4c805', '0fa5c8', '480fadd0', '0fa55708', // double shifts
    'd2e0', 'd2e8', 'd2f8', '66d3e0', 'd2e4', 'd26f08', 'd2c0', '66d3c8', 'c0e009', '66c1e814', 'c0f81f', // narrow shifts
    'f6f1', 'f6f9', '66f7f1', '66f7f9', 'f67f08', // 8/16-bit division
    '0fc1d1', '0fc0e1', 'f0480fc15708', '0fb1d1', '0fb0d1', 'f0480fb15708', // xadd, cmpxchg
    'f8', 'f9', 'f5', 'fc', 'fd', // flag instructions
  ]) lift(hex);
});

test('idiv r64 bails only for MIN / -1 (and a dividend wider than 64 bits), not for every divisor -1', () => {
  const t = lift('48f7f9');
  // zero divisor, RDX not RAX's extension, and the one overflowing pair
  assert.equal(count(t, /\bbail\b/), 3);
  assert.match(t, /%(\d+):i32 = eq %\d+, %\d+\n\s*%(\d+):i32 = eq %\d+, %\d+\n\s*%(\d+):i32 = and %\1, %\2\n\s*bail %\3/);
});

test('idiv r32 divides in i64 and bails on the zero divisor, MIN / -1 and a quotient out of range', () => {
  const t = lift('f7f9');
  assert.equal(count(t, /\bbail\b/), 3);
  assert.match(t, /:i64 = divs /);
  assert.match(t, /:i64 = rems /);
});

test('div r8 divides AX in i32 and writes AL and AH with one 16-bit merge', () => {
  const t = lift('f6f1');
  assert.match(t, /:i32 = divu /);
  assert.match(t, /:i32 = gtu %\d+, %\d+\n\s*bail/);
  assert.equal(count(t, /setreg rax/), 1);
});

test('bsf r32 keeps the whole destination register when the source is zero', () => {
  const t = lift('0fbcc1');
  assert.match(t, /:i32 = ctz /);
  assert.match(t, /setreg rax, %(\d+)/);
  assert.match(t, /:i64 = select /);
  // CF, PF, AF, SF, OF cleared like the interpreter does; ZF from the source
  assert.equal(count(t, /setflag (cf|pf|af|sf|of), /), 5);
});

test('shl al, cl shifts in i32 and keeps the flags for a zero count', () => {
  const t = lift('d2e0');
  assert.match(t, /:i32 = shl /);
  assert.equal(count(t, /:i32 = select %\d+, %\d+, %\d+/), 5); // one per flag written
  assert.doesNotMatch(t, /setflag af/);
});

test('cmpxchg to memory stores either value, and writes RAX only on failure', () => {
  const t = lift('0fb15708');
  assert.match(t, /store %\d+, %\d+/);
  assert.match(t, /:i32 = select /);
  assert.match(t, /setreg rax, %\d+/);
  assert.equal(count(t.split('insn 0x401004')[0]!, /\bload\b/), 1);
});

// Dead-flag elimination at a region's exits: the region builder reads which flags the
// block at an exit's target reads before writing, so flags it overwrites are not
// computed for it, and those it reads still are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, icedDecodeFn } from '../interp/support/machine.js';
import { buildRegion } from '../../src/jit/region.js';
import { optimizeRegion } from '../../src/ir/passes.js';
import { F } from '../../src/ir/ir.js';

// CODE:   add rax, 1 ; cmp rax, 10 ; jne CODE     (the region: one block)
// CODE+a: <after>                                 (outside: maxBlocks 1)
const LOOP = '4883c001 4883f80a 75f6';
const ARITH = 0x3f;

function region(after: string): { live: number; setFlags: number[] } {
  const m = makeMachine();
  m.load(LOOP + after);
  const built = buildRegion(m.mem, icedDecodeFn, CODE, { maxBlocks: 1, maxInsns: 100, maxBlockInsns: 64 });
  const blocks = built.region.blocks;
  optimizeRegion(blocks, undefined, undefined, built.flagsLiveAt);
  const setFlags = blocks[0]!.insts.filter((i) => i.op === 'setflag').map((i) => i.k).sort();
  return { live: built.flagsLiveAt(CODE + 10), setFlags };
}

test('an exit to code that overwrites the flags (cmp) computes none of them', () => {
  const r = region('4839cb c3'); // cmp rbx, rcx ; ret
  assert.equal(r.live & ARITH, 0);
  assert.deepEqual(r.setFlags, []);
});

test('an exit to code that reads CF (adc) keeps CF and only CF', () => {
  const r = region('4883d100 4839cb c3'); // adc rcx, 0 ; cmp rbx, rcx ; ret
  assert.equal(r.live & ARITH, 1 << F.CF);
  assert.deepEqual(r.setFlags, [F.CF]);
});

test('an exit to code that ends before writing the flags keeps them all', () => {
  const r = region('4889d8 c3'); // mov rax, rbx ; ret
  assert.equal(r.live & ARITH, ARITH);
  assert.equal(r.setFlags.length, 6);
});

// The lifter's dead-flag skipping (src/ir/lift-flags.ts): flags a later instruction of
// the block overwrites before a read are not computed, and after the passes the block
// writes exactly the flags it wrote before, in the same order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liftBlock } from '../../src/ir/lift.js';
import { insns } from './support.js';
import { printBlock } from '../../src/ir/text.js';
import { verifyBlock } from '../../src/ir/verify.js';
import { optimizeRegion } from '../../src/ir/passes.js';
import type { Block } from '../../src/ir/ir.js';

const setflags = (b: Block): string => b.insts.filter((i) => i.op === 'setflag').map((i) => i.k).join(',');

function both(code: string): { off: Block; on: Block; offLifted: number; onLifted: number } {
  const off = liftBlock(insns(code)).block, on = liftBlock(insns(code), true).block;
  verifyBlock(off); verifyBlock(on);
  const offLifted = off.insts.length, onLifted = on.insts.length;
  optimizeRegion([off]); optimizeRegion([on]);
  verifyBlock(off); verifyBlock(on);
  return { off, on, offLifted, onLifted };
}

const CASES: [string, string, boolean][] = [
  ['4801d8 4829c8 39ce 75f2', 'add; sub; cmp; jne: only the compare\'s flags', true],
  ['4883c001 4883d300 c3', 'add; adc (reads CF); ret', true],
  ['ffc0 01d8 c3', 'inc (keeps CF); add', true],
  ['01d8 0f94c0 01d8 c3', 'add; sete (reads ZF); add', true],
  ['01d8 0f4cc1 01d8 c3', 'add; cmovl (reads SF, OF); add', true],
  ['01d8 f7f1 01d8 c3', 'add; div (not in the table: reads every flag); add', false],
  ['01d8 8b03 01c8 c3', 'add; load; add: the load does not keep the first add\'s flags', true],
  ['4831c0 4885c0 7402', 'xor; test; je', true],
];

for (const [code, what, shrinks] of CASES) {
  test(`dead flags skipped while lifting: ${what}`, () => {
    const { off, on, offLifted, onLifted } = both(code);
    assert.equal(setflags(on), setflags(off), 'the same flag writes survive the passes');
    assert.equal(on.count, off.count);
    if (shrinks) assert.ok(onLifted < offLifted, `${onLifted} < ${offLifted}`);
    else assert.equal(onLifted, offLifted);
  });
}

test('an instruction the lifter refuses ends the block: the flags before it are all written', () => {
  // add; cpuid; add: the second add would overwrite the first's flags, but is never lifted.
  const off = liftBlock(insns('01d8 0fa2 01d8')), on = liftBlock(insns('01d8 0fa2 01d8'), true);
  assert.equal(on.stoppedAt?.addr, off.stoppedAt?.addr);
  assert.equal(printBlock(on.block), printBlock(off.block));
  assert.equal(setflags(on.block).split(',').length, 6);
});

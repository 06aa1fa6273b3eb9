// What instructions lift to (IR text), the text form's round trip, the verifier, and
// the passes: a flag that is read survives dead-flag elimination, one that is not goes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liftBlock } from '../../src/ir/lift.js';
import { insns, lines, assertRoundTrips } from './support.js';
import { printBlock, parseBlocks } from '../../src/ir/text.js';
import { verifyBlock, verifyBlocks } from '../../src/ir/verify.js';
import { optimizeRegion, eliminateDeadFlags } from '../../src/ir/passes.js';


test('cmp r32, r32 then jne: flags computed in the open, the branch tests the compare directly', () => {
  const { block } = liftBlock(insns('39ce 75f2'));
  verifyBlock(block);
  const text = printBlock(block);
  assert.match(text, /%\d+:i32 = sub %\d+, %\d+/);
  assert.match(text, /setflag of, %\d+/);
  assert.match(lines(text), /%(\d+):i32 = ne %\d+, %\d+\nbranch %\1, 0x400ff6, 0x401004$/);
});

test('mov [rdi+8], eax lifts to an explicit address computation and a 32-bit store', () => {
  const { block } = liftBlock(insns('894708 c3'));
  verifyBlock(block);
  assert.equal(lines(printBlock(block)).split('\n').slice(0, 7).join('\n'), lines(`
    block 0x401000 end 0x401004 count 2
    insn 0x401000
    %0:i64 = getreg rax
    %1:i32 = trunc %0
    %2:i64 = getreg rdi
    %3:i64 = const 0x8
    %4:i64 = add %2, %3`));
  assert.match(printBlock(block), /store %4, %1/);
});

test('an instruction without a lifter ends the block with an interp exit there', () => {
  const { block, stoppedAt } = liftBlock(insns('01d8 0fa2 01d8')); // add; cpuid; add
  verifyBlock(block);
  assert.equal(block.count, 1);
  assert.equal(stoppedAt?.addr, 0x401002);
  assert.match(printBlock(block), /interp 0x401002\n$/);
});

test('text form round-trips for lifted blocks', () => {
  for (const code of ['4801d8 39ce 75f2', '50 5b c3', '480fafc3 f7f1 0f94c0 c3', 'd3e0 48c1f805 c3']) {
    const { block } = liftBlock(insns(code));
    verifyBlock(block);
    assertRoundTrips(block);
  }
});

test('verifier rejects a memory access after a state write in one guest instruction', () => {
  const [b] = parseBlocks(`block 0x1000
    insn 0x1000
    %0:i64 = getreg rax
    setreg rbx, %0
    %1:i32 = load %0
    jump 0x1010`);
  assert.throws(() => verifyBlock(b!), /memory access after a state write/);
});

test('dead-flag elimination keeps a flag that is read and drops one that is not', () => {
  const [a, b] = parseBlocks(`
  block 0x1000
    insn 0x1000
    %0:i32 = const 0x1
    setflag cf, %0
    setflag zf, %0
    jump 0x1010
  block 0x1010
    insn 0x1010
    %0:i32 = getflag cf
    %1:i32 = const 0x0
    setflag zf, %1
    branch %0, 0x1000, 0x1020`);
  eliminateDeadFlags([a!, b!]);
  verifyBlocks([a!, b!]);
  const t = printBlock(a!);
  assert.match(t, /setflag cf/);
  assert.doesNotMatch(t, /setflag zf/);
  // zf in the second block leaves the region: it stays.
  assert.match(printBlock(b!), /setflag zf/);
});

test('the pipeline folds constants and forwards register values, and the verifier passes after every pass', () => {
  const { block } = liftBlock(insns('b805000000 83c003 39c8 75f0')); // mov eax,5; add eax,3; cmp eax,ecx; jne
  optimizeRegion([block], undefined, verifyBlocks);
  const t = printBlock(block);
  assert.match(t, /%\d+:i64 = const 0x8\n\s*setreg rax/);
  assert.equal((t.match(/getreg rax/g) ?? []).length, 0);
});

test('an indirect call lifts to callind with its return address (the region follows it), and round-trips', () => {
  const { block } = liftBlock(insns('ff15 00100000')); // call [rip+0x1000]
  verifyBlock(block);
  const t = printBlock(block);
  assert.match(t, /store %\d+, %\d+\n  setreg rsp, %\d+\n  callind %\d+, 0x401006\n$/);
  assert.equal(printBlock(parseBlocks(t)[0]!), t);
});

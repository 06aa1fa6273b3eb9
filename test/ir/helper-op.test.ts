// `helper` ops: instructions without a lifter run as the interpreter's handler inside
// compiled code (liftBlock with helpers on). What they lift to, which still end the
// block, and that the passes treat a helper as reading and writing all state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liftBlock } from '../../src/ir/lift.js';
import { printBlock, parseBlocks } from '../../src/ir/text.js';
import { verifyBlock, verifyBlocks } from '../../src/ir/verify.js';
import { optimizeRegion, eliminateDeadFlags, forwardState, liveIn } from '../../src/ir/passes.js';
import { stateUsage } from '../../src/jit/state-usage.js';
import { ALL_FLAGS, F } from '../../src/ir/ir.js';
import { insns, lines, assertRoundTrips } from './support.js';

test('rep stosb becomes a repstos op (a helper with a fast path) and the block goes on; helpers off, it ends the block', () => {
  const code = insns('4801d8 f3aa 4801d8 c3'); // add rax, rbx; rep stosb; add rax, rbx; ret
  const on = liftBlock(code, false, true);
  verifyBlock(on.block);
  assert.equal(on.stoppedAt, undefined);
  assert.equal(on.block.count, 4);
  assert.deepEqual(on.helpers?.length, 1);
  assert.match(lines(printBlock(on.block)), /\ninsn 0x401003\nrepstos i8, 0x401003\ninsn 0x401005\n/);
  assert.match(printBlock(on.block), /ret %\d+\n$/);
  assertRoundTrips(on.block);
  const off = liftBlock(code);
  assert.equal(off.block.count, 1);
  assert.match(printBlock(off.block), /interp 0x401003\n$/);
});

test('rep movs/stos forms: which get the bulk fast path and which stay plain helpers', () => {
  const cases: [string, string][] = [
    ['f3a4', 'repmovs i8'], ['f366a5', 'repmovs i16'], ['f3a5', 'repmovs i32'], ['f348a5', 'repmovs i64'],
    ['f2a4', 'repmovs i8'], // F2 is REP for MOVS/STOS, as in the interpreter
    ['f3aa', 'repstos i8'], ['f366ab', 'repstos i16'], ['f3ab', 'repstos i32'], ['f348ab', 'repstos i64'],
    ['67f3a4', 'helper'], // 32-bit addressing
    ['64f3a4', 'helper'], // FS source override
    ['a4', 'helper'], ['48ab', 'helper'], // no REP
  ];
  for (const [hex, want] of cases) {
    const { block } = liftBlock(insns(`${hex} c3`), true, true);
    verifyBlock(block);
    assertRoundTrips(block);
    assert.equal(lines(printBlock(block)).split('\n')[2], want === 'helper' ? 'helper 0x401000' : `${want}, 0x401000`, hex);
  }
});

test('pushfq, cmpltsd, cpuid, lahf, fxsave and ldmxcsr lift to helpers; exact text', () => {
  for (const hex of ['9c', 'f20fc2c101', '0fa2', '9f', '0fae07', '0fae17']) {
    const { block, stoppedAt } = liftBlock(insns(`${hex} c3`), true, true);
    assert.equal(stoppedAt, undefined, hex);
    verifyBlock(block);
    assertRoundTrips(block);
    const first = lines(printBlock(block)).split('\n').slice(0, 3).join('\n');
    assert.equal(first, lines(`block 0x401000 end 0x${(0x401000 + hex.length / 2 + 1).toString(16)} count 2
      insn 0x401000
      helper 0x401000`), hex);
  }
});

test('control transfers and traps without a lifter still end the block with an interp exit', () => {
  // int3; ud2; syscall; hlt (loop and jrcxz are lifted: test/jit/loop-insns.test.ts)
  for (const hex of ['cc', '0f0b', '0f05', 'f4']) {
    const { block, stoppedAt } = liftBlock(insns(`4801d8 ${hex}`), true, true);
    verifyBlock(block);
    assert.equal(stoppedAt?.addr, 0x401003, hex);
    assert.match(printBlock(block), /interp 0x401003\n$/, hex);
  }
});

test('a compare before a helper does not fuse with a branch after it (the helper may write the flags)', () => {
  // cmp eax, ebx; sahf; je
  const { block } = liftBlock(insns('39d8 9e 74f0'), true, true);
  verifyBlock(block);
  const text = lines(printBlock(block));
  // The branch reads ZF (from the state the helper left), not the compare's values.
  assert.match(text, /helper 0x401002\ninsn 0x401003\n%(\d+):i32 = getflag zf\n(.*\n)*branch %\1, /);
});

test('flags written before a helper stay live through dead-flag elimination; after it they are read again', () => {
  const blocks = parseBlocks(`
    block 0x1000 end 0x1004 count 3
      insn 0x1000
      %0:i32 = const 0x1
      setflag cf, %0
      setflag pf, %0
      insn 0x1002
      helper 0x1002
      insn 0x1003
      %1:i32 = const 0x0
      setflag cf, %1
      jump 0x1000
  `);
  verifyBlocks(blocks);
  eliminateDeadFlags(blocks, () => 0);
  const text = printBlock(blocks[0]!);
  assert.match(text, /setflag cf, %0\n\s*setflag pf, %0\n/);
  // The cf write after the helper is dead: the loop head overwrites it before anything reads it.
  assert.doesNotMatch(text, /setflag cf, %1/);
  assert.equal(liveIn(blocks[0]!, 0), ALL_FLAGS & ~0b11);
});

test('forwardState neither reuses a register read across a helper nor drops a write before it', () => {
  const [b] = parseBlocks(`
    block 0x1000 end 0x1004 count 3
      insn 0x1000
      %0:i64 = getreg rcx
      %1:i64 = const 0x5
      setreg rcx, %1
      insn 0x1002
      helper 0x1002
      insn 0x1003
      %2:i64 = getreg rcx
      %3:i64 = add %2, %0
      setreg rcx, %3
      jump 0x1004
  `);
  forwardState(b!);
  verifyBlock(b!);
  const text = printBlock(b!);
  assert.match(text, /setreg rcx, %1/);
  assert.match(text, /%2:i64 = getreg rcx/);
  assert.match(text, /add %2, %0/);
});

test('the whole pipeline keeps the helper and the writes before it; it adds nothing to the state a region caches', () => {
  const { block } = liftBlock(insns('4889c1 0fa2 4801c8 c3'), true, true); // mov rcx, rax; cpuid; add rax, rcx; ret
  const blocks = [block];
  optimizeRegion(blocks, undefined, verifyBlocks);
  assert.match(printBlock(blocks[0]!), /helper 0x401003/);
  assert.match(printBlock(blocks[0]!), /setreg rcx/); // the mov's write reaches memory before the helper
  // Only what the lifted code touches: the rest lives in memory, where the handler works.
  const u = stateUsage({ entry: 0x401000, blocks });
  assert.deepEqual([...u.regsWritten].sort(), [0, 1, 4]); // rax, rcx, rsp (ret)
  assert.equal(u.xmmUsed.size, 0);
});

test('rep stosq through the pipeline: the writes before it stay; its fast path caches RCX, RDI, RAX and DF', () => {
  const { block } = liftBlock(insns('4889c1 f348ab 4801c8 c3'), true, true); // mov rcx, rax; rep stosq; add rax, rcx; ret
  const blocks = [block];
  optimizeRegion(blocks, undefined, verifyBlocks);
  assert.match(printBlock(blocks[0]!), /setreg rcx, %\d+\n\s*insn 0x401003\n\s*repstos i64, 0x401003\n/);
  const u = stateUsage({ entry: 0x401000, blocks });
  assert.deepEqual([...u.regsWritten].sort(), [0, 1, 4, 7]); // rax, rcx, rsp (ret), rdi
  assert.ok(u.regsUsed.has(7) && u.regsUsed.has(0) && !u.regsUsed.has(6));
  assert.equal(u.flagsUsed & (1 << F.DF), 1 << F.DF);
  assert.equal(u.flagsWritten & (1 << F.DF), 0);
});

test('the verifier wants a helper alone in its guest instruction', () => {
  assert.throws(() => verifyBlocks(parseBlocks(`
    block 0x1000 end 0x1002 count 1
      insn 0x1000
      %0:i64 = const 0x5
      setreg rcx, %0
      helper 0x1000
      jump 0x1002
  `)), /alone/);
  assert.throws(() => verifyBlocks(parseBlocks(`
    block 0x1000 end 0x1002 count 1
      insn 0x1000
      %0:i64 = const 0x5
      setreg rcx, %0
      repmovs i8, 0x1000
      jump 0x1002
  `)), /alone/);
});

// Which IR values the direct backend computes at their use instead of in a local
// (src/jit/direct/tree.ts). Moving a read past a write of what it reads would be a
// wrong translation, so each hazard is pinned here; the differential tests
// (diff.test.ts: exchanges and moves among them) check the generated code as a whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlocks } from '../../src/ir/text.js';
import { planTrees } from '../../src/jit/direct/tree.js';

/** The values planTrees inlines in the block given as IR text (register cache on unless said). */
function inlined(body: string, registerCache = true): number[] {
  const [b] = parseBlocks(`block 0x401000 end 0x401010 count 1\n  insn 0x401000\n${body}`);
  const { inline } = planTrees(b!, registerCache);
  return [...inline.keys()].filter((v) => inline[v] === 1);
}

test('a register read used once is computed at its use', () => {
  assert.deepEqual(inlined('%0:i64 = getreg rax\n setreg rbx, %0\n jump 0x401010'), [0]);
});

test('a register read does not move past a write of that register (xchg)', () => {
  const xchg = '%0:i64 = getreg rax\n %1:i64 = getreg rbx\n setreg rax, %1\n setreg rbx, %0\n jump 0x401010';
  assert.deepEqual(inlined(xchg), [1], 'rbx\'s read moves to its use; rax\'s read would cross `setreg rax`');
});

test('a flag read does not move past a write of that flag, but past others', () => {
  assert.deepEqual(inlined('%0:i32 = getflag cf\n %1:i32 = const 0x1\n setflag cf, %1\n setflag zf, %0\n jump 0x401010'), [1]);
  assert.deepEqual(inlined('%0:i32 = getflag cf\n %1:i32 = const 0x1\n setflag zf, %1\n setflag of, %0\n jump 0x401010'), [0, 1]);
});

test('nothing moves past a helper op (it may write any register), rep movs/stos included', () => {
  assert.deepEqual(inlined('%0:i64 = getreg rax\n helper 0x401000\n setreg rbx, %0\n jump 0x401010'), []);
  assert.deepEqual(inlined('%0:i64 = getreg rcx\n repmovs i8, 0x401000\n setreg rbx, %0\n jump 0x401010'), []);
  assert.deepEqual(inlined('%0:i64 = getreg rdi\n repstos i8, 0x401000\n setreg rbx, %0\n jump 0x401010'), []);
});

test('without the register cache, register reads stay where they are', () => {
  assert.deepEqual(inlined('%0:i64 = getreg rax\n setreg rbx, %0\n jump 0x401010', false), []);
});

test('arithmetic used once is a tree; used twice it keeps its local', () => {
  const once = '%0:i64 = getreg rax\n %1:i64 = const 0x10\n %2:i64 = add %0, %1\n setreg rax, %2\n jump 0x401010';
  assert.deepEqual(inlined(once), [0, 1, 2]);
  const twice = '%0:i64 = getreg rax\n %1:i64 = const 0x10\n %2:i64 = add %0, %1\n setreg rax, %2\n setreg rbx, %2\n jump 0x401010';
  assert.deepEqual(inlined(twice), [0, 1], 'the add keeps a local; its operands are computed where it stands');
});

test('division (a wasm trap) and uses that read locals directly keep their locals', () => {
  assert.deepEqual(inlined('%0:i64 = getreg rax\n %1:i64 = getreg rcx\n %2:i64 = divu %0, %1\n setreg rax, %2\n jump 0x401010'), []);
  assert.deepEqual(inlined('%0:i64 = getreg rax\n jumpind %0'), []);
});

test('small constants repeat at every use; large ones only at a single use', () => {
  assert.deepEqual(inlined('%0:i32 = const 0x0\n setflag cf, %0\n setflag of, %0\n jump 0x401010'), [0]);
  assert.deepEqual(inlined('%0:i64 = const 0x123456789\n setreg rax, %0\n setreg rbx, %0\n jump 0x401010'), []);
  assert.deepEqual(inlined('%0:i64 = const 0x123456789\n setreg rax, %0\n jump 0x401010'), [0]);
});

test('a local read inside a tree stays live until the tree is emitted', () => {
  const [b] = parseBlocks('block 0x401000 end 0x401010 count 1\n insn 0x401000\n %0:i64 = getreg rax\n %1:i64 = getreg rbx\n'
    + ' %2:i64 = add %0, %1\n setreg rcx, %0\n setreg rax, %0\n setreg rdx, %2\n jump 0x401010');
  const { inline, lastUse } = planTrees(b!, true);
  assert.equal(inline[2], 1, 'the add moves to its use (setreg rdx, instruction 6)');
  assert.equal(inline[0], 0, '%0 is read three times');
  assert.equal(lastUse[0], 6, '%0 is last read where the add is emitted, after `setreg rax`');
});

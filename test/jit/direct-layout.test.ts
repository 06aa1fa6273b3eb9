// The direct backend's block layout: reverse postorder from the entry (fall-throughs
// right after their branch, loop back edges the only backward jumps), and the control
// flow that follows from it (forward jumps as br, loops as wasm loops).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlocks } from '../../src/ir/text.js';
import { compileRegionsDirect, layoutOrder } from '../../src/jit/direct/codegen.js';
import { DEFAULT_CODEGEN } from '../../src/jit/codegen.js';
import { wasmToText } from '../../src/jit/wasm-text.js';

// 0x10: loop head, leaves to 0x40 or falls into the body 0x20; 0x20 jumps back.
// 0x30 is only reached as a return site, 0x40 ends in a self-loop and then leaves.
const IR = `
block 0x10 end 0x12 count 1
  insn 0x10
  %0:i32 = getflag zf
  branch %0, 0x40, 0x20
block 0x40 end 0x42 count 1
  insn 0x40
  %0:i32 = getflag cf
  branch %0, 0x40, 0x50
block 0x30 end 0x32 count 1
  insn 0x30
  jump 0x10
block 0x20 end 0x22 count 1
  insn 0x20
  jump 0x10
`;

test('layout: reverse postorder from the entry, the fall-through right after its branch, other roots after', () => {
  const blocks = parseBlocks(IR);
  const order = layoutOrder(blocks).map((i) => blocks[i]!.addr.toString(16));
  assert.deepEqual(order, ['10', '20', '40', '30']);
});

test('by default only a self-loop is a wasm loop of its own; other back edges go through the dispatch', () => {
  const text = wasmToText(compileRegionsDirect([{ entry: 0x10, blocks: parseBlocks(IR) }], DEFAULT_CODEGEN).bytes);
  // The dispatch loop and the self-loop of 0x40.
  assert.equal(text.match(/^\s*loop\b/gm)?.length, 2);
  // Only the back edges 0x20 -> 0x10 and 0x30 -> 0x10 set the entry position (local 0).
  assert.equal(text.match(/^\s*local\.set 0$/gm)?.length, 2);
});

test('with wasm loops, back edges and forward jumps are branches, not trips through the dispatch', () => {
  const text = wasmToText(compileRegionsDirect([{ entry: 0x10, blocks: parseBlocks(IR) }], { ...DEFAULT_CODEGEN, wasmLoops: true }).bytes);
  // The dispatch loop, the loop of 0x10 and 0x20 (0x30 only jumps into it: it is not
  // part of it, so it is placed before it) and 0x40's self-loop after that.
  assert.equal(text.match(/^\s*loop\b/gm)?.length, 3);
  // No jump sets an entry position (local 0): only the dispatches' stubs do, resetting
  // it to -1 at the target: the region's for its three units (0x30, the two loops), the
  // loop's for its interior block 0x20.
  const lines = text.split('\n').map((l) => l.trim());
  const sets = lines.flatMap((l, k) => (l === 'local.set 0' ? [lines[k - 1]] : []));
  assert.deepEqual(sets, ['i32.const -1', 'i32.const -1', 'i32.const -1', 'i32.const -1']);
});

// Guest loops as wasm loops in the direct backend (--jit-loops on; src/jit/direct/loops.ts,
// emitLoop in codegen.ts): which loops are taken, how a jump from outside reaches a loop's
// interior, and that entering a region in the middle of a loop runs it right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findLoops, enteredLoop, loopLayout } from '../../src/jit/direct/loops.js';
import { makeMachine, CODE, icedDecodeFn } from '../interp/support/machine.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { wasmToText } from '../../src/jit/wasm-text.js';

test('a loop spans its head to the last position jumping back to it; nested loops nest', () => {
  // 0 -> 1 -> 2 -> 3 (3 jumps back to 0 and to 1; 2 jumps back to 2).
  const nest = findLoops([[1], [2], [2, 3], [0, 1, 4], []]);
  assert.deepEqual(nest.loops.map((l) => [l.head, l.last, l.parent]), [[0, 3, -1], [1, 3, 0], [2, 2, 1]]);
  assert.deepEqual([...nest.innermost], [0, 1, 2, 1, -1]);
  assert.deepEqual([...nest.headOf], [0, 1, 2, -1, -1]);
});

test('a loop overlapping an earlier one without nesting is left to the dispatch', () => {
  // Loop [0, 2] and loop [1, 3]: they overlap, so only the first is a wasm loop.
  const nest = findLoops([[1], [2], [0, 3], [1]]);
  assert.deepEqual(nest.loops.map((l) => [l.head, l.last]), [[0, 2]]);
  assert.equal(nest.headOf[1], -1);
});

test('a forward jump into a loop\'s interior enters through the outermost loop it is not in', () => {
  const nest = findLoops([[1], [2], [3], [4], [2, 1], []]); // loops [1, 4] and [2, 4]
  assert.deepEqual(nest.loops.map((l) => [l.head, l.last]), [[1, 4], [2, 4]]);
  assert.equal(enteredLoop(nest, 0, 3), 0, 'from outside both: through the outer loop');
  assert.equal(enteredLoop(nest, 1, 3), 1, 'from the outer loop\'s head: through the inner loop');
  assert.equal(enteredLoop(nest, 2, 3), -1, 'from inside both: a plain branch');
  assert.equal(enteredLoop(nest, 0, 1), -1, 'to a loop\'s head: a plain branch into the loop');
  assert.equal(enteredLoop(nest, 0, 2), 0, 'to an inner loop\'s head, from outside the outer loop');
});

test('loop layout: a loop body is contiguous even where reverse postorder puts an exit inside it', () => {
  // 0: branch 2, 1 (the head); 1: branch 3, 2 (3 leaves the loop); 2: jump 0.
  // Reverse postorder (taken edges first) is 0, 1, 3, 2: the exit 3 inside the range.
  const succ = [[2, 1], [3, 2], [0], []];
  const { order, nest } = loopLayout(succ);
  assert.deepEqual(order, [0, 1, 2, 3], 'the body, then the exit; 1 falls through to 2');
  assert.deepEqual(nest.loops.map((l) => [l.head, l.last, l.parent]), [[0, 2, -1]]);
  assert.deepEqual([...nest.headOf], [0, -1, -1, -1]);
});

test('loop layout: every backward jump goes to the head of a loop around it; inner loops nest', () => {
  // 0 -> 1 (outer head) -> 2 (inner head) -> 3 -> 2 or 4; 4 -> 1 or 5; 5 leaves. Block 6,
  // reached first, jumps to the outer head too.
  const succ = [[6, 1], [2], [3], [2, 4], [1, 5], [], [1]];
  const { order, nest } = loopLayout(succ);
  const pos = new Map(order.map((b, p) => [b, p]));
  assert.equal(new Set(order).size, succ.length);
  for (const [b, next] of succ.entries()) {
    for (const t of next) {
      const from = pos.get(b)!, to = pos.get(t)!;
      if (to > from) continue;
      const k = nest.headOf[to]!;
      assert.ok(k >= 0 && nest.loops[k]!.last >= from, `${b} -> ${t} backward but not to a loop around it`);
    }
  }
  // Loops: {1, 2, 3, 4} and {2, 3} inside it, each contiguous.
  const loops = nest.loops.map((l) => order.slice(l.head, l.last + 1).sort());
  assert.deepEqual(loops, [[1, 2, 3, 4], [2, 3]]);
  assert.equal(nest.loops[1]!.parent, 0);
});

test('loop layout: an irreducible loop is headed by its first block reached; the other way in enters its interior', () => {
  // 0: branch 1, 2; 1 <-> 2.
  const { order, nest } = loopLayout([[1, 2], [2], [1]]);
  assert.deepEqual(order, [0, 1, 2]);
  assert.deepEqual(nest.loops.map((l) => [l.head, l.last]), [[1, 2]]);
  assert.equal(enteredLoop(nest, 0, 2), 0, '0 -> 2 goes through the loop\'s dispatch');
  assert.equal(enteredLoop(nest, 0, 1), -1);
});

const RAX = 0, RSP = 4;
const IAT = 0x100;
const NATIVE = 0x10000 + 0x60;

/**
 *   xor eax,eax ; mov ecx,5 ; lea rdx,[f]
 *   B: add eax,1 ; call [IAT]        (an API function: called in place, the region goes on)
 *   C: add eax,10 ; call rdx         (f: an indirect target never observed, so it leaves)
 *   D: add eax,100 ; dec ecx ; jnz B
 *   int3
 *   f: add eax,1000 ; ret
 * The region's loop is headed by C (B's call returns there); f's `ret` comes back to D,
 * an interior block, through the runtime: the region is entered there every iteration,
 * and the native call's return to C is then the loop's back edge.
 */
function program(): Uint8Array {
  const b = [0x31, 0xc0, 0xb9, 0x05, 0, 0, 0, 0x48, 0x8d, 0x15, 0, 0, 0, 0];
  const B = b.length;
  const disp = IAT - (B + 3 + 6);
  b.push(0x83, 0xc0, 0x01, 0xff, 0x15, disp & 0xff, (disp >> 8) & 0xff, 0, 0);
  b.push(0x83, 0xc0, 0x0a, 0xff, 0xd2);
  b.push(0x83, 0xc0, 0x64, 0xff, 0xc9, 0x75, (B - (b.length + 7)) & 0xff);
  b.push(0xcc);
  const f = b.length;
  b.push(0x05, 0xe8, 0x03, 0, 0, 0xc3);
  b[10] = f - 14; // lea's rip-relative displacement (from the end of the lea, offset 14)
  return Uint8Array.from(b);
}
const END = 35; // the int3

test('a region entered at an interior block of a loop goes on from there, and its back edge reaches the head', () => {
  for (const engine of ['interp', 'jit'] as const) {
    const m = makeMachine();
    m.load(program());
    m.mem.dv.setBigUint64(CODE + IAT, BigInt(NATIVE), true);
    m.st.setNum(RSP, 0x700000 - 0x100);
    const native = (): void => {
      const rsp = m.st.getNum(RSP);
      m.st.setNum(RAX, m.st.getNum(RAX) + 100000);
      m.st.rip = Number(m.mem.dv.getBigUint64(rsp, true));
      m.st.setNum(RSP, rsp + 8);
    };
    if (engine === 'interp') {
      m.interp.registerNative(NATIVE, native);
      m.interp.run({ stopAt: CODE + END });
    } else {
      const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], {
        ...DEFAULT_JIT_OPTIONS, threshold: 0, codegen: { ...DEFAULT_JIT_OPTIONS.codegen, wasmLoops: true },
      });
      jit.registerNative(NATIVE, native);
      const loops: number[] = [];
      jit.onInstalled = (_blocks, bytes) => loops.push(wasmToText(bytes).match(/^\s*loop\b/gm)?.length ?? 0);
      jit.run({ stopAt: CODE + END });
      assert.equal(loops[0], 2, 'the dispatch loop and the guest loop');
      assert.ok(jit.stats.regionCalls >= 5, `region entries: ${jit.stats.regionCalls}`);
    }
    assert.equal(m.st.getNum(RAX), 5 * (1 + 100000 + 10 + 1000 + 100), engine);
    assert.equal(m.st.rip, CODE + END, engine);
  }
});

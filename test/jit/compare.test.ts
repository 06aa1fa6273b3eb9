// The lock-step 'compare' engine (JIT vs interpreter, block by block): it must accept
// blocks on which both engines agree and report the ones where they do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, icedDecodeFn } from '../interp/support/machine.js';
import { loadBinaryen } from '../../src/jit/wasm.js';
import { DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { CompareEngine } from '../../src/jit/compare.js';

await loadBinaryen();

test('a block storing twice to one address is no mismatch (regression: samples/int64.exe)', () => {
  // mov [rsp],rsi; movzx r8d,byte ptr [rsp]; mov [rsp],rcx; jmp next
  const code = [0x48, 0x89, 0x34, 0x24, 0x44, 0x0f, 0xb6, 0x04, 0x24, 0x48, 0x89, 0x0c, 0x24, 0xe9, 0, 0, 0, 0];
  const m = makeMachine();
  m.load(Uint8Array.from(code));
  m.st.setNum(6, 0x5295); // rsi
  m.st.set64(1, 0xe441ae27, 0x4c939b64); // rcx
  const rsp = m.st.getNum(4);
  const engine = new CompareEngine(m.st, m.mem, icedDecodeFn, [], DEFAULT_JIT_OPTIONS);
  engine.run({ stopAt: CODE + code.length });
  assert.equal(engine.blocksCompared, 1);
  assert.equal(m.mem.read32(rsp), 0xe441ae27);
  assert.equal(m.st.getNum(8), 0x95);
});

// The lock-step 'compare' engine (JIT vs interpreter, block by block): it must accept
// blocks on which both engines agree and report the ones where they do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, DATA, icedDecodeFn } from '../interp/support/machine.js';
import { loadBinaryen } from '../../src/jit/wasm.js';
import { DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { CompareEngine } from '../../src/jit/compare.js';
import { GuestFault, ExceptionCode } from '../../src/mem/fault.js';
import { Prot } from '../../src/mem/memory.js';

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

test('a guard page fires once for both engines: the same fault, then the access succeeds', () => {
  // mov rax,[rbx]; jmp next
  const code = [0x48, 0x8b, 0x03, 0xe9, 0, 0, 0, 0];
  const m = makeMachine();
  m.load(Uint8Array.from(code));
  const page = DATA + 0x1000;
  m.mem.protect(page, 0x1000, Prot.RW | Prot.Guard);
  m.mem.u8[page] = 0x5a;
  m.st.setNum(3, page); // rbx
  const engine = new CompareEngine(m.st, m.mem, icedDecodeFn, [], DEFAULT_JIT_OPTIONS);
  assert.throws(() => engine.run({ stopAt: CODE + code.length }),
    (e: unknown) => e instanceof GuestFault && e.code === ExceptionCode.GuardPage && e.address === page);
  assert.equal(m.st.rip, CODE);
  assert.equal(m.mem.prot[page >>> 12]! & Prot.Guard, 0);
  engine.run({ stopAt: CODE + code.length });
  assert.equal(m.st.getNum(0), 0x5a);
});

// stopAt must stop execution exactly at that address on the JIT, whether the address
// lies inside compiled code or inside a block the cold tier would run whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, icedDecodeFn } from '../interp/support/machine.js';
import { loadBinaryen } from '../../src/jit/wasm.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';

await loadBinaryen();

// mov eax,1; mov ecx,2; add eax,ecx; mov edx,7; jmp CODE (an endless loop)
const code = [0xb8, 1, 0, 0, 0, 0xb9, 2, 0, 0, 0, 0x01, 0xc8, 0xba, 7, 0, 0, 0, 0xeb, 0xed];
const ADD = CODE + 10, MOV_EDX = CODE + 12;

for (const threshold of [0, 2, 1000]) {
  test(`stopAt inside a block stops there (threshold ${threshold}), also after the code is compiled`, () => {
    const m = makeMachine();
    m.load(Uint8Array.from(code));
    const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold });
    for (let round = 0; round < 5; round++) {
      m.st.setNum(2, 0);
      m.st.rip = CODE;
      jit.run({ stopAt: ADD, maxInstructions: 100 });
      assert.equal(m.st.rip, ADD);
      assert.equal(m.st.getNum(0), 1);
      jit.run({ stopAt: MOV_EDX, maxInstructions: 100 });
      assert.equal(m.st.rip, MOV_EDX);
      assert.equal(m.st.getNum(0), 3);
      assert.equal(m.st.getNum(2), 0);
    }
    if (threshold === 0) assert.ok(jit.stats.regionsCompiled > 0);
  });
}

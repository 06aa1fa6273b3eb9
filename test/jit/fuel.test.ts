// The instruction limit under compiled code is exact whatever it is: the direct
// backend checks its fuel only at a region's entry and backward jumps, so limits that
// end inside a loop iteration, inside a block, or below one pass through the region
// must still stop at the same instruction with the same state as the interpreter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, icedDecodeFn } from '../interp/support/machine.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { InstructionLimitExceeded } from '../../src/interp/errors.js';

// L: add eax,1 ; test al,1 ; jz S ; add ebx,eax ; S: add ecx,1 ; cmp ecx,50 ; jne L ; int3
// (a loop of three blocks with a forward branch; one region)
const LOOP = [0x83, 0xc0, 0x01, 0xa8, 0x01, 0x74, 0x02, 0x01, 0xc3, 0x83, 0xc1, 0x01, 0x83, 0xf9, 0x32, 0x75, 0xef, 0xcc];

function runTo(limit: number, engine: 'jit' | 'interp'): { rip: number; regs: number[]; count: number } {
  const m = makeMachine();
  m.load(Uint8Array.from(LOOP));
  let count: number;
  if (engine === 'interp') {
    assert.throws(() => m.interp.run({ maxInstructions: limit }), InstructionLimitExceeded);
    count = m.interp.instructions;
  } else {
    const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 0 });
    assert.throws(() => jit.run({ maxInstructions: limit }), InstructionLimitExceeded);
    assert.ok(jit.stats.jitInstructions > 0 || limit < 20, `limit ${limit}: compiled code ran`);
    count = jit.instructions;
  }
  return { rip: m.st.rip, regs: [0, 1, 3].map((r) => m.st.getNum(r)), count };
}

test('every instruction limit through a compiled three-block loop stops where the interpreter does', () => {
  for (let limit = 1; limit <= 120; limit++) {
    assert.deepEqual(runTo(limit, 'jit'), runTo(limit, 'interp'), `limit ${limit}`);
  }
});

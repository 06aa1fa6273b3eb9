// Tiered compilation in the background: without binaryen in this thread (so the worker
// compiles), a hot loop keeps running in the cold tier until its compiled module arrives,
// and a module compiled from code overwritten after the request is discarded.
// This file must not load binaryen itself: that would make compilation synchronous.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeMachine, CODE, icedDecodeFn } from '../interp/support/machine.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { InstructionLimitExceeded } from '../../src/interp/errors.js';
import { binaryenLoaded } from '../../src/jit/wasm.js';

// LOOP: add eax,imm8; add edx,eax; jmp LOOP (3 instructions per iteration)
const loop = (imm: number) => [0x83, 0xc0, imm, 0x01, 0xc2, 0xeb, 0xf9];
const CHUNK = 30_000; // a multiple of 3: every chunk ends on an iteration boundary

function runChunk(jit: JitRuntime, n = CHUNK): void {
  assert.throws(() => jit.run({ maxInstructions: n }), InstructionLimitExceeded);
}

/**
 * Three iterations: with threshold 2 the region is requested on the third, and the run
 * ends (budget spent) before the dispatcher could look for a reply.
 */
function runUntilRequested(jit: JitRuntime): void {
  runChunk(jit, 9);
  assert.equal(jit.stats.regionsCompiled, 0);
  assert.equal(jit.stats.coldInstructions, 9);
}

/** Runs chunks, yielding to the event loop between them, until compiled code has run. */
async function runUntilCompiledCodeRuns(jit: JitRuntime): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (jit.stats.jitInstructions === 0) {
    assert.ok(Date.now() < deadline, 'the compile worker never delivered');
    runChunk(jit);
    await sleep(5);
  }
  runChunk(jit);
}

function expectState(m: ReturnType<typeof makeMachine>, imm: number, iterations: number): void {
  assert.equal(m.st.getNum(0), (imm * iterations) >>> 0);
  // edx = imm*1 + imm*2 + ... + imm*n, mod 2^32
  const sum = (BigInt(imm) * BigInt(iterations) * BigInt(iterations + 1) / 2n) & 0xffffffffn;
  assert.equal(m.st.getNum(2), Number(sum));
  assert.equal(m.st.rip, CODE);
}

test('tiered: the guest keeps interpreting while the worker compiles, then runs the compiled loop', async () => {
  assert.equal(binaryenLoaded(), undefined);
  const m = makeMachine();
  m.load(Uint8Array.from(loop(1)));
  m.st.setNum(0, 0); m.st.setNum(2, 0);
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 2, codegen: { ...DEFAULT_JIT_OPTIONS.codegen, backend: 'binaryen' } });
  runUntilRequested(jit);
  await runUntilCompiledCodeRuns(jit);
  assert.equal(jit.stats.regionsCompiled, 1);
  assert.equal(jit.instructions, jit.stats.coldInstructions + jit.stats.jitInstructions);
  expectState(m, 1, jit.instructions / 3);
});

test('tiered: a module compiled from code overwritten after the request is discarded', async () => {
  const m = makeMachine();
  m.load(Uint8Array.from(loop(1)));
  m.st.setNum(0, 0); m.st.setNum(2, 0);
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 2, codegen: { ...DEFAULT_JIT_OPTIONS.codegen, backend: 'binaryen' } });
  runUntilRequested(jit);
  // The request is pending (no reply can be installed before the next run): overwrite the code.
  m.mem.write8(CODE + 2, 5);
  assert.equal(jit.stats.invalidations, 1);
  m.st.setNum(0, 0); m.st.setNum(2, 0); m.st.rip = CODE;
  const base = jit.instructions;
  await runUntilCompiledCodeRuns(jit);
  // The stale module was dropped; the one compiled from the new code runs.
  assert.equal(jit.stats.regionsCompiled, 1);
  expectState(m, 5, (jit.instructions - base) / 3);
});

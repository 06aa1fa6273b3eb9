// Tiered region formation: a region takes only blocks the cold tier has run, and none
// another region already compiled; with hotRegions off it takes all reachable code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, icedDecodeFn } from '../interp/support/machine.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { InstructionLimitExceeded } from '../../src/interp/errors.js';
import type { Block } from '../../src/ir/ir.js';

// LOOP: add eax,1 ; cmp eax,-1 ; je COLD ; jmp LOOP ; COLD: xor eax,eax ; jmp LOOP
// (eax never reaches -1 here, so the COLD block never runs.)
const CODE_BYTES = [0x83, 0xc0, 0x01, 0x83, 0xf8, 0xff, 0x74, 0x02, 0xeb, 0xf6, 0x31, 0xc0, 0xeb, 0xf2];
const COLD = CODE + 10;

function compiledBlocks(hotRegions: boolean): number[] {
  const m = makeMachine();
  m.load(Uint8Array.from(CODE_BYTES));
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 5, hotRegions });
  const seen: number[] = [];
  jit.onCompiled = (blocks: Block[]) => { for (const b of blocks) seen.push(b.addr); };
  assert.throws(() => jit.run({ maxInstructions: 2000 }), InstructionLimitExceeded);
  assert.ok(jit.stats.jitInstructions > 1000, 'the loop ran compiled');
  assert.equal(m.st.getNum(0) > 0, true);
  return seen;
}

test('tiered: a block the cold tier never ran stays out of the region', () => {
  const blocks = compiledBlocks(true);
  assert.ok(blocks.includes(CODE), 'the loop head is compiled');
  assert.ok(!blocks.includes(COLD), `cold block compiled: ${blocks.map((a) => a.toString(16))}`);
});

test('tiered with hotRegions off: the region takes all reachable code', () => {
  assert.ok(compiledBlocks(false).includes(COLD));
});

// LOOP: call rbx ; jmp LOOP ; FUNC: add eax,1 ; add ecx,1 ; add edx,1 ; add esi,1 ; ret
// with rbx = FUNC: an indirect call the cold tier sees going to FUNC every time.
const CALL_LOOP = [0xff, 0xd3, 0xeb, 0xfc, 0x83, 0xc0, 0x01, 0x83, 0xc1, 0x01, 0x83, 0xc2, 0x01, 0x83, 0xc6, 0x01, 0xc3];
const FUNC = CODE + 4;

test('tiered: the observed target of an indirect call joins the region, so the call stays in compiled code', () => {
  const m = makeMachine();
  m.load(Uint8Array.from(CALL_LOOP));
  m.st.setNum(3, FUNC); // rbx
  // Chaining off: every exit from a region is a region call, so leaving for the callee counts.
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 5, chain: false });
  const regions: number[][] = [];
  jit.onCompiled = (blocks: Block[]) => { regions.push(blocks.map((b) => b.addr)); };
  assert.throws(() => jit.run({ maxInstructions: 70_000 }), InstructionLimitExceeded);
  assert.ok(regions.some((r) => r.includes(CODE) && r.includes(FUNC)), `regions: ${JSON.stringify(regions)}`);
  // 10,000 calls; without the callee in the loop's region each would leave it twice.
  assert.ok(m.st.getNum(0) > 9_000, `eax ${m.st.getNum(0)}`);
  assert.ok(jit.stats.regionCalls < 100, `region calls ${jit.stats.regionCalls}`);
});

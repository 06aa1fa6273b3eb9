// Region chaining: compiled regions tail-call each other through the chaining cache
// instead of returning to the dispatcher; the results and instruction counts are those
// of separate calls, and chaining is off while a stopAt is in force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, icedDecodeFn } from '../interp/support/machine.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { chainSlot } from '../../src/jit/layout.js';
import { InstructionLimitExceeded } from '../../src/interp/errors.js';

// L: add eax,1 ; jmp M ; M: cmp eax,100000 ; jne L ; int3   (one block, one region each)
const CODE_BYTES = [0x83, 0xc0, 0x01, 0xeb, 0x00, 0x3d, 0xa0, 0x86, 0x01, 0x00, 0x75, 0xf4, 0xcc];
const END = CODE + 12;

function machine(chain: boolean) {
  const m = makeMachine();
  m.load(Uint8Array.from(CODE_BYTES));
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 0, regions: false, chain });
  return { m, jit };
}

test('chained regions run a two-region loop without the dispatcher, counting every instruction', () => {
  const { m, jit } = machine(true);
  assert.throws(() => jit.run({ maxInstructions: 400_000 }), InstructionLimitExceeded);
  assert.equal(jit.instructions, 400_000);
  assert.equal(m.st.getNum(0), 100_000, 'the loop ran to its end: 4 instructions per iteration');
  assert.equal(m.st.rip, END);
  assert.ok(jit.stats.regionCalls < 10, `region calls: ${jit.stats.regionCalls}`);
});

test('without chaining, or with a stopAt in force, every transfer goes through the dispatcher', () => {
  for (const [chain, stopAt] of [[false, undefined], [true, END]] as const) {
    const { m, jit } = machine(chain);
    if (stopAt === undefined) assert.throws(() => jit.run({ maxInstructions: 400_000 }), InstructionLimitExceeded);
    else jit.run({ stopAt });
    assert.equal(m.st.getNum(0), 100_000);
    assert.equal(m.st.rip, END);
    assert.ok(jit.stats.regionCalls > 100_000, `chain ${chain}, stopAt ${stopAt}: region calls ${jit.stats.regionCalls}`);
  }
});

test('a chaining cache entry lost to a colliding address is filled again when the dispatcher enters it', () => {
  const { m, jit } = machine(true);
  assert.throws(() => jit.run({ maxInstructions: 4000 }), InstructionLimitExceeded);
  const before = jit.stats.regionCalls;
  // As if another region's entry had taken M's cache entry (compiled code checks the address).
  m.mem.dv.setUint32(chainSlot(CODE + 5), 0, true);
  assert.throws(() => jit.run({ maxInstructions: 200_000 }), InstructionLimitExceeded);
  assert.equal(m.st.getNum(0), 51_000);
  assert.ok(jit.stats.regionCalls - before < 10, `region calls: ${jit.stats.regionCalls - before}`);
});

test('a stopAt at a native (a callback\'s return sentinel) leaves chaining on and stops exactly there', () => {
  const m = makeMachine();
  // The loop, then jmp [rip+0x100] to a native that must not run.
  m.load(Uint8Array.from([...CODE_BYTES.slice(0, 12), 0xff, 0x25, 0x00, 0x01, 0x00, 0x00]));
  const sentinel = 0x10000 + 0x80;
  m.mem.dv.setBigUint64(CODE + 18 + 0x100, BigInt(sentinel), true);
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 0, regions: false });
  jit.registerNative(sentinel, () => { throw new Error('the sentinel ran'); });
  jit.run({ stopAt: sentinel });
  assert.equal(m.st.getNum(0), 100_000);
  assert.equal(m.st.rip, sentinel);
  assert.equal(jit.instructions, 400_001, 'the loop and the jump to the sentinel');
  assert.ok(jit.stats.regionCalls < 10, `region calls: ${jit.stats.regionCalls}`);
});

test('an invalidated region is not chained into', () => {
  const { m, jit } = machine(true);
  assert.throws(() => jit.run({ maxInstructions: 4000 }), InstructionLimitExceeded);
  assert.equal(m.st.getNum(0), 1000);
  // Rewrite M's compare to 2000 (a store into a code page: the regions there are dropped).
  m.mem.writeBytes(CODE + 6, Uint8Array.from([0xd0, 0x07, 0x00, 0x00]));
  m.st.rip = CODE;
  m.st.setNum(0, 0);
  assert.throws(() => jit.run({ maxInstructions: 8000 }), InstructionLimitExceeded);
  assert.equal(m.st.getNum(0), 2000, 'the new code ran');
  assert.equal(m.st.rip, END);
});

test('with timing on, time is charged to compiled code, the cold tier and API functions, each exclusively', () => {
  const m = makeMachine();
  // call [rip+0x100] (an API function that spins for a few ms); add eax,1; int3
  m.load(Uint8Array.from([0xff, 0x15, 0x00, 0x01, 0x00, 0x00, 0x83, 0xc0, 0x01, 0xcc]));
  const native = 0x10000 + 0x40;
  m.mem.u8.fill(0xcc, native, native + 16);
  m.mem.dv.setBigUint64(CODE + 6 + 0x100, BigInt(native), true);
  m.st.setNum(4, 0x500800);
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 0, timing: true });
  jit.registerNative(native, () => {
    const until = performance.now() + 20;
    while (performance.now() < until) { /* an expensive API function */ }
    const rsp = m.st.getNum(4);
    m.st.rip = Number(m.mem.dv.getBigUint64(rsp, true));
    m.st.setNum(4, rsp + 8);
  });
  const t0 = performance.now();
  jit.run({ stopAt: CODE + 9 });
  const total = performance.now() - t0;
  const s = jit.stats;
  assert.ok(s.apiMs >= 19, `API time ${s.apiMs}`);
  assert.ok(s.compiledMs + s.coldMs + s.apiMs <= total + 1, 'no time counted twice');
});

test('a jump to address 0 from compiled code faults at 0, not into the region in table slot 0', () => {
  // xor eax,eax ; jmp rax  (an empty chaining-cache entry holds address 0)
  const m = makeMachine();
  m.load(Uint8Array.from([0x31, 0xc0, 0xff, 0xe0]));
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 0 });
  assert.throws(() => jit.run({ maxInstructions: 1000 }), (e: Error) => e.name === 'GuestFault' && /ACCESS_VIOLATION/.test(e.message));
  assert.equal(m.st.rip, 0);
});

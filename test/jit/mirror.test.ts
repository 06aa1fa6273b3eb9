// The protection mirror and the stack range that let compiled code access memory inline:
// both must follow every protection change, so that compiled code never performs an
// access the interpreter would refuse. Pages are open from the start (no first-touch
// trip through the runtime), a code page is closed for writes, and a stack page made
// read-only while compiled code writes to it through RSP faults at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, DATA, STACK_TOP, STACK_SIZE, icedDecodeFn } from '../interp/support/machine.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { JitAddr, MirrorBit } from '../../src/jit/layout.js';
import { Prot } from '../../src/mem/memory.js';
import { GuestFault } from '../../src/mem/fault.js';
import { InstructionLimitExceeded } from '../../src/interp/errors.js';

test('the mirror opens pages as they are mapped and follows protect, guard pages, code pages and unmap', () => {
  const m = makeMachine();
  new JitRuntime(m.st, m.mem, icedDecodeFn, [], DEFAULT_JIT_OPTIONS);
  const bits = (a: number): number => m.mem.u8[JitAddr.mirror + (a >>> 12)]!;
  const RW = MirrorBit.Read | MirrorBit.Write;
  assert.equal(bits(DATA), RW, 'data mapped before the JIT existed');
  assert.equal(bits(STACK_TOP - 0x1000), RW);
  const extra = DATA + 0x20000;
  m.mem.map(extra, 0x3000, Prot.RW);
  assert.deepEqual([bits(extra), bits(extra + 0x1000), bits(extra + 0x2000)], [RW, RW, RW], 'mapped now');
  m.mem.protect(extra + 0x1000, 0x1000, Prot.R);
  assert.equal(bits(extra + 0x1000), MirrorBit.Read, 'read-only');
  m.mem.protect(extra + 0x2000, 0x1000, Prot.RW | Prot.Guard);
  assert.equal(bits(extra + 0x2000), 0, 'guard page');
  m.mem.protect(extra, 0x1000, Prot.None);
  assert.equal(bits(extra), 0, 'no access');
  m.mem.markCode(extra + 0x1000);
  m.mem.protect(extra + 0x1000, 0x1000, Prot.RW);
  m.mem.markCode(extra + 0x1000);
  assert.equal(bits(extra + 0x1000), MirrorBit.Read, 'a code page is not writable inline');
  m.mem.unmap(extra, 0x3000);
  assert.deepEqual([bits(extra), bits(extra + 0x1000), bits(extra + 0x2000)], [0, 0, 0], 'unmapped');
});

// L: mov [rsp+8], rax ; add rax, 1 ; jmp L
const STORE_LOOP = [0x48, 0x89, 0x44, 0x24, 0x08, 0x48, 0x83, 0xc0, 0x01, 0xeb, 0xf5];

test('a stack page made read-only under compiled code that writes it through RSP: the next write faults', () => {
  const m = makeMachine();
  m.load(Uint8Array.from(STORE_LOOP));
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 2 });
  assert.throws(() => jit.run({ maxInstructions: 30_000 }), InstructionLimitExceeded);
  assert.ok(jit.stats.jitInstructions > 29_000, 'the loop ran compiled');
  assert.ok(jit.stats.slowAccesses === 0, `no first-touch trips: ${jit.stats.slowAccesses}`);
  const slot = m.st.getNum(4) + 8;
  assert.ok(slot > STACK_TOP - STACK_SIZE && slot < STACK_TOP);
  const before = m.mem.u8.slice(slot, slot + 8);
  const rax = m.st.getNum(0);
  m.mem.protect(slot & ~0xfff, 0x1000, Prot.R);
  assert.throws(() => jit.run({ maxInstructions: 30_000 }), (e: unknown) => e instanceof GuestFault && e.address === slot && e.access === 1);
  assert.equal(m.st.rip, CODE, 'RIP at the store');
  assert.equal(m.st.getNum(0), rax, 'RAX as before the store');
  assert.deepEqual(m.mem.u8.slice(slot, slot + 8), before, 'nothing written');
  m.mem.protect(slot & ~0xfff, 0x1000, Prot.RW);
});

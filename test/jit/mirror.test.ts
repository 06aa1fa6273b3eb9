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

// L: add dword [rbx], 1 ; add rax, 1 ; jmp L
const RMW_LOOP = [0x83, 0x03, 0x01, 0x48, 0x83, 0xc0, 0x01, 0xeb, 0xf7];

test('read-modify-write: one guard checks Read and Write (src/jit/direct/rmw.ts); a read-only page faults at the instruction', () => {
  const m = makeMachine();
  m.load(Uint8Array.from(RMW_LOOP));
  m.st.setNum(3, DATA + 0x100);
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 2 });
  assert.throws(() => jit.run({ maxInstructions: 30_000 }), InstructionLimitExceeded);
  assert.ok(jit.stats.jitInstructions > 29_000, 'the loop ran compiled');
  assert.equal(jit.stats.slowAccesses, 0);
  const before = m.mem.u8.slice(DATA + 0x100, DATA + 0x104);
  const rax = m.st.getNum(0);
  // Still readable: a guard that checked only the load's Read bit would let the store through.
  m.mem.protect(DATA, 0x1000, Prot.R);
  assert.throws(() => jit.run({ maxInstructions: 30_000 }),
    (e: unknown) => e instanceof GuestFault && e.address === DATA + 0x100 && e.access === 1);
  assert.equal(m.st.rip, CODE, 'RIP at the add');
  assert.equal(m.st.getNum(0), rax, 'RAX as before the add');
  assert.deepEqual(m.mem.u8.slice(DATA + 0x100, DATA + 0x104), before, 'nothing written');
  m.mem.protect(DATA, 0x1000, Prot.RW);
});

test('read-modify-write on a page that lost its Write bit: the slow exit reopens it for writes, not once per run', () => {
  const m = makeMachine();
  m.load(Uint8Array.from(RMW_LOOP));
  m.st.setNum(3, DATA + 0x100);
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 2 });
  assert.throws(() => jit.run({ maxInstructions: 30_000 }), InstructionLimitExceeded);
  // Read-only and then writable again: the mirror keeps only the Read bit until an access opens it.
  m.mem.u8[JitAddr.mirror + (DATA >>> 12)] = MirrorBit.Read;
  const word = (): number => new DataView(m.mem.u8.buffer, m.mem.u8.byteOffset).getUint32(DATA + 0x100, true);
  const value = word(), rax = m.st.getNum(0);
  assert.throws(() => jit.run({ maxInstructions: 30_000 }), InstructionLimitExceeded);
  assert.ok(jit.stats.slowAccesses <= 2, `slow accesses: ${jit.stats.slowAccesses}`);
  // Each iteration adds 1 to both (the run may stop between the two adds).
  const d = (word() - value) - (m.st.getNum(0) - rax);
  assert.ok(d === 0 || d === 1, `memory +${word() - value}, RAX +${m.st.getNum(0) - rax}`);
  assert.ok(word() - value > 5_000);
});

// L: mov eax, [0x500300] ; add eax, 1 ; mov [0x500300], eax ; jmp L
const GLOBAL_LOOP = [0x8b, 0x04, 0x25, 0x00, 0x03, 0x50, 0x00, 0x83, 0xc0, 0x01, 0x89, 0x04, 0x25, 0x00, 0x03, 0x50, 0x00, 0xeb, 0xed];

test('constant addresses (globals): only the mirror bit is checked at run time, and it still is', () => {
  const m = makeMachine();
  const at = DATA + 0x300;
  m.load(Uint8Array.from(GLOBAL_LOOP));
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 2 });
  assert.throws(() => jit.run({ maxInstructions: 30_000 }), InstructionLimitExceeded);
  assert.ok(jit.stats.jitInstructions > 29_000, 'the loop ran compiled');
  assert.equal(jit.stats.slowAccesses, 0);
  const before = m.mem.u8.slice(at, at + 4);
  m.mem.protect(DATA, 0x1000, Prot.R);
  assert.throws(() => jit.run({ maxInstructions: 30_000 }),
    (e: unknown) => e instanceof GuestFault && e.address === at && e.access === 1);
  assert.equal(m.st.rip, CODE + 10, 'RIP at the store');
  assert.deepEqual(m.mem.u8.slice(at, at + 4), before, 'nothing written');
  m.mem.protect(DATA, 0x1000, Prot.None);
  m.st.rip = CODE;
  assert.throws(() => jit.run({ maxInstructions: 30_000 }),
    (e: unknown) => e instanceof GuestFault && e.address === at && e.access === 0);
  assert.equal(m.st.rip, CODE, 'RIP at the load');
  m.mem.protect(DATA, 0x1000, Prot.RW);
});

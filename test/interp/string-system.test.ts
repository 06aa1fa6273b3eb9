// String instructions beyond what the native oracle covers (bulk paths, long counts,
// faults part-way through a REP, copies into code), and CPUID/RDTSC.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, hex, CODE, DATA } from './support/machine.js';
import { GuestFault, ExceptionCode } from '../../src/mem/fault.js';
import { Prot } from '../../src/mem/memory.js';
import { cpuid, LEAF1_ECX, LEAF1_EDX } from '../../src/x86/cpuid.js';

const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSI = 6, RDI = 7;

function pattern(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
}

test('REP MOVSB/MOVSQ bulk copies set RSI, RDI, RCX like the element loop', () => {
  for (const [op, e] of [['f3a4', 1], ['f348a5', 8]] as const) {
    const m = makeMachine();
    m.mem.poke(DATA, pattern(0x3000));
    m.load(`${op} 90`);
    m.st.setNum(RSI, DATA); m.st.setNum(RDI, DATA + 0x8000); m.st.setNum(RCX, 0x2000 / e);
    m.interp.run({ stopAt: CODE + op.length / 2 });
    assert.deepEqual(m.mem.readBytes(DATA + 0x8000, 0x2000), pattern(0x3000).subarray(0, 0x2000));
    assert.deepEqual([m.st.getNum(RSI), m.st.getNum(RDI), m.st.getNum(RCX)], [DATA + 0x2000, DATA + 0xa000, 0]);
  }
});

test('REP MOVSB forward into its own tail replicates bytes (no memmove)', () => {
  const m = makeMachine();
  m.mem.poke(DATA, hex('01 02 03 00 00 00 00 00'));
  m.load('f3a4 90');
  m.st.setNum(RSI, DATA); m.st.setNum(RDI, DATA + 1); m.st.setNum(RCX, 6);
  m.interp.run({ stopAt: CODE + 2 });
  assert.deepEqual(m.mem.readBytes(DATA, 8), hex('01 01 01 01 01 01 01 00'));
});

test('REP MOVSD with DF=1 copies downwards', () => {
  const m = makeMachine();
  m.mem.poke(DATA, hex('11111111 22222222 33333333'));
  m.load('fd f3a5 fc 90');
  m.st.setNum(RSI, DATA + 8); m.st.setNum(RDI, DATA + 0x108); m.st.setNum(RCX, 3);
  m.interp.run({ stopAt: CODE + 4 });
  assert.deepEqual(m.mem.readBytes(DATA + 0x100, 12), hex('11111111 22222222 33333333'));
  assert.deepEqual([m.st.getNum(RSI), m.st.getNum(RDI)], [DATA - 4, DATA + 0xfc]);
});

test('REP STOSB/STOSD/STOSQ fill', () => {
  const m = makeMachine();
  m.load('f3aa 4889f7 b903000000 f3ab 4889d7 b902000000 f348ab 90');
  m.st.setNum(RDI, DATA); m.st.setNum(RCX, 5); m.st.set64(RAX, 0x11223344, 0x55667788);
  m.st.setNum(RSI, DATA + 0x10); m.st.setNum(RDX, DATA + 0x20);
  m.interp.run({ stopAt: CODE + 0x17 });
  assert.deepEqual(m.mem.readBytes(DATA, 5), hex('44 44 44 44 44'));
  assert.deepEqual(m.mem.readBytes(DATA + 0x10, 12), hex('44332211 44332211 44332211'));
  assert.deepEqual(m.mem.readBytes(DATA + 0x20, 16), hex('4433221188776655 4433221188776655'));
});

test('a fault part-way through REP MOVSB leaves the registers at the faulting element', () => {
  const m = makeMachine();
  const end = DATA + 0x10000; // first unmapped byte after DATA
  m.load('f3a4');
  m.st.setNum(RSI, DATA); m.st.setNum(RDI, end - 3); m.st.setNum(RCX, 10);
  let f: GuestFault | undefined;
  try { m.interp.run({}); } catch (e) { f = e as GuestFault; }
  assert.ok(f instanceof GuestFault);
  assert.deepEqual([f.code, f.address, f.access], [ExceptionCode.AccessViolation, end, 1]);
  assert.deepEqual([m.st.getNum(RCX), m.st.getNum(RSI), m.st.getNum(RDI), m.st.rip], [7, DATA + 3, end, CODE]);
});

test('REPE CMPSB stops at the first difference; REPNE SCASB finds a byte', () => {
  const m = makeMachine();
  m.mem.poke(DATA, hex('61 62 63 64 65'));
  m.mem.poke(DATA + 0x100, hex('61 62 78 64 65'));
  m.load('f3a6 90');
  m.st.setNum(RSI, DATA); m.st.setNum(RDI, DATA + 0x100); m.st.setNum(RCX, 5);
  m.interp.run({ stopAt: CODE + 2 });
  assert.deepEqual([m.st.getNum(RCX), m.st.getNum(RSI)], [2, DATA + 3]);
  assert.equal(m.st.rflags & 0x40, 0);
  // strlen idiom: repne scasb with al=0, rcx=-1
  m.mem.poke(DATA + 0x200, hex('68 65 6c 6c 6f 00'));
  m.load('f2ae 90');
  m.st.setNum(RDI, DATA + 0x200); m.st.set64(RCX, 0xffffffff, 0xffffffff); m.st.set64(RAX, 0, 0);
  m.interp.run({ stopAt: CODE + 2 });
  assert.equal(m.st.getBig(RCX), 0xfffffffffffffff9n); // -1 - 6
});

test('REP MOVSB into decoded code invalidates it', () => {
  const m = makeMachine();
  // 0: rep movsb (copies "b8 2a 00 00 00" = mov eax, 42 over the nops at 0x10); 2: jmp 0x10
  m.mem.poke(DATA, hex('b82a000000'));
  m.mem.poke(CODE + 0x10, hex('9090909090 90'));
  m.load('f3a4 eb0c');
  m.st.setNum(RSI, DATA); m.st.setNum(RDI, CODE + 0x10); m.st.setNum(RCX, 5);
  // Decode the target block first so there is something stale to drop.
  m.st.rip = CODE + 0x10;
  m.interp.run({ stopAt: CODE + 0x15 });
  m.st.rip = CODE;
  m.interp.run({ stopAt: CODE + 0x15 });
  assert.equal(m.st.lo(RAX), 42);
});

test('CPUID reports GenuineIntel, our feature set, no AVX/OSXSAVE, and the wexe brand', () => {
  const m = makeMachine();
  m.load('31c0 0fa2 90'); // xor eax, eax; cpuid
  m.interp.run({ stopAt: CODE + 4 });
  const vendor = Buffer.alloc(12);
  vendor.writeUInt32LE(m.st.lo(RBX), 0); vendor.writeUInt32LE(m.st.lo(RDX), 4); vendor.writeUInt32LE(m.st.lo(RCX), 8);
  assert.equal(vendor.toString('latin1'), 'GenuineIntel');
  const [, , ecx, edx] = cpuid(1, 0);
  assert.equal(ecx, LEAF1_ECX >>> 0);
  assert.equal(edx, LEAF1_EDX >>> 0);
  for (const bit of [0, 9, 13, 19, 23]) assert.ok(ecx & (1 << bit), `ecx bit ${bit}`);
  for (const bit of [20, 26, 27, 28]) assert.equal(ecx & (1 << bit), 0, `ecx bit ${bit} (SSE4.2/XSAVE/OSXSAVE/AVX) must be clear`);
  for (const bit of [0, 4, 8, 15, 24, 25, 26]) assert.ok(edx & (1 << bit), `edx bit ${bit}`);
  assert.ok(cpuid(0x80000001, 0)[2] & (1 << 5), 'LZCNT (ABM)');
  const brand = Buffer.alloc(48);
  for (let i = 0; i < 3; i++) cpuid(0x80000002 + i, 0).forEach((v, j) => brand.writeUInt32LE(v, 16 * i + 4 * j));
  assert.match(brand.toString('latin1'), /^wexe/);
  assert.deepEqual(cpuid(0x12345, 0), [0, 0, 0, 0]);
  assert.equal(cpuid(7, 0)[1] & (1 << 5), 0, 'no AVX2');
});

test('RDTSC is monotonic and zero-extends RAX/RDX', () => {
  const m = makeMachine();
  m.load('0f31 4889c1 4889d3 0f31 90');
  m.st.set64(RAX, 1, 0xffffffff); m.st.set64(RDX, 1, 0xffffffff);
  m.interp.run({ stopAt: CODE + 0xa });
  const first = m.st.getNum(RBX) * 2 ** 32 + m.st.getNum(RCX);
  const second = m.st.getNum(RDX) * 2 ** 32 + m.st.getNum(RAX);
  assert.ok(second > first);
  assert.equal(m.st.hi(RAX), 0);
});

test('self-protection: writing to a read-only code page faults with access 1', () => {
  const m = makeMachine();
  m.mem.protect(CODE, 0x1000, Prot.RX);
  m.load('c605f9ffffff90'); // mov byte [rip-7], 0x90 (its own first byte)
  assert.throws(() => m.interp.run({}), (e: unknown) => e instanceof GuestFault && e.access === 1 && e.address === CODE);
});

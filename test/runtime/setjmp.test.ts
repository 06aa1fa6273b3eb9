// msvcrt's _setjmp/longjmp called by a hand-written guest, through their thunks. The
// jump buffer layout is MinGW's _JUMP_BUFFER for x86-64 (setjmp.h: Frame, Rbx, Rsp,
// Rbp, Rsi, Rdi, R12-R15, Rip, MxCsr, FpCsr, Spare, Xmm6-15); the C standard says
// setjmp returns 0 directly and longjmp's value afterwards, 1 for a value of 0; the
// non-volatile registers come back as they were at setjmp.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fn } from '../../src/abi/api.js';
import { Prot } from '../../src/mem/memory.js';
import { makeGuest, scratch, thunk } from './support/guest.js';
import { Asm, R } from '../abi/asm.js';

const g = makeGuest();
after(() => g.dispose());
const p = g.p;
const codeBase = p.mem.findFree(0x10000, 0x10000, 0x2000_0000)!;
p.mem.map(codeBase, 0x10000, Prot.RWX);
let nextCode = codeBase;

function runSetjmpProgram(longjmpValue: number): { records: bigint[][]; buf: number; afterSetjmp: number; rspInFrame: bigint } {
  const buf = scratch(p, 256);
  const out = scratch(p, 16);
  const records: bigint[][] = [];
  let labels: Asm | undefined;
  // record(value, rbx, r12, rsp): notes what the guest sees, then tells it where to go next.
  const record = p.thunks.thunkFor('TEST.dll', `record${nextCode}`, {
    name: `record${nextCode}`,
    ...fn(['u64', 'u64', 'u64', 'u64'], 'ptr', (_p, value, rbx, r12, rsp) => {
      records.push([value, rbx, r12, rsp]);
      return labels!.addressOf(records.length === 1 ? 'do_longjmp' : 'done');
    }),
  });
  const a = new Asm(nextCode);
  a.subRsp(40);
  a.movImm(R.rbx, 0x1111_0000_0000_1111n).movImm(R.r12, 0x2222_0000_0000_2222n).movImm(R.r15, 0x3333n);
  a.movImm(R.rax, 0x4004_0000_0000_0000n).movqToXmm(6, R.rax);
  a.movImm(R.rcx, buf).movImm(R.rdx, 0).movImm(R.rax, thunk(p, 'msvcrt.dll', '_setjmp')).call(R.rax);
  a.label('after_setjmp');
  a.mov(R.rcx, R.rax).mov(R.rdx, R.rbx).mov(R.r8, R.r12).mov(R.r9, R.rsp).movImm(R.rax, record).call(R.rax).jmpReg(R.rax);
  a.label('do_longjmp');
  a.movImm(R.rbx, 0xbad).movImm(R.r12, 0xbad).movImm(R.rax, 0xbad).movqToXmm(6, R.rax);
  a.subRsp(0x100); // a deeper stack at the jump: longjmp must restore RSP
  a.movImm(R.rcx, buf).movImm(R.rdx, longjmpValue).movImm(R.rax, thunk(p, 'msvcrt.dll', 'longjmp')).call(R.rax);
  a.label('done');
  a.movImm(R.r11, out).storeXmm(R.r11, 0, 6);
  a.addRsp(40).ret();
  labels = a;
  const code = a.done();
  p.mem.poke(nextCode, code);
  nextCode += Math.ceil(code.length / 64 + 1) * 64;
  p.callGuest(a.origin);
  assert.equal(p.mem.read64(out), 0x4004_0000_0000_0000n, 'XMM6 restored by longjmp');
  return { records, buf, afterSetjmp: a.addressOf('after_setjmp'), rspInFrame: records[0]![3]! };
}

test('setjmp returns 0, longjmp(buf, 42) makes it return 42 with RSP and non-volatile registers restored', () => {
  const r = runSetjmpProgram(42);
  assert.equal(r.records.length, 2);
  assert.deepEqual(r.records[0]!.slice(0, 3), [0n, 0x1111_0000_0000_1111n, 0x2222_0000_0000_2222n]);
  assert.deepEqual(r.records[1], [42n, 0x1111_0000_0000_1111n, 0x2222_0000_0000_2222n, r.rspInFrame]);
});

test('longjmp(buf, 0) makes setjmp return 1', () => {
  const r = runSetjmpProgram(0);
  assert.equal(r.records[1]![0], 1n);
});

test('the jump buffer follows _JUMP_BUFFER: Frame, Rbx, Rsp, ..., R12 at 48, R15 at 72, Rip at 80, Xmm6 at 96', () => {
  const r = runSetjmpProgram(5);
  const q = (off: number) => p.mem.read64(r.buf + off);
  assert.equal(q(0), 0n, 'Frame as passed');
  assert.equal(q(8), 0x1111_0000_0000_1111n, 'Rbx');
  assert.equal(q(16), r.rspInFrame, 'Rsp: the caller\'s RSP after _setjmp returns');
  assert.equal(q(48), 0x2222_0000_0000_2222n, 'R12');
  assert.equal(q(72), 0x3333n, 'R15');
  assert.equal(q(80), BigInt(r.afterSetjmp), 'Rip: the return address');
  assert.equal(p.mem.read32(r.buf + 88), 0x1f80, 'MxCsr');
  assert.equal(q(96), 0x4004_0000_0000_0000n, 'Xmm6 low half');
});

// src/abi/guest-call.ts: host-to-guest calls in the Microsoft x64 calling convention
// (first four integer arguments in RCX, RDX, R8, R9, the rest on the stack above the
// 32-byte home area, RSP 16-byte aligned at the call, result in RAX), run on a real
// process's engine; the caller's whole CPU state comes back, also after nested calls.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { GuestCalls } from '../../src/abi/guest-call.js';
import { fn } from '../../src/abi/api.js';
import { Prot } from '../../src/mem/memory.js';
import { Reg } from '../../src/cpu/state.js';
import { makeGuest, scratch } from '../runtime/support/guest.js';
import { Asm, R } from './asm.js';

const g = makeGuest();
after(() => g.dispose());
const p = g.p;
const codeBase = p.mem.findFree(0x10000, 0x10000, 0x3000_0000)!;
p.mem.map(codeBase, 0x10000, Prot.RWX);
let nextCode = codeBase;

function guestFunction(build: (a: Asm) => void): number {
  const asm = new Asm(nextCode);
  build(asm);
  const bytes = asm.done();
  p.mem.poke(nextCode, bytes);
  const addr = nextCode;
  nextCode += Math.ceil((bytes.length + 1) / 64) * 64;
  return addr;
}

const sentinel = p.thunks.allocateNative('test-return', () => { throw new Error('the sentinel ran as code'); });
const calls = new GuestCalls(p.st, p.mem, sentinel);
const run = () => p.engine.run({ stopAt: sentinel });

// A guest function storing RCX, RDX, R8, R9 and RSP (at entry) to `out`, returning RAX = 0x1234_5678_9abc_def0.
const out = scratch(p, 64);
const recorder = guestFunction((a) => {
  a.movImm(R.r11, out);
  [R.rcx, R.rdx, R.r8, R.r9].forEach((r, i) => a.store(R.r11, 8 * i, r));
  a.mov(R.r10, R.rsp).store(R.r11, 32, R.r10);
  a.movImm(R.rax, 0x1234_5678_9abc_def0n).ret();
});

test('arguments: four registers then the stack slots above the home area; numbers and bigints as 64-bit two\'s complement', () => {
  const args = [1, -1, 0x7fff_1234_5678, 0xffff_ffff_ffff_fffen, -(2n ** 40n), 2 ** 63];
  calls.call(recorder, args, run);
  const want = args.map((v) => BigInt.asUintN(64, BigInt(v)));
  assert.deepEqual([0, 1, 2, 3].map((i) => p.mem.read64(out + 8 * i)), want.slice(0, 4));
  const rsp = Number(p.mem.read64(out + 32));
  assert.equal(rsp % 16, 8, 'RSP is 16-byte aligned before the call pushes the return address');
  assert.equal(p.mem.readPtr(rsp), sentinel, 'the callee returns to the sentinel');
  assert.deepEqual([4, 5].map((i) => p.mem.read64(rsp + 8 + 8 * i)), want.slice(4));
  assert.equal(calls.resultLo, 0x9abc_def0);
  assert.equal(calls.resultHi, 0x1234_5678);
  assert.equal(calls.result(), 0x1234_5678_9abc_def0n);
});

test('the whole CPU state is restored after the call, volatile registers and XMM included', () => {
  const clobber = guestFunction((a) => {
    for (let r = 0; r < 16; r++) if (r !== R.rsp) a.movImm(r, 0xdead_0000n + BigInt(r));
    for (let x = 0; x < 16; x++) a.movqToXmm(x, R.rbx);
    a.movImm(R.rax, 7).ret();
  });
  p.st.setNum(Reg.RSP, p.st.getNum(Reg.RSP) & ~0xf);
  for (let r = 0; r < 16; r++) if (r !== Reg.RSP) p.st.set64(r, 0x1000 + r, 0x2000 + r);
  const before = p.st.snapshot();
  calls.call(clobber, [], run);
  assert.equal(calls.result(), 7n);
  assert.deepEqual(p.st.snapshot(), before);
});

test('nested calls: a guest callee calls a native that calls the guest again; each level gets its own state back', () => {
  const leaf = guestFunction((a) => { a.mov(R.rax, R.rcx).movImm(R.rcx, 0xbad).movImm(R.rdx, 0xbad).ret(); });
  const results: number[] = [];
  // native(x): leaf(x) + leaf(x + 1), each through GuestCalls
  const nativeSum = p.thunks.thunkFor('TEST.dll', 'guestCallSum', {
    name: 'guestCallSum',
    ...fn(['i32'], 'i32', (_p, x) => {
      calls.call(leaf, [x], run);
      const first = calls.resultLo;
      calls.call(leaf, [x + 1], run);
      results.push(first, calls.resultLo);
      return first + calls.resultLo;
    }),
  });
  // middle(x): returns nativeSum(x)
  const middle = guestFunction((a) => {
    a.subRsp(40).movImm(R.rax, nativeSum).call(R.rax).addRsp(40).ret();
  });
  p.st.set64(Reg.RBX, 0x55, 0x66);
  const before = p.st.snapshot();
  calls.call(middle, [20], run);
  assert.equal(calls.resultLo, 20 + 21);
  assert.deepEqual(results, [20, 21]);
  assert.deepEqual(p.st.snapshot(), before, 'the outermost caller sees its own state, not an inner level\'s');
});

test('a call that throws leaves the nesting level balanced: the next call restores correctly', () => {
  const faulting = guestFunction((a) => { a.movImm(R.rax, 0).store(R.rax, 0, R.rax).ret(); }); // writes to address 0
  assert.throws(() => calls.call(faulting, [], run));
  p.st.set64(Reg.RSI, 0x77, 0);
  calls.call(recorder, [3], run);
  assert.equal(p.st.lo(Reg.RSI), 0x77);
  assert.equal(p.mem.read64(out), 3n);
});


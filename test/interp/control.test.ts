// Control transfers and the stack, which the native oracle cannot run: JMP, Jcc, CALL,
// RET, LOOP*, JRCXZ, PUSH/POP in every form, PUSHFQ/POPFQ, LEAVE, ENTER.
// Expected values are worked out from the SDM by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, hex, CODE, DATA, STACK_TOP } from './support/machine.js';
import type { TestMachine } from './support/machine.js';
import { GuestFault } from '../../src/mem/fault.js';

const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5;
const SP0 = STACK_TOP - 0x100;
const END = 0x200; // every snippet ends by jumping/falling to CODE + END, where a NOP sits

function run(code: string, setup?: (m: TestMachine) => void): TestMachine {
  const m = makeMachine();
  m.mem.poke(CODE + END, hex('90'));
  m.load(code);
  m.st.setNum(RSP, SP0);
  setup?.(m);
  m.interp.run({ stopAt: CODE + END, maxInstructions: 10_000 });
  return m;
}

/** Bytes of a little-endian 32-bit value. */
function le32(v: number): string {
  return [0, 8, 16, 24].map((s) => ((v >>> s) & 0xff).toString(16).padStart(2, '0')).join('');
}
/** jmp rel32 from CODE + at (5 bytes) to CODE + END. */
function jmpEnd(at: number): string { return `e9${le32(END - (at + 5))}`; }

test('JMP rel8/rel32 and indirect through register and memory', () => {
  // jmp +2; (skipped: mov eax, 1 would be 5 bytes, use 2-byte inc) ; ...
  let m = run(`eb02 ffc0 ${jmpEnd(4)}`);
  assert.equal(m.st.lo(RAX), 0);
  m = run('ffe1', (x) => x.st.setNum(RCX, CODE + END)); // jmp rcx
  assert.equal(m.st.rip, CODE + END);
  m = run('ff23', (x) => { x.st.setNum(RBX, DATA); x.mem.writePtr(DATA, CODE + END); }); // jmp [rbx]
  assert.equal(m.st.rip, CODE + END);
});

test('every Jcc condition, taken and not taken', () => {
  // Flags that make each condition true (CF=1 PF=4 ZF=0x40 SF=0x80 OF=0x800).
  const truths: [number, number][] = [
    [0x800, 0], [0, 0x800], [1, 0], [0, 1], [0x40, 0], [0, 0x40], [0x41, 0], [0, 0x41],
    [0x80, 0], [0, 0x80], [4, 0], [0, 4], [0x80, 0x880], [0x880, 0x80], [0x40, 0x880], [0x880, 0x40],
  ];
  truths.forEach(([yes, no], cc) => {
    for (const [flags, taken] of [[yes, true], [no, false]] as const) {
      // jcc +2; inc eax; jmp END
      const m = run(`${(0x70 + cc).toString(16)}02 ffc0 ${jmpEnd(4)}`, (x) => { x.st.rflags = 0x202 | flags; });
      assert.equal(m.st.lo(RAX), taken ? 0 : 1, `cc ${cc} flags ${flags.toString(16)}`);
    }
  });
  // rel32 form: 0f 84 (je)
  const m = run(`0f8402000000 ffc0 ${jmpEnd(8)}`, (x) => { x.st.rflags = 0x242; });
  assert.equal(m.st.lo(RAX), 0);
});

test('CALL pushes the return address; RET and RET imm16 pop it', () => {
  // 0: call +5 (to 0xa); 5: jmp END; a: inc eax; ret
  let m = run(`e805000000 ${jmpEnd(5)} ffc0 c3`);
  assert.equal(m.st.lo(RAX), 1);
  assert.equal(m.st.getNum(RSP), SP0);
  // call rdx / call [rbx]; the callee does ret 16: RSP ends 16 higher
  m = run(`ffd2 ${jmpEnd(2)}`, (x) => { x.st.setNum(RDX, CODE + 0x100); x.mem.poke(CODE + 0x100, hex('c21000')); });
  assert.equal(m.st.getNum(RSP), SP0 + 16);
  m = run(`ff13 ${jmpEnd(2)}`, (x) => {
    x.st.setNum(RBX, DATA); x.mem.writePtr(DATA, CODE + 0x100); x.mem.poke(CODE + 0x100, hex('488b0424 c3')); // mov rax, [rsp]; ret
  });
  assert.equal(m.st.getNum(RAX), CODE + 2, 'the pushed return address is the next instruction');
});

test('CALL [rsp] reads its target before pushing', () => {
  const m = run(`ff1424`, (x) => { x.mem.writePtr(SP0, CODE + END); });
  assert.equal(m.st.rip, CODE + END);
  assert.equal(m.mem.readPtr(SP0 - 8), CODE + 3);
});

test('a CALL whose push faults changes nothing', () => {
  const m = makeMachine();
  m.load('e800000000');
  m.st.setNum(RSP, 0x1000);
  assert.throws(() => m.interp.run({}), GuestFault);
  assert.equal(m.st.rip, CODE);
  assert.equal(m.st.getNum(RSP), 0x1000);
});

test('LOOP, LOOPE, LOOPNE, JRCXZ, JECXZ', () => {
  // L: inc eax; loop L
  let m = run(`ffc0 e2fc ${jmpEnd(4)}`, (x) => x.st.setNum(RCX, 5));
  assert.deepEqual([m.st.lo(RAX), m.st.getNum(RCX)], [5, 0]);
  // The decrement borrows across the 32-bit halves: 0x1_00000001 -> 0x1_00000000 -> 0x0_ffffffff.
  const b = makeMachine();
  b.load('ffc0 e2fc');
  b.st.set64(RCX, 1, 1);
  assert.throws(() => b.interp.run({ maxInstructions: 4 }));
  assert.deepEqual([b.st.getNum(RCX), b.st.rip], [0xffffffff, CODE]);
  // LOOPE stops when ZF=0: cmp eax, 3 sets ZF only when eax == 3
  // L: inc eax; cmp eax, 3; loopne L  -> runs until eax == 3
  m = run(`ffc0 83f803 e0f9 ${jmpEnd(7)}`, (x) => x.st.setNum(RCX, 10));
  assert.deepEqual([m.st.lo(RAX), m.st.getNum(RCX)], [3, 7]);
  // L: inc eax; cmp eax, 1; loope L -> first pass ZF=1 (eax 1) continues, second ZF=0 stops
  m = run(`ffc0 83f801 e1f9 ${jmpEnd(7)}`, (x) => x.st.setNum(RCX, 10));
  assert.deepEqual([m.st.lo(RAX), m.st.getNum(RCX)], [2, 8]);
  // jrcxz: taken when RCX == 0 (all 64 bits)
  m = run(`e302 ffc0 ${jmpEnd(4)}`, (x) => x.st.set64(RCX, 0, 1));
  assert.equal(m.st.lo(RAX), 1);
  m = run(`e302 ffc0 ${jmpEnd(4)}`, (x) => x.st.setNum(RCX, 0));
  assert.equal(m.st.lo(RAX), 0);
  // jecxz (67 e3): only ECX matters
  m = run(`67e302 ffc0 ${jmpEnd(5)}`, (x) => x.st.set64(RCX, 0, 1));
  assert.equal(m.st.lo(RAX), 0);
});

test('PUSH and POP: registers, memory, immediates, 16-bit forms, RSP itself', () => {
  // push rax; push 0x12 (sign-extended imm8); push -2 (imm32); pop rcx; pop rdx; pop rbx
  let m = run(`50 6a12 68feffffff 59 5a 5b ${jmpEnd(11)}`, (x) => x.st.set64(RAX, 0x11223344, 0x55667788));
  assert.deepEqual([m.st.getBig(RCX), m.st.getBig(RDX), m.st.getBig(RBX)], [0xfffffffffffffffen, 0x12n, 0x5566778811223344n]);
  assert.equal(m.st.getNum(RSP), SP0);
  // push [rbx]; pop [rbx+8]
  m = run(`ff33 8f4308 ${jmpEnd(5)}`, (x) => { x.st.setNum(RBX, DATA); x.mem.write64Parts(DATA, 0xdeadbeef, 0xcafe); });
  assert.equal(m.mem.read64(DATA + 8), 0xcafedeadbeefn);
  // push rsp pushes the old value; pop rsp loads the popped value
  m = run(`54 5a ${jmpEnd(2)}`);
  assert.equal(m.st.getNum(RDX), SP0);
  m = run(`6a40 5c ${jmpEnd(3)}`);
  assert.equal(m.st.getNum(RSP), 0x40);
  // pop [rsp]: the address uses RSP after the increment
  m = run(`6a07 6a09 8f0424 ${jmpEnd(7)}`);
  assert.equal(m.mem.readPtr(SP0 - 8), 9);
  assert.equal(m.st.getNum(RSP), SP0 - 8);
  // 16-bit: push ax moves RSP by 2; pop cx merges into RCX
  m = run(`6650 6659 ${jmpEnd(4)}`, (x) => { x.st.set64(RAX, 0xabcd1234, 0); x.st.set64(RCX, 0xffffffff, 0xffffffff); });
  assert.equal(m.st.getBig(RCX), 0xffffffffffff1234n);
  assert.equal(m.st.getNum(RSP), SP0);
});

test('PUSHFQ/POPFQ: RF/VM are not pushed; POPFQ keeps IF and lets the ID bit toggle', () => {
  let m = run(`9c 58 ${jmpEnd(2)}`, (x) => { x.st.rflags = 0x30ad7; });
  assert.equal(m.st.lo(RAX), 0xad7);
  // CPUID detection idiom: flip bit 21 (ID) through POPFQ and read it back
  m = run(`9c 58 4889c1 4835 00002000 50 9d 9c 5a ${jmpEnd(0xf)}`);
  assert.equal(m.st.lo(RDX) ^ m.st.lo(RCX), 0x200000);
  // POPFQ cannot clear IF or set IOPL/VM, always sets bit 1
  m = run(`6a00 9d 9c 58 ${jmpEnd(5)}`);
  assert.equal(m.st.lo(RAX), 0x202);
  m = run(`68d50c0000 9d ${jmpEnd(6)}`);
  assert.equal(m.st.rflags, 0xcd5 | 0x202);
});

test('LEAVE and ENTER (levels 0 and 2)', () => {
  // push rbp; mov rbp, rsp; sub rsp, 0x20; leave
  let m = run(`55 4889e5 4883ec20 c9 ${jmpEnd(9)}`, (x) => x.st.setNum(RBP, 0x1234));
  assert.deepEqual([m.st.getNum(RSP), m.st.getNum(RBP)], [SP0, 0x1234]);
  // enter 0x30, 0 == push rbp; mov rbp, rsp; sub rsp, 0x30
  m = run(`c8300000 ${jmpEnd(4)}`, (x) => x.st.setNum(RBP, 0x5678));
  assert.deepEqual([m.st.getNum(RBP), m.st.getNum(RSP), m.mem.readPtr(SP0 - 8)], [SP0 - 8, SP0 - 8 - 0x30, 0x5678]);
  // enter 0x10, 2: pushes rbp, then the outer frame pointer [rbp-8], then the new frame pointer
  const OUTER = STACK_TOP - 0x40;
  m = run(`c8100002 ${jmpEnd(4)}`, (x) => { x.st.setNum(RBP, OUTER); x.mem.writePtr(OUTER - 8, 0xaaaa); });
  const frame = SP0 - 8;
  assert.equal(m.st.getNum(RBP), frame);
  assert.deepEqual([m.mem.readPtr(SP0 - 8), m.mem.readPtr(SP0 - 16), m.mem.readPtr(SP0 - 24)], [OUTER, 0xaaaa, frame]);
  assert.equal(m.st.getNum(RSP), SP0 - 24 - 0x10);
});

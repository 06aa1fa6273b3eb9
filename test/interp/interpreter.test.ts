// The interpreter's machinery: block cache and invalidation, natives, re-entrant run,
// fault reporting, the instruction limit, execute permissions, stop requests.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, icedDecodeFn, hex, CODE, DATA, STACK_TOP } from './support/machine.js';
import { GuestFault, ExceptionCode } from '../../src/mem/fault.js';
import { Prot } from '../../src/mem/memory.js';
import { InstructionLimitExceeded, ExecutionStopped } from '../../src/interp/interpreter.js';
import type { Insn } from '../../src/x86/insn.js';

const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4;

function faultOf(fn: () => void): GuestFault {
  try { fn(); } catch (e) { if (e instanceof GuestFault) return e; throw e; }
  assert.fail('expected a GuestFault');
}

test('a loop decodes each block once and then runs from the cache', () => {
  let decodes = 0;
  const m = makeMachine({ decode: (b: Uint8Array, o: number, a: number): Insn => { decodes++; return icedDecodeFn(b, o, a); } });
  // mov ecx, 100; L: add eax, 2; dec ecx; jne L; nop
  m.load('b9 64000000  83c002  ffc9  75f9  90');
  m.interp.run({ stopAt: CODE + 12 });
  assert.equal(m.st.lo(RAX), 200);
  assert.equal(m.interp.blocksDecoded, 2); // entry block (mov..jne) and the loop body (add..jne)
  assert.equal(decodes, 4 + 3);
  assert.equal(m.interp.instructions, 1 + 3 * 100);
  assert.equal(m.interp.cacheHits, 98); // iterations 3..100 (2 ran in freshly decoded blocks)
});

test('guest writes to its own code invalidate the decoded block (self-modifying code)', () => {
  const m = makeMachine();
  // L: mov eax, 1 ; mov byte [rip-...]: patch the immediate of the first instruction to 7 ; jmp back once
  // 0: b8 01000000        mov eax, 1
  // 5: c6 05 f5ffffff 07  mov byte [rip-11] (=CODE+1), 7
  // c: ffc1               inc ecx
  // e: 83f9 02            cmp ecx, 2
  // 11: 75 ed             jne 0
  // 13: 90
  m.load('b801000000 c605f5ffffff07 ffc1 83f902 75ed 90');
  m.interp.run({ stopAt: CODE + 0x13 });
  assert.equal(m.st.lo(RAX), 7);
  // Each pass writes the code page, which drops both blocks on it: A, B, A', B'.
  assert.equal(m.interp.blocksDecoded, 4);
});

test('a write into the block being executed stops it after the writing instruction', () => {
  const m = makeMachine();
  // 0: c6 05 01000000 c3   mov byte [rip+1] (=CODE+8), 0xc3  (rewrites the next instruction into RET)
  // 7: 90                  nop
  // 8: b8 2a000000         mov eax, 42   (overwritten: first byte becomes c3 -> ret)
  m.load('c60501000000c3 90 b82a000000');
  m.st.setNum(RSP, STACK_TOP - 0x100);
  m.mem.writePtr(STACK_TOP - 0x100, CODE + 0x100);
  m.mem.poke(CODE + 0x100, hex('90'));
  m.interp.run({ stopAt: CODE + 0x100 });
  assert.equal(m.st.lo(RAX), 0, 'the stale mov eax, 42 must not run');
});

test('host writes and protection changes drop cached blocks', () => {
  const m = makeMachine();
  m.load('b8 01000000 90');
  m.interp.run({ stopAt: CODE + 5 });
  assert.equal(m.st.lo(RAX), 1);
  m.mem.poke(CODE + 1, hex('02'));
  m.st.rip = CODE;
  m.interp.run({ stopAt: CODE + 5 });
  assert.equal(m.st.lo(RAX), 2);
  assert.equal(m.interp.blocksDecoded, 2);
  // VirtualProtect to RW: executing there now faults with access 8 at the target.
  m.mem.protect(CODE, 0x1000, Prot.RW);
  m.st.rip = CODE;
  const f = faultOf(() => m.interp.run({ stopAt: CODE + 5 }));
  assert.equal(f.code, ExceptionCode.AccessViolation);
  assert.equal(f.access, 8);
  assert.equal(f.address, CODE);
  assert.equal(m.st.rip, CODE);
});

test('jumping to unmapped or non-executable memory faults with RIP at the target', () => {
  const m = makeMachine();
  m.load('48 b8 0000500000000000  ffe0'); // mov rax, DATA; jmp rax
  const f = faultOf(() => m.interp.run({}));
  assert.deepEqual([f.code, f.access, f.address, m.st.rip], [ExceptionCode.AccessViolation, 8, DATA, DATA]);
  m.load('48 b8 0000000001000000  ffe0'); // jmp to 0x100000000 (above 4 GiB)
  const g = faultOf(() => m.interp.run({}));
  assert.deepEqual([g.access, m.st.rip], [8, 0x100000000]);
});

test('an instruction running into a non-executable page faults at the page boundary', () => {
  const m = makeMachine();
  m.mem.protect(CODE + 0x1000, 0x1000, Prot.RW);
  // 0xffe: 90 ; 0xfff: b8 (mov eax, imm32 continues into the RW page)
  m.mem.poke(CODE + 0xffe, hex('90 b8'));
  m.mem.poke(CODE + 0x1000, hex('01000000'));
  m.st.rip = CODE + 0xffe;
  const f = faultOf(() => m.interp.run({}));
  assert.deepEqual([f.code, f.access, f.address], [ExceptionCode.AccessViolation, 8, CODE + 0x1000]);
  assert.equal(m.st.rip, CODE + 0xfff, 'the NOP ran; RIP is at the straddling instruction');
});

test('a fault leaves RIP at the faulting instruction and the state as before it', () => {
  const m = makeMachine();
  // mov eax, 5; mov ecx, 6; add [rbx], eax (rbx = 0: faults); mov edx, 7
  m.load('b805000000 b906000000 0103 ba07000000');
  m.st.setNum(RBX, 0);
  m.st.rflags = 0x202;
  const f = faultOf(() => m.interp.run({}));
  assert.equal(f.code, ExceptionCode.AccessViolation);
  assert.equal(f.address, 0);
  assert.equal(m.st.rip, CODE + 10);
  assert.deepEqual([m.st.lo(RAX), m.st.lo(RCX), m.st.lo(RDX)], [5, 6, 0]);
  assert.equal(m.st.rflags, 0x202);
  assert.equal(m.interp.instructions, 2);
});

test('a faulting PUSH leaves RSP unchanged', () => {
  const m = makeMachine();
  m.load('50'); // push rax
  m.st.setNum(RSP, DATA - 0x1000 + 4); // unmapped below
  faultOf(() => m.interp.run({}));
  assert.equal(m.st.getNum(RSP), DATA - 0x1000 + 4);
  assert.equal(m.st.rip, CODE);
});

test('the instruction limit stops exactly after N instructions with RIP at the next one', () => {
  const m = makeMachine();
  m.load('ffc0 ffc0 ffc0 ffc0 ebf6'); // inc eax x4; jmp back
  assert.throws(() => m.interp.run({ maxInstructions: 7 }), (e: unknown) =>
    e instanceof InstructionLimitExceeded && e.rip === CODE + 4);
  assert.equal(m.st.lo(RAX), 6);
  assert.equal(m.st.rip, CODE + 4);
  assert.equal(m.interp.instructions, 7);
  // Continue: the budget applies per run() call.
  assert.throws(() => m.interp.run({ maxInstructions: 2 }), InstructionLimitExceeded);
  assert.equal(m.st.lo(RAX), 8);
});

test('natives run instead of guest code and are counted', () => {
  const m = makeMachine();
  const THUNK = 0x7ff00000; // not even mapped
  m.interp.registerNative(THUNK, () => {
    m.st.set64(RAX, m.st.lo(RCX) * 3, 0);
    // return like a guest function: pop the return address
    const rsp = m.st.getNum(RSP);
    m.st.rip = m.mem.readPtr(rsp);
    m.st.setNum(RSP, rsp + 8);
  });
  // mov ecx, 14; mov rdx, THUNK; call rdx; inc eax; nop
  m.load('b90e000000 48ba0000f07f00000000 ffd2 ffc0 90');
  m.interp.run({ stopAt: CODE + 0x14 });
  assert.equal(m.st.lo(RAX), 43);
  assert.equal(m.interp.nativesCalled, 1);
});

test('run() is re-entrant: a native can call back into guest code (a qsort comparator)', () => {
  const m = makeMachine();
  const THUNK = 0x7ff00000, SENTINEL = 0x7ff00010;
  const CALLBACK = CODE + 0x100;
  // callback(a in ecx, b in edx) = ecx - edx: mov eax, ecx; sub eax, edx; ret
  m.mem.poke(CALLBACK, hex('89c8 29d0 c3'));
  const results: number[] = [];
  m.interp.registerNative(THUNK, () => {
    const saved = { rip: m.st.rip, rsp: m.st.getNum(RSP) };
    for (const [a, b] of [[5, 3], [1, 9]] as const) {
      m.st.set32(RCX, a); m.st.set32(RDX, b);
      const rsp = m.st.getNum(RSP) - 8;
      m.mem.writePtr(rsp, SENTINEL);
      m.st.setNum(RSP, rsp);
      m.st.rip = CALLBACK;
      m.interp.run({ stopAt: SENTINEL });
      results.push(m.st.lo(RAX) | 0);
    }
    m.st.setNum(RSP, saved.rsp + 8);
    m.st.rip = m.mem.readPtr(saved.rsp);
  });
  // mov rdx, THUNK; call rdx; mov ebx, 1; nop
  m.load('48ba0000f07f00000000 ffd2 bb01000000 90');
  m.interp.run({ stopAt: CODE + 0x11 });
  assert.deepEqual(results, [2, -8]);
  assert.equal(m.st.lo(RBX), 1);
});

test('a fault inside a nested run keeps the inner RIP', () => {
  const m = makeMachine();
  const THUNK = 0x7ff00000;
  m.mem.poke(CODE + 0x100, hex('90 0f0b')); // nop; ud2
  m.interp.registerNative(THUNK, () => { m.st.rip = CODE + 0x100; m.interp.run({ stopAt: 0x7ff00010 }); });
  m.load('48ba0000f07f00000000 ffd2');
  const f = faultOf(() => m.interp.run({}));
  assert.equal(f.code, ExceptionCode.IllegalInstruction);
  assert.equal(m.st.rip, CODE + 0x101);
});

test('a stop request unwinds every nesting level with ExecutionStopped', () => {
  const m = makeMachine();
  const THUNK = 0x7ff00000;
  m.interp.registerNative(THUNK, () => { m.interp.requestStop('ExitProcess(3)'); m.st.rip = CODE + 0x100; });
  m.mem.poke(CODE + 0x100, hex('ebfe')); // jmp $ (would loop forever)
  m.load('48ba0000f07f00000000 ffd2');
  assert.throws(() => m.interp.run({}), (e: unknown) => e instanceof ExecutionStopped && e.reason === 'ExitProcess(3)');
  // A shared stop signal works the same way.
  const signal = new Int32Array(1);
  const m2 = makeMachine({ stopSignal: signal });
  m2.load('ebfe');
  signal[0] = 1;
  assert.throws(() => m2.interp.run({}), ExecutionStopped);
});

test('unsupported and trapping instructions raise the Windows exception codes', () => {
  const m = makeMachine();
  const cases: [string, number, number][] = [
    ['90 0f0b', ExceptionCode.IllegalInstruction, CODE + 1], // ud2
    ['90 cc', ExceptionCode.Breakpoint, CODE + 1], // int3: exception address = the int3
    ['f4', ExceptionCode.PrivilegedInstruction, CODE], // hlt
    ['cd 29', ExceptionCode.StackBufferOverrun, CODE], // int 29h: __fastfail
    ['cd 80', ExceptionCode.AccessViolation, CODE], // int 80h: #GP
    ['0f05', ExceptionCode.IllegalInstruction, CODE], // syscall
    ['d6', ExceptionCode.IllegalInstruction, CODE], // SALC: invalid in 64-bit mode
  ];
  for (const [code, exc, rip] of cases) {
    m.load(`${code} 0000000000000000000000000000`);
    const f = faultOf(() => m.interp.run({}));
    assert.equal(f.code, exc, code);
    assert.equal(m.st.rip, rip, code);
  }
  // The detail of an unsupported instruction names its bytes and address.
  m.load('0f 37'); // getsec: decodes, no handler
  const f = faultOf(() => m.interp.run({}));
  assert.equal(f.code, ExceptionCode.IllegalInstruction);
  assert.match(f.message, /0f 37/);
  assert.match(f.message, /0x400000/);
});

test('division faults: zero divisor is 0xC0000094, quotient overflow 0xC0000095', () => {
  const m = makeMachine();
  m.load('f7f1'); // div ecx
  m.st.set32(RCX, 0);
  assert.equal(faultOf(() => m.interp.run({})).code, 0xc0000094);
  m.load('f7f1');
  m.st.set32(RCX, 1); m.st.set32(RDX, 1);
  assert.equal(faultOf(() => m.interp.run({})).code, 0xc0000095);
  m.load('48f7f9'); // idiv rcx: INT64_MIN / -1
  m.st.set64(RAX, 0, 0x80000000); m.st.set64(RDX, 0xffffffff, 0xffffffff); m.st.set64(RCX, 0xffffffff, 0xffffffff);
  assert.equal(faultOf(() => m.interp.run({})).code, 0xc0000095);
  assert.equal(m.st.rip, CODE);
});

test('SSE and x87 handler tables plug in; SSE MOVSD does not reach the string instruction', async () => {
  const { sseHandlers } = await import('../../src/interp/sse/index.js');
  const { x87Handlers } = await import('../../src/interp/x87/index.js');
  const m = makeMachine({ handlers: [sseHandlers, x87Handlers] });
  m.mem.writeF64(DATA, 1.5);
  m.mem.writeF64(DATA + 8, 2.25);
  // movsd xmm0, [rbx]; addsd xmm0, [rbx+8]; movsd [rbx+16], xmm0; fld qword [rbx+16]; fstp qword [rbx+24]; nop
  m.load('f20f1003 f20f584308 f20f114310 dd4310 dd5b18 90');
  m.st.setNum(RBX, DATA);
  m.interp.run({ stopAt: CODE + 21 });
  assert.equal(m.mem.readF64(DATA + 16), 3.75);
  assert.equal(m.mem.readF64(DATA + 24), 3.75);
});

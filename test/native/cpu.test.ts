// Proves the native-CPU oracle against facts about x86-64 that do not depend on it:
// if these hold, the harness loads and stores state faithfully and survives faults.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  runOnCpu, nativeCpuAvailable, UnsafeCaseError, SCRATCH_ADDRESS, CODE_ADDRESS, GS_BASE,
  xmmF32, readF32, f80, f80ToNumber, type CpuCase,
} from './cpu.js';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const skip = nativeCpuAvailable() ? false : 'needs x86-64 Linux';
const ARITH = 0x8d5;
const STACK = SCRATCH_ADDRESS + 0x800;

test('add rax, rbx computes the sum and flags', { skip }, () => {
  const [r] = runOnCpu([{ code: bytes(0x48, 0x01, 0xd8), gpr: { rax: 0xffff_ffff_ffff_fffen, rbx: 3n, rcx: 0x1234n } }]);
  assert.equal(r!.fault, undefined);
  assert.equal(r!.gpr[0], 1n);
  assert.equal(r!.gpr[3], 3n);
  assert.equal(r!.gpr[1], 0x1234n, 'untouched registers survive the round trip');
  assert.equal(r!.gpr[4], 0n, 'RSP (no stack) stays 0');
  assert.equal(r!.rflags & ARITH, 0x01 | 0x10, 'CF and AF (0xe + 3 carries out of bit 3); PF clear: 0x01 has odd parity');
});

test('add al, 1 on 0x7f sets OF, SF and AF and keeps the upper bits', { skip }, () => {
  const [r] = runOnCpu([{ code: bytes(0x04, 0x01), gpr: { rax: 0x1122_3344_5566_777fn }, rflags: 0x1 }]);
  assert.equal(r!.gpr[0], 0x1122_3344_5566_7780n);
  assert.equal(r!.rflags & ARITH, 0x800 | 0x80 | 0x10);
});

test('DF and the other input flags reach the CPU', { skip }, () => {
  // pushf would touch the stack; instead observe CF via ADC and DF via STOSB's direction.
  const [adc, std] = runOnCpu([
    { code: bytes(0x48, 0x11, 0xd8), gpr: { rax: 1n, rbx: 1n }, rflags: 0x1 }, // adc rax, rbx
    { code: bytes(0xaa), gpr: { rdi: SCRATCH_ADDRESS + 8, rax: 0x5a }, rflags: 0x400 }, // stosb
  ]);
  assert.equal(adc!.gpr[0], 3n);
  assert.equal(std!.gpr[7], BigInt(SCRATCH_ADDRESS + 7), 'DF=1 makes STOSB decrement RDI');
  assert.equal(std!.scratch[8], 0x5a);
  assert.equal(std!.rflags & 0x400, 0x400);
});

test('div by zero reports SIGFPE with the pre-fault state, and the next case still runs', { skip }, () => {
  const rs = runOnCpu([
    { code: bytes(0x48, 0xf7, 0xf1), gpr: { rax: 100n, rdx: 0n, rcx: 0n } }, // div rcx
    { code: bytes(0x48, 0xf7, 0xf1), gpr: { rax: 100n, rdx: 0n, rcx: 7n } },
  ]);
  assert.equal(rs[0]!.fault, 'SIGFPE');
  assert.equal(rs[0]!.faultOffset, 0);
  assert.equal(rs[0]!.gpr[0], 100n);
  assert.equal(rs[1]!.fault, undefined);
  assert.equal(rs[1]!.gpr[0], 14n);
  assert.equal(rs[1]!.gpr[2], 2n);
});

test('a fault in the second instruction reports its offset and the first one\'s effect', { skip }, () => {
  // add rax, rbx; div rcx (rcx = 0)
  const [r] = runOnCpu([{ code: bytes(0x48, 0x01, 0xd8, 0x48, 0xf7, 0xf1), gpr: { rax: 1n, rbx: 2n } }]);
  assert.equal(r!.fault, 'SIGFPE');
  assert.equal(r!.faultOffset, 3);
  assert.equal(r!.gpr[0], 3n);
});

test('ud2 reports SIGILL and int3 reports SIGTRAP at the instruction', { skip }, () => {
  const [ud, trap] = runOnCpu([{ code: bytes(0x90, 0x0f, 0x0b) }, { code: bytes(0x90, 0xcc) }]);
  assert.equal(ud!.fault, 'SIGILL');
  assert.equal(ud!.faultOffset, 1);
  assert.equal(trap!.fault, 'SIGTRAP');
  assert.equal(trap!.faultOffset, 1);
});

test('loads from unmapped or non-canonical addresses report SIGSEGV', { skip }, () => {
  const [low, cross, gp] = runOnCpu([
    { code: bytes(0x48, 0x8b, 0x03), gpr: { rbx: 0x1000 } }, // mov rax, [rbx]
    { code: bytes(0x48, 0x8b, 0x03), gpr: { rbx: SCRATCH_ADDRESS + 0xffc } }, // crosses the page end
    { code: bytes(0x48, 0x8b, 0x03), gpr: { rbx: 0x8000_0000_0000_0000n } },
  ]);
  assert.equal(low!.fault, 'SIGSEGV');
  assert.equal(low!.faultAddress, 0x1000n);
  assert.equal(cross!.fault, 'SIGSEGV');
  assert.equal(cross!.faultAddress, BigInt(SCRATCH_ADDRESS + 0x1000));
  assert.equal(gp!.fault, 'SIGSEGV');
  assert.equal(gp!.faultAddress, undefined, 'a #GP has no fault address');
});

test('memory writes land in the scratch page and reads see its initial contents', { skip }, () => {
  const scratch = new Uint8Array(16);
  scratch.set([0x11, 0x22, 0x33, 0x44], 4);
  const [w, rd] = runOnCpu([
    { code: bytes(0x48, 0x89, 0x43, 0x08), gpr: { rax: 0x0102_0304_0506_0708n, rbx: SCRATCH_ADDRESS } }, // mov [rbx+8], rax
    { code: bytes(0x8b, 0x44, 0x8b, 0x04), gpr: { rbx: SCRATCH_ADDRESS, rcx: 0, rax: -1 }, scratch }, // mov eax, [rbx+rcx*4+4]
  ]);
  assert.deepEqual([...w!.scratch.subarray(8, 16)], [8, 7, 6, 5, 4, 3, 2, 1]);
  assert.equal(w!.scratch[0], 0);
  assert.equal(rd!.gpr[0], 0x4433_2211n, 'a 32-bit load zero-extends');
});

test('addps adds four floats', { skip }, () => {
  const [r] = runOnCpu([{ code: bytes(0x0f, 0x58, 0xc1), xmm: [xmmF32(1, 2, 3, 4), xmmF32(0.5, -2, 1e30, 4)] }]);
  assert.deepEqual([0, 1, 2, 3].map((i) => readF32(r!.xmm[0]!, i)), [1.5, 0, Math.fround(1e30), 8]);
  assert.deepEqual([...r!.xmm[1]!], [...xmmF32(0.5, -2, 1e30, 4)]);
});

test('MXCSR round-trips through LDMXCSR/STMXCSR and steers SSE rounding', { skip }, () => {
  const scratch = new Uint8Array([0x80, 0x5f, 0, 0]); // 0x5f80: round up
  const [st, ld, cvt] = runOnCpu([
    { code: bytes(0x0f, 0xae, 0x1b), gpr: { rbx: SCRATCH_ADDRESS }, mxcsr: 0x9fc0 }, // stmxcsr [rbx]
    { code: bytes(0x0f, 0xae, 0x13), gpr: { rbx: SCRATCH_ADDRESS }, scratch }, // ldmxcsr [rbx]
    { code: bytes(0xf2, 0x0f, 0x2d, 0xc1), xmm: [undefined, new Uint8Array(new Float64Array([2.1, 0]).buffer)], mxcsr: 0x5f80 }, // cvtsd2si eax, xmm1
  ]);
  assert.equal(st!.mxcsr, 0x9fc0);
  assert.equal(new DataView(st!.scratch.buffer, st!.scratch.byteOffset).getUint32(0, true), 0x9fc0);
  assert.equal(ld!.mxcsr, 0x5f80);
  assert.equal(cvt!.gpr[0], 3n, 'round up');
  assert.equal(cvt!.mxcsr & 0x3f, 0x20, 'precision (inexact) flag raised');
});

test('x87: fld1; fld1; faddp leaves 2.0 in ST(0) with TOP 7', { skip }, () => {
  const [r] = runOnCpu([{ code: bytes(0xd9, 0xe8, 0xd9, 0xe8, 0xde, 0xc1) }]);
  assert.equal(f80ToNumber(r!.x87.st[0]!), 2);
  assert.equal((r!.x87.status >> 11) & 7, 7);
  assert.equal(r!.x87.tag, 0xffff & ~(3 << 14), 'physical register 7 valid, the rest empty');
  assert.equal(r!.x87.control, 0x037f);
});

test('x87 input state: ST values, TOP and control word reach the FPU', { skip }, () => {
  // fdiv st(0), st(1) with 53-bit precision (control 0x027f): 1/3 rounded to a double.
  const [r] = runOnCpu([{ code: bytes(0xd8, 0xf1), x87: { control: 0x027f, top: 3, st: [f80(1), f80(3)] } }]);
  assert.equal(f80ToNumber(r!.x87.st[0]!), 1 / 3);
  assert.deepEqual([...r!.x87.st[0]!], [...f80(1 / 3)], 'exactly the double, no extra precision');
  assert.equal((r!.x87.status >> 11) & 7, 3);
  const tagOf = (p: number) => (r!.x87.tag >> (2 * p)) & 3;
  assert.deepEqual([3, 4, 5].map(tagOf), [0, 0, 3]);
});

test('unmasked floating-point exceptions raise SIGFPE (x87 at the next waiting instruction)', { skip }, () => {
  const [sse, x87] = runOnCpu([
    // divss xmm0, xmm1 with 1/0 and ZM unmasked
    { code: bytes(0xf3, 0x0f, 0x5e, 0xc1), xmm: [xmmF32(1), xmmF32(0)], mxcsr: 0x1f80 & ~0x200 },
    // fld1; fldz; fdivp st(1), st; fwait with ZM unmasked in the control word
    { code: bytes(0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9, 0x9b), x87: { control: 0x037f & ~0x4 } },
  ]);
  assert.equal(sse!.fault, 'SIGFPE');
  assert.equal(sse!.faultOffset, 0);
  assert.equal(readF32(sse!.xmm[0]!), 1, 'the destination is unchanged');
  assert.equal(x87!.fault, 'SIGFPE');
  assert.equal(x87!.faultOffset, 6, 'the pending #MF is delivered at FWAIT');
  assert.equal(x87!.x87.status & 0x84, 0x84, 'ZE and ES set in the status word');
});

test('unsafe cases are refused before anything runs', { skip }, () => {
  const refused: [CpuCase, RegExp][] = [
    [{ code: bytes(0x0f, 0x05) }, /instruction refused: syscall/],
    [{ code: bytes(0xcd, 0x80) }, /instruction refused: int 80h/],
    [{ code: bytes(0x0f, 0x34) }, /instruction refused: sysenter/],
    [{ code: bytes(0xeb, 0x03) }, /branch target \+5 inside the harness's tail jump: jmp/],
    [{ code: bytes(0xc3) }, /uses the stack: set RSP/],
    [{ code: bytes(0xff, 0x2b) }, /instruction refused: jmp far/],
    [{ code: bytes(0x50) }, /uses the stack: set RSP/],
    [{ code: bytes(0x9d, 0xc3), gpr: { rsp: STACK } }, /POPF refused in a case with control transfers/],
    [{ code: bytes(0x48, 0x89, 0xc4) }, /RSP as an operand refused: mov rsp,rax/],
    [{ code: bytes(0x5c), gpr: { rsp: STACK } }, /RSP as an operand refused: pop rsp/],
    [{ code: bytes(0xc9), gpr: { rsp: STACK, rbp: 0x7fff_0000_0000n } }, /RBP must hold an address in the scratch page/],
    [{ code: bytes(0x48, 0x89, 0xc5, 0xc9), gpr: { rsp: STACK } }, /RBP must hold an address in the scratch page, unwritten before/],
    [{ code: bytes(0xf4) }, /instruction refused: hlt/],
    [{ code: bytes(0xe6, 0x80) }, /instruction refused: out/],
    [{ code: bytes(0xfa) }, /instruction refused: cli/],
    [{ code: bytes(0x48, 0x8b, 0x05, 0, 0, 0, 0x10) }, /RIP-relative memory operand refused/],
    [{ code: bytes(0x48, 0x8b, 0x04, 0x24) }, /RSP-based memory operand refused.*: mov rax,\[rsp\]/],
    [{ code: bytes(0x64, 0x48, 0x8b, 0x03), gpr: { rbx: SCRATCH_ADDRESS } }, /FS memory operand refused/],
    [{ code: bytes(0x48, 0x89, 0x03), gpr: { rbx: 0x7fff_0000_0000n } }, /points into the harness's own address space/],
    [{ code: bytes(0xf0, 0x01, 0x03), gpr: { rbx: 0x5555_0000_0000n } }, /points into the harness's own address space.*: lock add/],
    [{ code: bytes(0x48, 0x89, 0x03), gpr: { rbx: CODE_ADDRESS } }, /touches the code page/],
    [{ code: bytes(0x8e, 0xe0) }, /segment register write refused: mov fs,ax/],
    [{ code: bytes(0xf3, 0x48, 0x0f, 0xae, 0xd0) }, /instruction refused: wrfsbase/],
    [{ code: bytes(0x48, 0x8b) }, /truncated/],
    [{ code: bytes(0x06, 0x90, 0x90) }, /an invalid encoding must come last/],
    [{ code: bytes(0x90), rflags: 0x100 }, /only CF PF AF ZF SF OF DF/],
    [{ code: bytes(0x90), gpr: [0n, 0n, 0n, 0n, 1n] }, /RSP 0x1 must be 0 or inside the scratch page/],
  ];
  for (const [c, why] of refused) {
    // A good case first: refusal must happen before the batch runs at all.
    assert.throws(() => runOnCpu([{ code: bytes(0x90) }, c]), why);
  }
  assert.throws(() => runOnCpu([{ code: bytes(0x0f, 0x05) }]), UnsafeCaseError);
});

test('control transfers and the stack: run single-stepped, a transfer off the code page stopped before its target runs', { skip }, () => {
  const stackWith = (q: number | bigint): Uint8Array => {
    const s = new Uint8Array(0x1000);
    new DataView(s.buffer).setBigUint64(STACK - SCRATCH_ADDRESS, BigInt(q), true);
    return s;
  };
  const addRax1 = [0x48, 0x83, 0xc0, 0x01];
  const [jzTaken, jzNot, call, ret, escapedLow, escapedHigh, intoFill, loop5, pushPop] = runOnCpu([
    { code: bytes(0x74, 0x04, ...addRax1), rflags: 0x40 },
    { code: bytes(0x74, 0x04, ...addRax1) },
    { code: bytes(0xe8, 4, 0, 0, 0, ...addRax1), gpr: { rsp: STACK } },
    { code: bytes(0xc2, 0x10, 0x00, ...addRax1), gpr: { rsp: STACK }, scratch: stackWith(CODE_ADDRESS + 3) },
    { code: bytes(0xff, 0xe0), gpr: { rax: 0x1234_5000 } },
    { code: bytes(0xff, 0xe0), gpr: { rax: 0x7f00_0000_0000n } }, // where the harness could live: never run
    { code: bytes(0xff, 0xe0), gpr: { rax: CODE_ADDRESS + 0x100 } },
    { code: bytes(0xe2, 0xfe), gpr: { rcx: 5 } },
    { code: bytes(0x53, 0x59), gpr: { rsp: STACK, rbx: 0x1234 } },
  ]);
  assert.equal(jzTaken!.fault, undefined);
  assert.equal(jzTaken!.gpr[0], 0n, 'taken: the add was jumped over');
  assert.equal(jzNot!.gpr[0], 1n);
  assert.equal(call!.gpr[4], BigInt(STACK - 8));
  assert.equal(new DataView(call!.scratch.buffer, call!.scratch.byteOffset).getBigUint64(STACK - 8 - SCRATCH_ADDRESS, true), BigInt(CODE_ADDRESS + 5), 'return address pushed');
  assert.equal(ret!.gpr[4], BigInt(STACK + 8 + 0x10));
  assert.equal(ret!.gpr[0], 1n, 'returned to the add');
  for (const [r, target] of [[escapedLow, 0x1234_5000n], [escapedHigh, 0x7f00_0000_0000n]] as const) {
    assert.equal(r!.fault, 'SIGSEGV');
    assert.equal(r!.faultAddress, target);
    assert.equal(r!.faultOffset, Number(target) - CODE_ADDRESS);
  }
  assert.equal(intoFill!.fault, 'SIGTRAP', 'the rest of the code page is INT3');
  assert.equal(intoFill!.faultOffset, 0x100);
  assert.equal(loop5!.fault, undefined);
  assert.equal(loop5!.gpr[1], 0n);
  assert.equal(pushPop!.gpr[1], 0x1234n);
  assert.equal(pushPop!.gpr[4], BigInt(STACK));
  assert.throws(() => runOnCpu([{ code: bytes(0xe2, 0xfe), gpr: { rcx: 0 } }]), /step limit/);
});

test('GS-prefixed operands address the scratch page (the GS base is set to it)', { skip }, () => {
  const scratch = Uint8Array.from({ length: 0x40 }, (_, i) => i);
  const [load, store] = runOnCpu([
    { code: bytes(0x65, 0x48, 0x8b, 0x03), gpr: { rbx: 0x10 }, scratch }, // mov rax, gs:[rbx]
    { code: bytes(0x65, 0x89, 0x0b), gpr: { rbx: 0x20, rcx: 0xdeadbeef } }, // mov gs:[rbx], ecx
  ]);
  assert.equal(load!.gpr[0], 0x17161514_13121110n);
  assert.deepEqual([...store!.scratch.subarray(0x20, 0x24)], [0xef, 0xbe, 0xad, 0xde]);
  assert.equal(GS_BASE, SCRATCH_ADDRESS);
});

test('throughput: thousands of cases per process', { skip }, (t) => {
  const cases: CpuCase[] = [];
  for (let i = 0; i < 4000; i++) {
    const a = BigInt(i) * 0x9e37_79b9_7f4a_7c15n & 0xffff_ffff_ffff_ffffn;
    cases.push(i % 10 === 9
      ? { code: bytes(0x48, 0xf7, 0xf1), gpr: { rax: a, rcx: 0n } } // every tenth case faults
      : { code: bytes(0x48, 0x01, 0xd8), gpr: { rax: a, rbx: BigInt(i) } });
  }
  runOnCpu(cases.slice(0, 1)); // compile/cache outside the measurement
  const t0 = performance.now();
  const rs = runOnCpu(cases);
  const ms = performance.now() - t0;
  rs.forEach((r, i) => {
    if (i % 10 === 9) assert.equal(r.fault, 'SIGFPE');
    else assert.equal(r.gpr[0], BigInt.asUintN(64, (BigInt(i) * 0x9e37_79b9_7f4a_7c15n & 0xffff_ffff_ffff_ffffn) + BigInt(i)));
  });
  t.diagnostic(`${cases.length} cases in ${ms.toFixed(0)} ms: ${Math.round(cases.length / (ms / 1000))} cases/s`);
});

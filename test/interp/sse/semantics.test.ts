// Hand-checked SSE semantics that need no CPU: NaN rules, MIN/MAX asymmetry, integer
// indefinite, rounding modes, flags, faults, the MOVSD/CMPSD routing. These run on any
// host; the differential tests prove the same areas against silicon.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuState } from '../../../src/cpu/state.js';
import { GuestMemory, Prot } from '../../../src/mem/memory.js';
import { ExceptionCode, GuestFault } from '../../../src/mem/fault.js';
import type { Machine } from '../../../src/interp/machine.js';
import { sseHandlers, isSseForm, routeSseOrString, GP_FAULT_ADDRESS } from '../../../src/interp/sse/index.js';
import { icedDecode } from '../../support/iced-insn.js';

const mem = new GuestMemory();
const m: Machine = { mem, st: new CpuState(mem.buffer) };
const DATA = 0x20000;
mem.map(DATA, 0x1000, Prot.RW);

function run(hex: string): void {
  const d = icedDecode(Uint8Array.from(hex.split(' ').map((x) => parseInt(x, 16))), 0x400000);
  assert.ok(d, `decodes ${hex}`);
  sseHandlers[d.insn.mnemonic]!(m, d.insn);
}
const setU32 = (reg: number, lanes: number[]): void => lanes.forEach((v, i) => mem.dv.setUint32(m.st.xmmAddr(reg) + 4 * i, v, true));
const getU32 = (reg: number): number[] => [0, 1, 2, 3].map((i) => mem.dv.getUint32(m.st.xmmAddr(reg) + 4 * i, true));
const setF64 = (reg: number, a: number, b = 0): void => { mem.dv.setFloat64(m.st.xmmAddr(reg), a, true); mem.dv.setFloat64(m.st.xmmAddr(reg) + 8, b, true); };
const getF64 = (reg: number, lane = 0): number => mem.dv.getFloat64(m.st.xmmAddr(reg) + 8 * lane, true);
const f32 = (x: number): number => new Uint32Array(new Float32Array([x]).buffer)[0]!;

test('ADDPS: first source NaN wins (quieted), SNaN raises IE, inf-inf gives the default NaN', () => {
  m.st.reset();
  setU32(0, [0x7f800001, 0x3f800000, 0x7f800000, f32(1.5)]);
  setU32(1, [0x7fc00002, 0xffa00000, 0xff800000, f32(2.25)]);
  run('0f 58 c1'); // addps xmm0, xmm1
  assert.deepEqual(getU32(0), [0x7fc00001, 0xffe00000, 0xffc00000, f32(3.75)]);
  assert.equal(m.st.mxcsr, 0x1f80 | 0x1, 'IE only: 1.5 + 2.25 is exact');
});

test('MINSD/MAXSD return the second operand for NaNs and for two zeros', () => {
  m.st.reset();
  setF64(0, -0); setF64(1, 0);
  run('f2 0f 5d c1'); // minsd xmm0, xmm1
  assert.ok(Object.is(getF64(0), 0));
  setF64(0, NaN); setF64(1, 5);
  run('f2 0f 5f c1'); // maxsd
  assert.equal(getF64(0), 5);
  assert.equal(m.st.mxcsr & 0x3f, 0x1, 'QNaN operand raises IE for MIN/MAX');
});

test('CVTTSD2SI gives the integer indefinite value for NaN and out-of-range inputs', () => {
  m.st.reset();
  setF64(1, 2 ** 31);
  run('f2 0f 2c c1'); // cvttsd2si eax, xmm1
  assert.equal(m.st.lo(0), 0x80000000);
  assert.equal(m.st.hi(0), 0);
  setF64(1, -2.9);
  run('f2 48 0f 2c c1'); // cvttsd2si rax, xmm1
  assert.equal(m.st.getBig(0), 0xfffffffffffffffen);
  assert.equal(m.st.mxcsr & 0x3f, 0x21, 'IE then PE');
});

test('CVTSD2SI honours MXCSR.RC; round-to-nearest ties go to even', () => {
  m.st.reset();
  setF64(1, 2.5);
  run('f2 0f 2d c1'); // cvtsd2si eax, xmm1
  assert.equal(m.st.lo(0), 2);
  m.st.mxcsr = 0x1f80 | (2 << 13); // round up
  run('f2 0f 2d c1');
  assert.equal(m.st.lo(0), 3);
  m.st.mxcsr = 0x1f80 | (1 << 13); // round down
  setF64(1, -2.5);
  run('f2 0f 2d c1');
  assert.equal(m.st.lo(0) | 0, -3);
});

test('DIVSD rounds per MXCSR.RC and raises ZE for x/0', () => {
  m.st.reset();
  m.st.mxcsr = 0x1f80 | (3 << 13); // toward zero
  setF64(0, 1); setF64(1, 10);
  run('f2 0f 5e c1');
  assert.equal(getF64(0), 0.09999999999999999, 'one ulp below round-to-nearest 0.1');
  assert.equal(m.st.mxcsr & 0x3f, 0x20);
  m.st.mxcsr = 0x1f80;
  setF64(0, -1); setF64(1, 0);
  run('f2 0f 5e c1');
  assert.equal(getF64(0), -Infinity);
  assert.equal(m.st.mxcsr & 0x3f, 0x4);
});

test('MULSS underflow: UE and PE; with FTZ the result is a signed zero', () => {
  m.st.reset();
  setU32(0, [f32(-(2 ** -100)), 0, 0, 0]); setU32(1, [f32(2 ** -40), 0, 0, 0]);
  run('f3 0f 59 c1');
  assert.equal(getU32(0)[0], (0x80000000 | (2 ** -140 / 2 ** -149)) >>> 0, 'exact subnormal -2^-140');
  assert.equal(m.st.mxcsr & 0x3f, 0, 'exact tiny results raise nothing when UE is masked');
  m.st.mxcsr = 0x1f80 | 0x8000;
  setU32(0, [f32(-(2 ** -100)), 0, 0, 0]);
  run('f3 0f 59 c1');
  assert.equal(getU32(0)[0], 0x80000000);
  assert.equal(m.st.mxcsr & 0x3f, 0x30);
});

test('UCOMISD sets ZF PF CF for unordered and clears OF SF AF', () => {
  m.st.reset();
  m.st.rflags = 0x202 | 0x800 | 0x80 | 0x10;
  setF64(0, NaN); setF64(1, 1);
  run('66 0f 2e c1');
  assert.equal(m.st.rflags & 0x8d5, 0x45);
  assert.equal(m.st.mxcsr & 0x3f, 0, 'QNaN is quiet for UCOMISD');
  run('66 0f 2f c1'); // comisd
  assert.equal(m.st.mxcsr & 0x3f, 1);
});

test('misaligned MOVAPS and LDMXCSR with reserved bits raise #GP, reported as an access violation at 2^64-1', () => {
  m.st.reset();
  m.st.set64(3, DATA + 8, 0);
  const gp = (hex: string): void => assert.throws(() => run(hex), (e: unknown) => e instanceof GuestFault
    && e.code === ExceptionCode.AccessViolation && e.address === GP_FAULT_ADDRESS
    && BigInt.asUintN(64, BigInt(e.address)) === 0xffffffffffffffffn);
  gp('0f 28 03'); // movaps xmm0, [rbx]
  gp('66 0f 58 03'); // addpd xmm0, [rbx]: legacy SSE m128 operands must be aligned
  run('0f 10 03'); // movups is fine
  mem.dv.setUint32(DATA + 8, 0x11f80, true);
  gp('0f ae 13'); // ldmxcsr [rbx]
  assert.equal(m.st.mxcsr, 0x1f80, 'MXCSR unchanged by the faulting LDMXCSR');
});

test('MOVSD and CMPSD: SSE forms have XMM operands, string forms have none', () => {
  const sse = icedDecode(new Uint8Array([0xf2, 0x0f, 0x10, 0xc1]))!.insn;
  const str = icedDecode(new Uint8Array([0xa5]))!.insn;
  assert.equal(sse.mnemonic, 'Movsd');
  assert.equal(str.mnemonic, 'Movsd');
  assert.ok(isSseForm(sse));
  assert.ok(!isSseForm(str));
  let routed = '';
  const h = routeSseOrString(() => { routed = 'sse'; }, () => { routed = 'string'; });
  h(m, str);
  assert.equal(routed, 'string');
  h(m, sse);
  assert.equal(routed, 'sse');
});

test('PSHUFB, PMULUDQ and PSRAW by a large count', () => {
  m.st.reset();
  setU32(0, [0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c]);
  setU32(1, [0x80000f01, 0, 0, 0]);
  run('66 0f 38 00 c1');
  assert.deepEqual(getU32(0), [0x00000f01, 0, 0, 0]);
  setU32(0, [0xffffffff, 0, 0xfffffffe, 0]); setU32(1, [0xffffffff, 0, 3, 0]);
  run('66 0f f4 c1');
  assert.deepEqual(getU32(0), [1, 0xfffffffe, 0xfffffffa, 2]);
  setU32(0, [0x80007fff, 0, 0, 0]); setU32(1, [100, 0, 0, 0]);
  run('66 0f e1 c1');
  assert.deepEqual(getU32(0), [0xffff0000, 0, 0, 0]);
});

// The x87 handlers against the project's native-CPU oracle (test/native): a sample of
// every exactly-comparable instruction form (a second, independent harness next to
// host-x87.ts), plus what only a full-machine oracle can show: faults (unmapped and
// misaligned operands) and unmasked exceptions, which the CPU delivers at the next
// waiting x87 instruction.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CpuCase } from '../../native/cpu.js';
import { SCRATCH_ADDRESS, nativeCpuAvailable } from '../../native/cpu.js';
import { diffAgainstCpu, stepEach } from '../../native/emu.js';
import { x87Handlers } from '../../../src/interp/x87/index.js';
import { f80ToBytes } from '../../../src/interp/x87/float80.js';
import type { F80 } from '../../../src/interp/x87/float80.js';
import type { HostCase } from './host-x87.js';
import { TEMPLATES, buildCase } from './templates.js';
import { Rng } from './values.js';

const execute = stepEach((m, insn) => {
  const h = x87Handlers[insn.mnemonic];
  if (!h) throw new Error(`no x87 handler for ${insn.mnemonic}`);
  h(m, insn);
});

function toCpuCase(h: HostCase, name: string): CpuCase {
  const dv = new DataView(h.image.buffer, h.image.byteOffset, h.image.byteLength);
  const sw = dv.getUint16(4, true);
  const tag = dv.getUint16(8, true);
  const top = (sw >> 11) & 7;
  let tagValid = 0;
  for (let i = 0; i < 8; i++) if (((tag >> (2 * ((top + i) & 7))) & 3) !== 3) tagValid |= 1 << i;
  const st = Array.from({ length: 8 }, (_, i) => h.image.slice(28 + 10 * i, 38 + 10 * i));
  return {
    name, code: h.code, gpr: { rax: h.rax, rdi: SCRATCH_ADDRESS }, rflags: Number(h.rflags) & 0xcd5,
    x87: { control: dv.getUint16(0, true), status: sw & ~0x3800, top, st, tagValid }, scratch: h.mem,
  };
}

const skip = !nativeCpuAvailable();

test('x87 handlers agree with the native oracle on every exactly-comparable form', { skip }, () => {
  const r = new Rng(0x4e);
  const cases: CpuCase[] = [];
  for (const t of TEMPLATES) {
    if (t.ulp || t.ignoreMem) continue; // transcendental tolerance, pointer fields: host-x87 tests cover those
    for (let i = 0; i < 8; i++) cases.push(toCpuCase(buildCase(t, r), t.name));
  }
  const diffs = diffAgainstCpu(cases, execute, { x87Tags: 'full' });
  assert.equal(diffs.length, 0, `${diffs.length}/${cases.length} differ:\n${diffs.slice(0, 5).join('\n\n')}`);
});

const f80 = (sign: number, exp: number, sig: bigint): Uint8Array => f80ToBytes({ sign, exp, sig } as F80);
const ONE = f80(0, 0x3fff, 1n << 63n);
const THREE = f80(0, 0x4000, 3n << 62n);
const ZERO = f80(0, 0, 0n);
const MINUS_ONE = f80(1, 0x3fff, 1n << 63n);
const DENORMAL = f80(0, 0, 0x1234n);
const le = (v: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (v / 2 ** (8 * i)) & 0xff);
const FWAIT = 0x9b;

/** Control word 0x37F with the given exception mask bits cleared. */
const unmask = (bits: number): number => 0x37f & ~bits;

const FAULT_CASES: CpuCase[] = [
  // Unmasked exceptions: recorded by the instruction, delivered by the next FWAIT.
  { name: 'fdiv by zero, ZE unmasked, fwait', code: Uint8Array.from([0xd8, 0xf1, FWAIT]), x87: { control: unmask(4), st: [ONE, ZERO] } },
  { name: 'fdiv by zero, ZE unmasked, no wait', code: Uint8Array.from([0xd8, 0xf1]), x87: { control: unmask(4), st: [ONE, ZERO] } },
  { name: 'fdiv by zero then fnstsw ax', code: Uint8Array.from([0xd8, 0xf1, 0xdf, 0xe0]), x87: { control: unmask(4), st: [ONE, ZERO] } },
  { name: 'fsqrt(-1), IE unmasked', code: Uint8Array.from([0xd9, 0xfa, FWAIT]), x87: { control: unmask(1), st: [MINUS_ONE] } },
  { name: 'fld m32 SNaN, IE unmasked', code: Uint8Array.from([0xd9, 0x07, FWAIT]), gpr: { rdi: SCRATCH_ADDRESS }, x87: { control: unmask(1), st: [ONE] }, scratch: le(0x7f800001, 4) },
  { name: 'stack overflow, IE unmasked', code: Uint8Array.from([0xd9, 0xe8, FWAIT]), x87: { control: unmask(1), st: [ONE, ONE, ONE, ONE, ONE, ONE, ONE, ONE] } },
  { name: 'stack underflow, IE unmasked', code: Uint8Array.from([0xde, 0xc1, FWAIT]), x87: { control: unmask(1), st: [ONE] } },
  { name: 'denormal operand, DE unmasked', code: Uint8Array.from([0xd8, 0xc1, FWAIT]), x87: { control: unmask(2), st: [ONE, DENORMAL] } },
  { name: 'inexact, PE unmasked (result written)', code: Uint8Array.from([0xd8, 0xf1, FWAIT]), x87: { control: unmask(0x20), st: [ONE, THREE] } },
  { name: 'inexact, PE unmasked, next x87 op faults', code: Uint8Array.from([0xd8, 0xf1, 0xd9, 0xe0]), x87: { control: unmask(0x20), st: [ONE, THREE] } },
  { name: 'fldcw unmasking a pending flag, then fwait', code: Uint8Array.from([0xd9, 0x2f, FWAIT]), gpr: { rdi: SCRATCH_ADDRESS }, x87: { status: 0x4, st: [ONE] }, scratch: le(0x37b, 2) },
  { name: 'fldcw unmasking a pending flag, then fnclex; fwait', code: Uint8Array.from([0xd9, 0x2f, 0xdb, 0xe2, FWAIT]), gpr: { rdi: SCRATCH_ADDRESS }, x87: { status: 0x4, st: [ONE] }, scratch: le(0x37b, 2) },
  // Memory faults leave the FPU state untouched.
  { name: 'fstp m64 to unmapped memory', code: Uint8Array.from([0xdd, 0x1b]), gpr: { rbx: 0x1000 }, x87: { st: [ONE, THREE] } },
  { name: 'fistp m32 to unmapped memory', code: Uint8Array.from([0xdb, 0x1b]), gpr: { rbx: 0x1000 }, x87: { st: [THREE] } },
  { name: 'fld m80 from unmapped memory', code: Uint8Array.from([0xdb, 0x2b]), gpr: { rbx: 0x1000 }, x87: { st: [THREE] } },
  { name: 'fadd m64 from unmapped memory', code: Uint8Array.from([0xdc, 0x03]), gpr: { rbx: 0x1000 }, x87: { st: [THREE] } },
  // FXSAVE/FXRSTOR: #GP for a misaligned operand or reserved MXCSR bits.
  { name: 'fxsave misaligned', code: Uint8Array.from([0x0f, 0xae, 0x07]), gpr: { rdi: SCRATCH_ADDRESS + 8 }, x87: { st: [ONE] } },
  { name: 'fxsave64 misaligned', code: Uint8Array.from([0x48, 0x0f, 0xae, 0x07]), gpr: { rdi: SCRATCH_ADDRESS + 4 } },
  { name: 'fxrstor misaligned', code: Uint8Array.from([0x0f, 0xae, 0x0f]), gpr: { rdi: SCRATCH_ADDRESS + 1 } },
  { name: 'fxrstor with reserved MXCSR bits', code: Uint8Array.from([0x0f, 0xae, 0x0f]), gpr: { rdi: SCRATCH_ADDRESS }, scratch: (() => { const b = new Uint8Array(512); b.set(le(0x1f80 | 0x100000, 4), 24); b.set(le(0x37f, 2), 0); return b; })() },
];

test('x87 faults and unmasked exceptions agree with the native oracle', { skip }, () => {
  const diffs = diffAgainstCpu(FAULT_CASES, execute, { x87Tags: 'full' });
  assert.equal(diffs.length, 0, `${diffs.length}/${FAULT_CASES.length} differ:\n${diffs.join('\n\n')}`);
});

test('FNSTENV masks every exception after storing the environment', { skip }, () => {
  // fnstenv [rbx]: the image's pointer fields (FIP, FDP, FOP) differ by design, so the
  // scratch page is not compared; the control word afterwards is.
  const c: CpuCase = { name: 'fnstenv', code: Uint8Array.from([0xd9, 0x33]), gpr: { rbx: SCRATCH_ADDRESS }, x87: { control: 0x360, status: 0x5, st: [ONE] } };
  assert.deepEqual(diffAgainstCpu([c], execute, { ignore: { scratch: true } }), []);
});

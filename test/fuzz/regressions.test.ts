// Differences the fuzzer found and that were fixed: each reproducer must keep matching
// the CPU on every engine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_NAMES } from '../../src/engines.js';
import type { EngineName } from '../../src/engines.js';
import type { Backend } from '../../src/jit/codegen.js';
import { SCRATCH_ADDRESS, f80, nativeCpuAvailable, runOnCpu } from '../native/cpu.js';
import type { CpuCase } from '../native/cpu.js';
import { compareResults, runCaseOnEmu } from '../native/emu.js';
import { decode } from '../../src/x86/decode.js';
import { compareOptionsFor, engineExecutor, executorStats } from './run.js';

const bytes = (b: readonly number[]): Uint8Array => Uint8Array.from(b);
const ramp = (from: number, step: number): Uint8Array => Uint8Array.from({ length: 16 }, (_, i) => (from + step * i) & 0xff);
/** Distinct bytes over the first 0x900 bytes of the scratch page, for stack frames. */
const STACK_PATTERN = Uint8Array.from({ length: 0x900 }, (_, i) => (i * 7 + 3) & 0xff);
const SMALLEST_NORMAL = bytes([0, 0, 0, 0, 0, 0, 0, 0x80, 0x01, 0x00]);

/** An FXSAVE image with the given x87 control and status words (MXCSR 0x1F80, all registers empty). */
function fxImage(control: number, status: number): Uint8Array {
  const img = new Uint8Array(512);
  img[0] = control & 0xff; img[1] = control >> 8; img[2] = status & 0xff; img[3] = status >> 8;
  img[24] = 0x80; img[25] = 0x1f;
  return img;
}

const REGRESSIONS: CpuCase[] = [
  // 0F 0D /2 (PREFETCHWT1) is a hint: a NOP where the CPU lacks the feature, never #UD.
  { name: 'prefetchwt1 [rax]', code: Uint8Array.from([0x0f, 0x0d, 0x10]), gpr: { rax: SCRATCH_ADDRESS } },
  { name: 'prefetchwt1 [r13+rbx*2-49h]', code: Uint8Array.from([0x45, 0x0f, 0x0d, 0x54, 0x5d, 0xb7]), gpr: { r13: SCRATCH_ADDRESS + 0x100, rbx: 8 } },
  // x87 environment with a 66 prefix: the 14-byte (16-bit) layout, fields in words.
  { name: 'fnstenv o16', code: bytes([0x66, 0xd9, 0x33]), gpr: { rbx: SCRATCH_ADDRESS }, scratch: new Uint8Array(32).fill(0xaa) },
  { name: 'fldenv o16', code: bytes([0x66, 0xd9, 0x23]), gpr: { rbx: SCRATCH_ADDRESS }, scratch: bytes([0x7f, 0x02, 0x00, 0x01, 0xff, 0xff]) },
  // MPSADBW was missing (#UD).
  { name: 'mpsadbw xmm0, xmm1, 0', code: bytes([0x66, 0x0f, 0x3a, 0x42, 0xc1, 0x00]), xmm: [ramp(1, 1), ramp(16, -1)] },
  { name: 'mpsadbw xmm0, xmm1, 7', code: bytes([0x66, 0x0f, 0x3a, 0x42, 0xc1, 0x07]), xmm: [ramp(200, 3), ramp(7, 11)] },
  // FXRSTOR derives FSW.ES and B from the loaded flags and masks, ignoring the image's bits.
  { name: 'fxrstor, IE pending and unmasked', code: bytes([0x0f, 0xae, 0x0b]), gpr: { rbx: SCRATCH_ADDRESS }, scratch: fxImage(0x037e, 0x0001) },
  { name: 'fxrstor, ES set with nothing pending', code: bytes([0x0f, 0xae, 0x0b]), gpr: { rbx: SCRATCH_ADDRESS }, scratch: fxImage(0x037f, 0x8080) },
  // FSIN/FCOS/FSINCOS/FPTAN of tiny arguments under directed rounding: the neighbour on the function's side.
  ...[0x067f, 0x0a7f, 0x0e7f].flatMap((control) => [
    { name: `fsin of the smallest normal, control ${control.toString(16)}`, code: bytes([0xd9, 0xfe]), x87: { control, st: [SMALLEST_NORMAL] } },
    { name: `fptan of -2^-50, control ${control.toString(16)}`, code: bytes([0xd9, 0xf2]), x87: { control, st: [f80(-(2 ** -50))] } },
    { name: `fsincos of 2^-45, control ${control.toString(16)}`, code: bytes([0xd9, 0xfb]), x87: { control, st: [f80(2 ** -45)] } },
    { name: `fcos of 2^-60, control ${control.toString(16)}`, code: bytes([0xd9, 0xff]), x87: { control, st: [f80(2 ** -60)] } },
  ]),
  // FYL2X: a denormal (exact) product still underflows, as the CPU calls every result inexact;
  // with x = 0 only ZE is raised, not DE for a denormal y.
  { name: 'fyl2x, x = 2^31, y = -smallest denormal', code: bytes([0xd9, 0xf1]), x87: { st: [f80(2 ** 31), bytes([1, 0, 0, 0, 0, 0, 0, 0, 0, 0x80])] } },
  { name: 'fyl2x, x = +0, y = largest denormal', code: bytes([0xd9, 0xf1]), x87: { st: [f80(0), bytes([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0])] } },
  // A Jcc to the next instruction: both edges lead to one block (the Binaryen backend's relooper asserted).
  { name: 'je +0', code: bytes([0x74, 0x00, 0x48, 0x83, 0xc0, 0x01]), rflags: 0x40 },
  { name: 'jne +0 (rel32)', code: bytes([0x0f, 0x85, 0, 0, 0, 0, 0x48, 0x83, 0xc0, 0x01]) },
  // LEA computes the offset: a GS override adds no base (the JIT's lifter added it).
  { name: 'lea ebx, gs:[r11+r9*4]', code: bytes([0x65, 0x43, 0x8d, 0x1c, 0x8b]), gpr: { r11: 0x10, r9: 0x20 } },
  { name: 'lea rsi, gs:[rbp+8]', code: bytes([0x65, 0x48, 0x8d, 0x75, 0x08]), gpr: { rbp: 0x1234_5678_9abcn } },
  // A GS-prefixed load and store address the scratch page (GS_BASE) at the register offset.
  { name: 'mov rax, gs:[rbx+8]', code: bytes([0x65, 0x48, 0x8b, 0x43, 0x08]), gpr: { rbx: 0x100 }, scratch: ramp(3, 5) },
  { name: 'add gs:[rcx*2], edx (67)', code: bytes([0x65, 0x67, 0x01, 0x14, 0x4d, 0, 0, 0, 0]), gpr: { rcx: 0xffff_ffff_0000_0080n, rdx: 7 } },
  // BSWAP r16 (undefined by the SDM) clears the register on hardware; the JIT's lifter swapped its two bytes.
  { name: 'bswap r9w', code: Uint8Array.from([0x66, 0x41, 0x0f, 0xc9]), gpr: { r9: 0x1234_5678_9abc_def0n } },
  // LEAVE/ENTER with a 66 prefix pop/push words: RSP moves by 2 per word, only BP changes (the engines used 64 bits).
  { name: 'o16 leave', code: bytes([0x66, 0xc9]), gpr: { rsp: SCRATCH_ADDRESS + 0x800, rbp: SCRATCH_ADDRESS + 0x400 }, scratch: STACK_PATTERN },
  ...[0, 1, 2, 3, 33].map((level): CpuCase => ({
    name: `o16 enter 10h, ${level}`, code: bytes([0x66, 0xc8, 0x10, 0x00, level]),
    gpr: { rsp: SCRATCH_ADDRESS + 0x800, rbp: SCRATCH_ADDRESS + 0x40e }, scratch: STACK_PATTERN,
  })),
  { name: 'o16 enter, RBP above 4 GiB', code: bytes([0x66, 0xc8, 0x08, 0x00, 0x00]), gpr: { rsp: SCRATCH_ADDRESS + 0x800, rbp: 0x1234_0000_abcdn } },
  // F3 REX.B 90 is XCHG r8-r15, rAX on the CPU, not PAUSE (iced-x86 says PAUSE; see test/x86/iced-diff.ts).
  { name: 'f3 41 90', code: bytes([0xf3, 0x41, 0x90]), gpr: { rax: 1, r8: 0xffff_ffff_0000_0002n } },
  { name: 'f3 49 90', code: bytes([0xf3, 0x49, 0x90]), gpr: { rax: 1, r8: 2 } },
  { name: 'o16 f3 41 90', code: bytes([0x66, 0xf3, 0x41, 0x90]), gpr: { rax: 0x1111_2222_3333_4444n, r8: 0x5555_6666_7777_8888n } },
  // FNSAVE/FRSTOR were not decoded (#UD); with a 66 prefix they use the 94-byte image (14-byte environment, fields in words).
  ...[[], [0x66]].flatMap((o16) => [
    { name: `fnsave${o16.length ? ' o16' : ''}`, code: bytes([...o16, 0xdd, 0x33]), gpr: { rbx: SCRATCH_ADDRESS + 0x10 }, scratch: STACK_PATTERN,
      x87: { control: 0x0a7f, status: 0x0021, top: 5, st: [f80(1.5), f80(-(2 ** -70)), SMALLEST_NORMAL] } },
    { name: `frstor${o16.length ? ' o16' : ''}`, code: bytes([...o16, 0xdd, 0x23]), gpr: { rbx: SCRATCH_ADDRESS + 0x20 }, scratch: fsaveImage(o16.length > 0) },
  ]),
];

/**
 * An FSAVE image at scratch offset 0x20 (the 108-byte layout, or the 94-byte one for o16):
 * control 0x0E7F, TOP 2 with C1 and PE set, ST0 = 3.25 and ST1 = -0.0 (physical 2 and 3) valid.
 */
function fsaveImage(o16: boolean): Uint8Array {
  const img = new Uint8Array(0x200);
  const dv = new DataView(img.buffer, 0x20);
  const field = o16 ? 2 : 4;
  dv.setUint16(0, 0x0e7f, true);
  dv.setUint16(field, (2 << 11) | 0x0200 | 0x0020, true);
  dv.setUint16(2 * field, 0xff0f, true);
  const regs = 0x20 + (o16 ? 14 : 28);
  img.set(f80(3.25), regs);
  img.set(f80(-0), regs + 10);
  img.set(SMALLEST_NORMAL, regs + 20); // tagged empty: loaded but not valid
  return img;
}

const RUNS: { engine: EngineName; backend?: Backend }[] = [...ENGINE_NAMES.map((engine) => ({ engine })), { engine: 'jit', backend: 'binaryen' }];

for (const { engine, backend } of RUNS) {
  test(`fixed fuzz findings stay fixed (${engine}${backend ? `, ${backend} backend` : ''})`, { skip: !nativeCpuAvailable() && 'no native x86-64 CPU' }, () => {
    const native = runOnCpu(REGRESSIONS);
    REGRESSIONS.forEach((c, i) => {
      const emu = runCaseOnEmu(c, engineExecutor(engine, backend), { decode: (b, a) => decode(b, 0, a) });
      assert.equal(compareResults(native[i]!, emu, { ...compareOptionsFor(c), case: c }), undefined);
    });
  });
}

// The fuzz runner reuses one JIT engine for every case at the same address: an address
// whose old code the lifter refused must compile once new code is written there.
test('a reused jit engine compiles new code where refused code was', () => {
  const exec = engineExecutor('jit');
  const run = (code: number[]): void => { runCaseOnEmu({ code: Uint8Array.from(code) }, exec, { decode: (b, a) => decode(b, 0, a) }); };
  run([0x0f, 0x0d, 0x10]); // prefetchwt1 [rax]: not lifted
  const before = executorStats('jit')!.jit!.jitInstructions;
  run([0x48, 0x01, 0xd8]); // add rax, rbx
  assert.ok(executorStats('jit')!.jit!.jitInstructions > before, 'the second case ran in the cold tier');
});

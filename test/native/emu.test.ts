// Proves the wexe-side runner and compareResults against the native oracle: a trivial
// executor that implements a handful of instructions correctly must agree with the
// CPU exactly, and a wrong one must produce a diff that names the wrong field.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeCpuAvailable, runOnCpu, SCRATCH_ADDRESS, f80, xmmF32, xmmU64, type CpuCase } from './cpu.js';
import { compareResults, definedFlagMask, diffAgainstCpu, runCaseOnEmu, stepEach, type Executor } from './emu.js';
import { effectiveAddress, type Machine } from '../../src/interp/machine.js';
import { GuestFault, ExceptionCode } from '../../src/mem/fault.js';
import type { Insn } from '../../src/x86/insn.js';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const skip = nativeCpuAvailable() ? false : 'needs x86-64 Linux';

/** Just enough of an interpreter to exercise the plumbing: 64-bit MOV, MOVAPS, DIV, UD2, NOP. */
function toyHandler(m: Machine, insn: Insn): void {
  const [dst, src] = insn.ops;
  switch (insn.mnemonic) {
    case 'Nop': return;
    case 'Ud2': throw new GuestFault(ExceptionCode.IllegalInstruction, insn.addr);
    case 'Mov':
      if (dst!.kind === 1 && src!.kind === 2) m.st.setBig(dst!.reg, m.mem.read64(effectiveAddress(m.st, src!, insn.addrSize)));
      else if (dst!.kind === 2 && src!.kind === 1) m.mem.write64(effectiveAddress(m.st, dst!, insn.addrSize), m.st.getBig(src!.reg));
      else m.st.setBig(dst!.reg, m.st.getBig(src!.reg));
      return;
    case 'Movaps':
      m.st.u8.copyWithin(m.st.xmmAddr(dst!.reg) - 0x1000, m.st.xmmAddr(src!.reg) - 0x1000, m.st.xmmAddr(src!.reg) - 0x1000 + 16);
      return;
    case 'Div': {
      const divisor = m.st.getBig(dst!.reg);
      if (divisor === 0n) throw new GuestFault(ExceptionCode.IntegerDivideByZero, insn.addr);
      const dividend = (m.st.getBig(2) << 64n) | m.st.getBig(0);
      const q = dividend / divisor;
      if (q >= 1n << 64n) throw new GuestFault(ExceptionCode.IntegerDivideByZero, insn.addr);
      m.st.setBig(0, q);
      m.st.setBig(2, dividend % divisor);
      return;
    }
    default: throw new Error(`toy interpreter: ${insn.mnemonic} not implemented`);
  }
}
const toy: Executor = stepEach(toyHandler);

const rich: Omit<CpuCase, 'code'> = {
  gpr: { rax: 0x1111_2222_3333_4444n, rbx: SCRATCH_ADDRESS, rcx: -1, r15: 0x8000_0000_0000_0000n },
  rflags: 0x8d5 | 0x400,
  mxcsr: 0x3f80 | 0x3f, // round down, sticky flags set
  xmm: [xmmF32(1, 2, 3, 4), undefined, xmmU64(0x0123_4567_89ab_cdefn, 0xfedc_ba98_7654_3210n)],
  x87: { control: 0x027f, top: 5, st: [f80(1.5), f80(-0), f80(Infinity), f80(5e-324)], status: 0x4100 },
  scratch: bytes(1, 2, 3, 4, 5, 6, 7, 8, 9),
};

test('a no-op case leaves exactly the state it was given, on the CPU and on wexe', { skip }, () => {
  assert.deepEqual(diffAgainstCpu([{ code: bytes(0x90), ...rich }, { code: bytes(0x90) }], toy, { x87Tags: 'full' }), []);
});

test('the toy executor agrees with the CPU on moves, faults and memory', { skip }, () => {
  const cases: CpuCase[] = [
    { code: bytes(0x48, 0x8b, 0x53, 0x01), ...rich }, // mov rdx, [rbx+1]
    { code: bytes(0x4c, 0x89, 0x7b, 0x10), ...rich }, // mov [rbx+0x10], r15
    { code: bytes(0x0f, 0x28, 0xd8), ...rich }, // movaps xmm3, xmm0
    { code: bytes(0x48, 0xf7, 0xf1), gpr: { rax: 100n, rcx: 7n } }, // div rcx
    { code: bytes(0x48, 0x89, 0xc2, 0x48, 0xf7, 0xf1), gpr: { rax: 100n } }, // mov rdx, rax; div rcx (rcx 0: #DE)
    { code: bytes(0x48, 0x8b, 0x03), gpr: { rbx: 0x1000 } }, // load from the unmapped CPU-state page
    { code: bytes(0x48, 0x8b, 0x03), gpr: { rbx: SCRATCH_ADDRESS + 0xffc } }, // crosses the end of scratch
    { code: bytes(0x90, 0x0f, 0x0b) }, // nop; ud2
  ];
  assert.deepEqual(diffAgainstCpu(cases, toy), []);
});

test('an undecodable instruction raises SIGILL on both sides', { skip }, () => {
  // 0x06 (push es) does not exist in 64-bit mode.
  // LOCK on a register operand is #UD too; the safety check still sees it as ADD.
  assert.deepEqual(diffAgainstCpu([{ code: bytes(0x90, 0x06) }, { code: bytes(0xf0, 0x01, 0xd8) }], toy), []);
  assert.equal(runCaseOnEmu({ code: bytes(0x90, 0x06) }, toy).faultOffset, 1);
});

test('a wrong result is reported with the case, its disassembly and both values', { skip }, () => {
  const broken: Executor = stepEach((m, insn) => { toyHandler(m, insn); m.st.setBig(2, m.st.getBig(2) + 1n); });
  const [diff] = diffAgainstCpu([{ code: bytes(0x48, 0x8b, 0x53, 0x01), ...rich, name: 'load' }], broken);
  assert.match(diff!, /^load: \[48 8b 53 01\] mov rdx,\[rbx\+1\] with rax=0x1111222233334444 rcx=0xffffffffffffffff rbx=0x10000000 r15=0x8000000000000000 rflags=0xcd5/);
  assert.match(diff!, /rdx: cpu=0x908070605040302 emu=0x908070605040303$/);
});

test('flags, x87 registers, scratch and faults each show up in a diff', { skip }, () => {
  const c: CpuCase = { code: bytes(0x90), ...rich };
  const [cpu] = runOnCpu([c]);
  const same = { ...cpu!, x87: { ...cpu!.x87, st: cpu!.x87.st.map((s) => s.slice()) }, scratch: cpu!.scratch.slice() };
  assert.equal(compareResults(cpu!, same, { case: c }), undefined);
  assert.match(compareResults(cpu!, { ...same, rflags: same.rflags ^ 0x40 })!, /rflags&0xcd5: cpu=0xcd5 \(OF DF SF ZF AF PF CF\) emu=0xc95/);
  const st = same.x87.st.map((s) => s.slice());
  st[1]![0] = 1;
  assert.match(compareResults(cpu!, { ...same, x87: { ...same.x87, st } })!, /st\(1\): cpu=8000:0000000000000000 \(0\) emu=8000:0000000000000001/);
  const scratch = same.scratch.slice();
  scratch[0x20] = 0xee;
  assert.match(compareResults(cpu!, { ...same, scratch })!, /scratch\[0x20\.\.0x21\): cpu=00 emu=ee/);
  assert.match(compareResults(cpu!, { ...same, fault: 'SIGSEGV', faultOffset: 0 })!, /fault: cpu=none emu=SIGSEGV/);
});

test('the default flag mask leaves out flags the instructions leave undefined', { skip }, () => {
  // imul rax, rbx defines CF and OF only; SF ZF AF PF are undefined.
  assert.equal(definedFlagMask({ code: bytes(0x48, 0x0f, 0xaf, 0xc3) }), 0x801 | 0x400);
  // imul, then add: add defines everything again.
  assert.equal(definedFlagMask({ code: bytes(0x48, 0x0f, 0xaf, 0xc3, 0x48, 0x01, 0xd8) }), 0xcd5);
});

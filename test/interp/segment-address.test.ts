// FS/GS-relative addresses in every operand family (integer, SSE, x87). The SDM (Vol. 1,
// 3.3.7): with a 67 prefix the offset is truncated to 32 bits and only then the segment
// base is added, in 64 bits; so a GS base near the top of the 32-bit space reaches above
// 4 GiB (an access violation here) rather than wrapping to a low address, and a base
// near 2^64 wraps around to low addresses. The native oracle's GS base is the scratch
// page, so these cases need bases it cannot set: they run on the interpreter directly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, DATA } from './support/machine.js';
import type { TestMachine } from './support/machine.js';
import { decode } from '../../src/x86/decode.js';
import { GuestFault, ExceptionCode } from '../../src/mem/fault.js';
import { sseHandlers } from '../../src/interp/sse/index.js';
import { x87Handlers } from '../../src/interp/x87/index.js';

const RAX = 0, RCX = 1, RDX = 2;
const TWO32 = 2 ** 32;

/** One load per family, each reading 4 bytes at seg:[rcx] or seg:[ecx] into something we can inspect. */
const LOADS = [
  { family: 'integer', a64: '65 8b 01', a32: '65 67 8b 01', result: (m: TestMachine) => m.st.lo(RAX) },  // mov eax, gs:[rcx]
  { family: 'SSE', a64: '65 0f 10 01', a32: '65 67 0f 10 01', result: (m: TestMachine) => f32Bits(m.st.xmmF32(0)) }, // movups xmm0, gs:[rcx]
  { family: 'x87', a64: '65 d9 01 dd 1a', a32: '65 67 d9 01 dd 1a', result: (m: TestMachine) => storedSingle(m) }, // fld dword gs:[rcx]; fstp qword [rdx]
] as const;

const X87_OUT = DATA + 0x800;
const MARK = 0x3f80_0001; // a float32 (1.0000001) whose exact value survives the x87 round trip

function storedSingle(m: TestMachine): number {
  // FSTP stored the loaded float32 as a double at [rdx] (no segment): narrow it back.
  return f32Bits(m.mem.readF64(X87_OUT));
}

function f32Bits(v: number): number { return new Uint32Array(new Float32Array([v]).buffer)[0]!; }

function runLoad(bytes: string, seg: { gs?: number; fs?: number }, rcx: number): TestMachine {
  const m = makeMachine({ decode: (b, o, a) => decode(b, o, a), handlers: [sseHandlers, x87Handlers] });
  m.load(bytes.replace(/^65/, seg.fs !== undefined ? '64' : '65') + ' f4');
  if (seg.gs !== undefined) m.st.gsBase = seg.gs;
  if (seg.fs !== undefined) m.st.fsBase = seg.fs;
  m.st.setNum(RCX, rcx);
  m.st.setNum(RDX, X87_OUT);
  m.mem.write32(DATA, MARK);
  m.interp.run({ stopAt: CODE + bytes.split(' ').length, maxInstructions: 10 });
  return m;
}

for (const { family, a64, a32, result } of LOADS) {
  test(`${family}: a 67-prefixed GS operand adds the base after truncating the offset to 32 bits`, () => {
    // Offset 0x1_0000_6000 truncates to 0x6000; GS base 0xFFFF_F000 + 0x6000 = 0x1_0000_5000,
    // above 4 GiB: an access violation there, not a read of 0x5000 (32-bit wrap after adding).
    assert.throws(() => runLoad(a32, { gs: 0xffff_f000 }, TWO32 + 0x6000), (e: unknown) => {
      assert.ok(e instanceof GuestFault);
      assert.equal(e.code, ExceptionCode.AccessViolation);
      assert.equal(e.address, TWO32 + 0x5000);
      return true;
    });
    // The upper half of RCX is ignored: the truncated offset plus the base reaches DATA.
    assert.equal(result(runLoad(a32, { gs: DATA - 0x100 }, 0xdead_0000_0000 + 0x100)), MARK);
  });

  test(`${family}: FS/GS bases near 2^64 wrap the address around to low memory (64- and 32-bit offsets)`, () => {
    const nearTop = 2 ** 64 - 0x1000; // exact as a number
    assert.equal(result(runLoad(a64, { gs: nearTop }, DATA + 0x1000)), MARK);
    assert.equal(result(runLoad(a32, { gs: nearTop }, DATA + 0x1000)), MARK);
    assert.equal(result(runLoad(a32, { fs: nearTop }, DATA + 0x1000)), MARK);
  });
}

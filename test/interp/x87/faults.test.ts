// Which Windows exception code wexe reports for x87 faults (the native oracle only sees
// the Linux signal): pending unmasked exceptions at the next waiting instruction, and
// the #GP of a misaligned FXSAVE as an access violation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExceptionCode, GuestFault } from '../../../src/mem/fault.js';
import type { F80 } from '../../../src/interp/x87/float80.js';
import { encodeImage } from './fsave-image.js';
import { runOnInterp } from './x87-machine.js';

const ONE: F80 = { sign: 0, exp: 0x3fff, sig: 1n << 63n };
const ZERO: F80 = { sign: 0, exp: 0, sig: 0n };

function faultCode(code: number[], cw: number, regs: F80[], mem = new Uint8Array(0)): number | undefined {
  const top = 8 - regs.length;
  let tag = 0;
  for (let p = 0; p < 8; p++) if (p < top) tag |= 3 << (2 * p);
  const image = encodeImage({ cw, sw: (top & 7) << 11, tag, regs });
  const r = runOnInterp({ code: Uint8Array.from(code), image, mem, rax: 0n, rflags: 0x202n });
  if (r.error === undefined) return undefined;
  assert.ok(r.error instanceof GuestFault, String(r.error));
  return r.error.code;
}

test('an unmasked exception is pending after the instruction and raised by FWAIT', () => {
  assert.equal(faultCode([0xd8, 0xf1], 0x37b, [ONE, ZERO]), undefined);
  // A pending ZE (set in the status word, unmasked) is delivered by FWAIT and by the next x87 op.
  const pendingZe = { cw: 0x37b };
  const image = encodeImage({ cw: pendingZe.cw, sw: (7 << 11) | 0x84, tag: 0x3fff, regs: [ONE] });
  for (const code of [[0x9b], [0xd9, 0xe0], [0xd9, 0xe8]]) {
    const r = runOnInterp({ code: Uint8Array.from(code), image, mem: new Uint8Array(0), rax: 0n, rflags: 0x202n });
    assert.ok(r.error instanceof GuestFault && r.error.code === ExceptionCode.FloatDivideByZero, `${code}: ${String(r.error)}`);
  }
  // Non-waiting control instructions do not deliver it.
  for (const code of [[0xdf, 0xe0], [0xdb, 0xe2], [0xdb, 0xe3]]) {
    const r = runOnInterp({ code: Uint8Array.from(code), image, mem: new Uint8Array(0), rax: 0n, rflags: 0x202n });
    assert.equal(r.error, undefined);
  }
});

test('stack faults report EXCEPTION_FLT_STACK_CHECK, invalid operations EXCEPTION_FLT_INVALID_OPERATION', () => {
  const image = (sw: number) => encodeImage({ cw: 0x37e, sw, tag: 0xffff, regs: [] });
  const r1 = runOnInterp({ code: Uint8Array.from([0x9b]), image: image(0x41 | 0x80), mem: new Uint8Array(0), rax: 0n, rflags: 0x202n });
  assert.ok(r1.error instanceof GuestFault && r1.error.code === ExceptionCode.FloatStackCheck);
  const r2 = runOnInterp({ code: Uint8Array.from([0x9b]), image: image(0x01 | 0x80), mem: new Uint8Array(0), rax: 0n, rflags: 0x202n });
  assert.ok(r2.error instanceof GuestFault && r2.error.code === ExceptionCode.FloatInvalidOperation);
});

test('a misaligned FXSAVE is an access violation', () => {
  // fxsave [rdi+8]
  assert.equal(faultCode([0x0f, 0xae, 0x47, 0x08], 0x37f, [ONE], new Uint8Array(600)), ExceptionCode.AccessViolation);
  assert.equal(faultCode([0x0f, 0xae, 0x47, 0x10], 0x37f, [ONE], new Uint8Array(600)), undefined);
});

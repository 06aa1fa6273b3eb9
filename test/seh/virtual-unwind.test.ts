// RtlVirtualUnwind on synthetic unwind data where no code needs to run: machine
// frames, chained unwind info, version-2 epilogue codes, the context-pointer record,
// handler selection by type, and malformed data.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reg } from '../../src/cpu/state.js';
import { virtualUnwind } from '../../src/seh/virtual-unwind.js';
import { BadUnwindInfo } from '../../src/seh/unwind-info.js';
import { UnwFlag, UnwindOp as Op, Ctx, CtxPtrs } from '../../src/seh/layout.js';
import { machine, code, writeUnwindInfo, writeFunction, reg, rip, CODE, XDATA, IMAGE, CONTEXT, POINTERS, STACK_HIGH } from './support.js';

function setReg(mem: ReturnType<typeof machine>['mem'], r: number, v: number): void { mem.writePtr(CONTEXT + Ctx.gpr + 8 * r, v); }

test('PUSH_MACHFRAME without and with an error code takes RIP and RSP from the frame', () => {
  for (const errorCode of [0, 1]) {
    const { mem } = machine();
    writeUnwindInfo(mem, XDATA, { prolog: 6, slots: [code(6, Op.ALLOC_SMALL, 3), code(2, Op.PUSH_MACHFRAME, errorCode)] });
    const entry = writeFunction(mem, 0, CODE, CODE + 0x40, XDATA);
    const rsp = STACK_HIGH - 0x400;
    const frame = rsp + 0x20 + 8 * errorCode; // after the 0x20 allocation (and the error code)
    mem.writePtr(frame, 0x41_5555); // RIP
    mem.writePtr(frame + 8, 0x33); // CS
    mem.writePtr(frame + 16, 0x246); // EFLAGS
    mem.writePtr(frame + 24, STACK_HIGH - 0x100); // RSP
    mem.writePtr(frame + 32, 0x2b); // SS
    setReg(mem, Reg.RSP, rsp);
    const r = virtualUnwind(mem, UnwFlag.NHANDLER, IMAGE, CODE + 0x10, entry, CONTEXT);
    assert.equal(rip(mem), 0x41_5555);
    assert.equal(reg(mem, Reg.RSP), BigInt(STACK_HIGH - 0x100), 'no return address is popped after a machine frame');
    assert.equal(r.establisherFrame, rsp);
  }
});

test('chained unwind info: the fragment\'s codes, then the primary\'s prolog in full, and the primary\'s handler', () => {
  const { mem } = machine();
  const primaryInfo = XDATA;
  writeUnwindInfo(mem, primaryInfo, {
    flags: UnwFlag.EHANDLER | UnwFlag.UHANDLER, prolog: 2,
    slots: [code(2, Op.PUSH_NONVOL, Reg.RBX), code(1, Op.PUSH_NONVOL, Reg.RBP)], tail: [0x3000, 0x77],
  });
  const primary = writeFunction(mem, 0, CODE, CODE + 0x20, primaryInfo);
  const fragmentInfo = XDATA + 0x100;
  writeUnwindInfo(mem, fragmentInfo, {
    flags: UnwFlag.CHAININFO, prolog: 4, slots: [code(4, Op.ALLOC_SMALL, 4)],
    tail: [CODE - IMAGE, CODE + 0x20 - IMAGE, primaryInfo - IMAGE],
  });
  const fragment = writeFunction(mem, 1, CODE + 0x100, CODE + 0x140, fragmentInfo);
  const rsp = STACK_HIGH - 0x400;
  mem.writePtr(rsp + 0x28, 0xbbbb); // rbx
  mem.writePtr(rsp + 0x30, 0x5555); // rbp
  mem.writePtr(rsp + 0x38, 0x41_2222); // return address
  setReg(mem, Reg.RSP, rsp);
  // The fragment's own codes apply as its prolog offset says; the primary's prolog is complete.
  const r = virtualUnwind(mem, UnwFlag.EHANDLER, IMAGE, CODE + 0x110, fragment, CONTEXT);
  assert.equal(reg(mem, Reg.RBX), 0xbbbbn);
  assert.equal(reg(mem, Reg.RBP), 0x5555n);
  assert.equal(rip(mem), 0x41_2222);
  assert.equal(reg(mem, Reg.RSP), BigInt(rsp + 0x40));
  assert.equal(r.handler, IMAGE + 0x3000);
  assert.equal(mem.read32(r.handlerData), 0x77);
  void primary;
});

test('an indirect chained entry (UnwindData bit 0) is followed', () => {
  const { mem } = machine();
  writeUnwindInfo(mem, XDATA, { prolog: 1, slots: [code(1, Op.PUSH_NONVOL, Reg.RSI)] });
  const primary = writeFunction(mem, 0, CODE, CODE + 0x20, XDATA);
  // The chained RUNTIME_FUNCTION's UnwindData names the primary RUNTIME_FUNCTION, + 1.
  writeUnwindInfo(mem, XDATA + 0x100, { flags: UnwFlag.CHAININFO, prolog: 0, slots: [], tail: [0, 0, primary - IMAGE + 1] });
  const fragment = writeFunction(mem, 1, CODE + 0x100, CODE + 0x140, XDATA + 0x100);
  const rsp = STACK_HIGH - 0x400;
  mem.writePtr(rsp, 0x5151);
  mem.writePtr(rsp + 8, 0x41_3333);
  setReg(mem, Reg.RSP, rsp);
  virtualUnwind(mem, UnwFlag.NHANDLER, IMAGE, CODE + 0x104, fragment, CONTEXT);
  assert.equal(reg(mem, Reg.RSI), 0x5151n);
  assert.equal(rip(mem), 0x41_3333);
});

test('version 2 UWOP_EPILOG codes are descriptions only', () => {
  const { mem } = machine();
  writeUnwindInfo(mem, XDATA, { version: 2, prolog: 5, slots: [code(1, Op.EPILOG, 1), 0x0000, code(5, Op.ALLOC_SMALL, 1), code(1, Op.PUSH_NONVOL, Reg.R15)] });
  const entry = writeFunction(mem, 0, CODE, CODE + 0x20, XDATA);
  mem.poke(CODE + 0x10, Uint8Array.of(0x90)); // not an epilogue
  const rsp = STACK_HIGH - 0x400;
  mem.writePtr(rsp + 0x10, 0xf15);
  mem.writePtr(rsp + 0x18, 0x41_4444);
  setReg(mem, Reg.RSP, rsp);
  virtualUnwind(mem, UnwFlag.NHANDLER, IMAGE, CODE + 0x10, entry, CONTEXT);
  assert.equal(reg(mem, Reg.R15), 0xf15n);
  assert.equal(rip(mem), 0x41_4444);
});

test('KNONVOLATILE_CONTEXT_POINTERS records where each register was found', () => {
  const { mem } = machine();
  writeUnwindInfo(mem, XDATA, {
    prolog: 12, slots: [code(12, Op.SAVE_XMM128, 8), 1, code(6, Op.SAVE_NONVOL, Reg.R14), 3, code(2, Op.ALLOC_SMALL, 5), code(1, Op.PUSH_NONVOL, Reg.R13)],
  });
  const entry = writeFunction(mem, 0, CODE, CODE + 0x40, XDATA);
  mem.poke(CODE + 0x20, Uint8Array.of(0x90));
  const rsp = STACK_HIGH - 0x400;
  mem.writePtr(rsp + 0x38, 0x41_0000);
  setReg(mem, Reg.RSP, rsp);
  virtualUnwind(mem, UnwFlag.NHANDLER, IMAGE, CODE + 0x20, entry, CONTEXT, POINTERS);
  assert.equal(rip(mem), 0x41_0000);
  assert.equal(mem.readPtr(POINTERS + CtxPtrs.integer + 8 * Reg.R13), rsp + 0x30);
  assert.equal(mem.readPtr(POINTERS + CtxPtrs.integer + 8 * Reg.R14), rsp + 0x18);
  assert.equal(mem.readPtr(POINTERS + CtxPtrs.floating + 8 * 8), rsp + 0x10);
  assert.equal(mem.readPtr(POINTERS + CtxPtrs.integer + 8 * Reg.RBX), 0, 'registers not restored stay unrecorded');
});

test('the handler is returned only for the asked-for type', () => {
  const { mem } = machine();
  writeUnwindInfo(mem, XDATA, { flags: UnwFlag.EHANDLER, prolog: 0, slots: [], tail: [0x3000] });
  const entry = writeFunction(mem, 0, CODE, CODE + 0x20, XDATA);
  mem.poke(CODE + 4, Uint8Array.of(0x90));
  const rsp = STACK_HIGH - 0x400;
  mem.writePtr(rsp, 0x41_0000);
  for (const [type, expected] of [[UnwFlag.EHANDLER, IMAGE + 0x3000], [UnwFlag.UHANDLER, 0], [UnwFlag.NHANDLER, 0]] as const) {
    setReg(mem, Reg.RSP, rsp);
    assert.equal(virtualUnwind(mem, type, IMAGE, CODE + 4, entry, CONTEXT).handler, expected, `type ${type}`);
  }
});

test('malformed unwind info is reported, not guessed at', () => {
  const { mem } = machine();
  writeUnwindInfo(mem, XDATA, { version: 3, prolog: 0, slots: [] });
  const entry = writeFunction(mem, 0, CODE, CODE + 0x20, XDATA);
  setReg(mem, Reg.RSP, STACK_HIGH - 0x400);
  assert.throws(() => virtualUnwind(mem, 0, IMAGE, CODE + 4, entry, CONTEXT), BadUnwindInfo);
  writeUnwindInfo(mem, XDATA, { prolog: 4, slots: [code(4, Op.ALLOC_LARGE, 1), 0x10] }); // needs three slots
  assert.throws(() => virtualUnwind(mem, 0, IMAGE, CODE + 8, entry, CONTEXT), BadUnwindInfo);
});

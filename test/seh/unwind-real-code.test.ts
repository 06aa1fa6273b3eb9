// RtlVirtualUnwind against real execution: small functions with hand-assembled
// prologs, bodies and epilogues run on the interpreter from their entry, stopping at
// every instruction boundary. At each stop the unwinder must recover exactly the
// caller's state (RIP = return address, RSP past it, every non-volatile register the
// function saved, XMM included) whether the PC is in the prolog (only codes already
// reached apply), in the body (possibly after a dynamic stack allocation), or in an
// epilogue (recognised from the instruction bytes and emulated). The language handler
// is returned in the body only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter } from '../../src/interp/interpreter.js';
import { decode } from '../../src/x86/decode.js';
import { sseHandlers } from '../../src/interp/sse/index.js';
import { Reg } from '../../src/cpu/state.js';
import { writeContext } from '../../src/seh/context.js';
import { virtualUnwind } from '../../src/seh/virtual-unwind.js';
import { UnwFlag, UnwindOp as Op } from '../../src/seh/layout.js';
import { machine, code, writeUnwindInfo, writeFunction, reg, rip, xmm, CODE, XDATA, IMAGE, CONTEXT, STACK_HIGH } from './support.js';

interface Fn {
  name: string;
  /** Instructions as byte arrays, in order. */
  insns: number[][];
  prolog: number;
  frameRegister?: number;
  frameOffset?: number;
  slots: number[];
  /** Instruction index where the epilogue starts (the handler is not returned from there on). */
  epilogueAt: number;
  /** Registers (and XMM registers) the function saves and clobbers. */
  saved: number[];
  savedXmm: number[];
  /** Ends in a tail jump: nothing to return to in this test. */
  tailCall?: boolean;
}

const RETURN_ADDRESS = 0x41_2340;
const HANDLER = IMAGE + 0x3000;

function run(f: Fn): void {
  const { mem, st } = machine();
  const bytes = f.insns.flat();
  mem.poke(CODE, Uint8Array.from(bytes));
  const tail = writeUnwindInfo(mem, XDATA, {
    flags: UnwFlag.EHANDLER, prolog: f.prolog, frameRegister: f.frameRegister, frameOffset: f.frameOffset, slots: f.slots,
    tail: [HANDLER - IMAGE, 0xdada],
  });
  const entry = writeFunction(mem, 0, CODE, CODE + bytes.length, XDATA);

  // Caller state: distinctive values in every register, a return address on the stack.
  for (let r = 0; r < 16; r++) st.set64(r, 0x1000 + r, 0xc0de0000 + r);
  const rsp0 = STACK_HIGH - 0x2008;
  st.setNum(Reg.RSP, rsp0);
  mem.writePtr(rsp0, RETURN_ADDRESS);
  for (let i = 0; i < 16; i++) for (let b = 0; b < 16; b++) mem.u8[st.xmmAddr(i) + b] = (i * 16 + b) & 0xff;
  const callerGpr = Array.from({ length: 16 }, (_, r) => st.getBig(r));
  const callerXmm = Array.from({ length: 16 }, (_, i) => Buffer.from(mem.u8.slice(st.xmmAddr(i), st.xmmAddr(i) + 16)).toString('hex'));
  st.rip = CODE;

  const interp = new Interpreter(st, mem, { decode, handlers: [sseHandlers] });
  let pc = CODE;
  for (let i = 0; i < f.insns.length; i++) {
    if (i > 0) interp.run({ stopAt: pc });
    assert.equal(st.rip, pc);
    writeContext(mem, CONTEXT, st);
    const where = `${f.name}: at instruction ${i} (+${pc - CODE})`;
    const r = virtualUnwind(mem, UnwFlag.EHANDLER, IMAGE, pc, entry, CONTEXT);
    assert.equal(rip(mem), RETURN_ADDRESS, `${where}: RIP`);
    assert.equal(reg(mem, Reg.RSP), BigInt(rsp0 + 8), `${where}: RSP`);
    for (const s of f.saved) assert.equal(reg(mem, s), callerGpr[s], `${where}: register ${s}`);
    for (const x of f.savedXmm) assert.equal(xmm(mem, x), callerXmm[x], `${where}: xmm${x}`);
    const inBody = pc - CODE >= f.prolog && i < f.epilogueAt;
    assert.equal(r.handler, inBody ? HANDLER : 0, `${where}: handler`);
    if (inBody) assert.equal(mem.read32(r.handlerData), 0xdada, `${where}: handler data`);
    pc += f.insns[i]!.length;
  }
  if (f.tailCall) return;
  // The function really returns where the unwinder said it would.
  interp.run({ stopAt: RETURN_ADDRESS });
  assert.equal(st.getNum(Reg.RSP), rsp0 + 8);
  for (const s of f.saved) assert.equal(st.getBig(s), callerGpr[s]);
}

test('frame pointer, dynamic allocation, SAVE_NONVOL/SAVE_XMM128, lea-rsp epilogue', () => {
  run({
    name: 'A',
    insns: [
      [0x55], // push rbp
      [0x53], // push rbx
      [0x41, 0x54], // push r12
      [0x48, 0x83, 0xec, 0x70], // sub rsp, 0x70
      [0x48, 0x8d, 0x6c, 0x24, 0x20], // lea rbp, [rsp+0x20]
      [0x48, 0x89, 0x74, 0x24, 0x30], // mov [rsp+0x30], rsi
      [0x0f, 0x29, 0x74, 0x24, 0x40], // movaps [rsp+0x40], xmm6
      [0x48, 0x81, 0xec, 0x00, 0x01, 0x00, 0x00], // sub rsp, 0x100 (alloca)
      [0x48, 0xc7, 0xc3, 0x11, 0, 0, 0], // mov rbx, 0x11
      [0x49, 0xc7, 0xc4, 0x22, 0, 0, 0], // mov r12, 0x22
      [0x48, 0xc7, 0xc6, 0x33, 0, 0, 0], // mov rsi, 0x33
      [0x66, 0x0f, 0xef, 0xf6], // pxor xmm6, xmm6
      [0x90],
      [0x0f, 0x28, 0x75, 0x20], // movaps xmm6, [rbp+0x20]
      [0x48, 0x8b, 0x75, 0x10], // mov rsi, [rbp+0x10]
      [0x48, 0x8d, 0x65, 0x50], // lea rsp, [rbp+0x50]
      [0x41, 0x5c], // pop r12
      [0x5b], // pop rbx
      [0x5d], // pop rbp
      [0xc3], // ret
    ],
    prolog: 23,
    frameRegister: Reg.RBP,
    frameOffset: 2,
    slots: [
      code(23, Op.SAVE_XMM128, 6), 4,
      code(18, Op.SAVE_NONVOL, Reg.RSI), 6,
      code(13, Op.SET_FPREG, 0),
      code(8, Op.ALLOC_SMALL, 13),
      code(4, Op.PUSH_NONVOL, Reg.R12),
      code(2, Op.PUSH_NONVOL, Reg.RBX),
      code(1, Op.PUSH_NONVOL, Reg.RBP),
    ],
    epilogueAt: 15,
    saved: [Reg.RBP, Reg.RBX, Reg.R12, Reg.RSI],
    savedXmm: [6],
  });
});

test('ALLOC_LARGE (32-bit), SAVE_NONVOL_FAR, SAVE_XMM128_FAR, add-rsp imm32 epilogue', () => {
  run({
    name: 'B',
    insns: [
      [0x53], // push rbx
      [0x48, 0x81, 0xec, 0x80, 0x00, 0x01, 0x00], // sub rsp, 0x10080
      [0x48, 0x89, 0xb4, 0x24, 0x00, 0x00, 0x01, 0x00], // mov [rsp+0x10000], rsi
      [0x0f, 0x29, 0xbc, 0x24, 0x10, 0x00, 0x01, 0x00], // movaps [rsp+0x10010], xmm7
      [0x48, 0xc7, 0xc3, 0x55, 0, 0, 0], // mov rbx, 0x55
      [0x48, 0xc7, 0xc6, 0x66, 0, 0, 0], // mov rsi, 0x66
      [0x0f, 0x57, 0xff], // xorps xmm7, xmm7
      [0x0f, 0x28, 0xbc, 0x24, 0x10, 0x00, 0x01, 0x00], // movaps xmm7, [rsp+0x10010]
      [0x48, 0x8b, 0xb4, 0x24, 0x00, 0x00, 0x01, 0x00], // mov rsi, [rsp+0x10000]
      [0x48, 0x81, 0xc4, 0x80, 0x00, 0x01, 0x00], // add rsp, 0x10080
      [0x5b], // pop rbx
      [0xc3], // ret
    ],
    prolog: 24,
    slots: [
      code(24, Op.SAVE_XMM128_FAR, 7), 0x0010, 0x0001,
      code(16, Op.SAVE_NONVOL_FAR, Reg.RSI), 0x0000, 0x0001,
      code(8, Op.ALLOC_LARGE, 1), 0x0080, 0x0001,
      code(1, Op.PUSH_NONVOL, Reg.RBX),
    ],
    epilogueAt: 9,
    saved: [Reg.RBX, Reg.RSI],
    savedXmm: [7],
  });
});

test('ALLOC_LARGE (16-bit), a jump inside the function is no epilogue, a tail jump out is', () => {
  run({
    name: 'C',
    insns: [
      [0x48, 0x81, 0xec, 0x00, 0x10, 0x00, 0x00], // sub rsp, 0x1000
      [0xeb, 0x00], // jmp +0 (stays inside)
      [0x90],
      [0x48, 0x81, 0xc4, 0x00, 0x10, 0x00, 0x00], // add rsp, 0x1000
      [0xe9, 0x00, 0x10, 0x00, 0x00], // jmp far outside the function (tail call)
    ],
    prolog: 7,
    slots: [code(7, Op.ALLOC_LARGE, 0), 0x1000 / 8],
    epilogueAt: 3,
    saved: [],
    savedXmm: [],
    tailCall: true,
  });
});

test('add-rsp imm8 epilogue and rep ret', () => {
  const insns = [
    [0x57], // push rdi
    [0x56], // push rsi
    [0x48, 0x83, 0xec, 0x28], // sub rsp, 0x28
    [0x48, 0x31, 0xff], // xor rdi, rdi
    [0x48, 0x31, 0xf6], // xor rsi, rsi
    [0x48, 0x83, 0xc4, 0x28], // add rsp, 0x28
    [0x5e], // pop rsi
    [0x5f], // pop rdi
    [0xf3, 0xc3], // rep ret
  ];
  run({
    name: 'D', insns, prolog: 6,
    slots: [code(6, Op.ALLOC_SMALL, 4), code(2, Op.PUSH_NONVOL, Reg.RSI), code(1, Op.PUSH_NONVOL, Reg.RDI)],
    epilogueAt: 5, saved: [Reg.RDI, Reg.RSI], savedXmm: [],
  });
});

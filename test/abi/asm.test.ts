// The test assembler's encodings, checked against iced-x86's decoder and formatter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Asm, R } from './asm.js';

type Iced = typeof import('iced-x86');
const iced = createRequire(import.meta.url)('iced-x86') as Iced;

function disassemble(bytes: Uint8Array, origin: number): string[] {
  const d = new iced.Decoder(64, bytes, iced.DecoderOptions.None);
  d.ip = BigInt(origin);
  const f = new iced.Formatter(iced.FormatterSyntax.Intel);
  const out: string[] = [];
  try {
    while (d.canDecode) {
      const insn = d.decode();
      out.push(f.format(insn));
      insn.free();
    }
  } finally { d.free(); f.free(); }
  return out;
}

test('every assembler form decodes to the intended instruction', () => {
  const a = new Asm(0x1000);
  a.movImm(R.rcx, 0x1122334455667788n).movImm(R.r9, -1n).mov(R.rbx, R.r12).mov(R.r15, R.rax)
    .movqToXmm(0, R.rax).movqToXmm(11, R.r10)
    .store(R.r11, 0x10, R.rbx).store(R.rax, 0x100, R.r14).storeStack(0x28, R.rax).storeStack(0x30, R.r9)
    .storeXmm(R.r11, 8, 0).storeXmm(R.r11, 0x40, 15)
    .subRsp(0x58).addRsp(0x58).call(R.rax).call(R.r10).jmpReg(R.rax).jmpReg(R.r11)
    .leaLabel(R.rdx, 'end').jmp('end').label('end').ret();
  assert.deepEqual(disassemble(a.done(), 0x1000), [
    'mov rcx,1122334455667788h', 'mov r9,0FFFFFFFFFFFFFFFFh', 'mov rbx,r12', 'mov r15,rax',
    'movq xmm0,rax', 'movq xmm11,r10',
    'mov [r11+10h],rbx', 'mov [rax+100h],r14', 'mov [rsp+28h],rax', 'mov [rsp+30h],r9',
    'movq [r11+8],xmm0', 'movq [r11+40h],xmm15',
    'sub rsp,58h', 'add rsp,58h', 'call rax', 'call r10', 'jmp rax', 'jmp r11',
    'lea rdx,[1078h]', 'jmp 0000000000001078h', 'ret',
  ]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { icedDecode } from './iced-insn.js';
import { OpKind, RegClass, Flow } from '../../src/x86/insn.js';

test('iced adapter converts registers, memory, immediates and branches', () => {
  const mov = icedDecode(new Uint8Array([0x48, 0x8b, 0x44, 0x24, 0x08]))!; // mov rax,[rsp+8]
  assert.equal(mov.insn.mnemonic, 'Mov');
  assert.equal(mov.insn.opSize, 8);
  assert.equal(mov.insn.ops[1]!.kind, OpKind.Mem);
  assert.equal(mov.insn.ops[1]!.base, 4);
  assert.equal(mov.insn.ops[1]!.disp, 8);
  const ah = icedDecode(new Uint8Array([0x88, 0xe0]))!; // mov al, ah
  assert.equal(ah.insn.ops[1]!.regClass, RegClass.GprHigh8);
  const jne = icedDecode(new Uint8Array([0x75, 0x10]), 0x2000)!;
  assert.equal(jne.insn.cond, 5);
  assert.equal(jne.insn.flow, Flow.CondJump);
  assert.equal(jne.insn.ops[0]!.disp, 0x2012);
  const rip = icedDecode(new Uint8Array([0x8b, 0x05, 0x10, 0x00, 0x00, 0x00]), 0x3000)!; // mov eax,[rip+0x10]
  assert.equal(rip.insn.ops[1]!.disp, 0x3016);
  assert.ok(rip.insn.ops[1]!.ripRelative);
  const imm = icedDecode(new Uint8Array([0x48, 0x83, 0xc0, 0xff]))!; // add rax,-1
  assert.equal(imm.insn.ops[1]!.immLo, 0xffffffff);
  assert.equal(imm.insn.ops[1]!.immHi, 0xffffffff);
  const movsb = icedDecode(new Uint8Array([0xf3, 0xa4]))!;
  assert.equal(movsb.insn.opSize, 1);
  assert.equal(movsb.insn.rep, 1);
});

// Test oracle: decodes bytes with iced-x86 and converts the result to wexe's Insn model.
// Interpreter tests use it so they do not depend on our own decoder, and decoder tests
// compare our decoder's Insn against this one field by field.

import iced from 'iced-x86';
import type { Insn, Operand } from '../../src/x86/insn.js';
import { Flow, OpKind, RegClass, Rep, Seg, NO_REG } from '../../src/x86/insn.js';

const { Decoder, DecoderOptions, Formatter, FormatterSyntax, Mnemonic, OpKind: IOp, Register, RegisterExt,
  MemorySizeExt, FlowControl, Code } = iced;
type IcedInstruction = InstanceType<typeof iced.Instruction>;

export const icedFormatter = new Formatter(FormatterSyntax.Intel);

/** Decodes one instruction at `addr`; returns undefined when iced says it is invalid. */
export function icedDecode(bytes: Uint8Array, addr = 0x1000): { insn: Insn; text: string } | undefined {
  const d = new Decoder(64, bytes, DecoderOptions.None);
  d.ip = BigInt(addr);
  const i = d.decode();
  try {
    if (i.code === Code.INVALID) return undefined;
    return { insn: convert(i, bytes.subarray(0, i.length), addr), text: icedFormatter.format(i) };
  } finally {
    i.free();
    d.free();
  }
}

function regOperand(r: number): Operand {
  const op = emptyOperand(OpKind.Reg);
  if (RegisterExt.isGPR(r)) {
    op.size = RegisterExt.size(r);
    const n = RegisterExt.number(r);
    if (op.size === 1 && r >= Register.AH && r <= Register.BH) {
      op.regClass = RegClass.GprHigh8;
      op.reg = r - Register.AH + 4;
    } else {
      op.regClass = RegClass.Gpr;
      op.reg = op.size === 1 && r >= Register.SPL && r <= Register.DIL ? r - Register.SPL + 4
        : op.size === 1 && r >= Register.R8L ? r - Register.R8L + 8
        : n;
    }
  } else if (RegisterExt.isXMM(r)) {
    op.regClass = RegClass.Xmm; op.size = 16; op.reg = r - Register.XMM0;
  } else if (RegisterExt.isST(r)) {
    op.regClass = RegClass.St; op.size = 10; op.reg = r - Register.ST0;
  } else if (RegisterExt.isSegmentRegister(r)) {
    op.regClass = RegClass.Seg; op.size = 2; op.reg = r - Register.ES;
  } else {
    throw new Error(`register ${Register[r]} has no wexe equivalent`);
  }
  return op;
}

function emptyOperand(kind: OpKind): Operand {
  return { kind, size: 0, reg: 0, regClass: RegClass.Gpr, base: NO_REG, index: NO_REG, scale: 1, disp: 0,
    ripRelative: false, seg: Seg.None, immLo: 0, immHi: 0 };
}

function gprNumber(r: number): number {
  return r === Register.None ? NO_REG : RegisterExt.number(RegisterExt.fullRegister(r));
}

function immOperand(value: bigint, size: number): Operand {
  const op = emptyOperand(OpKind.Imm);
  op.size = size;
  const v = BigInt.asUintN(64, value);
  op.immLo = Number(v & 0xffffffffn);
  op.immHi = Number(v >> 32n);
  if (size < 8) op.immHi = 0;
  if (size < 4) op.immLo &= (1 << (8 * size)) - 1;
  return op;
}

function convert(i: IcedInstruction, bytes: Uint8Array, addr: number): Insn {
  const ops: Operand[] = [];
  // Address size is a property of the instruction (string ops, LOOP and JECXZ use it
  // too), so it comes from the 0x67 prefix itself rather than from a memory operand.
  const addrSize = hasAddressSizePrefix(bytes) ? 4 : 8;
  for (let n = 0; n < i.opCount; n++) {
    const k = i.opKind(n);
    switch (k) {
      case IOp.Register: ops.push(regOperand(i.opRegister(n))); break;
      case IOp.Memory: {
        const op = emptyOperand(OpKind.Mem);
        op.size = MemorySizeExt.size(i.memorySize);
        if (i.isIpRelMemoryOperand) {
          op.ripRelative = true;
          op.disp = Number(i.ipRelMemoryAddress);
        } else {
          op.base = gprNumber(i.memoryBase);
          op.index = gprNumber(i.memoryIndex);
          op.scale = i.memoryIndexScale;
          const is32 = (i.memoryBase !== Register.None && RegisterExt.isGPR32(i.memoryBase))
            || (i.memoryIndex !== Register.None && RegisterExt.isGPR32(i.memoryIndex));
          op.disp = Number(BigInt.asIntN(is32 ? 32 : 64, i.memoryDisplacement));
        }
        op.seg = i.segmentPrefix === Register.FS ? Seg.Fs : i.segmentPrefix === Register.GS ? Seg.Gs : Seg.None;
        ops.push(op);
        break;
      }
      case IOp.NearBranch16: case IOp.NearBranch32: case IOp.NearBranch64: {
        const op = emptyOperand(OpKind.Rel);
        op.disp = Number(i.nearBranchTarget);
        op.size = 8;
        ops.push(op);
        break;
      }
      case IOp.Immediate8: ops.push(immOperand(BigInt(i.immediate8), 1)); break;
      case IOp.Immediate8_2nd: ops.push(immOperand(BigInt(i.immediate8_2nd), 1)); break;
      case IOp.Immediate16: ops.push(immOperand(BigInt(i.immediate16), 2)); break;
      case IOp.Immediate32: ops.push(immOperand(BigInt(i.immediate32), 4)); break;
      case IOp.Immediate64: ops.push(immOperand(i.immediate64, 8)); break;
      case IOp.Immediate8to16: ops.push(immOperand(BigInt(i.immediate8to16), 2)); break;
      case IOp.Immediate8to32: ops.push(immOperand(BigInt(i.immediate8to32), 4)); break;
      case IOp.Immediate8to64: ops.push(immOperand(i.immediate8to64, 8)); break;
      case IOp.Immediate32to64: ops.push(immOperand(i.immediate32to64, 8)); break;
      default:
        // String-instruction memory operands (seg:[rsi], es:[rdi]) are implicit in wexe.
        break;
    }
  }
  const first = ops[0];
  const opSize = first && (first.kind === OpKind.Mem || (first.kind === OpKind.Reg
    && (first.regClass === RegClass.Gpr || first.regClass === RegClass.GprHigh8)))
    && first.size >= 1 && first.size <= 8 ? first.size
    : stringOpSize(i) ?? (!first || first.kind === OpKind.Imm || first.kind === OpKind.Rel ? encodedOperandSize(i) : 8);
  const cc = i.conditionCode;
  const fcmov = FCMOV_COND[Mnemonic[i.mnemonic] ?? ''];
  return {
    addr, len: i.length, mnemonic: Mnemonic[i.mnemonic] ?? 'INVALID', opSize, addrSize, ops,
    rep: i.hasRepnePrefix ? Rep.Repne : (i.hasRepPrefix || i.hasRepePrefix) ? Rep.Rep : Rep.None,
    lock: i.hasLockPrefix, cond: fcmov ?? (cc === 0 ? -1 : cc - 1), flow: flowOf(i), bytes: bytes.slice(),
  };
}

/** iced gives no condition code to FCMOVcc; wexe uses the integer condition it tests. */
const FCMOV_COND: Record<string, number> = {
  Fcmovb: 2, Fcmovnb: 3, Fcmove: 4, Fcmovne: 5, Fcmovbe: 6, Fcmovnbe: 7, Fcmovu: 10, Fcmovnu: 11,
};

/** True when the legacy-prefix run (REX bytes included) before the opcode holds 0x67. */
function hasAddressSizePrefix(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x67) return true;
    const isPrefix = b === 0x66 || b === 0xf0 || b === 0xf2 || b === 0xf3 || b === 0x26 || b === 0x2e || b === 0x36
      || b === 0x3e || b === 0x64 || b === 0x65 || (b & 0xf0) === 0x40;
    if (!isPrefix) return false;
  }
  return false;
}

/**
 * The operand size of instructions whose operands do not show it (PUSHF, LEAVE, CWDE,
 * RET imm16, ENTER, PUSH imm, NOP): 8 when the encoding has no operand size at all.
 */
function encodedOperandSize(i: IcedInstruction): number {
  const info = i.opCode;
  try {
    return info.operandSize === 0 ? 8 : info.operandSize / 8;
  } finally {
    info.free();
  }
}

/** MOVSB/W/D/Q and friends: the size is in the memory operand iced hides. */
function stringOpSize(i: IcedInstruction): number | undefined {
  for (let n = 0; n < i.opCount; n++) {
    const k = i.opKind(n);
    if (k >= IOp.MemorySegSI && k <= IOp.MemoryESRDI) return MemorySizeExt.size(i.memorySize);
  }
  return undefined;
}

function flowOf(i: IcedInstruction): Flow {
  // iced files SYSCALL under Call and HLT under Next; for wexe both end the block.
  if (i.mnemonic === Mnemonic.Syscall) return Flow.Syscall;
  if (i.mnemonic === Mnemonic.Hlt) return Flow.Trap;
  switch (i.flowControl) {
    case FlowControl.UnconditionalBranch: return Flow.Jump;
    case FlowControl.ConditionalBranch: return Flow.CondJump;
    case FlowControl.IndirectBranch: return Flow.IndirectJump;
    case FlowControl.Call: return Flow.Call;
    case FlowControl.IndirectCall: return Flow.IndirectCall;
    case FlowControl.Return: return Flow.Return;
    case FlowControl.Interrupt: return i.mnemonic === Mnemonic.Int ? Flow.Syscall : Flow.Trap;
    case FlowControl.Exception: return Flow.Trap;
    default: return Flow.None;
  }
}

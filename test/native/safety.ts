// Decides whether a case may run natively, before any byte reaches the CPU.
//
// The harness executes case bytes in a real process, so this check is what keeps a
// typo in a test from becoming a system call. It decodes the bytes with iced-x86
// (NoInvalidCheck, so that forms iced calls invalid, like LOCK on a register, are still
// seen for what the CPU might make of them) and refuses:
//   - SYSCALL/SYSENTER/INT n/INT1/INTO, IN/OUT/INS/OUTS, HLT, CLI/STI, every privileged
//     instruction and far transfers; INT3 is allowed (it raises SIGTRAP) and so are
//     UD0/UD1/UD2 (SIGILL);
//   - near control transfers (JMP/Jcc/CALL/RET/LOOP/JRCXZ) are allowed, and make the
//     case run single-stepped (harness.c): a transfer anywhere but the code page is
//     stopped before the first instruction at its target runs, a loop after a step
//     limit. A direct target inside the tail jump after the code (whose bytes differ
//     between the harness and wexe) is refused, and so is POPF in such a case (it could
//     clear the trap flag);
//   - RSP as an explicit operand or address register (MOV RSP, POP RSP, [RSP+8], ...):
//     only the implicit stack accesses of PUSH/POP/PUSHF/POPF/CALL/RET/ENTER/LEAVE may
//     use it, and then RSP must start inside the scratch page (it moves by at most 64 KiB
//     per instruction, so it stays in unmapped low memory); LEAVE, and ENTER with a
//     nesting level, also need RBP, unwritten by the case before, inside the scratch page;
//   - writes to segment registers or the FS/GS bases, FS overrides (glibc's TLS lives
//     there), TSX, shadow-stack and PKRU instructions, XRSTOR. GS overrides are allowed:
//     the harness sets the GS base to the scratch page (GS_BASE), and their addresses
//     are checked with that base added;
//   - memory operands that are not [base + index*scale + disp] over general registers
//     (RIP-relative, RSP-based, vector-indexed);
//   - a memory operand whose address, computed from the case's initial registers, is
//     at or above 4 GiB but canonical (where the harness itself lives) or on the code
//     page. Addresses of operands whose registers an earlier instruction of the case
//     has written cannot be checked statically and are accepted;
//   - bytes that do not decode to whole instructions. An encoding iced cannot decode
//     at all (the CPU raises #UD) is accepted only as the last instruction.

import iced from 'iced-x86';
import type { CpuCase } from './case.js';
import { CODE_ADDRESS, GS_BASE, MAX_CODE_BYTES, SCRATCH_ADDRESS, SCRATCH_SIZE, caseGprs } from './case.js';

const { Decoder, DecoderOptions, Code, Mnemonic, FlowControl, Register, RegisterExt, OpAccess, OpKind,
  InstructionInfoFactory, Formatter, FormatterSyntax, RflagsBits, MemorySizeExt } = iced;

export class UnsafeCaseError extends Error {
  constructor(message: string) { super(message); this.name = 'UnsafeCaseError'; }
}

export interface CheckedCase {
  /** Whether the case holds a control transfer (the harness then single-steps it). */
  transfers: boolean;
  /** Whether the case uses the stack (RSP then points into the scratch page). */
  usesStack: boolean;
  /** Intel-syntax disassembly, one entry per instruction. */
  texts: string[];
  /** Byte offset of each instruction from the start of the code. */
  offsets: number[];
  /** Whether any instruction accesses memory (so the scratch page must be read back). */
  usesMemory: boolean;
  /** RFLAGS bits (x86 positions) left undefined by the sequence, per iced-x86. */
  undefinedFlags: number;
}

const FORBIDDEN = new Set<string>([
  'Syscall', 'Sysenter', 'Sysexit', 'Sysret', 'Int', 'Int1', 'Into', 'Iret', 'Iretd', 'Iretq',
  'In', 'Out', 'Insb', 'Insw', 'Insd', 'Outsb', 'Outsw', 'Outsd', 'Hlt', 'Cli', 'Sti',
  'Wrfsbase', 'Wrgsbase', 'Wrpkru', 'Xrstor', 'Xrstor64', 'Xrstors', 'Xrstors64',
  'Xbegin', 'Xend', 'Xabort', 'Xresldtrk', 'Xsusldtrk',
  'Incsspd', 'Incsspq', 'Rstorssp', 'Saveprevssp', 'Setssbsy', 'Clrssbsy', 'Wrssd', 'Wrssq', 'Wrussd', 'Wrussq',
  'Enclu', 'Encls', 'Enclv', 'Senduipi', 'Uiret', 'Clui', 'Stui', 'Testui',
  'Umwait', 'Tpause', 'Umonitor', 'Monitor', 'Mwait', 'Monitorx', 'Mwaitx',
  'Lss', 'Lfs', 'Lgs', 'Jmpe', 'Retf', 'Callf', 'Jmpf', 'Loadall', 'Rsm', 'Vmcall', 'Vmmcall', 'Vmfunc',
]);

const RFLAGS_FROM_ICED: [number, number][] = [
  [RflagsBits.OF, 0x800], [RflagsBits.SF, 0x80], [RflagsBits.ZF, 0x40], [RflagsBits.AF, 0x10],
  [RflagsBits.CF, 0x1], [RflagsBits.PF, 0x4], [RflagsBits.DF, 0x400],
];
function x86Flags(icedBits: number): number {
  let f = 0;
  for (const [i, x] of RFLAGS_FROM_ICED) if (icedBits & i) f |= x;
  return f;
}

const formatter = new Formatter(FormatterSyntax.Intel);
const infoFactory = new InstructionInfoFactory();
const TWO64 = 1n << 64n;
const LOW_LIMIT = 1n << 32n;

function isWrite(a: number): boolean {
  return a === OpAccess.Write || a === OpAccess.CondWrite || a === OpAccess.ReadWrite || a === OpAccess.ReadCondWrite;
}

function isStackPointer(r: number): boolean {
  return RegisterExt.isGPR(r) && RegisterExt.fullRegister(r) === Register.RSP;
}

interface MemoryUse {
  segment: number; base: number; index: number; scale: number; displacement: bigint; size: number;
}

/** What decoding a code sequence teaches, independent of register values (cached per byte string). */
interface CodeFacts {
  /** Set when the bytes are refused whatever the registers hold. */
  refusal?: string;
  texts: string[];
  offsets: number[];
  /** Per instruction: its memory operands, and the GPRs written by earlier instructions. */
  memories: { uses: MemoryUse[]; dynamicBefore: Set<number>; where: string }[];
  undefinedFlags: number;
  transfers: boolean;
  usesStack: boolean;
  /** Registers (full GPR numbers) that must hold an address in the scratch page: RBP for LEAVE/ENTER. */
  stackRegs: { reg: number; where: string; dynamic: boolean }[];
}

const factsCache = new Map<string, CodeFacts>();
const FACTS_CACHE_LIMIT = 20000;

function codeFacts(code: Uint8Array): CodeFacts {
  const key = Buffer.from(code.buffer, code.byteOffset, code.length).toString('hex');
  let facts = factsCache.get(key);
  if (!facts) {
    try {
      facts = analyze(code);
    } catch (e) {
      if (!(e instanceof UnsafeCaseError)) throw e;
      facts = { refusal: e.message, texts: [], offsets: [], memories: [], undefinedFlags: 0, transfers: false, usesStack: false, stackRegs: [] };
    }
    if (factsCache.size >= FACTS_CACHE_LIMIT) factsCache.clear();
    factsCache.set(key, facts);
  }
  return facts;
}

/** Throws UnsafeCaseError unless the case may run natively; returns what it learned decoding it. */
export function checkCase(c: CpuCase): CheckedCase {
  const code = c.code;
  if (!(code instanceof Uint8Array) || code.length < 1 || code.length > MAX_CODE_BYTES) {
    throw new UnsafeCaseError(`code must be 1..${MAX_CODE_BYTES} bytes`);
  }
  const facts = codeFacts(code);
  if (facts.refusal !== undefined) throw new UnsafeCaseError(facts.refusal);
  const { values } = caseGprs(c);
  const rsp = values[4]!;
  const inScratch = (v: bigint): boolean => v >= BigInt(SCRATCH_ADDRESS) && v <= BigInt(SCRATCH_ADDRESS + SCRATCH_SIZE);
  if (rsp !== 0n && !inScratch(rsp)) throw new UnsafeCaseError(`RSP 0x${rsp.toString(16)} must be 0 or inside the scratch page`);
  if (facts.usesStack && rsp === 0n) throw new UnsafeCaseError(`the case uses the stack: set RSP to an address in the scratch page`);
  for (const s of facts.stackRegs) {
    if (s.dynamic || !inScratch(values[s.reg]!)) throw new UnsafeCaseError(`RBP must hold an address in the scratch page, unwritten before: ${s.where}`);
  }
  let usesMemory = facts.usesStack;
  for (const m of facts.memories) {
    for (const u of m.uses) {
      usesMemory = true;
      checkMemory(u, values, m.dynamicBefore, m.where);
    }
  }
  return { texts: facts.texts, offsets: facts.offsets, usesMemory, undefinedFlags: facts.undefinedFlags,
    transfers: facts.transfers, usesStack: facts.usesStack };
}

/** Instructions whose implicit stack accesses (through RSP) are allowed. */
const STACK_USERS = new Set<string>(['Push', 'Pop', 'Pushf', 'Pushfq', 'Popf', 'Popfq', 'Call', 'Ret', 'Enter', 'Leave']);
const TRANSFERS = new Set<number>([FlowControl.UnconditionalBranch, FlowControl.ConditionalBranch, FlowControl.IndirectBranch,
  FlowControl.Call, FlowControl.IndirectCall, FlowControl.Return]);
/** Bytes of the harness's `jmp [rip+0]; dq case_return` after the code. */
const TAIL_BYTES = 14;

function analyze(code: Uint8Array): CodeFacts {
  const decoder = new Decoder(64, code, DecoderOptions.NoInvalidCheck);
  decoder.ip = BigInt(CODE_ADDRESS);
  const texts: string[] = [];
  const offsets: number[] = [];
  const memories: CodeFacts['memories'] = [];
  const dynamic = new Set<number>(); // full GPR numbers written by an earlier instruction
  let undefinedFlags = 0;
  let transfers = false, usesStack = false, popf = false;
  const stackRegs: CodeFacts['stackRegs'] = [];
  try {
    while (decoder.canDecode) {
      const offset = decoder.position;
      const insn = decoder.decode();
      try {
        const where = `${texts.concat(formatter.format(insn)).join('; ')} (at +${offset})`;
        if (insn.code === Code.INVALID) {
          // iced reports "no more bytes" both for a truncated instruction and for some
          // invalid ones at the end; decoding again with padding tells them apart.
          const padded = decodePadded(code.subarray(offset));
          if (padded.valid) throw new UnsafeCaseError(`the last instruction is truncated at +${offset}`);
          if (offset + padded.length < code.length) {
            throw new UnsafeCaseError(`undecodable bytes at +${offset} are followed by more code; an invalid encoding must come last`);
          }
          texts.push('(invalid)');
          offsets.push(offset);
          break;
        }
        const mnemonic = Mnemonic[insn.mnemonic] ?? '?';
        const flow = insn.flowControl;
        if (FORBIDDEN.has(mnemonic) || insn.isPrivileged || insn.isJmpFar || insn.isJmpFarIndirect || insn.isCallFar
          || insn.isCallFarIndirect) throw new UnsafeCaseError(`instruction refused: ${where}`);
        if (TRANSFERS.has(flow)) {
          transfers = true;
          if (flow === FlowControl.UnconditionalBranch || flow === FlowControl.ConditionalBranch || flow === FlowControl.Call) {
            const target = insn.nearBranchTarget - BigInt(CODE_ADDRESS);
            if (target > BigInt(code.length) && target < BigInt(code.length + TAIL_BYTES)) {
              throw new UnsafeCaseError(`branch target +${target} inside the harness's tail jump: ${where}`);
            }
          }
        } else if (flow !== FlowControl.Next && flow !== FlowControl.Exception
          && !(flow === FlowControl.Interrupt && mnemonic === 'Int3')) {
          throw new UnsafeCaseError(`system instruction refused: ${where}`);
        }
        if (mnemonic === 'Popf' || mnemonic === 'Popfq') popf = true;
        for (let i = 0; i < insn.opCount; i++) {
          const k = insn.opKind(i);
          if (k === OpKind.Register && isStackPointer(insn.opRegister(i))) throw new UnsafeCaseError(`RSP as an operand refused: ${where}`);
          if (k === OpKind.Memory && (isStackPointer(insn.memoryBase) || isStackPointer(insn.memoryIndex))) {
            throw new UnsafeCaseError(`RSP-based memory operand refused (the stack is only for PUSH/POP/CALL/RET): ${where}`);
          }
        }
        if (mnemonic === 'Leave' || (mnemonic === 'Enter' && insn.immediate8_2nd !== 0)) {
          stackRegs.push({ reg: RegisterExt.number(Register.RBP), where, dynamic: dynamic.has(RegisterExt.number(Register.RBP)) });
        }
        if (insn.isIpRelMemoryOperand) {
          throw new UnsafeCaseError(`RIP-relative memory operand refused (use a register set to SCRATCH_ADDRESS): ${where}`);
        }
        const info = infoFactory.info(insn);
        const uses: MemoryUse[] = [];
        const written: number[] = [];
        try {
          const regs = info.usedRegisters() as InstanceType<typeof iced.UsedRegister>[];
          const mems = info.usedMemory() as InstanceType<typeof iced.UsedMemory>[];
          try {
            for (const u of regs) {
              if (isStackPointer(u.register)) {
                if (!STACK_USERS.has(mnemonic)) throw new UnsafeCaseError(`instruction uses RSP: ${where}`);
                usesStack = true;
                continue;
              }
              if (RegisterExt.isSegmentRegister(u.register) && isWrite(u.access)) {
                throw new UnsafeCaseError(`segment register write refused: ${where}`);
              }
              if (RegisterExt.isGPR(u.register) && isWrite(u.access)) written.push(RegisterExt.number(RegisterExt.fullRegister(u.register)));
            }
            for (const m of mems) {
              if (m.access === OpAccess.NoMemAccess) continue;
              if (isStackPointer(m.base)) continue; // the implicit stack access (explicit RSP operands are refused above)
              const use: MemoryUse = { segment: m.segment, base: m.base, index: m.index, scale: m.scale,
                displacement: m.displacement, size: MemorySizeExt.size(m.memorySize) };
              checkAddressForm(use, where);
              uses.push(use);
            }
          } finally {
            for (const u of regs) u.free();
            for (const m of mems) m.free();
          }
        } finally {
          info.free();
        }
        memories.push({ uses, dynamicBefore: new Set(dynamic), where });
        for (const r of written) dynamic.add(r);
        const modified = x86Flags(insn.rflagsWritten | insn.rflagsCleared | insn.rflagsSet);
        undefinedFlags = (undefinedFlags & ~modified) | x86Flags(insn.rflagsUndefined);
        texts.push(formatter.format(insn));
        offsets.push(offset);
      } finally {
        insn.free();
      }
    }
  } finally {
    decoder.free();
  }
  if (transfers && popf) throw new UnsafeCaseError('POPF refused in a case with control transfers (it could clear the trap flag that single-steps it)');
  // A transfer may run the instructions in any order: every written register counts as written before.
  if (transfers) for (const m of memories) for (const r of dynamic) m.dynamicBefore.add(r);
  return { texts, offsets, memories, undefinedFlags, transfers, usesStack, stackRegs };
}

/** Decodes bytes followed by NOP padding: is it a valid instruction, and how long? */
function decodePadded(bytes: Uint8Array): { valid: boolean; length: number } {
  const padded = new Uint8Array(bytes.length + 15).fill(0x90);
  padded.set(bytes);
  const decoder = new Decoder(64, padded, DecoderOptions.NoInvalidCheck);
  const insn = decoder.decode();
  const r = { valid: insn.code !== Code.INVALID, length: insn.length };
  insn.free();
  decoder.free();
  return r;
}

function checkAddressForm(m: MemoryUse, where: string): void {
  if (m.segment === Register.FS) throw new UnsafeCaseError(`FS memory operand refused (glibc's thread pointer): ${where}`);
  if (m.base === Register.RIP || m.base === Register.EIP) {
    throw new UnsafeCaseError(`RIP-relative memory operand refused (use a register set to SCRATCH_ADDRESS): ${where}`);
  }
  for (const r of [m.base, m.index]) {
    if (r !== Register.None && !RegisterExt.isGPR(r)) {
      throw new UnsafeCaseError(`memory operand with a non-general register refused: ${where}`);
    }
  }
}

function checkMemory(m: MemoryUse, values: bigint[], dynamic: Set<number>, where: string): void {
  const regValue = (r: number): bigint | undefined => {
    if (r === Register.None) return 0n;
    const n = RegisterExt.number(RegisterExt.fullRegister(r));
    if (dynamic.has(n)) return undefined;
    const bits = BigInt(8 * RegisterExt.size(r));
    return values[n]! & ((1n << bits) - 1n);
  };
  const b = regValue(m.base);
  const i = regValue(m.index);
  if (b === undefined || i === undefined) return; // computed at run time: cannot check here
  const is32 = (m.base !== Register.None && RegisterExt.isGPR32(m.base)) || (m.index !== Register.None && RegisterExt.isGPR32(m.index));
  const mod = is32 ? 1n << 32n : TWO64;
  const offset = (b + i * BigInt(m.scale) + BigInt.asUintN(64, m.displacement)) % mod;
  const ea = m.segment === Register.GS ? (offset + BigInt(GS_BASE)) % TWO64 : offset;
  const size = BigInt(Math.max(1, m.size));
  const canonical = ea < 1n << 47n || ea >= TWO64 - (1n << 47n);
  if (!canonical) return; // #GP natively: harmless
  const code = BigInt(CODE_ADDRESS);
  if (ea + size > code - BigInt(SCRATCH_SIZE) && ea < code + BigInt(SCRATCH_SIZE)) {
    throw new UnsafeCaseError(`memory operand at 0x${ea.toString(16)} touches the code page: ${where}`);
  }
  if (ea >= LOW_LIMIT) {
    throw new UnsafeCaseError(`memory operand at 0x${ea.toString(16)} points into the harness's own address space `
      + `(use SCRATCH_ADDRESS, or an address below 4 GiB to provoke a fault): ${where}`);
  }
}

/** Intel-syntax disassembly of a case's code, for messages; never throws. */
export function disassemble(code: Uint8Array): string {
  const decoder = new Decoder(64, code, DecoderOptions.NoInvalidCheck);
  decoder.ip = BigInt(CODE_ADDRESS);
  const parts: string[] = [];
  try {
    while (decoder.canDecode) {
      const insn = decoder.decode();
      parts.push(insn.code === Code.INVALID ? '(invalid)' : formatter.format(insn));
      insn.free();
    }
  } finally {
    decoder.free();
  }
  return parts.join('; ');
}

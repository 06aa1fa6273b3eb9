// Control transfers and stack instructions in generated cases (the native oracle
// single-steps transfers and gives cases a stack in the scratch page, safety.ts).
//
// The case's code is the instruction followed by `add rax, 1` (FILLER): a transfer
// either lands right after the instruction (the filler runs), jumps over the filler to
// the end of the code (it does not), or goes into the INT3 fill of the code page beyond
// the harness's tail jump, and a few indirect ones leave the code page for an unmapped
// or non-executable address (an execute fault). RAX, RIP at a fault, RSP and the pushed
// return addresses then tell whether the engine chose the same target as the CPU.
// Targets are never behind the instruction (no loops) and never inside the tail jump.
//
// No 66 prefix on transfers: in 64-bit mode Intel ignores it on near branches and AMD
// truncates the target to 16 bits (a vendor difference, not an engine bug).

import type { Insn } from '../../src/x86/insn.js';
import { Flow, OpKind } from '../../src/x86/insn.js';
import { CODE_ADDRESS, SCRATCH_ADDRESS, SCRATCH_SIZE } from '../native/case.js';
import type { Rng } from './values.js';

const FILLER = [0x48, 0x83, 0xc0, 0x01]; // add rax, 1
const TAIL_BYTES = 14;
const RSP = 4, RBP = 5;

export function isTransfer(insn: Insn): boolean { return insn.flow >= Flow.Jump && insn.flow <= Flow.Return; }

const STACK_USERS = /^(Push|Pop|Pushf|Pushfq|Popf|Popfq|Call|Ret|Enter|Leave)$/;
export function usesStack(insn: Insn): boolean { return STACK_USERS.test(insn.mnemonic); }

export interface FlowSetup {
  code: Uint8Array;
  /** Qwords (or smaller values) to place in the scratch page: [offset, bytes]. */
  memory: [number, Uint8Array][];
}

function le(v: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** A target offset from CODE_ADDRESS: after the instruction, after the filler, or into the INT3 fill. */
function targetOffset(r: Rng, insnLen: number, codeLen: number): number {
  const k = r.int(10);
  if (k < 4) return insnLen;
  if (k < 8) return codeLen;
  return codeLen + TAIL_BYTES + r.int(48);
}

/**
 * Shapes the case for a transfer or stack instruction: appends the filler, sets the
 * branch displacement, target registers or memory, RSP (and RBP for ENTER/LEAVE).
 * Returns undefined when the encoding cannot be used (a 66 prefix on a transfer).
 */
export function setupFlow(r: Rng, insn: Insn, bytes: Uint8Array, regs: bigint[], memOperandAt: number | undefined): FlowSetup | undefined {
  const transfer = isTransfer(insn);
  const stack = usesStack(insn);
  if (!transfer && !stack) return { code: bytes, memory: [] };
  const prefixEnd = bytes.findIndex((b) => !(b === 0x66 || b === 0x67 || b === 0xf2 || b === 0xf3 || b === 0xf0 || b === 0x2e || b === 0x3e || b === 0x26 || b === 0x36 || b === 0x64 || b === 0x65));
  if (transfer && bytes.subarray(0, prefixEnd < 0 ? 0 : prefixEnd).includes(0x66)) return undefined;
  const code = new Uint8Array(bytes.length + FILLER.length);
  code.set(bytes);
  code.set(FILLER, bytes.length);
  const memory: [number, Uint8Array][] = [];
  // The stack: 8-aligned mostly, somewhere in the middle of the scratch page.
  const rsp = SCRATCH_ADDRESS + 0x600 + 8 * r.int(0x40) + (r.chance(0.1) ? r.int(8) : 0);
  if (stack) regs[RSP] = BigInt(rsp);
  else regs[RSP] = 0n;
  if (insn.mnemonic === 'Leave' || insn.mnemonic === 'Enter') regs[RBP] = BigInt(SCRATCH_ADDRESS + 0x300 + 8 * r.int(0x80));
  if (/^Popf/.test(insn.mnemonic)) {
    // Only the arithmetic flags and DF: TF, AC and the rest would change how later code runs.
    const flags = BigInt((r.u32() & 0xcd5) | 0x202);
    memory.push([rsp - SCRATCH_ADDRESS, le(flags, insn.opSize)]);
  }
  if (!transfer) return { code, memory };

  const target = BigInt(CODE_ADDRESS + targetOffset(r, bytes.length, code.length));
  const far = r.chance(0.08) ? r.pick([0x1234_5000n, BigInt(SCRATCH_ADDRESS + 0x100)]) : undefined; // execute faults
  const op = insn.ops[0];
  if (insn.flow === Flow.Return) {
    memory.push([rsp - SCRATCH_ADDRESS, le(far ?? target, 8)]);
  } else if (op?.kind === OpKind.Rel) {
    // Rewrite the displacement (the last 1 or 4 bytes of the instruction).
    const dispSize = isRel8(insn) ? 1 : 4;
    const rel = Number(target) - (CODE_ADDRESS + insn.len);
    if (dispSize === 1 && rel > 127) return undefined;
    code.set(le(BigInt.asUintN(dispSize * 8, BigInt(rel)), dispSize), insn.len - dispSize);
  } else if (op?.kind === OpKind.Reg) {
    regs[op.reg] = far ?? target;
  } else if (op?.kind === OpKind.Mem && memOperandAt !== undefined) {
    memory.push([memOperandAt - SCRATCH_ADDRESS, le(far ?? target, 8)]);
  } else {
    return undefined;
  }
  if (memory.some(([off, b]) => off < 0 || off + b.length > SCRATCH_SIZE)) return undefined;
  return { code, memory };
}

/** Jcc rel8 (70-7F), JMP rel8 (EB), LOOPcc/JrCXZ (E0-E3): one displacement byte. */
function isRel8(insn: Insn): boolean {
  const b = insn.bytes;
  let i = 0;
  while (i < b.length && ((b[i]! & 0xf0) === 0x40 || [0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65].includes(b[i]!))) i++;
  const op = b[i]!;
  return (op >= 0x70 && op <= 0x7f) || op === 0xeb || (op >= 0xe0 && op <= 0xe3);
}

// The lifter's driver: decoded guest instructions of one basic block in, one IR block
// out. An instruction it cannot translate becomes, with `helpers` on, a `helper` op:
// the interpreter's own handler runs it in place and the block goes on (string
// instructions, pushf/popf, cpuid, most of SSE3/SSSE3/SSE4.1, x87...: without it each
// ended the block with a trip through the dispatcher and the cold tier, in hot loops
// too). Instructions without a lifter that transfer control or raise (any Flow but
// None: int3, syscall, ud2, hlt, invalid encodings) still end the block early with an
// `interp` exit at that instruction, so the interpreter runs it; so does everything
// with `helpers` off (the Binaryen backend, the compare engine). Never a wrong
// translation: a lifter either handles a form exactly or refuses it.

import type { Insn } from '../x86/insn.js';
import { Flow, OpKind, RegClass, Rep, Seg } from '../x86/insn.js';
import type { Block, Ty } from './ir.js';
import { intTy } from './ir.js';
import { sourceSegment } from '../interp/int/string.js';
import { Builder, emptyBlock } from './builder.js';
import { CannotLift, LiftCtx } from './lift-ctx.js';
import { integerLifters } from './lift-int.js';
import type { Lifter } from './lift-int.js';
import { sseLifters } from './lift-sse.js';
import { deadFlagsAfter } from './lift-flags.js';

const LIFTERS: Record<string, Lifter> = { ...integerLifters, ...sseLifters };

export interface LiftResult {
  block: Block;
  /** Why lifting stopped early (the mnemonic and the reason), if it did. */
  stoppedAt?: { addr: number; why: string };
  /** Instructions that became `helper` ops (mnemonic and reason), if any. */
  helpers?: string[];
}

/** Whether an instruction nobody lifts may run as a `helper` op inside compiled code. */
export function helperAllowed(insn: Insn): boolean {
  return insn.flow === Flow.None && insn.mnemonic !== 'INVALID';
}


/**
 * REP MOVS / REP STOS with 64-bit addressing and (MOVS) no FS/GS source override: a
 * helper op with an inline bulk fast path (memory.copy / memory.fill) in the direct
 * backend; the helper still runs every case the fast path declines (DF=1, refused pages,
 * overlap, faults). For these two, F2 means REP too, as in the interpreter.
 */
export function bulkString(insn: Insn): { op: 'repmovs' | 'repstos'; ty: Ty } | undefined {
  const m = /^(Movs|Stos)([bwdq])$/.exec(insn.mnemonic);
  if (m === null || insn.rep === Rep.None || insn.addrSize !== 8) return undefined;
  // SSE MOVSD shares the mnemonic; the string form has no XMM operand.
  if (insn.ops.some((o) => o.kind === OpKind.Reg && o.regClass === RegClass.Xmm)) return undefined;
  const ty = intTy({ b: 1, w: 2, d: 4, q: 8 }[m[2] as 'b' | 'w' | 'd' | 'q']);
  if (m[1] === 'Stos') return { op: 'repstos', ty };
  return sourceSegment(insn) === Seg.None ? { op: 'repmovs', ty } : undefined;
}

/**
 * `deadFlags`: skip flag computations a later instruction of the block overwrites
 * before reading (./lift-flags.ts); off, every flag write is emitted (as the IR text
 * tests pin it) for the passes to remove.
 */
export function liftBlock(insns: readonly Insn[], deadFlags = false, helpers = false): LiftResult {
  return liftUpTo(insns, deadFlags ? insns.length : 0, helpers);
}

/** Dead flags are judged by insns[0..scanEnd) (0: none skipped). */
function liftUpTo(insns: readonly Insn[], scanEnd: number, helpers: boolean): LiftResult {
  const dead = scanEnd > 0 ? deadFlagsAfter(insns, scanEnd) : undefined;
  const start = insns[0]!.addr;
  const block = emptyBlock(start);
  const b = new Builder(block);
  const x = new LiftCtx(b);
  let stoppedAt: LiftResult['stoppedAt'];
  let helperWhy: string[] | undefined;
  for (let n = 0; n < insns.length; n++) {
    const insn = insns[n]!;
    const mark = block.insts.length, mark2 = block.nextValue;
    b.insn(insn.addr);
    const lifter = LIFTERS[insn.mnemonic];
    let why: string | undefined;
    if (lifter === undefined || insn.mnemonic === 'INVALID') why = `${insn.mnemonic}: no lifter`;
    else {
      try {
        x.begin(insn);
        x.deadFlags = dead !== undefined && n < dead.length ? dead[n]! : 0;
        lifter(x, insn);
      } catch (e) {
        if (!(e instanceof CannotLift)) throw e;
        why = `${insn.mnemonic}: ${e.message}`;
      }
    }
    if (why !== undefined && helpers && helperAllowed(insn)) {
      // Dead flags need no second look: lift-flags.ts counts an instruction it has no
      // table entry for as reading every flag, and its entries describe the
      // instruction (what the interpreter's handler does), not the lifter.
      block.insts.length = mark;
      block.nextValue = mark2;
      b.insn(insn.addr);
      const bulk = bulkString(insn);
      if (bulk !== undefined) b.repString(bulk.op, bulk.ty, insn.addr); else b.helper(insn.addr);
      // It may write any flag: a later Jcc must not fuse with an earlier compare.
      x.flagsClobbered();
      (helperWhy ??= []).push(why);
      why = undefined;
    }
    if (why !== undefined) {
      // The block ends here after all: flags left out because this instruction or a
      // later one would overwrite them are needed. Lift again, judged up to here.
      if (n < scanEnd && dead!.subarray(0, n).some((d) => d !== 0)) return liftUpTo(insns, n, helpers);
      block.insts.length = mark;
      block.nextValue = mark2;
      b.insn(insn.addr);
      b.interp(insn.addr);
      block.end = insn.addr;
      stoppedAt = { addr: insn.addr, why };
      return { block, stoppedAt, ...(helperWhy ? { helpers: helperWhy } : {}) };
    }
    block.count++;
    block.end = insn.addr + insn.len;
    if (insn.flow !== Flow.None) return { block, ...(helperWhy ? { helpers: helperWhy } : {}) };
  }
  // The block was cut by the size cap: continue at the next instruction.
  b.jump(block.end);
  return { block, ...(helperWhy ? { helpers: helperWhy } : {}) };
}

// The JIT engine's cold tier: runs guest blocks with the interpreter's instruction
// semantics (the same per-instruction closures the Interpreter builds), one block at
// a time, counting how often each block runs so the hot ones can be compiled.
// The block loop is the JIT's own because the dispatcher must regain control after
// every block (or after one instruction, when compiled code bails out).

import type { CpuState } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';
import { PAGE_SHIFT, PAGE_SIZE } from '../mem/memory.js';
import { GuestFault, ExceptionCode } from '../mem/fault.js';
import type { Insn } from '../x86/insn.js';
import { Flow, hexBytes } from '../x86/insn.js';
import { ExecContext } from '../interp/context.js';
import type { Exec } from '../interp/int/types.js';
import { integerCompilers } from '../interp/int/index.js';
import type { HandlerTable } from '../interp/machine.js';
import type { DecodeFn } from './decode-block.js';
import { decodeBlock } from './decode-block.js';

export class ColdBlock {
  /** Executions so far (hotness). */
  runs = 0;
  /** Drops to 0 when the block's code is overwritten while it runs. */
  limit: number;
  constructor(readonly addr: number, readonly insns: Insn[], readonly fns: Exec[], readonly endsInTransfer: boolean) {
    this.limit = fns.length;
  }
}

function isTransfer(f: Flow): boolean {
  return f === Flow.Jump || f === Flow.CondJump || f === Flow.IndirectJump || f === Flow.Call || f === Flow.IndirectCall || f === Flow.Return;
}

export class ColdTier {
  readonly ctx: ExecContext;
  blocksDecoded = 0;
  cacheHits = 0;
  instructions = 0;
  private readonly cache = new Map<number, ColdBlock>();
  private readonly pageBlocks = new Map<number, ColdBlock[]>();
  private readonly handlers = new Map<string, (m: ExecContext, insn: Insn) => void>();

  constructor(readonly st: CpuState, readonly mem: GuestMemory, private readonly decode: DecodeFn,
    tables: HandlerTable[], private readonly maxBlock: number) {
    this.ctx = new ExecContext(st, mem);
    for (const t of tables) for (const [k, h] of Object.entries(t)) if (!this.handlers.has(k)) this.handlers.set(k, h);
    mem.onCodeWrite((p) => this.invalidatePage(p));
  }

  /** Instructions in the cold block at `addr` (0 when never decoded). */
  lengthAt(addr: number): number { return this.cache.get(addr)?.insns.length ?? 0; }

  /**
   * The decoded instructions of the cold block at `addr` when it was decoded with a
   * block cap of `maxInsns` (the region builder then need not decode it again).
   */
  decodedAt(addr: number, maxInsns: number): Insn[] | undefined {
    return maxInsns === this.maxBlock ? this.cache.get(addr)?.insns : undefined;
  }

  /** How often the block at `addr` has run here (0 when never decoded). */
  runsAt(addr: number): number { return this.cache.get(addr)?.runs ?? 0; }

  block(addr: number): ColdBlock {
    const c = this.cache.get(addr);
    if (c !== undefined) { this.cacheHits++; return c; }
    const insns = decodeBlock(this.mem, this.decode, addr, this.maxBlock);
    const last = insns[insns.length - 1]!;
    const blk = new ColdBlock(addr, insns, insns.map((i) => this.compile(i)), isTransfer(last.flow) && last.mnemonic !== 'INVALID');
    this.cache.set(addr, blk);
    this.blocksDecoded++;
    for (let p = addr >>> PAGE_SHIFT; p <= (last.addr + last.len - 1) >>> PAGE_SHIFT; p++) {
      this.mem.markCode(p * PAGE_SIZE);
      let l = this.pageBlocks.get(p);
      if (l === undefined) { l = []; this.pageBlocks.set(p, l); }
      l.push(blk);
    }
    return blk;
  }

  /** Whether runs count towards hotness (not while the runtime runs its own guest calls). */
  counting = true;

  /**
   * Runs up to `max` instructions of `blk` (RIP must be its address); leaves RIP at the
   * next instruction, or at the faulting one when a GuestFault escapes. Returns the
   * number of instructions completed.
   */
  run(blk: ColdBlock, max: number): number {
    const fns = blk.fns;
    const n = Math.min(max, fns.length);
    let i = 0;
    try {
      for (; i < n && i < blk.limit; i++) fns[i]!();
    } catch (e) {
      if (e instanceof GuestFault) { this.instructions += i; this.ctx.setRip(blk.insns[i]!.addr); }
      throw e;
    }
    this.instructions += i;
    if (i > 0 && (i !== fns.length || !blk.endsInTransfer)) {
      const last = blk.insns[i - 1]!;
      this.ctx.setRip(last.addr + last.len);
    }
    if (this.counting) blk.runs++;
    return i;
  }

  /** The interpreter's closure for one instruction (also what a compiled `helper` op runs). */
  compileInsn(insn: Insn): Exec { return this.compile(insn); }

  private compile(insn: Insn): Exec {
    if (insn.mnemonic === 'INVALID') return illegal(insn, 'unsupported or invalid encoding');
    const comp = integerCompilers[insn.mnemonic];
    if (comp !== undefined) {
      try {
        const fn = comp(this.ctx, insn);
        if (fn !== undefined) return fn;
      } catch (e) {
        return illegal(insn, `cannot execute this form (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    const h = this.handlers.get(insn.mnemonic);
    if (h !== undefined) { const c = this.ctx; return () => h(c, insn); }
    return illegal(insn, 'no handler');
  }

  invalidatePage(page: number): void {
    const list = this.pageBlocks.get(page);
    if (list === undefined) return;
    this.pageBlocks.delete(page);
    for (const b of list) { b.limit = 0; if (this.cache.get(b.addr) === b) this.cache.delete(b.addr); }
  }
}

function illegal(insn: Insn, why: string): Exec {
  const detail = `${insn.mnemonic === 'INVALID' ? 'invalid instruction' : insn.mnemonic.toLowerCase()} `
    + `[${hexBytes(insn.bytes)}] at 0x${insn.addr.toString(16)}: ${why}`;
  return () => { throw new GuestFault(ExceptionCode.IllegalInstruction, insn.addr, 0, detail); };
}

// The reference interpreter: decodes guest code one basic block at a time, compiles
// each instruction once into a closure (operand accessors chosen at decode time), and
// caches the block by guest address until its code pages are written or reprotected.
//
// Execution state between blocks lives in CpuState only (RIP, RFLAGS, registers), so
// another engine can take over at any block boundary. Inside a block RIP stays at the
// block's first instruction; control-transfer closures (always last) set it, and the
// run loop sets it to the fall-through address otherwise. When a closure throws a
// GuestFault, the loop's index tells which instruction faulted, so RIP is set to it
// without any per-instruction bookkeeping.

import type { CpuState } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';
import { PAGE_SHIFT, PAGE_SIZE, Prot, Access, ADDRESS_LIMIT } from '../mem/memory.js';
import { GuestFault, ExceptionCode } from '../mem/fault.js';
import type { Insn } from '../x86/insn.js';
import { DecodeTruncated, Flow, hexBytes } from '../x86/insn.js';
import type { HandlerTable } from './machine.js';
import { ExecContext } from './context.js';
import type { Compiler, Exec } from './int/types.js';
import { integerCompilers } from './int/index.js';
import { InstructionLimitExceeded, ExecutionStopped } from './errors.js';

export { InstructionLimitExceeded, ExecutionStopped };

/** Decodes the instruction at bytes[offset] whose guest address is `addr`. */
export type DecodeFn = (bytes: Uint8Array, offset: number, addr: number) => Insn;

export interface InterpreterOptions {
  decode: DecodeFn;
  /** Extra handler tables (SSE, x87), consulted after the integer instructions. */
  handlers?: HandlerTable[];
  /** Most instructions per decoded block (default 64). */
  maxBlockInstructions?: number;
  /** Host clock for RDTSC (default: performance.now() in microseconds). */
  clock?: () => number;
  /** External stop request: execution stops at the next block boundary while element 0 is non-zero. */
  stopSignal?: Int32Array;
}

export interface RunOptions {
  /** Return when RIP reaches this address (checked at block boundaries). */
  stopAt?: number;
  /** Throw InstructionLimitExceeded after this many guest instructions. */
  maxInstructions?: number;
}

const TWO32 = 0x100000000;
/** Bytes fetched per block beyond the last instruction start the cap allows. */
const MAX_INSN_LEN = 15;

class Block {
  /** Number of instructions; `limit` drops to 0 when the block is invalidated while running. */
  limit: number;
  /** False once invalidated (or unregistered, for natives). */
  valid = true;
  /** The blocks that followed this one last time (a two-entry successor cache that skips the map lookup). */
  succAddr1 = -1;
  succ1: Block | null = null;
  succAddr2 = -1;
  succ2: Block | null = null;
  constructor(
    readonly addr: number,
    readonly fns: Exec[],
    /** Address of each instruction (RIP for a fault in it). */
    readonly addrs: number[],
    /** Address after each instruction. */
    readonly next: number[],
    /** The last instruction sets RIP itself. */
    readonly endsInTransfer: boolean,
    readonly native: (() => void) | null,
  ) {
    this.limit = fns.length;
    this.n = fns.length;
    this.end = next.length ? next[next.length - 1]! : addr;
  }
  /** Number of instructions. */
  readonly n: number;
  /** Address after the last instruction. */
  readonly end: number;
}

function isTransfer(flow: Flow): boolean {
  return flow === Flow.Jump || flow === Flow.CondJump || flow === Flow.IndirectJump
    || flow === Flow.Call || flow === Flow.IndirectCall || flow === Flow.Return;
}

export class Interpreter {
  readonly ctx: ExecContext;
  // ---- counters ----
  /** Guest instructions executed (REP string instructions count once). */
  instructions = 0;
  blocksDecoded = 0;
  cacheHits = 0;
  nativesCalled = 0;
  /** Value of `instructions` at which run() stops with InstructionLimitExceeded. */
  private limitAt = Infinity;

  private readonly decode: DecodeFn;
  private readonly compilers = new Map<string, Compiler>();
  private readonly handlers = new Map<string, (m: ExecContext, insn: Insn) => void>();
  private readonly maxBlock: number;
  private readonly stopSignal: Int32Array | undefined;
  private stopReason: string | null = null;
  private readonly cache = new Map<number, Block>();
  private readonly pageBlocks = new Map<number, Block[]>();
  private readonly natives = new Map<number, Block>();

  constructor(readonly st: CpuState, readonly mem: GuestMemory, options: InterpreterOptions) {
    this.ctx = new ExecContext(st, mem, options.clock);
    this.decode = options.decode;
    for (const [name, comp] of Object.entries(integerCompilers)) this.compilers.set(name, comp);
    for (const table of options.handlers ?? []) {
      for (const [name, h] of Object.entries(table)) if (!this.handlers.has(name)) this.handlers.set(name, h);
    }
    this.maxBlock = options.maxBlockInstructions ?? 64;
    this.stopSignal = options.stopSignal;
    mem.onCodeWrite((page) => this.invalidatePage(page));
  }

  /** When execution reaches `addr`, call `fn` instead of decoding; fn must set RIP. */
  registerNative(addr: number, fn: () => void): void {
    const blk = new Block(addr, [], [], [], true, fn);
    this.natives.set(addr, blk);
    this.cache.set(addr, blk);
  }

  unregisterNative(addr: number): void {
    const blk = this.natives.get(addr);
    if (blk === undefined) return;
    blk.valid = false;
    this.natives.delete(addr);
    this.cache.delete(addr);
  }

  /** Asks run() (every nesting level) to stop at the next block boundary with ExecutionStopped. */
  requestStop(reason = 'stop requested'): void { this.stopReason = reason; }

  /** Drops every decoded block (natives stay). */
  flushCache(): void {
    for (const page of [...this.pageBlocks.keys()]) this.invalidatePage(page);
  }

  /**
   * Runs guest code from RIP until RIP === stopAt. Re-entrant: a native may call run()
   * again (host-to-guest callbacks). Throws GuestFault with RIP at the faulting
   * instruction and the state as before it, InstructionLimitExceeded, or ExecutionStopped.
   */
  run(options: RunOptions = {}): void {
    const stopAt = options.stopAt ?? -1;
    // The limit is absolute over this.instructions, so instructions run by nested calls
    // (host-to-guest callbacks) count against the outer run's budget too.
    const savedLimit = this.limitAt;
    if (options.maxInstructions !== undefined) this.limitAt = Math.min(this.limitAt, this.instructions + options.maxInstructions);
    const u32 = this.ctx.u32, ri = this.ctx.ri;
    const cache = this.cache, signal = this.stopSignal;
    let blk: Block | null = null;
    let i = 0;
    try {
      for (;;) {
        const hi = u32[ri + 1]!;
        const rip = hi === 0 ? u32[ri]! : hi * TWO32 + u32[ri]!;
        if (rip === stopAt) return;
        if (this.stopReason !== null || (signal !== undefined && signal[0] !== 0)) {
          const reason = this.stopReason ?? 'stop signal';
          this.stopReason = null;
          throw new ExecutionStopped(reason);
        }
        const budget = this.limitAt - this.instructions;
        if (budget <= 0) throw new InstructionLimitExceeded(this.instructions, rip);
        const prev: Block | null = blk;
        blk = null;
        let cur: Block;
        if (prev !== null && prev.succAddr1 === rip && prev.succ1!.valid) {
          cur = prev.succ1!;
          this.cacheHits++;
        } else if (prev !== null && prev.succAddr2 === rip && prev.succ2!.valid) {
          cur = prev.succ2!;
          this.cacheHits++;
        } else {
          const cached = cache.get(rip);
          if (cached === undefined) cur = this.decodeBlock(rip);
          else { cur = cached; this.cacheHits++; }
          if (prev !== null) {
            prev.succAddr2 = prev.succAddr1; prev.succ2 = prev.succ1;
            prev.succAddr1 = rip; prev.succ1 = cur;
          }
        }
        blk = cur;
        if (cur.native !== null) {
          i = -1;
          this.nativesCalled++;
          cur.native();
          continue;
        }
        const fns = cur.fns;
        let n = cur.n;
        // stopAt inside this block: run only up to it.
        if (stopAt > rip && stopAt < cur.end) { const k = cur.addrs.indexOf(stopAt); if (k > 0) n = k; }
        if (n === cur.n && n <= budget) {
          for (i = 0; i < cur.limit; i++) fns[i]!();
        } else {
          if (budget < n) n = budget;
          for (i = 0; i < n && i < cur.limit; i++) fns[i]!();
        }
        this.instructions += i;
        if (i !== cur.n || !cur.endsInTransfer) this.ctx.setRip(cur.next[i - 1]!);
      }
    } catch (e) {
      if (e instanceof GuestFault && blk !== null && blk.native === null && i >= 0 && i < blk.n) {
        this.instructions += i;
        this.ctx.setRip(blk.addrs[i]!);
      }
      throw e;
    } finally {
      this.limitAt = savedLimit;
    }
  }

  // ---- decoding ---------------------------------------------------------------------

  private decodeBlock(start: number): Block {
    const mem = this.mem;
    if (!(start < ADDRESS_LIMIT)) throw GuestFault.accessViolation(start, Access.Execute);
    mem.check(start, 1, Prot.X, Access.Execute);
    // Fetch window: up to the first non-executable page, capped for the block size.
    const cap = Math.min(ADDRESS_LIMIT, start + this.maxBlock * MAX_INSN_LEN);
    let limit = ((start >>> PAGE_SHIFT) + 1) * PAGE_SIZE;
    while (limit < cap && (mem.prot[limit >>> PAGE_SHIFT]! & (Prot.X | Prot.Guard)) === Prot.X) limit += PAGE_SIZE;
    limit = Math.min(limit, cap);
    const bytes = mem.u8.subarray(0, limit);

    const fns: Exec[] = [], addrs: number[] = [], next: number[] = [];
    let addr = start, endsInTransfer = false;
    while (fns.length < this.maxBlock && addr < limit) {
      let insn: Insn;
      try {
        insn = this.decode(bytes, addr, addr);
      } catch (e) {
        if (!(e instanceof DecodeTruncated)) throw e;
        // The instruction runs into a page we may not execute: fault there when we reach it.
        if (fns.length === 0) {
          if (limit < cap || limit === ADDRESS_LIMIT) throw GuestFault.accessViolation(limit, Access.Execute);
          throw e;
        }
        break;
      }
      fns.push(this.compile(insn));
      addrs.push(addr);
      addr += insn.len;
      next.push(addr);
      if (insn.flow !== Flow.None) { endsInTransfer = isTransfer(insn.flow) && insn.mnemonic !== 'INVALID'; break; }
    }
    const blk = new Block(start, fns, addrs, next, endsInTransfer, null);
    this.cache.set(start, blk);
    this.blocksDecoded++;
    for (let p = start >>> PAGE_SHIFT; p <= (addr - 1) >>> PAGE_SHIFT; p++) {
      mem.markCode(p * PAGE_SIZE);
      let list = this.pageBlocks.get(p);
      if (list === undefined) { list = []; this.pageBlocks.set(p, list); }
      list.push(blk);
    }
    return blk;
  }

  private compile(insn: Insn): Exec {
    if (insn.mnemonic === 'INVALID') return illegal(insn, 'unsupported or invalid encoding');
    const comp = this.compilers.get(insn.mnemonic);
    if (comp !== undefined) {
      let fn: Exec | undefined;
      try {
        fn = comp(this.ctx, insn);
      } catch (e) {
        return illegal(insn, `cannot execute this form (${e instanceof Error ? e.message : String(e)})`);
      }
      if (fn !== undefined) return fn;
    }
    const h = this.handlers.get(insn.mnemonic);
    if (h !== undefined) { const c = this.ctx; return () => h(c, insn); }
    return illegal(insn, 'no handler');
  }

  private invalidatePage(page: number): void {
    const list = this.pageBlocks.get(page);
    if (list === undefined) return;
    this.pageBlocks.delete(page);
    for (const blk of list) {
      blk.limit = 0;
      blk.valid = false;
      if (this.cache.get(blk.addr) === blk) this.cache.delete(blk.addr);
    }
  }
}

function illegal(insn: Insn, why: string): Exec {
  const detail = `${insn.mnemonic === 'INVALID' ? 'invalid instruction' : insn.mnemonic.toLowerCase()} `
    + `[${hexBytes(insn.bytes)}] at 0x${insn.addr.toString(16)}: ${why}`;
  return () => { throw new GuestFault(ExceptionCode.IllegalInstruction, insn.addr, 0, detail); };
}

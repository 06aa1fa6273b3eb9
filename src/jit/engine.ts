// The JIT engine: a dispatcher over compiled regions and the cold tier.
//
// At each block boundary RIP (in the shared CPU state) selects: a native (API thunk),
// a compiled region entry, or the cold tier, which counts executions and asks for a
// region to be compiled once a block reaches the threshold. Compiled code returns
// with RIP set and a status; bails and un-liftable instructions run one instruction
// in the cold tier; faults are rethrown with RIP at the faulting instruction.

import type { JitStatsView, RunOptions } from '../engine.js';
import type { CpuState } from '../cpu/state.js';
import { Reg } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';
import { PAGE_SHIFT, Prot, Access } from '../mem/memory.js';
import { GuestFault } from '../mem/fault.js';
import type { HandlerTable } from '../interp/machine.js';
import { InstructionLimitExceeded, ExecutionStopped } from '../interp/errors.js';
import type { Block } from '../ir/ir.js';
import { optimizeRegion } from '../ir/passes.js';
import type { PassOptions } from '../ir/passes.js';
import type { DecodeFn } from './decode-block.js';
import { ColdTier } from './cold.js';
import type { ColdBlock } from './cold.js';
import { ProtectionMirror } from './mirror.js';
import { refreshStackRange } from './stack-range.js';
import { buildRegion } from './region.js';
import { HELPERS_TABLE, runtimeHelpersTable } from './direct/runtime-calls.js';
import type { Backend, CodegenOptions } from './codegen.js';
import { compileRegionsDirect } from './direct/codegen.js';
import { compileSync, requestCompile, takeCompiled, compileRepliesPending, startCompileService } from './compile-service.js';
import type { CompileReply } from './compile-service.js';
import type { BuiltRegion } from './region.js';
import { JitAddr, Status, HelperResult, chainSlot } from './layout.js';
import { binaryenLoaded } from './wasm.js';
import { Layout } from '../mem/layout.js';
import { SseSlowPath } from './sse-runtime.js';
import { ExitFlags } from './exit-flags.js';
import { ALL_FLAGS, isHelper } from '../ir/ir.js';
import type { Insn } from '../x86/insn.js';
import { hexBytes } from '../x86/insn.js';
import type { Exec } from '../interp/int/types.js';

/** Guest instructions per block, in the cold tier and in regions alike (so regions can reuse its decoding). */
const MAX_BLOCK_INSNS = 64;

export interface JitOptions {
  /** Cold-tier executions of a block before its region is compiled (0: compile at first sight). */
  threshold: number;
  /** Compile regions of blocks (true) or one block at a time (false). */
  regions: boolean;
  maxRegionBlocks: number;
  maxRegionInsns: number;
  passes: PassOptions;
  codegen: CodegenOptions;
  /** Measure the time spent in compiled code, the cold tier and API functions (--stats; costs a clock read per switch). */
  timing?: boolean;
  /** Compiled regions go straight on into each other (direct backend) instead of returning to the dispatcher. */
  chain: boolean;
  /** Tiered: regions take only blocks the cold tier has run (else all reachable code, up to the caps). */
  hotRegions: boolean;
  /** Guest instructions compiled code may run before returning to the dispatcher. */
  fuelChunk: number;
  /**
   * Instructions without a lifter run inside compiled code as `helper` ops (the
   * interpreter's handler called in place) instead of ending the block with an exit to
   * the dispatcher. Direct backend only; off for --engine compare (the handler's stores
   * bypass its logged slow path).
   */
  helperOps?: boolean;
  /**
   * Dead-flag elimination looks at the code a region exits to (src/jit/exit-flags.ts)
   * instead of keeping every flag live at every exit. Off for --engine compare, which
   * checks the flags after every block.
   */
  exitFlagLiveness: boolean;
}

export const DEFAULT_JIT_OPTIONS: JitOptions = {
  threshold: 50,
  regions: true,
  maxRegionBlocks: 48,
  maxRegionInsns: 1200,
  passes: { deadFlags: true, fold: true, forward: true },
  codegen: { registerCache: true, optimize: 0, forceSlowMemory: false },
  hotRegions: true,
  chain: true,
  fuelChunk: 1 << 22,
  exitFlagLiveness: true,
};

/** The JIT's counters (the same shape --stats shows; defined once in src/engine.ts). */
export type JitStats = JitStatsView;

type RegionFn = (entry: number) => number;
type TimeBucket = 'other' | 'compiledMs' | 'coldMs' | 'apiMs';

interface Entry { fn: RegionFn; index: number; region: CompiledRegion }

/**
 * What runs at one guest address, cached for the dispatcher: one map lookup (or none,
 * through the previous site's two successors) instead of one per table. `native` and
 * `entry` are valid while `gen` equals the runtime's generation, which changes whenever
 * natives or compiled entries do; `cold` while its limit is non-zero (the cold tier
 * zeroes it when the block's code is overwritten).
 */
class Site {
  gen = -1;
  native: (() => void) | null = null;
  entry: Entry | null = null;
  cold: ColdBlock | null = null;
  nextAddr1 = -1;
  next1: Site | null = null;
  nextAddr2 = -1;
  next2: Site | null = null;
  /** Distinct addresses seen to run right after this site (at most SEEN_SUCCESSORS): where an indirect call or jump here goes. */
  seen: number[] | null = null;
  constructor(readonly addr: number) {}

  noteSuccessor(addr: number): void {
    const seen = this.seen ??= [];
    if (seen.length < SEEN_SUCCESSORS && !seen.includes(addr)) seen.push(addr);
  }
}
/** How many successors a site remembers for region formation (indirect targets). */
const SEEN_SUCCESSORS = 8;
interface CompiledRegion {
  entries: number[];
  pages: number[];
  live: boolean;
  /** Where its instructions start (stopAt inside a region sends execution to the cold tier). */
  insnAddrs: Set<number>;
  /** Its function's slot in the region table (chaining). */
  slot: number;
}

/** A region decoded and lifted, waiting for (or given to) the compiler. */
interface Prepared {
  rip: number;
  built: BuiltRegion;
  blocks: Block[];
  pages: number[];
  insnAddrs: Set<number>;
  /** Code-page generations when the region was decoded (a later write makes it stale). */
  gens: number[];
}

/** An asynchronous compile request. */
interface PendingCompile { id: number; prep: Prepared; stale: boolean }

export interface MemoryWrite { addr: number; before: Uint8Array; after: Uint8Array }

export class JitRuntime {
  readonly cold: ColdTier;
  private readonly exitFlags: ExitFlags;
  readonly stats: JitStats = {
    regionsCompiled: 0, blocksCompiled: 0, modulesCreated: 0, compileMs: 0, jitInstructions: 0,
    coldInstructions: 0, regionCalls: 0, invalidations: 0, fallbacks: 0, bails: 0, slowAccesses: 0, helperOps: 0, helperCalls: 0,
    compiledMs: 0, coldMs: 0, apiMs: 0,
  };
  /** Calls of the SSE slow path (src/jit/sse-runtime.ts) from compiled code. */
  sseSlowCalls = 0;
  instructions = 0;
  nativeCalls = 0;
  /** When set, every slow-path store is recorded (lock-step comparison). */
  writeLog: MemoryWrite[] | undefined;
  /** Called with the optimised IR of every compiled region (diagnostics). */
  onCompiled: ((blocks: Block[]) => void) | undefined;
  /** Called with the wasm bytes of every installed module and its region's blocks (diagnostics). */
  onInstalled: ((blocks: Block[], bytes: Uint8Array) => void) | undefined;

  private readonly natives = new Map<number, () => void>();
  /** The natives at 16-byte-aligned addresses of the thunk range, by (addr - thunkBase) / 16. */
  private readonly thunkNatives: ((() => void) | null)[] = new Array<(() => void) | null>(Layout.thunkSize >>> 4).fill(null);
  private readonly compiled = new Map<number, Entry>();
  private readonly sites = new Map<number, Site>();
  /** The site a dispatch loop last started at with no predecessor (a callback's entry: an exception filter, an atexit function), skipping the map. */
  private firstSite: Site | null = null;
  /** Bumped whenever `natives` or `compiled` change (Site caches are checked against it). */
  private gen = 0;
  private readonly pageRegions = new Map<number, CompiledRegion[]>();
  /** Entries whose compilation produced nothing useful: leave them to the cold tier. */
  private readonly uncompilable = new Set<number>();
  /** Asynchronous compile requests by id (tiered: the guest keeps interpreting meanwhile). */
  private readonly pending = new Map<number, PendingCompile>();
  /** Block addresses inside regions being compiled (not requested again meanwhile). */
  private readonly awaiting = new Set<number>();
  /** Per code page: bumped on every invalidation, so stale compile results can be told. */
  private readonly pageGen = new Map<number, number>();
  private readonly mirror: ProtectionMirror;
  private readonly imports: WebAssembly.Imports;
  private pendingFault: GuestFault | undefined;
  /**
   * What compiled `helper` ops run, by the id in their k2 (0 unused): the interpreter's
   * closure for the instruction. Shared by every region holding the same bytes at the
   * same address (helperIds), so the table grows with distinct code only.
   */
  private readonly helperFns: { addr: number; fn: Exec }[] = [{ addr: 0, fn: () => {} }];
  private readonly helperIds = new Map<string, number>();
  /** The stopAt of the innermost run (-1: none). */
  private stopAt = -1;
  /** The innermost stopAt is a native's address: never inside compiled or cold code. */
  private stopIsNative = false;
  /** opts.codegen, and whether the guest memory is shared (modules must import it so). */
  private readonly codegen: CodegenOptions;
  /** Whether hot code may be compiled now (RunOptions.compile of the innermost run). */
  private compiling = true;
  /** Every compiled region function, so compiled code can tail-call into another region. */
  private readonly table = new WebAssembly.Table({ element: 'anyfunc', initial: 64 });
  /** Slot 0 holds missChain (see there); regions start at 1. */
  private nextSlot = 1;
  /** Timing (opts.timing): the bucket now being charged, when it started, and the buckets it interrupted. */
  private bucket: TimeBucket = 'other';
  private bucketSince = 0;
  private readonly bucketStack: TimeBucket[] = [];
  /** this.instructions at which the innermost run's instruction limit is reached. */
  private limitAt = Infinity;
  /** The fuel of the running region when its instructions were last counted. */
  private regionFuel = 0;
  private stopReason: string | null = null;
  private readonly u32: Uint32Array;

  constructor(readonly st: CpuState, readonly mem: GuestMemory, private readonly decode: DecodeFn,
    tables: HandlerTable[], readonly opts: JitOptions, private readonly stopSignal?: Int32Array) {
    this.cold = new ColdTier(st, mem, decode, tables, MAX_BLOCK_INSNS);
    this.codegen = { ...opts.codegen, sharedMemory: mem.buffer instanceof SharedArrayBuffer };
    this.exitFlags = new ExitFlags(mem, decode);
    this.table.set(0, missChain());
    this.mirror = new ProtectionMirror(mem);
    this.u32 = new Uint32Array(mem.buffer, 0, 0x4000);
    mem.onCodeWrite((p) => this.invalidatePage(p));
    // Binaryen: load it now, in the background, so its start-up overlaps interpretation.
    if (this.backend === 'binaryen') startCompileService();
    const sse = new SseSlowPath(st, mem);
    const runtimeFns = {
      slowLoad: (lo: number, hi: number, size: number) => this.slowLoad(lo >>> 0, hi >>> 0, size),
      slowStore: (lo: number, hi: number, size: number) => this.slowStore(lo >>> 0, hi >>> 0, size),
      callNative: (addr: number) => this.nativeFromJit(addr >>> 0),
      sseSlow: (form: number) => { this.sseSlowCalls++; return sse.run(form); },
      helperOp: (id: number) => this.runHelper(id),
    };
    // The direct backend reaches the runtime functions through the helpers table
    // (./direct/runtime-calls.ts); Binaryen's modules import them.
    this.imports = {
      env: {
        mem: mem.memory, regions: this.table, ...runtimeFns,
        ...(this.backend === 'direct' ? { [HELPERS_TABLE]: runtimeHelpersTable(runtimeFns) } : {}),
      },
    };
  }

  get backend(): Backend { return this.opts.codegen.backend ?? 'direct'; }

  registerNative(addr: number, fn: () => void): void {
    this.natives.set(addr, fn);
    const off = thunkOffset(addr);
    if (off >= 0 && (off & 15) === 0) this.thunkNatives[off >>> 4] = fn;
    this.gen++;
  }

  /** The native at `addr`: an array index for the thunk range (every API call from compiled code), else a map lookup. */
  private nativeAt(addr: number): (() => void) | undefined {
    const off = thunkOffset(addr);
    if (off >= 0 && (off & 15) === 0) return this.thunkNatives[off >>> 4] ?? undefined;
    return this.natives.get(addr);
  }
  requestStop(reason: string): void { this.stopReason = reason; }

  // ---- the dispatcher -------------------------------------------------------------------

  run(options: RunOptions = {}): void {
    // Runs nest (API functions call back into the guest): the innermost stopAt is in force.
    // Chaining from region to region skips the dispatcher's stopAt check: off meanwhile,
    // unless stopAt is a native (a callback's return sentinel): no region has code there,
    // so compiled code reaches it only through an indirect jump, which checks it.
    const outerStopAt = this.stopAt, outerNative = this.stopIsNative, outerCompile = this.compiling;
    const u32 = this.u32, chainIdx = JitAddr.chainOn >>> 2, stopIdx = JitAddr.stopAt >>> 2;
    const outerChain = u32[chainIdx]!, outerLo = u32[stopIdx]!, outerHi = u32[stopIdx + 1]!;
    const stopAt = options.stopAt ?? -1;
    const isNative = stopAt !== -1 && this.nativeAt(stopAt) !== undefined;
    this.stopAt = stopAt;
    this.stopIsNative = isNative;
    this.compiling = options.compile ?? outerCompile;
    this.cold.counting = this.compiling;
    u32[chainIdx] = (stopAt === -1 || isNative) && this.opts.chain ? 1 : 0;
    u32[stopIdx] = isNative ? stopAt >>> 0 : 0xffffffff;
    u32[stopIdx + 1] = isNative ? Math.floor(stopAt / 0x100000000) >>> 0 : 0xffffffff;
    try {
      this.dispatch(options.maxInstructions ?? Infinity);
    } finally {
      this.stopAt = outerStopAt;
      this.stopIsNative = outerNative;
      this.compiling = outerCompile;
      this.cold.counting = outerCompile;
      u32[chainIdx] = outerChain;
      u32[stopIdx] = outerLo;
      u32[stopIdx + 1] = outerHi;
    }
  }

  private dispatch(maxInstructions: number): void {
    // The limit is absolute over this.instructions, so instructions run by nested calls
    // (host-to-guest callbacks) count against the outer run's budget too.
    const outerLimit = this.limitAt;
    this.limitAt = Math.min(this.limitAt, this.instructions + maxInstructions);
    try {
      this.dispatchLoop();
    } finally {
      this.limitAt = outerLimit;
    }
  }

  private dispatchLoop(): void {
    const stopAt = this.stopAt;
    // Where stopAt may lie ahead inside a region or a cold block (not at a native).
    const stopInCode = stopAt !== -1 && !this.stopIsNative;
    const st = this.st, u32 = this.u32, signal = this.stopSignal, threshold = this.opts.threshold;
    const timing = this.opts.timing === true, chain = this.opts.chain && this.backend === 'direct';
    const ri = st.ripIndex, fuelIdx = JitAddr.fuel >>> 2, stackValidIdx = JitAddr.stackRangeValid >>> 2;
    let prev: Site | null = null;
    // Whether prev's code ran in the cold tier: only then is RIP where its block's last
    // instruction went (after a region call it is wherever the region left).
    let prevCold = false;
    for (;;) {
      const hi = u32[ri + 1]!;
      const rip = hi === 0 ? u32[ri]! : hi * 0x100000000 + u32[ri]!;
      if (rip === stopAt) return;
      if (this.stopReason !== null || (signal !== undefined && signal[0] !== 0)) {
        const reason = this.stopReason ?? 'stop signal';
        this.stopReason = null;
        throw new ExecutionStopped(reason);
      }
      const budget = this.limitAt - this.instructions;
      if (budget <= 0) throw new InstructionLimitExceeded(this.instructions, rip);
      if (this.pending.size > 0 && compileRepliesPending()) this.installReady();
      // The site at RIP: one of the previous site's last two successors, else a map lookup.
      let site: Site;
      if (prev !== null && prev.nextAddr1 === rip) site = prev.next1!;
      else if (prev !== null && prev.nextAddr2 === rip) site = prev.next2!;
      else if (prev === null && this.firstSite !== null && this.firstSite.addr === rip) site = this.firstSite;
      else {
        site = this.siteAt(rip);
        if (prev !== null) {
          prev.nextAddr2 = prev.nextAddr1; prev.next2 = prev.next1; prev.nextAddr1 = rip; prev.next1 = site;
          if (prevCold) prev.noteSuccessor(rip);
        }
        else this.firstSite = site;
      }
      prev = site;
      prevCold = false;
      if (site.gen !== this.gen) this.resolve(site);
      if (site.native !== null) {
        this.nativeCalls++;
        if (!timing) { site.native(); continue; }
        this.enterBucket('apiMs');
        try { site.native(); } finally { this.leaveBucket(); }
        continue;
      }
      let entry = site.entry;
      let cold: ColdBlock | undefined;
      if (entry === null) {
        cold = site.cold !== null && site.cold.limit !== 0 ? site.cold : this.coldSite(site);
        if (cold !== undefined && cold.runs >= threshold && this.compiling && !this.uncompilable.has(rip) && !this.awaiting.has(rip)) {
          entry = this.compileAt(rip) ?? null;
          if (entry === null) cold = this.coldSite(site);
        }
      }
      if (stopInCode && (entry === null || !entry.region.live || entry.region.insnAddrs.has(stopAt))) {
        // Compiled code checks RIP only at region exits, and the cold tier runs whole
        // blocks: when stopAt lies ahead inside either, run the cold tier up to it.
        const k = this.coldIndexOf(rip, stopAt);
        if (k > 0) { this.runCold(Math.min(budget, k)); continue; }
        if (entry?.region.insnAddrs.has(stopAt)) entry = null;
      }
      if (entry !== null && entry.region.live) {
        // The chaining cache is filled at install and again here, at each entry from the
        // dispatcher: an entry evicted by a colliding address comes back once it is hot.
        if (chain) this.noteChain(rip, entry);
        if (u32[stackValidIdx] === 0) refreshStackRange(this.mem, u32, st.getNum(Reg.RSP));
        const fuel = Math.min(budget, this.opts.fuelChunk);
        u32[fuelIdx] = fuel;
        this.regionFuel = fuel;
        this.stats.regionCalls++;
        let status: number;
        let left = fuel;
        if (timing) this.enterBucket('compiledMs');
        try {
          status = entry.fn(entry.index);
        } finally {
          if (timing) this.leaveBucket();
          // Also when an API function called from compiled code threw (it saw the fuel then).
          left = u32[fuelIdx]! | 0;
          this.countCompiled(left);
        }
        if (status === Status.Fuel && left === fuel) {
          // The budget left is smaller than the next block: the cold tier runs what is left of it.
          prev = null;
          this.runCold(budget);
          continue;
        }
        if (status === Status.Normal || status === Status.Fuel) continue;
        if (status === Status.Fault) {
          const f = this.pendingFault!;
          this.pendingFault = undefined;
          throw f;
        }
        if (status === Status.SlowAccess) this.openMirror();
        else this.stats.bails++;
        // The cold tier runs one instruction somewhere inside the region: not a successor of this site.
        prev = null;
        if (this.limitAt > this.instructions) this.runCold(1);
        continue;
      }
      if (cold === undefined || cold.limit === 0) cold = this.cold.block(rip);
      this.runColdBlock(cold, budget);
      prevCold = true;
    }
  }

  /** The dispatch site for `addr` (created on first sight). */
  private siteAt(addr: number): Site {
    let s = this.sites.get(addr);
    if (s === undefined) { s = new Site(addr); this.sites.set(addr, s); }
    return s;
  }

  /** Re-reads what runs at a site after natives or compiled entries changed. */
  private resolve(s: Site): void {
    s.native = this.nativeAt(s.addr) ?? null;
    s.entry = this.compiled.get(s.addr) ?? null;
    s.gen = this.gen;
  }

  /** The site's cold block, decoded if needed (undefined when it cannot be decoded). */
  private coldSite(s: Site): ColdBlock | undefined {
    const b = this.safeColdBlock(s.addr);
    s.cold = b ?? null;
    return b;
  }

  /** Runs (part of) the block at RIP in the cold tier; returns instructions executed. */
  private runCold(max: number): number {
    return this.runColdBlock(this.cold.block(this.st.rip), max);
  }

  private runColdBlock(blk: ColdBlock, max: number): number {
    const before = this.cold.instructions;
    const timing = this.opts.timing === true;
    if (timing) this.enterBucket('coldMs');
    try {
      this.cold.run(blk, max);
    } finally {
      if (timing) this.leaveBucket();
      const n = this.cold.instructions - before;
      this.instructions += n;
      this.stats.coldInstructions += n;
    }
    return this.cold.instructions - before;
  }

  /** Index of the instruction at `addr` in the cold block at `rip` (-1 if not there). */
  private coldIndexOf(rip: number, addr: number): number {
    if (addr <= rip) return -1;
    const blk = this.safeColdBlock(rip);
    if (blk === undefined) return -1;
    const last = blk.insns[blk.insns.length - 1]!;
    if (addr >= last.addr + last.len) return -1;
    return blk.insns.findIndex((i) => i.addr === addr);
  }

  private safeColdBlock(rip: number) {
    try { return this.cold.block(rip); } catch { return undefined; }
  }

  // ---- compilation ----------------------------------------------------------------------

  /**
   * Compiles the region at `rip`: now (the direct backend always: it costs about a
   * microsecond per guest instruction; Binaryen for 'jit' or when loaded in this
   * thread), else in Binaryen's worker while the guest goes on in the cold tier.
   */
  private compileAt(rip: number): Entry | undefined {
    const t0 = performance.now();
    try {
      const prep = this.prepare(rip);
      if (prep === undefined) return undefined;
      if (this.backend === 'direct') {
        const t1 = performance.now();
        const module = compileRegionsDirect([prep.built.region], this.codegen);
        this.install(prep, { module, ms: performance.now() - t1 });
        return this.compiled.get(rip);
      }
      if (this.opts.threshold > 0 && binaryenLoaded() === undefined) {
        const id = requestCompile([prep.built.region], this.codegen);
        this.pending.set(id, { id, prep, stale: false });
        for (const b of prep.blocks) this.awaiting.add(b.addr);
        return undefined;
      }
      this.install(prep, compileSync([prep.built.region], this.codegen));
      return this.compiled.get(rip);
    } finally {
      this.stats.compileMs += performance.now() - t0;
    }
  }

  /** Decodes, lifts and optimises the region at `rip`; marks its pages as code. */
  private prepare(rip: number): Prepared | undefined {
    const o = this.opts;
    // Tiered: a region takes only blocks the cold tier has run (code never run stays
    // out: compiling it costs more than an exit to the dispatcher should it ever run)
    // and none another region has compiled (a callee shared by many callers would be
    // compiled again for each). Measured on coremark: compile time 0.85 -> 0.26 s for
    // 25x more dispatcher trips (a hot loop can end up split between two regions);
    // taking compiled blocks reached by jumps again cut the trips but doubled compile
    // time. Tiny blocks are taken again: an import stub (jmp [__imp_malloc]) would
    // otherwise cost each call two dispatcher trips.
    const profiled = o.hotRegions && o.threshold > 0;
    const built = buildRegion(this.mem, this.decode, rip, {
      maxBlocks: o.regions ? o.maxRegionBlocks : 1, maxInsns: o.maxRegionInsns, maxBlockInsns: MAX_BLOCK_INSNS,
      deadFlags: o.passes.deadFlags, helpers: this.helpersOn,
    }, {
      skip: (a, viaIndirect) => this.natives.has(a)
        || (profiled && (this.cold.runsAt(a) === 0 || (!viaIndirect && this.compiled.has(a) && this.cold.lengthAt(a) > 3))),
      decoded: (a) => this.cold.decodedAt(a, MAX_BLOCK_INSNS),
      indirectTargets: (a) => (profiled ? this.sites.get(a)?.seen ?? [] : []),
    });
    const blocks = built.region.blocks;
    this.stats.fallbacks += built.fallbacks.length;
    this.stats.helperOps += built.helpers.length;
    if (blocks.length === 0 || blocks[0]!.count === 0) {
      this.uncompilable.add(rip);
      return undefined;
    }
    const pageSet = new Set<number>(), insnAddrs = new Set<number>();
    // Flags live where the region exits: a region relying on what it found there is
    // dropped with it when that code changes, so its pages count as the region's.
    const outside = o.exitFlagLiveness ? (a: number): number => {
      // API thunks are not guest code (and the callback-return sentinel there is a stopAt).
      if (thunkOffset(a) >= 0) return ALL_FLAGS;
      const t = this.exitFlags.at(a);
      for (let p = t.firstPage; p <= t.lastPage; p++) pageSet.add(p);
      return t.live;
    } : undefined;
    optimizeRegion(blocks, o.passes, undefined, outside);
    if (built.helpers.length > 0) this.assignHelpers(blocks, built.insns);
    this.onCompiled?.(blocks);
    for (const ins of built.insns.values()) {
      for (const i of ins) { insnAddrs.add(i.addr); pageSet.add(i.addr >>> PAGE_SHIFT); pageSet.add((i.addr + i.len - 1) >>> PAGE_SHIFT); }
    }
    const pages = [...pageSet];
    // Marked now, so a write before the compiled module is installed is noticed (pageGen).
    for (const p of pages) this.mem.markCode(p << PAGE_SHIFT);
    return { rip, built, blocks, pages, insnAddrs, gens: pages.map((p) => this.pageGen.get(p) ?? 0) };
  }

  /** Installs the replies that have arrived; drops those whose code was overwritten since. */
  private installReady(): void {
    for (const [id, p] of this.pending) {
      const reply = takeCompiled(id);
      if (reply === undefined) continue;
      this.pending.delete(id);
      const gens = p.prep.gens;
      if (p.prep.pages.some((pg, i) => (this.pageGen.get(pg) ?? 0) !== gens[i])) this.markStale(p);
      if (p.stale) continue;
      for (const b of p.prep.blocks) this.awaiting.delete(b.addr);
      const t0 = performance.now();
      this.install(p.prep, reply);
      this.stats.compileMs += performance.now() - t0;
    }
  }

  private install(prep: Prepared, reply: CompileReply): void {
    const { blocks, pages, insnAddrs } = prep;
    const module = new WebAssembly.Module(reply.module.bytes as Uint8Array<ArrayBuffer>);
    const inst = new WebAssembly.Instance(module, this.imports);
    this.onInstalled?.(blocks, reply.module.bytes);
    this.stats.modulesCreated++;
    this.stats.regionsCompiled++;
    this.stats.blocksCompiled += blocks.length;
    const f = reply.module.functions[0]!;
    const fn = inst.exports[f.name] as RegionFn;
    const slot = this.tableSlot(fn);
    const region: CompiledRegion = { entries: f.entries, pages, live: true, insnAddrs, slot };
    for (const p of pages) {
      this.mem.markCode(p << PAGE_SHIFT);
      let l = this.pageRegions.get(p);
      if (l === undefined) { l = []; this.pageRegions.set(p, l); }
      l.push(region);
    }
    // Entry indices are the backend's (the direct backend's are layout positions).
    const counts = new Map(blocks.map((b) => [b.addr, b.count]));
    f.entries.forEach((addr, index) => {
      // Blocks that hand straight over to the interpreter are not worth an entry.
      if (counts.get(addr)! > 0) {
        this.compiled.set(addr, { fn, index, region });
        this.setChain(addr, slot, index);
      }
      this.gen++;
    });
  }

  /** Puts a region function into the region table (grown as needed); returns its slot. */
  private tableSlot(fn: RegionFn): number {
    const slot = this.nextSlot++;
    if (slot >= this.table.length) this.table.grow(this.table.length);
    this.table.set(slot, fn);
    return slot;
  }

  /** Points the chaining cache entry for `addr` at a compiled region entry. */
  private setChain(addr: number, slot: number, index: number): void {
    const e = chainSlot(addr) >>> 2;
    this.u32[e] = addr >>> 0;
    this.u32[e + 1] = Math.floor(addr / 0x100000000) >>> 0;
    this.u32[e + 2] = slot;
    this.u32[e + 3] = index;
  }

  /** Points the chaining cache entry for `addr` at `e` unless it already does. */
  private noteChain(addr: number, e: Entry): void {
    const i = chainSlot(addr) >>> 2, u32 = this.u32;
    if (addr > 0xffffffff || u32[i] !== addr >>> 0 || u32[i + 1] !== 0 || u32[i + 2] !== e.region.slot || u32[i + 3] !== e.index) this.setChain(addr, e.region.slot, e.index);
  }

  /** Empties the chaining cache entry for `addr` if it leads into the region at `slot`. */
  private clearChain(addr: number, slot: number): void {
    const e = chainSlot(addr) >>> 2;
    if (this.u32[e] === addr >>> 0 && this.u32[e + 2] === slot) { this.u32[e] = 0; this.u32[e + 1] = 0; }
  }

  /** A request's region was decoded from code since overwritten: its result is discarded. */
  private markStale(p: PendingCompile): void {
    if (p.stale) return;
    p.stale = true;
    this.stats.invalidations++;
    for (const b of p.prep.blocks) this.awaiting.delete(b.addr);
  }

  private invalidatePage(page: number): void {
    this.pageGen.set(page, (this.pageGen.get(page) ?? 0) + 1);
    for (const p of this.pending.values()) if (p.prep.pages.includes(page)) this.markStale(p);
    // New code may lift where the old did not (also when nothing was compiled from this page).
    this.uncompilable.clear();
    const list = this.pageRegions.get(page);
    if (list === undefined) return;
    this.pageRegions.delete(page);
    for (const r of list) {
      if (!r.live) continue;
      r.live = false;
      this.stats.invalidations++;
      for (const a of r.entries) {
        if (this.compiled.get(a)?.region === r) this.compiled.delete(a);
        this.clearChain(a, r.slot);
      }
      this.gen++;
    }
  }

  /** Drops all compiled code. */
  flush(): void {
    for (const p of [...this.pageRegions.keys()]) this.invalidatePage(p);
    for (const p of this.pending.values()) this.markStale(p);
  }

  // ---- API calls from compiled code ------------------------------------------------------------

  /**
   * Runs the API function at `addr` for compiled code (which has written the guest
   * state back and set RIP = addr). Returns 0 to continue in compiled code at the new
   * RIP, 1 to leave to the dispatcher instead: not an API function, a stop request, or
   * the run's stopAt reached.
   */
  private nativeFromJit(addr: number): number {
    const fn = this.nativeAt(addr);
    if (fn === undefined || addr === this.stopAt || this.stopReason !== null || (this.stopSignal !== undefined && this.stopSignal[0] !== 0)) return 1;
    const fuelIdx = JitAddr.fuel >>> 2;
    // Count what the region ran so far: a callback into the guest sees the right total.
    const left = this.u32[fuelIdx]!;
    this.countCompiled(left);
    const before = this.instructions;
    this.nativeCalls++;
    const timing = this.opts.timing === true;
    if (timing) this.enterBucket('apiMs');
    try {
      fn();
    } finally {
      if (timing) this.leaveBucket();
      // A callback runs the dispatcher again, which reuses the fuel slot and regionFuel.
      this.u32[fuelIdx] = left;
      this.regionFuel = left;
    }
    // After guest code ran inside the call, the dispatcher recomputes the budget.
    return this.instructions !== before || this.st.rip === this.stopAt ? 1 : 0;
  }

  /** Timing: charge the time so far to the current bucket, then charge `b` (exclusive times: nested work is not counted twice). */
  private enterBucket(b: TimeBucket): void {
    const now = performance.now();
    if (this.bucket !== 'other') this.stats[this.bucket] += now - this.bucketSince;
    this.bucketStack.push(this.bucket);
    this.bucket = b;
    this.bucketSince = now;
  }

  private leaveBucket(): void {
    const now = performance.now();
    if (this.bucket !== 'other') this.stats[this.bucket] += now - this.bucketSince;
    this.bucket = this.bucketStack.pop() ?? 'other';
    this.bucketSince = now;
  }

  /** Counts the instructions compiled code ran since it was entered (or last counted), given the fuel left. */
  private countCompiled(left: number): void {
    const done = this.regionFuel - left;
    this.regionFuel = left;
    this.instructions += done;
    this.stats.jitInstructions += done;
  }

  // ---- helper ops (called from compiled code) ------------------------------------------------

  /** Whether regions lift instructions without a lifter to `helper` ops. */
  private get helpersOn(): boolean { return this.opts.helperOps !== false && this.backend === 'direct'; }

  /** Gives every `helper` op of the blocks its runtime id (k2), compiling the interpreter's closure once per distinct instruction. */
  private assignHelpers(blocks: Block[], insns: Map<number, Insn[]>): void {
    for (const b of blocks) {
      let byAddr: Map<number, Insn> | undefined;
      for (const i of b.insts) {
        if (!isHelper(i.op)) continue;
        byAddr ??= new Map(insns.get(b.addr)!.map((x) => [x.addr, x]));
        const insn = byAddr.get(i.k)!;
        const key = `${insn.addr}:${hexBytes(insn.bytes)}`;
        let id = this.helperIds.get(key);
        if (id === undefined) {
          id = this.helperFns.length;
          this.helperFns.push({ addr: insn.addr, fn: this.cold.compileInsn(insn) });
          this.helperIds.set(key, id);
        }
        i.k2 = id;
      }
    }
  }

  /**
   * Runs a `helper` op's instruction with the interpreter's closure, on the state
   * compiled code wrote back (RIP = the instruction). The instruction is already
   * counted in its block's fuel. A guest fault is left pending with RIP at the
   * instruction and the state as the handler left it (the interpreter's truth).
   */
  private runHelper(id: number): number {
    const h = this.helperFns[id]!;
    this.stats.helperCalls++;
    try {
      h.fn();
    } catch (e) {
      if (e instanceof GuestFault) { this.cold.ctx.setRip(h.addr); this.pendingFault = e; return HelperResult.Fault; }
      throw e;
    }
    return this.st.rip === h.addr ? HelperResult.Done : HelperResult.Moved;
  }

  // ---- slow memory path (called from compiled code) ----------------------------------------

  /**
   * After Status.SlowAccess: lets later accesses to the page run inline when its
   * protection allows this one (the interpreter then performs it, or raises the fault).
   */
  private openMirror(): void {
    this.stats.slowAccesses++;
    const u32 = this.u32, at = JitAddr.slowAccess >>> 2;
    const lo = u32[at]!, hi = u32[at + 1]!, info = u32[at + 2]!;
    const size = info & 0xff;
    if (hi === 0) this.mirror.allow(lo, size, (info & 0x100) !== 0);
  }

  private slowLoad(lo: number, hi: number, size: number): number {
    this.stats.slowAccesses++;
    const a = hi * 0x100000000 + lo;
    try {
      if (hi !== 0) throw GuestFault.accessViolation(a, Access.Read);
      this.mem.check(a, size, Prot.R, Access.Read);
      this.mem.u8.copyWithin(JitAddr.scratch, a, a + size);
      this.mirror.allow(a, size, false);
      return 0;
    } catch (e) {
      if (e instanceof GuestFault) { this.pendingFault = e; return 1; }
      throw e;
    }
  }

  private slowStore(lo: number, hi: number, size: number): number {
    this.stats.slowAccesses++;
    const a = hi * 0x100000000 + lo;
    try {
      if (hi !== 0) throw GuestFault.accessViolation(a, Access.Write);
      const bytes = this.mem.u8.slice(JitAddr.scratch, JitAddr.scratch + size);
      const before = this.writeLog ? this.mem.u8.slice(a, a + size) : undefined;
      this.mem.writeBytes(a, bytes);
      if (before) this.writeLog!.push({ addr: a, before, after: bytes });
      this.mirror.allow(a, size, true);
      return 0;
    } catch (e) {
      if (e instanceof GuestFault) { this.pendingFault = e; return 1; }
      throw e;
    }
  }
}

/** The offset of `addr` in the API thunk range, or -1 outside it. */
function thunkOffset(addr: number): number {
  const off = addr - Layout.thunkBase;
  return off >= 0 && off < Layout.thunkSize ? off : -1;
}

/**
 * The chaining cache's empty and cleared entries are zeros: address 0, table slot 0,
 * entry 0. A guest jump to address 0 (a null function pointer) matches such an entry,
 * so slot 0 holds this function instead of a region: it returns Status.Normal with RIP
 * (0) already stored, and the dispatcher raises the access violation there.
 */
function missChain(): RegionFn {
  // (module (func (export "f") (param i32) (result i32) i32.const 0))
  const bytes = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x00, 0x0b]);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f as RegionFn;
}

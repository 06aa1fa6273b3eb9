// The direct backend: IR regions -> wasm bytes, written by hand, no Binaryen.
//
// Same contract as the Binaryen backend (../codegen.ts): one function per region,
// taking the index of the block to enter and returning an exit status, guest
// registers and flags in locals while it runs, fuel counted per block (checked at the
// entry and at backward jumps), inline memory
// accesses guarded by the protection mirror with the runtime's slow path behind them.
// Why a second backend: building a module through binaryen.js costs about 100 us per
// guest instruction (every expression node is a call into Binaryen's wasm heap), which
// made compile time, not generated code, the JIT's bottleneck; writing the bytes
// directly costs about a microsecond, runs on the guest's thread without a worker, and
// V8 tiers the code up itself (Liftoff first, TurboFan for hot functions).
//
// Control flow inside a region: blocks are laid out in reverse postorder from the entry,
// so most jumps go forward. The blocks sit in nested wasm blocks under one outer `loop`
// whose br_table on the entry position enters them; a jump to the next block falls
// through, one to a later block is a `br` to the end of the wasm block just before it
// (those labels are still open). Guest loops whose bodies nest in the layout are wasm
// loops (loops.ts, emitLoop): their back edges are a `br` to the loop. Only the other
// backward jumps set the entry position and branch back to the outer loop's dispatch.

import type { Block, Inst, Region, Ty } from '../../ir/ir.js';
import { FLAG_BITS, bitsOf, F } from '../../ir/ir.js';
import { emitRepString } from './rep-string.js';
import { STATE_BASE, Off } from '../../cpu/state.js';
import type { CodegenOptions, CompiledModule } from '../codegen.js';
import { stateUsage } from '../state-usage.js';
import { JitAddr, Status, MirrorBit, CHAIN_BITS, CHAIN_HASH_MUL, HelperResult } from '../layout.js';
import { Layout } from '../../mem/layout.js';
import { ModuleWriter } from './module.js';
import { addRuntimeTrampolines, callRuntimeDirect } from './runtime-calls.js';
import type { RuntimeCallSite } from './runtime-calls.js';
import { FnWriter } from './fn-writer.js';
import type { Label } from './fn-writer.js';
import { O, T, SimdOp, INT_BIN, wasmType } from './opcodes.js';
import type { IntOpName } from './opcodes.js';
import { DirectSse, isSseLowered, loadMxcsr } from './sse.js';
import type { MxcsrLocals } from './sse.js';
import { successors } from '../../ir/passes.js';
import { STACK_RANGE_SLACK } from '../stack-range.js';
import { planTrees } from './tree.js';
import { rmwPairs } from './rmw.js';
import type { RmwPairs } from './rmw.js';
import { findLoops, enteredLoop, inBody, loopLayout } from './loops.js';
import type { LoopNest } from './loops.js';

/** A unit of the layout: one block (loop -1) or a whole loop starting at `pos`. */
interface Unit { pos: number; loop: number }

const GPR = (r: number): number => STATE_BASE + Off.gpr + 8 * r;
const XMM = (x: number): number => STATE_BASE + Off.xmm + 16 * x;
const RFLAGS = STATE_BASE + Off.rflags;
const RIP = STATE_BASE + Off.rip;
const RSP = 4;

/** Function indices of the runtime trampolines (./runtime-calls.ts; they come first). */
const F_SLOW_LOAD = 0, F_SLOW_STORE = 1, F_CALL_NATIVE = 3; // 2: sseSlow (./sse.ts)
const F_HELPER_OP = 4;

export function compileRegionsDirect(regions: readonly Region[], o: CodegenOptions): CompiledModule {
  const m = new ModuleWriter();
  m.importMemory('env', 'mem', 65536, o.sharedMemory === true);
  m.importTable('env', 'regions', 1);
  const regionType = m.type([T.I32], [T.I32]);
  const runtime = addRuntimeTrampolines(m);
  const sse = new DirectSse(m);
  const functions = regions.map((r, i) => {
    const name = `r${i}`;
    const emitter = new RegionEmitter(r, o, sse, regionType, runtime);
    m.addFunction(name, [T.I32], [T.I32], emitter.emit());
    return { name, entries: emitter.entryAddresses() };
  });
  return { bytes: m.finish(), functions };
}

const L_ENTRY = 0;
/** Return-site dispatch: a hashed br_table from this many sites on (./codegen.ts toReturnSite). */
const SITE_TABLE_MIN = 4;
/** The largest such table: 2^10 entries (a region holds at most a few dozen call sites). */
const SITE_HASH_MAX_BITS = 10;

/** A return site's br_table slot: the top `bits` bits of a Fibonacci hash of its low 32 bits (compiled code computes the same). */
export function siteHash(addr: number, bits: number): number {
  return Math.imul(addr >>> 0, CHAIN_HASH_MUL) >>> (32 - bits);
}

/** The smallest table size (log2, at least twice the sites) in which no two sites collide; -1 when none up to SITE_HASH_MAX_BITS. */
export function siteHashBits(sites: readonly number[]): number {
  for (let bits = 33 - Math.clz32(sites.length); bits <= SITE_HASH_MAX_BITS; bits++) {
    const seen = new Set<number>();
    if (sites.every((s) => { const h = siteHash(s, bits); if (seen.has(h)) return false; seen.add(h); return true; })) return bits;
  }
  return -1;
}

class RegionEmitter {
  private readonly w = new FnWriter(1);
  private readonly gpr: number[] = [];
  private readonly flag: number[] = [];
  /** v128 locals of the XMM registers the region uses (by register number). */
  private readonly xmm: number[] = [];
  private readonly fuel: number;
  /** Guest instructions of all the region's blocks (the fuel a check demands). */
  private readonly totalCount: number;
  private readonly rip: number;
  private readonly status: number;
  private readonly addr: number;
  /** The guest's MXCSR, kept for the inline SSE fast paths (undefined: the region has no SSE op). */
  private readonly mx: MxcsrLocals | undefined;
  /** i64 locals holding the stack range (JitAddr.stackLo, stackLen); undefined: not used. */
  private readonly stack: { lo: number; len: number } | undefined;
  /** Per block being emitted: values that are RSP plus or minus a constant. */
  private stackValues = new Set<number>();
  /** Per block being emitted: loads and stores sharing one guard (rmw.ts). */
  private rmw: RmwPairs = { loads: new Set(), stores: new Set() };
  private readonly regsUsed: Set<number>;
  private readonly regsWritten: Set<number>;
  private readonly flagsUsed: number;
  private readonly flagsWritten: number;
  private readonly xmmUsed: Set<number>;
  private readonly xmmWritten: Set<number>;
  /** Layout position of each block by guest address; `order[pos]` is its index in region.blocks. */
  private readonly index = new Map<number, number>();
  private readonly order: number[];
  /** The guest loops that are wasm loops (loops.ts). */
  private nest!: LoopNest;
  /** Per layout position of a block that is not a loop's head: the label whose end is its start (while open). */
  private readonly unitLabel: Label[] = [];
  /** Per loop of `nest`: the label whose end is its `loop` (while open), and the `loop` itself. */
  private readonly loopLabel: Label[] = [];
  private readonly loopStart: Label[] = [];
  /**
   * Blocks an indirect transfer (return, indirect call or jump) continues at without
   * leaving the region: return addresses of the region's calls and observed indirect
   * targets (region.indirectTargets) that are blocks of the region.
   */
  private readonly returnSites: number[] = [];

  // Per block being emitted.
  private out!: Label;
  private head!: Label;
  /** The shared tail of every Status.SlowAccess exit (see exitSlow in memAccess). */
  private slowExit!: Label;
  /** i64 local: the packed exit of the slow access being left for (SlowExitInfo). */
  private slowInfo = -1;
  private blockIndex = 0;
  private block!: Block;
  private insnAddr = 0;
  private insnIndex = 0;
  private loc: Int32Array = new Int32Array(0);
  /** Per value of the current block: 1 when it is computed at its use (planTrees). */
  private inline: Uint8Array = new Uint8Array(0);
  /** The instruction defining each value of the current block. */
  private readonly defs: Inst[] = [];
  private types: Ty[] = [];

  constructor(private readonly region: Region, private readonly o: CodegenOptions, private readonly sse: DirectSse,
    private readonly regionType: number, private readonly runtime: RuntimeCallSite) {
    const w = this.w;
    for (let r = 0; r < 16; r++) this.gpr.push(w.fixedLocal(T.I64));
    for (let f = 0; f < 7; f++) this.flag.push(w.fixedLocal(T.I32));
    this.fuel = w.fixedLocal(T.I32);
    this.totalCount = region.blocks.reduce((n, b) => n + b.count, 0);
    this.rip = w.fixedLocal(T.I64);
    this.status = w.fixedLocal(T.I32);
    this.addr = w.fixedLocal(T.I64);
    if (o.wasmLoops === true) {
      // Loop bodies contiguous (loops.ts loopLayout); a call's return site counts as its
      // successor: a loop around a call comes back through the return (toReturnSite).
      const at = new Map(region.blocks.map((b, k) => [b.addr, k]));
      const layout = loopLayout(region.blocks.map((b) => {
        const last = b.insts[b.insts.length - 1]!, next = successors(b);
        if (last.op === 'call' || last.op === 'callind') next.push(last.k2);
        return next.map((a) => at.get(a) ?? -1);
      }));
      this.order = layout.order;
      this.nest = layout.nest;
    } else {
      this.order = layoutOrder(region.blocks);
    }
    this.order.forEach((bi, pos) => this.index.set(region.blocks[bi]!.addr, pos));
    for (const b of region.blocks) {
      const last = b.insts[b.insts.length - 1]!;
      if ((last.op === 'call' || last.op === 'callind') && this.index.has(last.k2) && !this.returnSites.includes(last.k2)) this.returnSites.push(last.k2);
    }
    // Observed targets of indirect calls and jumps are reached the same way as return sites.
    for (const t of region.indirectTargets ?? []) if (this.index.has(t) && !this.returnSites.includes(t)) this.returnSites.push(t);
    ({ regsUsed: this.regsUsed, regsWritten: this.regsWritten, flagsUsed: this.flagsUsed, flagsWritten: this.flagsWritten,
      xmmUsed: this.xmmUsed, xmmWritten: this.xmmWritten } = stateUsage(region));
    for (const x of this.xmmUsed) this.xmm[x] = w.fixedLocal(T.V128);
    if (region.blocks.some((b) => b.insts.some((i) => i.op === 'sse'))) this.mx = { mx: w.fixedLocal(T.I32), env: w.fixedLocal(T.I32) };
    if (o.stackRange !== false && !o.forceSlowMemory && region.blocks.some((b) => b.insts.some((i) => i.op === 'getreg' && i.k === RSP))) {
      this.stack = { lo: w.fixedLocal(T.I64), len: w.fixedLocal(T.I64) };
    }
  }

  emit(): ReturnType<FnWriter['finish']> {
    const w = this.w;
    const blocks = this.region.blocks;
    this.prologue();
    this.out = w.block();
    this.slowInfo = w.fixedLocal(T.I64);
    this.slowExit = w.block();
    this.head = w.loop();
    // Off: only self-loops are wasm loops, on the reverse postorder layout.
    if (this.o.wasmLoops !== true) this.nest = findLoops(this.order.map((bi) => successors(blocks[bi]!).map((a) => this.index.get(a) ?? -1)), false);
    // The entry index is a layout position (entryAddresses lists the blocks in that order).
    const top = this.unitsIn(0, blocks.length - 1);
    this.emitLevel(top, (labels) => {
      const unitOf = this.unitIndex(top);
      // Only an entry into a loop's interior keeps its position (for that loop's dispatch,
      // which runs its br_table only for a position >= 0); the others go through stubs
      // resetting it to -1, so a loop's check at its top stays false.
      if (!top.some((u) => u.loop >= 0 && this.nest.loops[u.loop]!.last > u.pos)) {
        w.get(L_ENTRY);
        w.brTable(blocks.map((_, p) => labels[unitOf[p]!]!), labels[top.length - 1]!);
        return;
      }
      const targets = this.stubbedTargets(top, labels, 0, blocks.length - 1);
      w.get(L_ENTRY);
      w.brTable(targets.table, targets.table[targets.table.length - 1]!);
      targets.close();
    });
    w.op(O.Unreachable);
    w.end(); // loop (never falls through: only branches leave it)
    w.end(); // slowExit
    this.slowExitTail();
    w.end(); // out
    this.epilogue();
    this.chain();
    w.get(this.status);
    return w.finish();
  }

  /** Guest addresses of the region's blocks by entry index (layout position). */
  entryAddresses(): number[] { return this.order.map((bi) => this.region.blocks[bi]!.addr); }

  // ---- structure: blocks and loops ------------------------------------------------------

  /** The positions [lo, hi] as units: single blocks, and whole loops (by their index in nest.loops). */
  private unitsIn(lo: number, hi: number): Unit[] {
    const units: Unit[] = [];
    for (let p = lo; p <= hi;) {
      const k = this.nest.headOf[p]!;
      if (k >= 0) { units.push({ pos: p, loop: k }); p = this.nest.loops[k]!.last + 1; } else { units.push({ pos: p, loop: -1 }); p++; }
    }
    return units;
  }

  /** Per position covered by `units`, the index of the unit holding it. */
  private unitIndex(units: readonly Unit[]): Int32Array {
    const at = new Int32Array(this.order.length).fill(-1);
    units.forEach((u, k) => at.fill(k, u.pos, u.loop >= 0 ? this.nest.loops[u.loop]!.last + 1 : u.pos + 1));
    return at;
  }

  /**
   * Units one after another: a wasm block per unit, nested so that the end of unit k's
   * block is where unit k starts and every earlier unit's code can branch forward to it;
   * `dispatch` runs innermost, with all those labels open.
   */
  private emitLevel(units: readonly Unit[], dispatch: (labels: readonly Label[]) => void): void {
    const w = this.w;
    const labels: Label[] = new Array<Label>(units.length);
    for (let k = units.length - 1; k >= 0; k--) {
      labels[k] = w.block();
      const u = units[k]!;
      if (u.loop >= 0) this.loopLabel[u.loop] = labels[k]!; else this.unitLabel[u.pos] = labels[k]!;
    }
    dispatch(labels);
    for (const u of units) {
      w.end();
      if (u.loop >= 0) this.emitLoop(u.loop); else this.emitBlock(this.region.blocks[this.order[u.pos]!]!, u.pos);
    }
  }

  /**
   * A guest loop as a wasm loop: its head block, then the units of the rest of its body.
   * Control from outside reaches an interior block through the dispatch at the top: the
   * jump sets L_ENTRY to the position and enters the loop; the br_table sends it to the
   * unit holding it. Reaching the target resets L_ENTRY to -1 (stubs here, for blocks and
   * the heads of inner loops; an inner loop's own dispatch goes on for its interior), so
   * a later back edge, with L_ENTRY out of range, falls through to the head: the
   * iteration pays a compare, not an indirect jump. A stale L_ENTRY (an entry that went
   * straight to a block in no loop's interior) is out of every loop's range too.
   */
  private emitLoop(k: number): void {
    const w = this.w;
    const l = this.nest.loops[k]!;
    this.loopStart[k] = w.loop();
    const units: Unit[] = [{ pos: l.head, loop: -1 }, ...this.unitsIn(l.head + 1, l.last)];
    this.emitLevel(units, (labels) => {
      if (units.length === 1) return;
      const targets = this.stubbedTargets(units, labels, l.head + 1, l.last);
      w.get(L_ENTRY); w.i32(0); w.op(O.I32GeS);
      w.if();
      w.get(L_ENTRY); w.i32(l.head + 1); w.op(O.I32Sub);
      w.brTable(targets.table, labels[0]!);
      w.end();
      w.br(labels[0]!);
      targets.close();
    });
    w.end();
  }

  /**
   * A dispatch's br_table targets for the positions [lo, hi] of `units` (their `labels`
   * open): a position in the interior of a loop unit goes straight to that unit (its
   * own dispatch goes on), any other through a stub that resets L_ENTRY to -1 and
   * branches to its unit. Opens the stubs' blocks; `close` emits the stubs after the
   * caller's br_table.
   */
  private stubbedTargets(units: readonly Unit[], labels: readonly Label[], lo: number, hi: number): { table: Label[]; close: () => void } {
    const w = this.w;
    const unitOf = this.unitIndex(units);
    const stubs: Label[] = [];
    const first = unitOf[lo]!;
    for (let u = units.length - 1; u >= first; u--) stubs[u] = w.block();
    const table: Label[] = [];
    for (let q = lo; q <= hi; q++) {
      const u = unitOf[q]!, unit = units[u]!;
      const inner = unit.loop >= 0 && q !== this.nest.loops[unit.loop]!.head;
      table.push(inner ? labels[u]! : stubs[u]!);
    }
    const close = (): void => { for (let u = first; u < units.length; u++) { w.end(); w.i32(-1); w.set(L_ENTRY); w.br(labels[u]!); } };
    return { table, close };
  }

  // ---- entry and exit ------------------------------------------------------------------

  /**
   * Where every access the mirror refuses branches to, with the address in `addr` and
   * the rest packed into one i64 (slowInfo: guest RIP in bits 0-31, the fuel to refund
   * in 32-47, size | 0x100 for a store in 48-63): three instructions per access instead
   * of a whole exit sequence each, which made up nearly half of an access's code.
   */
  private slowExitTail(): void {
    const w = this.w;
    const part = (shift: bigint, mask: number): void => {
      w.get(this.slowInfo); w.i64(shift); w.op(O.I64ShrU); w.op(O.I32WrapI64); w.i32(mask); w.op(O.I32And);
    };
    w.i32(JitAddr.slowAccess); w.get(this.addr); w.mem(O.I64Store);
    w.i32(JitAddr.slowAccess + 8); part(48n, 0xffff); w.mem(O.I32Store);
    w.get(this.fuel); part(32n, 0xffff); w.op(O.I32Add); w.set(this.fuel);
    w.get(this.slowInfo); w.i64(0xffffffffn); w.op(O.I64And); w.set(this.rip);
    w.i32(Status.SlowAccess); w.set(this.status);
  }

  private prologue(): void {
    const w = this.w;
    w.i32(JitAddr.fuel); w.mem(O.I32Load); w.set(this.fuel);
    // Not enough fuel for every block once: back to the dispatcher, state untouched
    // (RIP is the entry's already), which runs the cold tier when this was all the budget.
    this.fuelBelowWorstPath();
    w.if(); w.i32(Status.Fuel); w.op(O.Return); w.end();
    this.loadState();
  }

  /** Guest registers and flags the region uses: memory -> locals. */
  private loadState(): void {
    const w = this.w;
    if (this.mx !== undefined) loadMxcsr(w, this.mx);
    // Reloaded with the registers: only an API call can change protections inside a region.
    if (this.stack !== undefined) {
      w.i32(JitAddr.stackLo); w.mem(O.I64Load32U); w.set(this.stack.lo);
      w.i32(JitAddr.stackLen); w.mem(O.I64Load32U); w.set(this.stack.len);
    }
    if (!this.o.registerCache) return;
    for (const r of this.regsUsed) { w.i32(GPR(r)); w.mem(O.I64Load); w.set(this.gpr[r]!); }
    for (const x of this.xmmUsed) { w.i32(XMM(x)); w.simdMem(SimdOp.V128Load); w.set(this.xmm[x]!); }
    if (this.flagsUsed) {
      w.i32(RFLAGS); w.mem(O.I32Load); w.set(this.status);
      for (let f = 0; f < 7; f++) {
        if (!(this.flagsUsed & (1 << f))) continue;
        w.get(this.status); w.i32(FLAG_BITS[f]!); w.op(O.I32ShrU); w.i32(1); w.op(O.I32And); w.set(this.flag[f]!);
      }
    }
  }

  private epilogue(): void {
    const w = this.w;
    w.i32(RIP); w.get(this.rip); w.mem(O.I64Store);
    w.i32(JitAddr.fuel); w.get(this.fuel); w.mem(O.I32Store);
    this.storeState();
  }

  /** Guest registers and flags the region writes: locals -> memory. */
  private storeState(): void {
    const w = this.w;
    if (!this.o.registerCache) return;
    for (const r of this.regsWritten) { w.i32(GPR(r)); w.get(this.gpr[r]!); w.mem(O.I64Store); }
    for (const x of this.xmmWritten) { w.i32(XMM(x)); w.get(this.xmm[x]!); w.simdMem(SimdOp.V128Store); }
    if (this.flagsWritten) {
      let mask = 0;
      w.i32(RFLAGS);
      w.i32(RFLAGS); w.mem(O.I32Load);
      for (let f = 0; f < 7; f++) if (this.flagsWritten & (1 << f)) mask |= 1 << FLAG_BITS[f]!;
      w.i32(~mask); w.op(O.I32And);
      for (let f = 0; f < 7; f++) {
        if (!(this.flagsWritten & (1 << f))) continue;
        w.get(this.flag[f]!); w.i32(FLAG_BITS[f]!); w.op(O.I32Shl); w.op(O.I32Or);
      }
      w.mem(O.I32Store);
    }
  }

  /**
   * After a normal exit, when the chaining cache (JitAddr.chain, filled by the runtime)
   * holds a compiled region entry for RIP, go straight on into it with a tail call
   * instead of returning to the JavaScript dispatcher. The state is in memory already
   * (the epilogue ran) and the fuel is shared, so the chain counts and stops exactly
   * as separate calls would; the runtime turns chaining off while a stopAt is in force.
   */
  private chain(): void {
    const w = this.w;
    const slot = w.temp(T.I32);
    w.get(this.status); w.op(O.I32Eqz);
    w.i32(JitAddr.chainOn); w.mem(O.I32Load);
    w.op(O.I32And);
    w.if();
    w.get(this.rip); w.op(O.I32WrapI64);
    w.i32(CHAIN_HASH_MUL | 0); w.op(O.I32Mul); w.i32(32 - CHAIN_BITS); w.op(O.I32ShrU);
    w.i32(4); w.op(O.I32Shl); w.tee(slot);
    w.mem(O.I64Load, JitAddr.chain); w.get(this.rip); w.op(O.I64Eq);
    w.if();
    w.get(slot); w.mem(O.I32Load, JitAddr.chain + 12);
    w.get(slot); w.mem(O.I32Load, JitAddr.chain + 8);
    w.returnCallIndirect(this.regionType);
    w.end();
    w.end();
  }

  /** Leaves the function with `status` and RIP from the value pushed by `pushRip`. */
  private exitTo(status: Status, pushRip: () => void): void {
    const w = this.w;
    pushRip(); w.set(this.rip);
    w.i32(status); w.set(this.status);
    w.br(this.out);
  }

  private exitAt(status: Status, rip: number): void { this.exitTo(status, () => this.w.i64n(rip)); }

  /** Leaves before the current guest instruction, refunding the fuel of the rest of the block. */
  private exitHere(status: Status): void {
    const w = this.w;
    w.get(this.fuel); w.i32(this.block.count - this.insnIndex); w.op(O.I32Add); w.set(this.fuel);
    this.exitAt(status, this.insnAddr);
  }

  /** Continues at guest address `target`: fall through, branch forward or to the block's own loop, go back through the dispatch, or leave. */
  private goto(target: number, mayFallThrough = true): void {
    const w = this.w;
    const j = this.index.get(target);
    if (j === undefined) { this.exitAt(Status.Normal, target); return; }
    const i = this.blockIndex;
    if (mayFallThrough && j === i + 1) return;
    const nest = this.nest;
    if (j > i) {
      // Into a loop's interior from outside it: through that loop's dispatch.
      const entered = enteredLoop(nest, i, j);
      if (entered >= 0) { w.i32(j); w.set(L_ENTRY); w.br(this.loopLabel[entered]!); return; }
      const h = nest.headOf[j]!;
      w.br(h >= 0 ? this.loopLabel[h]! : this.unitLabel[j]!);
      return;
    }
    // A backward jump: the only place (besides the entry) where fuel is checked.
    this.fuelBelowWorstPath();
    w.if(); this.exitAt(Status.Fuel, target); w.end();
    const h = nest.headOf[j]!;
    if (h >= 0 && inBody(nest, h, i)) { w.br(this.loopStart[h]!); return; }
    // Back into the interior of a loop around both: through that loop's dispatch.
    for (let k = nest.innermost[j]!; k >= 0; k = nest.loops[k]!.parent) {
      if (nest.loops[k]!.head !== j && inBody(nest, k, i)) { w.i32(j); w.set(L_ENTRY); w.br(this.loopStart[k]!); return; }
    }
    w.i32(j); w.set(L_ENTRY); w.br(this.head);
  }

  /**
   * Pushes "fuel < the instructions of all blocks together". Blocks subtract their
   * counts unchecked; between two checks (entry, backward jumps) control only moves
   * forward in the layout, so it runs each block at most once and the fuel cannot go
   * negative: the instruction limit stays exact with a check per loop iteration
   * instead of one per block.
   */
  private fuelBelowWorstPath(): void {
    const w = this.w;
    w.get(this.fuel); w.i32(this.totalCount); w.op(O.I32LtS);
  }

  /**
   * An indirect jump, call or return. A target in the API thunk range is called right
   * here (runtime import callNative, with the guest state written back around it), so
   * an API call costs no trip through the dispatcher. Then, when the target (or the
   * API function's return address) is a call site inside this region, continue there
   * (toReturnSite); otherwise leave with RIP = the target.
   */
  private indirect(target: number): void {
    const w = this.w;
    this.val(target); w.set(this.addr);
    w.get(this.addr); w.i64n(Layout.thunkBase); w.op(O.I64Sub); w.i64n(Layout.thunkSize); w.op(O.I64LtU);
    w.if();
    this.callNative();
    w.end();
    this.toReturnSite();
    this.exitTo(Status.Normal, () => w.get(this.addr));
  }

  /**
   * When `addr` is one of the region's return sites, continues there. Few sites: a
   * compare each. More (a region of unrolled recursion has dozens, and every API call
   * and guest return passes here): a br_table on a multiplicative hash of the address
   * (table size chosen so the sites do not collide), then one compare to confirm, so
   * the cost no longer grows with the number of sites or how far apart they lie.
   */
  private toReturnSite(): void {
    const w = this.w;
    const sites = this.returnSites;
    const bits = sites.length < SITE_TABLE_MIN ? -1 : siteHashBits(sites);
    if (bits < 0) {
      for (const site of sites) {
        w.get(this.addr); w.i64n(site); w.op(O.I64Eq);
        w.if(); this.goto(site, false); w.end();
      }
      return;
    }
    const none = w.block();
    const labels = sites.map(() => w.block());
    const targets = new Array<Label>(1 << bits).fill(none);
    sites.forEach((site, k) => { targets[siteHash(site, bits)] = labels[k]!; });
    w.get(this.addr); w.op(O.I32WrapI64);
    w.i32(CHAIN_HASH_MUL | 0); w.op(O.I32Mul); w.i32(32 - bits); w.op(O.I32ShrU);
    w.brTable(targets, none);
    for (let k = sites.length - 1; k >= 0; k--) {
      w.end();
      // Another address with the same hash is no return site.
      w.get(this.addr); w.i64n(sites[k]!); w.op(O.I64Ne); w.brIf(none);
      this.goto(sites[k]!, false);
    }
    w.end();
  }

  /** Calls the API function at `addr` from here; afterwards `addr` holds the new RIP. */
  private callNative(): void {
    const w = this.w;
    // The return of a host-to-guest call (the run's stopAt): leave, the runtime is done.
    w.get(this.addr); w.i32(JitAddr.stopAt); w.mem(O.I64Load); w.op(O.I64Eq);
    w.if(); this.exitTo(Status.Normal, () => w.get(this.addr)); w.end();
    this.storeState();
    w.i32(RIP); w.get(this.addr); w.mem(O.I64Store);
    w.i32(JitAddr.fuel); w.get(this.fuel); w.mem(O.I32Store);
    // Straight into the helpers table, not through the trampoline: every API call passes here.
    w.get(this.addr); w.op(O.I32WrapI64); callRuntimeDirect(w, this.runtime, F_CALL_NATIVE);
    w.i32(RIP); w.mem(O.I64Load); w.set(this.addr);
    this.loadState();
    // Nonzero: the runtime wants the dispatcher (not an API function, a stop, or stopAt reached).
    w.if(); this.exitTo(Status.Normal, () => w.get(this.addr)); w.end();
  }

  /**
   * A `helper` op: the interpreter's handler runs the instruction on the state in
   * memory (written back first, RIP = the instruction, the fuel so far), then the
   * locals are reloaded (MXCSR too: ldmxcsr). At a fault the region leaves with RIP at
   * the instruction and the fuel of the rest of the block refunded; the locals hold what
   * the interpreter left (partial rep progress included), so the epilogue writes that
   * back unchanged.
   */
  private helperOp(i: Inst): void {
    const w = this.w;
    if (i.k2 <= 0) throw new Error(`direct codegen: helper op at 0x${i.k.toString(16)} has no runtime id`);
    this.storeState();
    w.i32(RIP); w.i64n(this.insnAddr); w.mem(O.I64Store);
    w.i32(JitAddr.fuel); w.get(this.fuel); w.mem(O.I32Store);
    const r = w.temp(T.I32);
    w.i32(i.k2); w.call(F_HELPER_OP); w.set(r);
    this.loadState();
    w.get(r);
    w.if();
    w.get(r); w.i32(HelperResult.Fault); w.op(O.I32Eq);
    w.if(); this.exitHere(Status.Fault); w.end();
    // Only control transfers move RIP (they never become helpers): should one, leave there,
    // this instruction done.
    w.get(this.fuel); w.i32(this.block.count - this.insnIndex - 1); w.op(O.I32Add); w.set(this.fuel);
    this.exitTo(Status.Normal, () => { w.i32(RIP); w.mem(O.I64Load); });
    w.end();
    w.release(T.I32, r);
  }

  /** REP MOVS / REP STOS: memory.copy / memory.fill when the run-time checks allow, else the helper op (./rep-string.ts). */
  private repString(i: Inst): void {
    const w = this.w;
    // Every write through the runtime (--engine compare logs them): no bulk path.
    if (this.o.forceSlowMemory) { this.helperOp(i); return; }
    const cached = this.o.registerCache;
    emitRepString({
      w,
      getReg: (r) => { if (cached) w.get(this.gpr[r]!); else { w.i32(GPR(r)); w.mem(O.I64Load); } },
      setReg: (r, push) => { if (cached) { push(); w.set(this.gpr[r]!); } else { w.i32(GPR(r)); push(); w.mem(O.I64Store); } },
      getDf: () => {
        if (cached) w.get(this.flag[F.DF]!);
        else { w.i32(RFLAGS); w.mem(O.I32Load); w.i32(FLAG_BITS[F.DF]!); w.op(O.I32ShrU); w.i32(1); w.op(O.I32And); }
      },
      helper: () => this.helperOp(i),
    }, i.op as 'repmovs' | 'repstos', i.ty);
  }

  // ---- blocks ----------------------------------------------------------------------------

  private emitBlock(b: Block, index: number): void {
    const w = this.w;
    this.block = b;
    this.blockIndex = index;
    this.insnIndex = -1;
    this.types = new Array<Ty>(b.nextValue).fill('i32');
    for (const i of b.insts) if (i.dst >= 0) this.types[i.dst] = i.ty;
    // Values computed where they are used (tree.ts), and where each local is last read.
    const { inline, lastUse } = planTrees(b, this.o.registerCache);
    this.inline = inline;
    this.defs.length = 0;
    for (const i of b.insts) if (i.dst >= 0) this.defs[i.dst] = i;
    // Values whose local is free after each instruction's lowering: a chain per instruction.
    const freeHead = new Int32Array(b.insts.length).fill(-1), freeNext = new Int32Array(b.nextValue).fill(-1);
    for (let v = 0; v < b.nextValue; v++) {
      const u = lastUse[v]!;
      if (u >= 0 && inline[v] === 0) { freeNext[v] = freeHead[u]!; freeHead[u] = v; }
    }
    this.loc = new Int32Array(b.nextValue).fill(-1);
    if (this.stack !== undefined) this.stackValues = rspDerived(b);
    if (!this.o.forceSlowMemory) this.rmw = rmwPairs(b, this.types);
    if (b.count > 0) { w.get(this.fuel); w.i32(b.count); w.op(O.I32Sub); w.set(this.fuel); }
    const last = b.insts[b.insts.length - 1]!;
    b.insts.forEach((inst, n) => {
      if (inst.dst >= 0 && inline[inst.dst] === 1) return;
      if (inst.dst >= 0) this.loc[inst.dst] = w.temp(wasmType(inst.ty));
      this.emitInst(inst);
      for (let v = freeHead[n]!; v >= 0; v = freeNext[v]!) {
        if (this.loc[v]! >= 0) { w.release(wasmType(this.types[v]!), this.loc[v]!); this.loc[v] = -1; }
      }
      if (inst.dst >= 0 && lastUse[inst.dst] === -1 && inst !== last) {
        w.release(wasmType(inst.ty), this.loc[inst.dst]!); this.loc[inst.dst] = -1;
      }
    });
    // Values still holding locals at the end of the block (the branch condition) are dead now.
    for (let v = 0; v < b.nextValue; v++) if (this.loc[v]! >= 0) w.release(wasmType(this.types[v]!), this.loc[v]!);
  }

  /** Pushes value `v`: its local, or its whole computation when it is a tree (tree.ts). */
  private val(v: number): void {
    if (this.inline[v] === 1) this.emitInst(this.defs[v]!);
    else this.w.get(this.loc[v]!);
  }

  private emitInst(i: Inst): void {
    const w = this.w;
    const a = (n: number): void => this.val(i.args[n]!);
    // A tree's value stays on the operand stack for its user.
    const def = (): void => { if (this.inline[i.dst] !== 1) w.set(this.loc[i.dst]!); };
    switch (i.op) {
      case 'insn': this.insnIndex++; this.insnAddr = i.k; return;
      case 'const': this.constant(i.ty, i.c); def(); return;
      case 'getreg':
        if (i.k >= 16) { w.i32(STATE_BASE + (i.k === 16 ? Off.fsBase : Off.gsBase)); w.mem(O.I64Load); }
        else if (this.o.registerCache) w.get(this.gpr[i.k]!);
        else { w.i32(GPR(i.k)); w.mem(O.I64Load); }
        def(); return;
      case 'setreg':
        if (this.o.registerCache) { a(0); w.set(this.gpr[i.k]!); } else { w.i32(GPR(i.k)); a(0); w.mem(O.I64Store); }
        return;
      case 'getflag':
        if (this.o.registerCache) w.get(this.flag[i.k]!);
        else { w.i32(RFLAGS); w.mem(O.I32Load); w.i32(FLAG_BITS[i.k]!); w.op(O.I32ShrU); w.i32(1); w.op(O.I32And); }
        def(); return;
      case 'setflag': {
        if (this.o.registerCache) { a(0); w.set(this.flag[i.k]!); return; }
        const bit = FLAG_BITS[i.k]!;
        w.i32(RFLAGS);
        w.i32(RFLAGS); w.mem(O.I32Load); w.i32(~(1 << bit)); w.op(O.I32And);
        a(0); w.i32(bit); w.op(O.I32Shl); w.op(O.I32Or);
        w.mem(O.I32Store);
        return;
      }
      case 'getxmm':
        if (this.o.registerCache) w.get(this.xmm[i.k]!); else { w.i32(XMM(i.k)); w.simdMem(SimdOp.V128Load); }
        def(); return;
      case 'setxmm':
        if (this.o.registerCache) { a(0); w.set(this.xmm[i.k]!); } else { w.i32(XMM(i.k)); a(0); w.simdMem(SimdOp.V128Store); }
        return;
      case 'load': this.memAccess(i, false); return;
      case 'store': this.memAccess(i, true); return;
      case 'select': a(1); a(2); a(0); w.op(O.Select); def(); return;
      case 'bail': a(0); w.if(); this.exitHere(Status.Bail); w.end(); return;
      case 'jump': case 'call': this.goto(i.k); return;
      case 'branch':
        if (this.index.get(i.k) === this.blockIndex + 1) {
          // Taken edge to the next block: test the inverse so it can fall through.
          a(0); w.op(O.I32Eqz); w.if(); this.goto(i.k2, false); w.end();
          return;
        }
        a(0); w.if(); this.goto(i.k, false); w.end();
        this.goto(i.k2);
        return;
      case 'jumpind': case 'callind': case 'ret': this.indirect(i.args[0]!); return;
      case 'sse': this.sse.inline(w, i.k, this.loc[i.args[0]!]!, this.loc[i.args[1]!]!, this.mx!); def(); return;
      case 'interp': this.exitAt(Status.Interp, i.k); return;
      case 'helper': this.helperOp(i); return;
      case 'repmovs': case 'repstos': this.repString(i); return;
      default: {
        const at = i.args.map((v) => this.types[v]!);
        if (isSseLowered(i, at)) this.sse.lower(w, i, at, a); else this.pure(i);
        def();
      }
    }
  }

  private constant(t: Ty, c: bigint): void {
    const w = this.w;
    switch (t) {
      case 'i64': w.i64(c); return;
      case 'f32': w.f32bits(Number(c & 0xffffffffn)); return;
      case 'f64': w.f64bits(c); return;
      case 'v128': w.v128zero(); return;
      default: w.i32(Number(c & 0xffffffffn));
    }
  }

  // ---- memory ----------------------------------------------------------------------------

  private memAccess(i: Inst, isStore: boolean): void {
    const w = this.w;
    const t = isStore ? this.types[i.args[1]!]! : i.ty;
    const size = bitsOf(t) / 8;
    const pushAddr32 = (): void => { w.get(this.addr); w.op(O.I32WrapI64); };
    const value = (): void => this.val(i.args[1]!);
    this.val(i.args[0]!); w.set(this.addr);
    const fast = (): void => {
      pushAddr32();
      if (isStore) { value(); this.rawStore(t); } else { this.rawLoad(t); w.set(this.loc[i.dst]!); }
    };
    // Leave for the runtime and the interpreter. A call to the runtime here instead (as
    // --engine compare still does, to log every write) put a call on every access's slow
    // path, and V8's register allocator then spilled the register locals around them all:
    // 15-40% of a memory-heavy loop's time went there. The mirror has ordinary pages open
    // from the start (mirror.ts), so these exits are rare.
    const exitSlow = (): void => {
      // Guest code lies in guest memory, below 4 GiB: its address fits the packing.
      if (this.insnAddr >= 2 ** 32) throw new Error(`direct codegen: instruction at 0x${this.insnAddr.toString(16)} above 4 GiB`);
      const refund = this.block.count - this.insnIndex;
      // A read-modify-write reports a store: the runtime then opens the page for both.
      const info = BigInt(this.insnAddr) | (BigInt(refund) << 32n) | (BigInt(size | (isStore || rmw ? 0x100 : 0)) << 48n);
      w.i64(BigInt.asIntN(64, info)); w.set(this.slowInfo); w.br(this.slowExit);
    };
    const slow = (): void => {
      if (isStore) { w.i32(JitAddr.scratch); value(); this.rawStore(t); }
      pushAddr32();
      w.get(this.addr); w.i64(32n); w.op(O.I64ShrU); w.op(O.I32WrapI64);
      w.i32(size);
      w.call(isStore ? F_SLOW_STORE : F_SLOW_LOAD);
      w.if(); this.exitHere(Status.Fault); w.end();
      if (!isStore) { w.i32(JitAddr.scratch); this.rawLoad(t); w.set(this.loc[i.dst]!); }
    };
    if (this.o.forceSlowMemory) { slow(); return; }
    // The load of this instruction checked the Write bit too (rmw.ts).
    if (isStore && this.rmw.stores.has(i)) { fast(); return; }
    const rmw = !isStore && this.rmw.loads.has(i);
    // Inline when below 4 GiB, inside one page, and the mirror allows the access: a
    // chain of br_ifs to the slow path (cheaper in V8's output than and-ing 0/1 values).
    const done = w.block();
    const toSlow = w.block();
    // Through RSP and inside the stack range: no mirror lookup (see stack-range.ts).
    const inStack = this.stack !== undefined && size <= STACK_RANGE_SLACK && this.stackValues.has(i.args[0]!) ? w.block() : undefined;
    if (inStack !== undefined) {
      w.get(this.addr); w.get(this.stack!.lo); w.op(O.I64Sub); w.get(this.stack!.len); w.op(O.I64LtU); w.brIf(inStack);
    }
    const known = this.defs[i.args[0]!];
    const c = known?.op === 'const' ? known.c : -1n;
    // A constant address (a global through RIP) below 4 GiB and inside one page: only
    // the mirror's bit is left to check at run time.
    const constPage = c >= 0n && c < 1n << 32n && Number(c & 0xfffn) <= 4096 - size;
    const page = constPage ? -1 : w.temp(T.I64);
    if (constPage) {
      w.i32((JitAddr.mirror | Number(c >> 12n)) >>> 0); w.mem(O.I32Load8U);
    } else {
      w.get(this.addr); w.i64(12n); w.op(O.I64ShrU); w.tee(page);
      w.i64(1n << 20n); w.op(O.I64GeU); w.brIf(toSlow);
      if (size > 1) { pushAddr32(); w.i32(0xfff); w.op(O.I32And); w.i32(4096 - size); w.op(O.I32GtU); w.brIf(toSlow); }
      // The mirror's base is ORed in (it is above 2^31: V8 cannot fold it into the address).
      w.get(page); w.op(O.I32WrapI64); w.i32(JitAddr.mirror); w.op(O.I32Or); w.mem(O.I32Load8U);
    }
    if (rmw) {
      w.i32(MirrorBit.Read | MirrorBit.Write); w.op(O.I32And); w.i32(MirrorBit.Read | MirrorBit.Write); w.op(O.I32Ne);
    } else {
      w.i32(isStore ? MirrorBit.Write : MirrorBit.Read); w.op(O.I32And); w.op(O.I32Eqz);
    }
    w.brIf(toSlow);
    if (page >= 0) w.release(T.I64, page);
    if (inStack !== undefined) w.end();
    fast();
    w.br(done);
    w.end(); // toSlow
    exitSlow();
    w.end(); // done
  }

  private rawLoad(t: Ty): void {
    const w = this.w;
    switch (t) {
      case 'i8': w.mem(O.I32Load8U); return;
      case 'i16': w.mem(O.I32Load16U); return;
      case 'i32': w.mem(O.I32Load); return;
      case 'i64': w.mem(O.I64Load); return;
      case 'f32': w.mem(O.F32Load); return;
      case 'f64': w.mem(O.F64Load); return;
      default: w.simdMem(SimdOp.V128Load);
    }
  }

  private rawStore(t: Ty): void {
    const w = this.w;
    switch (t) {
      case 'i8': w.mem(O.I32Store8); return;
      case 'i16': w.mem(O.I32Store16); return;
      case 'i32': w.mem(O.I32Store); return;
      case 'i64': w.mem(O.I64Store); return;
      case 'f32': w.mem(O.F32Store); return;
      case 'f64': w.mem(O.F64Store); return;
      default: w.simdMem(SimdOp.V128Store);
    }
  }

  // ---- pure operations -------------------------------------------------------------------

  private pure(i: Inst): void {
    const w = this.w;
    const a = (n: number): void => this.val(i.args[n]!);
    const t = this.types[i.args[0]!]!;
    const is64 = t === 'i64';
    const narrow = t === 'i8' || t === 'i16';
    const bits = bitsOf(t);
    const m = narrow ? (1 << bits) - 1 : 0;
    const op = (name: IntOpName): void => w.op(INT_BIN[name][is64 ? 1 : 0]);
    const wrapN = (): void => { if (narrow) { w.i32(m); w.op(O.I32And); } };
    const sx = (): void => { if (t === 'i8') w.op(O.I32Extend8S); else if (t === 'i16') w.op(O.I32Extend16S); };
    const count = (): void => { if (narrow) { w.i32(bits - 1); w.op(O.I32And); } };
    const bin = (name: IntOpName): void => { a(0); a(1); op(name); };
    const cmpS = (name: IntOpName): void => { a(0); sx(); a(1); sx(); op(name); };
    switch (i.op) {
      case 'add': case 'sub': case 'mul': bin(i.op); wrapN(); return;
      case 'and': case 'or': case 'xor': bin(i.op); return;
      case 'divu': bin('div_u'); return;
      case 'remu': bin('rem_u'); return;
      case 'divs': case 'rems':
        a(0); sx(); a(1); sx(); op(i.op === 'divs' ? 'div_s' : 'rem_s'); wrapN(); return;
      case 'shl': a(0); a(1); count(); op('shl'); wrapN(); return;
      case 'shru': a(0); a(1); count(); op('shr_u'); return;
      case 'shrs': a(0); sx(); a(1); count(); op('shr_s'); wrapN(); return;
      case 'rotl': case 'rotr': {
        if (!narrow) { bin(i.op); return; }
        const [l, r] = i.op === 'rotl' ? ['shl', 'shr_u'] as const : ['shr_u', 'shl'] as const;
        a(0); a(1); count(); op(l);
        a(0); w.i32(bits); a(1); count(); w.op(O.I32Sub); op(r);
        w.op(O.I32Or); wrapN();
        return;
      }
      case 'mulhu': case 'mulhs': this.mulHigh(this.loc[i.args[0]!]!, this.loc[i.args[1]!]!, i.op === 'mulhs'); return;
      case 'eq': case 'ne': bin(i.op); return;
      case 'ltu': bin('lt_u'); return;
      case 'leu': bin('le_u'); return;
      case 'gtu': bin('gt_u'); return;
      case 'geu': bin('ge_u'); return;
      case 'lts': cmpS('lt_s'); return;
      case 'les': cmpS('le_s'); return;
      case 'gts': cmpS('gt_s'); return;
      case 'ges': cmpS('ge_s'); return;
      case 'not':
        a(0);
        if (is64) { w.i64(-1n); w.op(O.I64Xor); } else { w.i32(narrow ? m : -1); w.op(O.I32Xor); }
        return;
      case 'neg':
        if (is64) { w.i64(0n); a(0); w.op(O.I64Sub); } else { w.i32(0); a(0); w.op(O.I32Sub); wrapN(); }
        return;
      case 'popcnt': a(0); op('popcnt'); return;
      case 'clz':
        a(0); op('clz');
        if (narrow) { w.i32(32 - bits); w.op(O.I32Sub); }
        return;
      case 'ctz':
        a(0);
        if (narrow) { w.i32(1 << bits); w.op(O.I32Or); }
        op('ctz');
        return;
      case 'bswap': this.bswap(i.args[0]!, t); return;
      case 'eqz': a(0); op('eqz'); return;
      case 'msb':
        if (is64) { a(0); w.i64(63n); w.op(O.I64ShrU); w.op(O.I32WrapI64); }
        else { a(0); w.i32(bits - 1); w.op(O.I32ShrU); w.i32(1); w.op(O.I32And); }
        return;
      case 'parity':
        a(0); if (is64) w.op(O.I32WrapI64);
        w.i32(0xff); w.op(O.I32And); w.op(O.I32Popcnt); w.i32(1); w.op(O.I32And); w.i32(1); w.op(O.I32Xor);
        return;
      case 'zext': a(0); if (i.ty === 'i64' && !is64) w.op(O.I64ExtendI32U); return;
      case 'sext':
        a(0); sx();
        if (i.ty === 'i64') { if (!is64) w.op(O.I64ExtendI32S); } else if (i.ty !== 'i32') { w.i32((1 << bitsOf(i.ty)) - 1); w.op(O.I32And); }
        return;
      case 'trunc':
        a(0); if (is64) w.op(O.I32WrapI64);
        if (i.ty !== 'i32') { w.i32((1 << bitsOf(i.ty)) - 1); w.op(O.I32And); }
        return;
      case 'bitcast':
        a(0);
        w.op(i.ty === 'i32' ? O.I32ReinterpretF32 : i.ty === 'i64' ? O.I64ReinterpretF64 : i.ty === 'f32' ? O.F32ReinterpretI32 : O.F64ReinterpretI64);
        return;
      default: throw new Error(`direct codegen: no lowering for ${i.op}`);
    }
  }

  private bswap(v: number, t: Ty): void {
    const w = this.w;
    const x = this.loc[v]!;
    const sw32 = (push: () => void): void => {
      push(); w.i32(24); w.op(O.I32Shl);
      push(); w.i32(8); w.op(O.I32Shl); w.i32(0xff0000); w.op(O.I32And); w.op(O.I32Or);
      push(); w.i32(8); w.op(O.I32ShrU); w.i32(0xff00); w.op(O.I32And); w.op(O.I32Or);
      push(); w.i32(24); w.op(O.I32ShrU); w.op(O.I32Or);
    };
    if (t === 'i32') { sw32(() => w.get(x)); return; }
    if (t === 'i16') {
      w.get(x); w.i32(8); w.op(O.I32Shl); w.get(x); w.i32(8); w.op(O.I32ShrU); w.op(O.I32Or); w.i32(0xffff); w.op(O.I32And);
      return;
    }
    sw32(() => { w.get(x); w.op(O.I32WrapI64); }); w.op(O.I64ExtendI32U); w.i64(32n); w.op(O.I64Shl);
    sw32(() => { w.get(x); w.i64(32n); w.op(O.I64ShrU); w.op(O.I32WrapI64); }); w.op(O.I64ExtendI32U);
    w.op(O.I64Or);
  }

  /** High 64 bits of the 128-bit product, from 32-bit limbs. */
  private mulHigh(ia: number, ib: number, signed: boolean): void {
    const w = this.w;
    const lo = (x: number): void => { w.get(x); w.i64(0xffffffffn); w.op(O.I64And); };
    const hi = (x: number): void => { w.get(x); w.i64(32n); w.op(O.I64ShrU); };
    const mul = (f: (x: number) => void, g: (x: number) => void): void => { f(ia); g(ib); w.op(O.I64Mul); };
    const hiOf = (): void => { w.i64(32n); w.op(O.I64ShrU); };
    const loOf = (): void => { w.i64(0xffffffffn); w.op(O.I64And); };
    // hh + hi(lh) + hi(hl) + hi(hi(ll) + lo(lh) + lo(hl))
    mul(hi, hi);
    mul(lo, hi); hiOf(); w.op(O.I64Add);
    mul(hi, lo); hiOf(); w.op(O.I64Add);
    mul(lo, lo); hiOf();
    mul(lo, hi); loOf(); w.op(O.I64Add);
    mul(hi, lo); loOf(); w.op(O.I64Add);
    hiOf(); w.op(O.I64Add);
    if (signed) {
      // Subtract b when a < 0 and a when b < 0.
      const neg = (x: number, y: number): void => { w.get(y); w.i64(0n); w.get(x); w.i64(0n); w.op(O.I64LtS); w.op(O.Select); };
      neg(ia, ib); w.op(O.I64Sub);
      neg(ib, ia); w.op(O.I64Sub);
    }
  }
}

/**
 * Block indices in layout order: reverse postorder of a depth-first walk from the
 * entry, then of walks from each block not reached yet (return sites), in turn. A
 * branch's taken target is visited before its fall-through, so the fall-through comes
 * right after the branch. Only loop back edges (and jumps into earlier walks) then go
 * backwards.
 */
export function layoutOrder(blocks: readonly Block[]): number[] {
  const at = new Map(blocks.map((b, i) => [b.addr, i]));
  const seen = new Uint8Array(blocks.length);
  const order: number[] = [];
  for (let root = 0; root < blocks.length; root++) {
    if (seen[root]) continue;
    const post: number[] = [];
    const stack: [number, number][] = [[root, 0]]; // block, next successor to try
    seen[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = successors(blocks[top[0]]!);
      if (top[1] < succ.length) {
        const t = at.get(succ[top[1]++]!);
        if (t !== undefined && !seen[t]) { seen[t] = 1; stack.push([t, 0]); }
      } else {
        post.push(top[0]);
        stack.pop();
      }
    }
    for (let k = post.length - 1; k >= 0; k--) order.push(post[k]!);
  }
  return order;
}

/** Values of the block that are RSP (as the block read it) plus or minus constants. */
function rspDerived(b: Block): Set<number> {
  const out = new Set<number>();
  const consts = new Set<number>();
  for (const i of b.insts) {
    if (i.op === 'const') consts.add(i.dst);
    else if (i.op === 'getreg' && i.k === RSP) out.add(i.dst);
    else if ((i.op === 'add' || i.op === 'sub') && i.ty === 'i64' && out.has(i.args[0]!) && consts.has(i.args[1]!)) out.add(i.dst);
    else if (i.op === 'add' && i.ty === 'i64' && consts.has(i.args[0]!) && out.has(i.args[1]!)) out.add(i.dst);
  }
  return out;
}

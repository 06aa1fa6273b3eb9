// IR regions -> one wasm module, one function per region.
//
// A region function takes the index of the block to enter (every block is an entry)
// and returns an exit status; RIP and the guest state are in memory when it returns.
// Guest registers and flags live in wasm locals while it runs (loaded on entry,
// written back at the single exit tail), unless register caching is off. Control
// flow inside the region is rebuilt by Binaryen's relooper, so guest loops become
// wasm loops. Every block entry decrements the instruction fuel and leaves when it
// runs out, which keeps instruction limits exact and returns to the dispatcher often
// enough to see stop requests.
//
// Memory accesses (the protection policy, see README.md): an access is done inline
// when its address is below 4 GiB, it stays inside one page, and the JIT's protection
// mirror says the page is readable (writable and not holding code, for stores).
// Anything else calls the runtime's slow path, which performs the access with the
// interpreter's checks or reports the fault; the function then leaves with the state
// as it was before the faulting instruction.

import type { Block, Inst, Region, Ty } from '../ir/ir.js';
import { FLAG_BITS, bitsOf } from '../ir/ir.js';
import { successors } from '../ir/passes.js';
import { STATE_BASE, Off } from '../cpu/state.js';
import type { Expr, IntOp, WType } from './wasm.js';
import { WasmModule } from './wasm.js';
import type binaryenNs from 'binaryen';
import { stateUsage } from './state-usage.js';
import { JitAddr, Status, MirrorBit } from './layout.js';
import { isSseLowered, lowerSse } from './codegen-sse.js';
import type { SseEmitContext } from './codegen-sse.js';

export type Backend = 'direct' | 'binaryen';
export const BACKENDS: readonly Backend[] = ['direct', 'binaryen'];

export interface CodegenOptions {
  /** Who writes the wasm: our own byte emitter (src/jit/direct, default) or Binaryen. */
  backend?: Backend;
  /** Keep guest registers and flags in locals (else every access goes to memory). */
  registerCache: boolean;
  /** Binaryen optimisation level (0: none; the direct backend does not optimise). */
  optimize: number;
  /** Send every memory access through the runtime (lock-step comparison logs them). */
  forceSlowMemory: boolean;
  /**
   * Direct backend: accesses through RSP inside the stack range (stack-range.ts) skip the
   * protection mirror (default on; false sends them through the mirror like any other).
   */
  stackRange?: boolean;
  /** Receives the module's text form (debugging; in-process compilation only). */
  dumpText?: (text: string) => void;
  /**
   * Direct backend, experimental: guest loops whose bodies nest in the layout become wasm
   * loops (direct/loops.ts). Off: only a block jumping to itself is a wasm loop, every
   * other back edge goes through the region's dispatch.
   */
  wasmLoops?: boolean;
  /**
   * The guest memory is a shared WebAssembly.Memory, so modules must import it as shared
   * (set by the JIT runtime from the memory it runs on, not a user switch; see
   * src/cli/launch.ts for why the CLI's memory is shared).
   */
  sharedMemory?: boolean;
  /** Run Binaryen's validator (tests; it costs about as much as building the module). */
  validate?: boolean;
}

export const DEFAULT_CODEGEN: CodegenOptions = { registerCache: true, optimize: 0, forceSlowMemory: false };

export interface CompiledModule {
  bytes: Uint8Array;
  /** Per region: its export name and the guest address of each entry index. */
  functions: { name: string; entries: number[] }[];
}

const GPR = (r: number): number => STATE_BASE + Off.gpr + 8 * r;
const RFLAGS = STATE_BASE + Off.rflags;
const RIP = STATE_BASE + Off.rip;

export function compileRegions(bn: typeof binaryenNs, regions: readonly Region[], o: CodegenOptions): CompiledModule {
  const w = new WasmModule(bn);
  try {
    w.importMemory('env', 'mem', 65536, o.sharedMemory === true);
    w.importFunction('slowLoad', 'env', 'slowLoad', [w.i32, w.i32, w.i32], w.i32);
    w.importFunction('slowStore', 'env', 'slowStore', [w.i32, w.i32, w.i32], w.i32);
    w.importFunction('sseSlow', 'env', 'sseSlow', [w.i32], w.i32);
    const functions = regions.map((r, i) => {
      const name = `r${i}`;
      new RegionEmitter(w, r, o).emit(name);
      return { name, entries: r.blocks.map((b) => b.addr) };
    });
    if (o.validate && !w.validate()) throw new Error('JIT produced an invalid wasm module');
    w.optimize(o.optimize);
    if (o.dumpText) o.dumpText(w.text());
    return { bytes: w.emit(), functions };
  } finally {
    w.dispose();
  }
}

/** Fixed locals of every region function. */
const L_ENTRY = 0, L_GPR = 1, L_FLAG = 17, L_FUEL = 24, L_RIP = 25, L_STATUS = 26, L_ADDR = 27, L_LABEL = 28;
const FIXED_LOCALS = (w: WasmModule): WType[] => [
  ...new Array(16).fill(w.i64), ...new Array(7).fill(w.i32), w.i32, w.i64, w.i32, w.i64, w.i32,
];

class RegionEmitter {
  private readonly vars: WType[];
  private base = 0;
  private readonly bases = new Map<Block, number>();
  private block!: Block;
  private insnAddr = 0;
  private insnIndex = 0;
  private readonly regsUsed: Set<number>;
  private readonly regsWritten: Set<number>;
  private readonly flagsUsed: number;
  private readonly flagsWritten: number;
  private readonly inRegion: Set<number>;

  constructor(private readonly w: WasmModule, private readonly region: Region, private readonly o: CodegenOptions) {
    this.vars = FIXED_LOCALS(w);
    this.inRegion = new Set(region.blocks.map((b) => b.addr));
    ({ regsUsed: this.regsUsed, regsWritten: this.regsWritten, flagsUsed: this.flagsUsed, flagsWritten: this.flagsWritten } = stateUsage(region));
  }

  private wt(t: Ty): WType {
    const w = this.w;
    switch (t) {
      case 'i64': return w.i64;
      case 'f32': return w.f32;
      case 'f64': return w.f64;
      case 'v128': return w.v128;
      default: return w.i32;
    }
  }

  emit(name: string): void {
    const w = this.w;
    const rl = w.relooper();
    const rblocks = new Map<number, ReturnType<typeof rl.add>>();
    const exits = new Map<number, ReturnType<typeof rl.add>>();
    const exitBlock = (target: number): ReturnType<typeof rl.add> => {
      let e = exits.get(target);
      if (e === undefined) { e = rl.add(this.exitTo(Status.Normal, w.c64(BigInt(target)))); exits.set(target, e); }
      return e;
    };
    for (const b of this.region.blocks) rblocks.set(b.addr, rl.add(this.emitBlock(b)));
    for (const b of this.region.blocks) {
      const from = rblocks.get(b.addr)!;
      const last = b.insts[b.insts.length - 1]!;
      const to = (t: number): ReturnType<typeof rl.add> => rblocks.get(t) ?? exitBlock(t);
      if (last.op === 'branch' && last.k === last.k2) {
        rl.branch(from, to(last.k)); // both ways lead to one block (a Jcc to the next instruction): one edge only
      } else if (last.op === 'branch') {
        rl.branch(from, to(last.k), w.get(this.bases.get(b)! + last.args[0]!, w.i32));
        rl.branch(from, to(last.k2));
      } else if (last.op === 'jump' || last.op === 'call') {
        rl.branch(from, to(successors(b)[0]!));
      }
    }
    const entry = rl.addSwitch(w.nop(), w.get(L_ENTRY, w.i32));
    this.region.blocks.forEach((b, i) => rl.switchBranch(entry, rblocks.get(b.addr)!, i === 0 ? [] : [i]));
    const body = rl.render(entry, L_LABEL);
    const fn = w.block(null, [
      ...this.prologue(),
      w.block('out', [body, w.unreachable()]),
      ...this.epilogue(),
      w.ret(w.get(L_STATUS, w.i32)),
    ]);
    w.addFunction(name, [w.i32], w.i32, this.vars.slice(0), fn);
  }

  // ---- entry and exit ------------------------------------------------------------------

  private prologue(): Expr[] {
    const w = this.w;
    const out: Expr[] = [w.set(L_FUEL, w.load('i32', w.c32(JitAddr.fuel)))];
    if (!this.o.registerCache) return out;
    for (const r of this.regsUsed) out.push(w.set(L_GPR + r, w.load('i64', w.c32(GPR(r)))));
    if (this.flagsUsed) {
      out.push(w.set(L_STATUS, w.load('i32', w.c32(RFLAGS))));
      for (let f = 0; f < 7; f++) {
        if (this.flagsUsed & (1 << f)) {
          out.push(w.set(L_FLAG + f, w.bin32('and', w.bin32('shr_u', w.get(L_STATUS, w.i32), w.c32(FLAG_BITS[f]!)), w.c32(1))));
        }
      }
    }
    return out;
  }

  private epilogue(): Expr[] {
    const w = this.w;
    const out: Expr[] = [
      w.store('i64', w.c32(RIP), w.get(L_RIP, w.i64)),
      w.store('i32', w.c32(JitAddr.fuel), w.get(L_FUEL, w.i32)),
    ];
    if (!this.o.registerCache) return out;
    for (const r of this.regsWritten) out.push(w.store('i64', w.c32(GPR(r)), w.get(L_GPR + r, w.i64)));
    if (this.flagsWritten) {
      let m = 0;
      let bits: Expr | undefined;
      for (let f = 0; f < 7; f++) {
        if (!(this.flagsWritten & (1 << f))) continue;
        m |= 1 << FLAG_BITS[f]!;
        const b = w.bin32('shl', w.get(L_FLAG + f, w.i32), w.c32(FLAG_BITS[f]!));
        bits = bits === undefined ? b : w.bin32('or', bits, b);
      }
      out.push(w.store('i32', w.c32(RFLAGS), w.bin32('or', w.bin32('and', w.load('i32', w.c32(RFLAGS)), w.c32(~m)), bits!)));
    }
    return out;
  }

  /** Leaves the function with `status`, RIP = rip (i64 expression). */
  private exitTo(status: Status, rip: Expr): Expr {
    const w = this.w;
    return w.block(null, [w.set(L_RIP, rip), w.set(L_STATUS, w.c32(status)), w.br('out')]);
  }

  /** Leaves before the current guest instruction (bail or fault), refunding the fuel of the rest of the block. */
  private exitHere(status: Status): Expr {
    const w = this.w;
    const refund = this.block.count - this.insnIndex;
    return w.block(null, [
      w.set(L_FUEL, w.bin32('add', w.get(L_FUEL, w.i32), w.c32(refund))),
      this.exitTo(status, w.c64(BigInt(this.insnAddr))),
    ]);
  }

  // ---- blocks ----------------------------------------------------------------------------

  private local(v: number): number { return this.base + v; }
  private val(v: number): Expr {
    return this.w.get(this.base + v, this.vars[this.base + v - 1]!);
  }

  private emitBlock(b: Block): Expr {
    const w = this.w;
    this.block = b;
    this.base = this.vars.length + 1;
    this.bases.set(b, this.base);
    const types: Ty[] = new Array(b.nextValue).fill('i32');
    for (const i of b.insts) if (i.dst >= 0) types[i.dst] = i.ty;
    for (const t of types) this.vars.push(this.wt(t));
    this.insnIndex = -1;
    const code: Expr[] = [];
    if (b.count > 0) {
      code.push(w.set(L_FUEL, w.bin32('sub', w.get(L_FUEL, w.i32), w.c32(b.count))));
      code.push(w.if(w.bin32('lt_s', w.get(L_FUEL, w.i32), w.c32(0)), w.block(null, [
        w.set(L_FUEL, w.bin32('add', w.get(L_FUEL, w.i32), w.c32(b.count))),
        this.exitTo(Status.Fuel, w.c64(BigInt(b.addr))),
      ])));
    }
    const argTypes = (i: Inst): Ty[] => i.args.map((a) => types[a]!);
    for (const inst of b.insts) code.push(this.emitInst(inst, argTypes(inst)));
    return w.block(null, code);
  }

  private emitInst(i: Inst, at: Ty[]): Expr {
    const w = this.w;
    const a = (n: number): Expr => this.val(i.args[n]!);
    const def = (e: Expr): Expr => w.set(this.local(i.dst), e);
    switch (i.op) {
      case 'insn': this.insnIndex++; this.insnAddr = i.k; return w.nop();
      case 'const': return def(this.constant(i.ty, i.c));
      case 'getreg':
        if (i.k >= 16) return def(w.load('i64', w.c32(STATE_BASE + (i.k === 16 ? Off.fsBase : Off.gsBase))));
        return def(this.o.registerCache ? w.get(L_GPR + i.k, w.i64) : w.load('i64', w.c32(GPR(i.k))));
      case 'setreg':
        return this.o.registerCache ? w.set(L_GPR + i.k, a(0)) : w.store('i64', w.c32(GPR(i.k)), a(0));
      case 'getflag':
        if (this.o.registerCache) return def(w.get(L_FLAG + i.k, w.i32));
        return def(w.bin32('and', w.bin32('shr_u', w.load('i32', w.c32(RFLAGS)), w.c32(FLAG_BITS[i.k]!)), w.c32(1)));
      case 'setflag': {
        if (this.o.registerCache) return w.set(L_FLAG + i.k, a(0));
        const bit = FLAG_BITS[i.k]!;
        return w.store('i32', w.c32(RFLAGS), w.bin32('or', w.bin32('and', w.load('i32', w.c32(RFLAGS)), w.c32(~(1 << bit))),
          w.bin32('shl', a(0), w.c32(bit))));
      }
      case 'getxmm': return def(w.load('v128', w.c32(STATE_BASE + Off.xmm + 16 * i.k)));
      case 'setxmm': return w.store('v128', w.c32(STATE_BASE + Off.xmm + 16 * i.k), a(0));
      case 'load': return this.memAccess(i, a(0), undefined);
      case 'store': return this.memAccess(i, a(0), () => a(1));
      case 'select': return def(w.select(a(0), a(1), a(2)));
      case 'bail': return w.if(a(0), this.exitHere(Status.Bail));
      case 'jump': case 'call': case 'branch': return w.nop();
      case 'jumpind': case 'callind': case 'ret': return this.exitTo(Status.Normal, a(0));
      case 'interp': return this.exitTo(Status.Interp, w.c64(BigInt(i.k)));
      // The engine lifts without helper ops for this backend (JitRuntime.helperOps).
      case 'helper': case 'repmovs': case 'repstos': throw new Error('binaryen codegen: helper ops are not supported (lift with helpers off)');
      default:
        if (isSseLowered(i, at)) return lowerSse(this.sseContext, i, at);
        if (i.op === 'mulhu' || i.op === 'mulhs') this.curArgs = [this.local(i.args[0]!), this.local(i.args[1]!)];
        return def(this.pure(i, at));
    }
  }

  // ---- SSE (src/jit/codegen-sse.ts) ----------------------------------------------------

  private sseCx: SseEmitContext | undefined;
  private get sseContext(): SseEmitContext {
    return this.sseCx ??= { w: this.w, val: (v) => this.val(v), local: (v) => this.local(v) };
  }

  private constant(t: Ty, c: bigint): Expr {
    const w = this.w;
    switch (t) {
      case 'i64': return w.c64(c);
      case 'f32': return w.cf32bits(Number(c & 0xffffffffn));
      case 'f64': return w.cf64bits(c);
      case 'v128': return w.v128zero();
      default: return w.c32(Number(c & 0xffffffffn));
    }
  }

  // ---- memory ----------------------------------------------------------------------------

  /**
   * `value` makes a fresh expression per use: the fast and the slow path each store it,
   * and a Binaryen expression may appear only once in the tree (the optimiser rewrites
   * nodes in place, so a shared local.get was renumbered twice at -O1).
   */
  private memAccess(i: Inst, addr: Expr, value: (() => Expr) | undefined): Expr {
    const w = this.w;
    const t = i.ty;
    const size = bitsOf(t) / 8;
    const isStore = value !== undefined;
    const ptr = (): Expr => w.wrap(w.get(L_ADDR, w.i64));
    const fast = (): Expr => isStore ? this.rawStore(t, ptr(), value()) : w.set(this.local(i.dst), this.rawLoad(t, ptr()));
    const slowArgs = [w.wrap(w.get(L_ADDR, w.i64)), w.wrap(w.bin64('shr_u', w.get(L_ADDR, w.i64), w.c64(32n))), w.c32(size)];
    const slow = isStore
      ? w.block(null, [
        this.rawStore(t, w.c32(JitAddr.scratch), value()),
        w.if(w.call('slowStore', slowArgs, w.i32), this.exitHere(Status.Fault)),
      ])
      : w.block(null, [
        w.if(w.call('slowLoad', slowArgs, w.i32), this.exitHere(Status.Fault)),
        w.set(this.local(i.dst), this.rawLoad(t, w.c32(JitAddr.scratch))),
      ]);
    if (this.o.forceSlowMemory) return w.block(null, [w.set(L_ADDR, addr), slow]);
    const need = isStore ? MirrorBit.Write : MirrorBit.Read;
    const a32 = (): Expr => w.wrap(w.get(L_ADDR, w.i64));
    const check = w.bin32('and',
      w.bin32('and',
        w.un64('eqz', w.bin64('shr_u', w.get(L_ADDR, w.i64), w.c64(32n))),
        w.bin32('le_u', w.bin32('and', a32(), w.c32(0xfff)), w.c32(4096 - size))),
      w.bin32('ne', w.bin32('and', w.load('i32_8u', w.bin32('shr_u', a32(), w.c32(12)), JitAddr.mirror), w.c32(need)), w.c32(0)));
    return w.block(null, [w.set(L_ADDR, addr), w.if(check, fast(), slow)]);
  }

  private rawLoad(t: Ty, ptr: Expr): Expr {
    const w = this.w;
    switch (t) {
      case 'i8': return w.load('i32_8u', ptr);
      case 'i16': return w.load('i32_16u', ptr);
      case 'i32': return w.load('i32', ptr);
      case 'i64': return w.load('i64', ptr);
      case 'f32': return w.load('f32', ptr);
      case 'f64': return w.load('f64', ptr);
      default: return w.load('v128', ptr);
    }
  }
  private rawStore(t: Ty, ptr: Expr, v: Expr): Expr {
    const w = this.w;
    switch (t) {
      case 'i8': return w.store('i32_8', ptr, v);
      case 'i16': return w.store('i32_16', ptr, v);
      case 'i32': return w.store('i32', ptr, v);
      case 'i64': return w.store('i64', ptr, v);
      case 'f32': return w.store('f32', ptr, v);
      case 'f64': return w.store('f64', ptr, v);
      default: return w.store('v128', ptr, v);
    }
  }

  // ---- pure operations -----------------------------------------------------------------------

  private pure(i: Inst, at: Ty[]): Expr {
    const w = this.w;
    const a = (n: number): Expr => this.val(i.args[n]!);
    const t = at[0]!;
    const is64 = t === 'i64';
    const narrow = t === 'i8' || t === 'i16';
    const bits = bitsOf(t);
    const m = narrow ? (1 << bits) - 1 : 0;
    const bin = (op: IntOp, x: Expr, y: Expr): Expr => is64 ? w.bin64(op, x, y) : w.bin32(op, x, y);
    const wrapN = (e: Expr): Expr => narrow ? w.bin32('and', e, w.c32(m)) : e;
    const sx = (e: Expr): Expr => t === 'i8' ? w.extend8s(e) : t === 'i16' ? w.extend16s(e) : e;
    const count = (e: Expr): Expr => narrow ? w.bin32('and', e, w.c32(bits - 1)) : e;
    switch (i.op) {
      case 'add': case 'sub': case 'mul': return wrapN(bin(i.op, a(0), a(1)));
      case 'and': case 'or': case 'xor': return bin(i.op, a(0), a(1));
      case 'divu': return bin('div_u', a(0), a(1));
      case 'divs': return narrow ? w.bin32('and', w.bin32('div_s', sx(a(0)), sx(a(1))), w.c32(m)) : bin('div_s', a(0), a(1));
      case 'remu': return bin('rem_u', a(0), a(1));
      case 'rems': return narrow ? w.bin32('and', w.bin32('rem_s', sx(a(0)), sx(a(1))), w.c32(m)) : bin('rem_s', a(0), a(1));
      case 'shl': return wrapN(bin('shl', a(0), count(a(1))));
      case 'shru': return bin('shr_u', a(0), count(a(1)));
      case 'shrs': return wrapN(bin('shr_s', sx(a(0)), count(a(1))));
      case 'rotl': case 'rotr': {
        if (!narrow) return bin(i.op, a(0), a(1));
        const n = count(a(1));
        const [l, r] = i.op === 'rotl' ? ['shl', 'shr_u'] as const : ['shr_u', 'shl'] as const;
        return w.bin32('and', w.bin32('or', w.bin32(l, a(0), n), w.bin32(r, a(0), w.bin32('sub', w.c32(bits), count(a(1))))), w.c32(m));
      }
      case 'mulhu': case 'mulhs': return this.mulHigh(a(0), a(1), i.op === 'mulhs');
      case 'eq': case 'ne': return bin(i.op, a(0), a(1));
      case 'ltu': return bin('lt_u', a(0), a(1));
      case 'leu': return bin('le_u', a(0), a(1));
      case 'gtu': return bin('gt_u', a(0), a(1));
      case 'geu': return bin('ge_u', a(0), a(1));
      case 'lts': return bin('lt_s', sx(a(0)), sx(a(1)));
      case 'les': return bin('le_s', sx(a(0)), sx(a(1)));
      case 'gts': return bin('gt_s', sx(a(0)), sx(a(1)));
      case 'ges': return bin('ge_s', sx(a(0)), sx(a(1)));
      case 'not': return is64 ? w.bin64('xor', a(0), w.c64(-1n)) : w.bin32('xor', a(0), w.c32(narrow ? m : -1));
      case 'neg': return wrapN(is64 ? w.bin64('sub', w.c64(0n), a(0)) : w.bin32('sub', w.c32(0), a(0)));
      case 'popcnt': return is64 ? w.un64('popcnt', a(0)) : w.un32('popcnt', a(0));
      case 'clz': return is64 ? w.un64('clz', a(0)) : narrow ? w.bin32('sub', w.un32('clz', a(0)), w.c32(32 - bits)) : w.un32('clz', a(0));
      case 'ctz': return is64 ? w.un64('ctz', a(0)) : narrow ? w.un32('ctz', w.bin32('or', a(0), w.c32(1 << bits))) : w.un32('ctz', a(0));
      case 'bswap': return this.bswap(a, t);
      case 'eqz': return is64 ? w.un64('eqz', a(0)) : w.un32('eqz', a(0));
      case 'msb': return is64 ? w.wrap(w.bin64('shr_u', a(0), w.c64(63n))) : w.bin32('and', w.bin32('shr_u', a(0), w.c32(bits - 1)), w.c32(1));
      case 'parity': {
        const low = w.bin32('and', is64 ? w.wrap(a(0)) : a(0), w.c32(0xff));
        return w.bin32('xor', w.bin32('and', w.un32('popcnt', low), w.c32(1)), w.c32(1));
      }
      case 'zext': return i.ty === 'i64' ? (is64 ? a(0) : w.extendU(a(0))) : a(0);
      case 'sext': {
        const s32 = sx(a(0));
        if (i.ty === 'i64') return w.extendS(s32);
        return i.ty === 'i32' ? s32 : w.bin32('and', s32, w.c32((1 << bitsOf(i.ty)) - 1));
      }
      case 'trunc': {
        const v = is64 ? w.wrap(a(0)) : a(0);
        return i.ty === 'i32' ? v : w.bin32('and', v, w.c32((1 << bitsOf(i.ty)) - 1));
      }
      case 'bitcast': return w.reinterpret(i.ty as 'i32' | 'i64' | 'f32' | 'f64', a(0));
      default: throw new Error(`codegen: no lowering for ${i.op}`);
    }
  }

  private bswap(a: (n: number) => Expr, t: Ty): Expr {
    const w = this.w;
    const sw32 = (x: () => Expr): Expr => w.bin32('or',
      w.bin32('or', w.bin32('shl', x(), w.c32(24)), w.bin32('and', w.bin32('shl', x(), w.c32(8)), w.c32(0xff0000))),
      w.bin32('or', w.bin32('and', w.bin32('shr_u', x(), w.c32(8)), w.c32(0xff00)), w.bin32('shr_u', x(), w.c32(24))));
    if (t === 'i32') return sw32(() => a(0));
    if (t === 'i16') return w.bin32('and', w.bin32('or', w.bin32('shl', a(0), w.c32(8)), w.bin32('shr_u', a(0), w.c32(8))), w.c32(0xffff));
    const lo = (): Expr => w.wrap(a(0)), hi = (): Expr => w.wrap(w.bin64('shr_u', a(0), w.c64(32n)));
    return w.bin64('or', w.bin64('shl', w.extendU(sw32(lo)), w.c64(32n)), w.extendU(sw32(hi)));
  }

  /** High 64 bits of the 128-bit product, from 32-bit limbs. */
  private mulHigh(a: Expr, b: Expr, signed: boolean): Expr {
    const w = this.w;
    void a; void b;
    // Operands are locals (values), so they can be read repeatedly.
    const [ia, ib] = this.lastArgs;
    const A = (): Expr => w.get(ia, w.i64), B = (): Expr => w.get(ib, w.i64);
    const M32 = (): Expr => w.c64(0xffffffffn);
    const lo = (x: Expr): Expr => w.bin64('and', x, M32());
    const hi = (x: Expr): Expr => w.bin64('shr_u', x, w.c64(32n));
    const ll = (): Expr => w.bin64('mul', lo(A()), lo(B()));
    const lh = (): Expr => w.bin64('mul', lo(A()), hi(B()));
    const hl = (): Expr => w.bin64('mul', hi(A()), lo(B()));
    const hh = w.bin64('mul', hi(A()), hi(B()));
    const mid = w.bin64('add', w.bin64('add', hi(ll()), lo(lh())), lo(hl()));
    let r = w.bin64('add', w.bin64('add', hh, hi(lh())), w.bin64('add', hi(hl()), hi(mid)));
    if (signed) {
      const neg = (x: () => Expr, y: () => Expr): Expr => w.select(w.bin64('lt_s', x(), w.c64(0n)), y(), w.c64(0n));
      r = w.bin64('sub', w.bin64('sub', r, neg(A, B)), neg(B, A));
    }
    return r;
  }

  private get lastArgs(): [number, number] { return this.curArgs; }
  private curArgs: [number, number] = [0, 0];
}

// The 'compare' engine: runs every block twice from the same state, first with the JIT
// (every store through the logged slow path), then, after undoing the JIT's stores and
// restoring the state, with the reference interpreter, and stops at the first
// difference in registers, flags, RIP, faults or the bytes the JIT wrote. The report
// shows the block's disassembly, its IR and both states.

import type { CpuState } from '../cpu/state.js';
import { GPR_NAMES, Off } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';
import { GuestFault, ExceptionCode } from '../mem/fault.js';
import { PAGE_SIZE, Prot } from '../mem/memory.js';
import type { Engine, EngineStats, RunOptions } from '../engine.js';
import type { HandlerTable } from '../interp/machine.js';
import { Interpreter, InstructionLimitExceeded } from '../interp/interpreter.js';
import { formatInsn } from '../x86/format.js';
import type { Block } from '../ir/ir.js';
import { printBlocks } from '../ir/text.js';
import type { DecodeFn } from './decode-block.js';
import { decodeBlock } from './decode-block.js';
import { liftBlock } from '../ir/lift.js';
import type { JitOptions } from './engine.js';
import { JitRuntime } from './engine.js';

export class EngineMismatch extends Error {
  constructor(readonly report: string) { super(report); this.name = 'EngineMismatch'; }
}

const ARITH = 0x8d5;

/** Lock-step JIT vs interpreter (wrapped by src/engines.ts, which adds the fault policy). */
export class CompareEngine implements Omit<Engine, 'setFaultHandler'> {
  private readonly jit: JitRuntime;
  private readonly interp: Interpreter;
  private readonly natives = new Map<number, () => void>();
  private readonly ir = new Map<number, Block[]>();
  blocksCompared = 0;
  private instructions = 0;
  private nativeCalls = 0;

  constructor(private readonly st: CpuState, private readonly mem: GuestMemory, private readonly decode: DecodeFn,
    tables: HandlerTable[], opts: JitOptions, stopSignal?: Int32Array) {
    this.jit = new JitRuntime(st, mem, decode, tables, { ...opts, threshold: 0, regions: false, chain: false, exitFlagLiveness: false, helperOps: false,
      codegen: { ...opts.codegen, forceSlowMemory: true } });
    this.jit.onCompiled = (blocks) => { this.ir.set(blocks[0]!.addr, blocks.map((b) => structuredClone(b))); };
    this.interp = new Interpreter(st, mem, { decode, handlers: tables, stopSignal });
  }

  registerNative(addr: number, fn: () => void): void { this.natives.set(addr, fn); }
  requestStop(reason: Error): void { this.interp.requestStop(reason.message); }

  get stats(): EngineStats {
    return { instructions: this.instructions, blocksDecoded: this.interp.blocksDecoded, blockCacheHits: this.interp.cacheHits,
      nativeCalls: this.nativeCalls, jit: { ...this.jit.stats } };
  }

  run(options: RunOptions): void {
    const stopAt = options.stopAt ?? -1;
    let budget = options.maxInstructions ?? Infinity;
    const st = this.st;
    for (;;) {
      const rip = st.rip;
      if (rip === stopAt) return;
      if (budget <= 0) throw new InstructionLimitExceeded(this.instructions, rip);
      const native = this.natives.get(rip);
      if (native !== undefined) { this.nativeCalls++; native(); continue; }
      // Compare only what the JIT compiles (its lifted prefix): instructions the cold
      // tier would run write memory outside the JIT's logged slow path.
      const insns = decodeBlock(this.mem, this.decode, rip, 64);
      const lifted = liftBlock(insns).block.count;
      let n = Math.min(lifted === 0 ? 1 : lifted, budget);
      // stopAt inside the block: compare only up to it.
      const k = stopAt > rip ? insns.findIndex((i) => i.addr === stopAt) : -1;
      if (k > 0) n = Math.min(n, k);
      if (lifted === 0) {
        const f = runUpTo(() => this.interp.run({ maxInstructions: n }));
        if (f) throw f;
      } else this.compareBlock(rip, n);
      this.instructions += n;
      budget -= n;
    }
  }

  private compareBlock(rip: number, n: number): void {
    const st = this.st, mem = this.mem;
    const s0 = st.snapshot();
    const log: NonNullable<JitRuntime['writeLog']> = [];
    this.jit.writeLog = log;
    const jitFault = runUpTo(() => this.jit.run({ maxInstructions: n }));
    this.jit.writeLog = undefined;
    const sJit = st.snapshot();
    // What memory holds after the JIT's run, per logged write: a block may store to one
    // address several times, and only the last value is its result.
    const jitBytes = log.map((w) => mem.u8.slice(w.addr, w.addr + w.after.length));
    for (let i = log.length - 1; i >= 0; i--) mem.u8.set(log[i]!.before, log[i]!.addr);
    st.restore(s0);
    // A guard page fires once: the JIT's access cleared its guard bit, so put it back
    // for the interpreter's replay, which must see the same first touch.
    if (jitFault?.code === ExceptionCode.GuardPage) {
      const page = Math.floor(jitFault.address / PAGE_SIZE) * PAGE_SIZE;
      mem.protect(page, PAGE_SIZE, mem.prot[page / PAGE_SIZE]! | Prot.Guard);
    }
    const interpFault = runUpTo(() => this.interp.run({ maxInstructions: n }));
    const sInt = st.snapshot();
    this.blocksCompared++;
    const diffs: string[] = [];
    if ((jitFault?.code ?? 0) !== (interpFault?.code ?? 0)) {
      diffs.push(`fault: jit ${jitFault?.message ?? 'none'}, interpreter ${interpFault?.message ?? 'none'}`);
    }
    const view = (s: Uint8Array): DataView => new DataView(s.buffer, s.byteOffset, s.byteLength);
    const a = view(sJit), b = view(sInt);
    for (let r = 0; r < 16; r++) {
      const x = a.getBigUint64(Off.gpr + 8 * r, true), y = b.getBigUint64(Off.gpr + 8 * r, true);
      if (x !== y) diffs.push(`${GPR_NAMES[r]}: jit 0x${x.toString(16)}, interpreter 0x${y.toString(16)}`);
    }
    const fmask = jitFault && interpFault ? ~ARITH : ~0;
    const fx = a.getUint32(Off.rflags, true) & fmask, fy = b.getUint32(Off.rflags, true) & fmask;
    if (fx !== fy) diffs.push(`rflags: jit 0x${fx.toString(16)}, interpreter 0x${fy.toString(16)}`);
    const rx = a.getBigUint64(Off.rip, true), ry = b.getBigUint64(Off.rip, true);
    if (rx !== ry) diffs.push(`rip: jit 0x${rx.toString(16)}, interpreter 0x${ry.toString(16)}`);
    for (let o: number = Off.xmm; o < Off.xmm + 256; o++) {
      if (sJit[o] !== sInt[o]) { diffs.push(`xmm${(o - Off.xmm) >> 4} differs`); o = (o | 15); }
    }
    for (let k = 0; k < log.length; k++) {
      const w = log[k]!, after = jitBytes[k]!;
      for (let i = 0; i < after.length; i++) {
        if (mem.u8[w.addr + i] !== after[i]) { diffs.push(`memory at 0x${(w.addr + i).toString(16)}: jit left 0x${after[i]!.toString(16)}, interpreter left 0x${mem.u8[w.addr + i]!.toString(16)}`); break; }
      }
    }
    if (diffs.length > 0) throw new EngineMismatch(this.report(rip, n, diffs, s0, sJit, sInt));
    if (interpFault) throw interpFault;
  }

  private report(rip: number, n: number, diffs: string[], s0: Uint8Array, sJit: Uint8Array, sInt: Uint8Array): string {
    const lines = [`wexe compare: engines differ after the block at 0x${rip.toString(16)} (${n} instructions)`];
    for (const d of diffs) lines.push(`  ${d}`);
    lines.push('block:');
    try { for (const i of decodeBlock(this.mem, this.decode, rip, n)) lines.push(`  ${i.addr.toString(16)}: ${formatInsn(i)}`); } catch { /* unreadable */ }
    const ir = this.ir.get(rip);
    if (ir) lines.push('IR:', printBlocks(ir));
    for (const [name, s] of [['before', s0], ['jit', sJit], ['interpreter', sInt]] as const) lines.push(`${name}: ${stateLine(s)}`);
    return lines.join('\n');
  }
}

function runUpTo(f: () => void): GuestFault | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof GuestFault) return e;
    if (e instanceof InstructionLimitExceeded || (e instanceof Error && e.name === 'InstructionLimitExceeded')) return undefined;
    throw e;
  }
  return undefined;
}

function stateLine(s: Uint8Array): string {
  const dv = new DataView(s.buffer, s.byteOffset, s.byteLength);
  const regs = GPR_NAMES.map((n, r) => `${n}=${dv.getBigUint64(Off.gpr + 8 * r, true).toString(16)}`);
  return `${regs.join(' ')} rip=${dv.getBigUint64(Off.rip, true).toString(16)} rflags=${dv.getUint32(Off.rflags, true).toString(16)}`;
}

// Engine selection: the reference interpreter, the JIT ('jit' compiles everything it
// reaches, 'tiered' only hot code) and 'compare' (JIT and interpreter in lock-step).

import { Worker } from 'node:worker_threads';
import type { CpuState } from './cpu/state.js';
import type { GuestMemory } from './mem/memory.js';
import type { Engine, EngineStats, RunOptions } from './engine.js';
import { GuestFault } from './mem/fault.js';
import { Interpreter, ExecutionStopped, InstructionLimitExceeded as InterpLimit } from './interp/interpreter.js';
import { decode } from './x86/decode.js';
import { sseHandlers } from './interp/sse/index.js';
import { x87Handlers } from './interp/x87/index.js';
import { InstructionLimitExceeded, TimeoutExceeded } from './process/run.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from './jit/engine.js';
import type { JitOptions } from './jit/engine.js';
import { CompareEngine } from './jit/compare.js';
import { printBlocks } from './ir/text.js';
import { wasmToText } from './jit/wasm-text.js';

export const ENGINE_NAMES = ['interp', 'jit', 'tiered', 'compare'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/**
 * Strategy switches the bench runs as separate rows (bench/variants.ts reads this):
 * each is `wexe run --engine <engine> <args...>`.
 */
export const ENGINE_VARIANTS: Record<string, readonly { name: string; args: readonly string[]; description: string }[]> = {
  tiered: [
    { name: 'blocks', args: ['--jit-regions', 'off'], description: 'one block at a time instead of regions' },
    { name: 'no-dead-flags', args: ['--jit-dead-flags', 'off'], description: 'every flag computed' },
    { name: 'no-reg-cache', args: ['--jit-register-cache', 'off'], description: 'guest registers in memory, not wasm locals' },
    { name: 'no-helpers', args: ['--jit-helpers', 'off'], description: 'instructions without a lifter leave compiled code for the cold tier' },
    { name: 'wasm-loops', args: ['--jit-loops', 'on'], description: 'guest loops as wasm loops (experimental) instead of the region dispatch' },
    { name: 'binaryen', args: ['--jit-backend', 'binaryen'], description: 'Binaryen builds the wasm (in a worker) instead of the direct byte emitter' },
  ],
};

export interface EngineOptions {
  timeoutSeconds?: number;
  /** JIT strategy switches ('jit', 'tiered' and 'compare' engines); see src/jit/engine.ts. */
  jit?: Partial<JitOptions>;
  /** Print the optimised IR of every compiled region that has a block starting at this address. */
  dumpIr?: { addr: number; write: (text: string) => void };
  /** Print the WebAssembly text of every installed module whose region has a block starting at this address. */
  dumpWasm?: { addr: number; write: (text: string) => void };
}

/**
 * Wall-clock limit without timers (the guest runs synchronously): a worker thread
 * sleeps, then raises a shared flag the interpreter polls at block boundaries.
 */
function startTimeout(flag: Int32Array, seconds: number): void {
  const w = new Worker(
    `const { workerData } = require('node:worker_threads');
     const f = new Int32Array(workerData.buffer);
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     Atomics.store(f, 0, 1);`,
    { eval: true, workerData: { buffer: flag.buffer, ms: seconds * 1000 } },
  );
  w.unref();
}

/** What an execution core provides; GuardedEngine adds the process-level policy. */
interface Core {
  registerNative(addr: number, fn: () => void): void;
  run(options: RunOptions): void;
  requestStop(reason: Error): void;
  readonly stats: EngineStats;
}

/**
 * The policy every engine shares: guest faults go to the process's fault handler
 * (exception dispatch), which may resume execution; the cores' own limit and stop
 * errors become the process layer's InstructionLimitExceeded and TimeoutExceeded.
 */
class GuardedEngine implements Engine {
  private faultHandler: ((f: GuestFault) => boolean) | undefined;

  constructor(private readonly core: Core, private readonly stopFlag: Int32Array, private readonly timeoutSeconds: number | undefined) {
    if (timeoutSeconds) startTimeout(stopFlag, timeoutSeconds);
  }

  registerNative(addr: number, fn: () => void): void { this.core.registerNative(addr, fn); }
  setFaultHandler(handler: (f: GuestFault) => boolean): void { this.faultHandler = handler; }
  requestStop(reason: Error): void { this.core.requestStop(reason); }
  get stats(): EngineStats { return this.core.stats; }

  run(options: RunOptions): void {
    for (;;) {
      try {
        this.core.run(options);
        return;
      } catch (e) {
        if (e instanceof GuestFault && this.faultHandler?.(e)) continue;
        if (e instanceof InterpLimit) throw new InstructionLimitExceeded(options.maxInstructions ?? 0);
        if (e instanceof ExecutionStopped && Atomics.load(this.stopFlag, 0) !== 0) throw new TimeoutExceeded(this.timeoutSeconds ?? 0);
        throw e;
      }
    }
  }
}

class InterpreterCore implements Core {
  private readonly interp: Interpreter;

  constructor(st: CpuState, mem: GuestMemory, stopFlag: Int32Array) {
    this.interp = new Interpreter(st, mem, { decode, handlers: [sseHandlers, x87Handlers], stopSignal: stopFlag });
  }

  registerNative(addr: number, fn: () => void): void { this.interp.registerNative(addr, fn); }
  run(options: RunOptions): void { this.interp.run(options); }
  requestStop(reason: Error): void { this.interp.requestStop(reason.message); }

  get stats(): EngineStats {
    const c = this.interp;
    return { instructions: c.instructions, blocksDecoded: c.blocksDecoded, blockCacheHits: c.cacheHits, nativeCalls: c.nativesCalled };
  }
}

/** The JIT: 'jit' compiles at first sight, 'tiered' once a block is hot. */
class JitCore implements Core {
  readonly rt: JitRuntime;

  constructor(st: CpuState, mem: GuestMemory, stopFlag: Int32Array, jit: JitOptions, dumps: Pick<EngineOptions, 'dumpIr' | 'dumpWasm'>) {
    this.rt = new JitRuntime(st, mem, decode, [sseHandlers, x87Handlers], jit, stopFlag);
    const { dumpIr, dumpWasm } = dumps;
    if (dumpIr) {
      this.rt.onCompiled = (blocks) => {
        if (blocks.some((b) => b.addr === dumpIr.addr)) dumpIr.write(`${printBlocks(blocks)}\n`);
      };
    }
    if (dumpWasm) {
      const backend = jit.codegen.backend ?? 'direct';
      this.rt.onInstalled = (blocks, bytes) => {
        if (!blocks.some((b) => b.addr === dumpWasm.addr)) return;
        const starts = blocks.map((b) => `0x${b.addr.toString(16)}`).join(' ');
        dumpWasm.write(`;; region of ${blocks.length} blocks (${starts}), ${bytes.length} bytes of wasm from the ${backend} backend\n${wasmToText(bytes)}\n`);
      };
    }
  }

  registerNative(addr: number, fn: () => void): void { this.rt.registerNative(addr, fn); }
  run(options: RunOptions): void { this.rt.run(options); }
  requestStop(reason: Error): void { this.rt.requestStop(reason.message); }

  get stats(): EngineStats {
    const r = this.rt;
    return {
      instructions: r.instructions, blocksDecoded: r.cold.blocksDecoded, blockCacheHits: r.cold.cacheHits,
      nativeCalls: r.nativeCalls, jit: { ...r.stats },
    };
  }
}

function jitOptions(base: Partial<JitOptions>, user: Partial<JitOptions> | undefined): JitOptions {
  return {
    ...DEFAULT_JIT_OPTIONS, ...base, ...user,
    passes: { ...DEFAULT_JIT_OPTIONS.passes, ...base.passes, ...user?.passes },
    codegen: { ...DEFAULT_JIT_OPTIONS.codegen, ...base.codegen, ...user?.codegen },
  };
}

function createCore(name: EngineName, st: CpuState, mem: GuestMemory, opts: EngineOptions, stopFlag: Int32Array): Core {
  switch (name) {
    case 'interp': return new InterpreterCore(st, mem, stopFlag);
    case 'jit': return new JitCore(st, mem, stopFlag, jitOptions({ threshold: 0 }, opts.jit), opts);
    case 'tiered': return new JitCore(st, mem, stopFlag, jitOptions({}, opts.jit), opts);
    case 'compare': return new CompareEngine(st, mem, decode, [sseHandlers, x87Handlers], jitOptions({ threshold: 0, regions: false }, opts.jit), stopFlag);
  }
}

export function createEngine(name: EngineName, st: CpuState, mem: GuestMemory, opts: EngineOptions = {}): Engine {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  return new GuardedEngine(createCore(name, st, mem, opts, stopFlag), stopFlag, opts.timeoutSeconds);
}

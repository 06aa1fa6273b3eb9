// Engine selection. The interpreter is the only engine so far; the JIT arrives as its
// own engine behind the same interface.

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

export const ENGINE_NAMES = ['interp'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface EngineOptions {
  timeoutSeconds?: number;
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

class InterpreterEngine implements Engine {
  private readonly interp: Interpreter;
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));

  constructor(st: CpuState, mem: GuestMemory, private opts: EngineOptions) {
    this.interp = new Interpreter(st, mem, { decode, handlers: [sseHandlers, x87Handlers], stopSignal: this.stopFlag });
    if (opts.timeoutSeconds) startTimeout(this.stopFlag, opts.timeoutSeconds);
  }

  private faultHandler: ((f: GuestFault) => boolean) | undefined;

  registerNative(addr: number, fn: () => void): void { this.interp.registerNative(addr, fn); }

  setFaultHandler(handler: (f: GuestFault) => boolean): void { this.faultHandler = handler; }

  run(options: RunOptions): void {
    for (;;) {
      try {
        this.interp.run(options);
        return;
      } catch (e) {
        if (e instanceof GuestFault && this.faultHandler?.(e)) continue;
        if (e instanceof InterpLimit) throw new InstructionLimitExceeded(options.maxInstructions ?? 0);
        if (e instanceof ExecutionStopped && Atomics.load(this.stopFlag, 0) !== 0) throw new TimeoutExceeded(this.opts.timeoutSeconds ?? 0);
        throw e;
      }
    }
  }

  requestStop(reason: Error): void { this.interp.requestStop(reason.message); }

  get stats(): EngineStats {
    const c = this.interp;
    return { instructions: c.instructions, blocksDecoded: c.blocksDecoded, blockCacheHits: c.cacheHits, nativeCalls: c.nativesCalled };
  }
}

export function createEngine(name: EngineName, st: CpuState, mem: GuestMemory, opts: EngineOptions = {}): Engine {
  switch (name) {
    case 'interp': return new InterpreterEngine(st, mem, opts);
  }
}

import type { GuestFault } from './mem/fault.js';

// What the process layer needs from an execution engine (the interpreter now, the JIT later).

export interface RunOptions {
  /** Stop (return normally) when RIP reaches this address, before executing there. */
  stopAt?: number;
  /** Throw InstructionLimitExceeded after this many more guest instructions. */
  maxInstructions?: number;
  /**
   * false: compile nothing new during this run (JIT engines; compiled code still runs).
   * For the runtime's own calls into guest code (its heap allocations): at start-up they
   * made the heap hot and cost every process a compile it did not need.
   */
  compile?: boolean;
}

export interface EngineStats {
  instructions: number;
  blocksDecoded: number;
  blockCacheHits: number;
  nativeCalls: number;
  /** JIT engines only: compilation and tiering counters (src/jit/engine.ts JitStats). */
  jit?: JitStatsView;
}

/** What the JIT engines report under --stats. */
export interface JitStatsView {
  regionsCompiled: number;
  blocksCompiled: number;
  modulesCreated: number;
  compileMs: number;
  /** Guest instructions run by compiled code and by the cold tier. */
  jitInstructions: number;
  coldInstructions: number;
  regionCalls: number;
  invalidations: number;
  /** Instructions the lifter refused (each ends a compiled block early). */
  fallbacks: number;
  bails: number;
  slowAccesses: number;
  /** Instructions without a lifter compiled as in-region calls of the interpreter's handler, and how often those ran. */
  helperOps: number;
  helperCalls: number;
  /** Wall time spent in compiled code, in the cold tier and in API functions (measured only with JitOptions.timing). */
  compiledMs: number;
  coldMs: number;
  apiMs: number;
}

export interface Engine {
  /** Run `fn` instead of guest code when execution reaches `addr`; fn sets RIP itself. */
  registerNative(addr: number, fn: () => void): void;
  /** Runs guest code; re-entrant (a native may call run again with another stopAt). */
  run(options: RunOptions): void;
  /**
   * Called with each guest fault before it leaves run(); returning true means the
   * fault was handled and the CPU state holds where to continue.
   */
  setFaultHandler(handler: (fault: GuestFault) => boolean): void;
  /** Asks a running engine to stop at the next block boundary (timeouts). */
  requestStop(reason: Error): void;
  readonly stats: EngineStats;
}

// The guest process: what every API implementation receives as its first argument.
// It owns guest memory, the CPU state, the engine, handles, heaps, the environment,
// the file system sandbox and the per-DLL state of the runtime.

import { GuestCalls } from '../src/abi/guest-call.js';
import type { CpuState } from '../src/cpu/state.js';
import { Reg } from '../src/cpu/state.js';
import type { GuestMemory } from '../src/mem/memory.js';
import type { Engine, RunOptions } from '../src/engine.js';
import type { ThunkTable } from '../src/abi/thunks.js';
import type { Host } from './host.js';
import type { Sandbox } from './fs/sandbox.js';
import { HandleTable } from './handles.js';
import type { Heap } from './heap.js';
import { TebOff } from './process-env.js';

/** Ends the process: thrown through the engine and any nested guest calls. */
export class ProcessExit extends Error {
  constructor(readonly code: number) {
    super(`process exited with code ${code}`);
    this.name = 'ProcessExit';
  }
}

export interface ProcessParts {
  mem: GuestMemory;
  st: CpuState;
  engine: Engine;
  thunks: ThunkTable;
  host: Host;
  sandbox: Sandbox;
  /** Allocates a new heap region (HeapCreate). */
  createHeap: (size: number) => Heap | undefined;
  env: Map<string, string>;
  commandLine: string;
  imagePath: string;
  imageBase: number;
  teb: number;
  peb: number;
  environmentBlock: number;
  /** Sentinel return address for host-to-guest calls. */
  callbackReturn: number;
}

export class Process {
  readonly mem: GuestMemory;
  readonly st: CpuState;
  readonly engine: Engine;
  readonly thunks: ThunkTable;
  readonly host: Host;
  readonly sandbox: Sandbox;
  readonly handles = new HandleTable();
  private heap: Heap | undefined;
  readonly createHeap: (size: number) => Heap | undefined;
  readonly env: Map<string, string>;
  readonly commandLine: string;
  readonly imagePath: string;
  readonly imageBase: number;
  readonly teb: number;
  readonly peb: number;
  readonly environmentBlock: number;
  readonly processId = 0x1000;
  readonly threadId = 0x1004;
  readonly tlsSlots = new Array<boolean>(64).fill(false);
  private readonly callbackReturn: number;
  private readonly guestCalls: GuestCalls;
  /** The engine run of a callback when there is no instruction limit. */
  private readonly callbackRun: RunOptions;
  private readonly runtimeCallbackRun: RunOptions;
  private readonly dllStates = new Map<string, unknown>();
  /** Run at exit (before handles close), e.g. to flush CRT streams. */
  readonly exitHooks: (() => void)[] = [];
  callbackDepth = 0;
  /**
   * The engine's instruction count at which --max-instructions stops the program, or
   * undefined. Absolute, so guest code run from natives (TLS callbacks, _initterm,
   * comparators, atexit) counts against the same limit as the main program.
   */
  instructionLimit: number | undefined;
  /** Set by an API (longjmp) to leave through a non-local jump instead of returning. */
  private pendingJump: { rip: number; rsp: number } | undefined;

  constructor(parts: ProcessParts) {
    this.mem = parts.mem;
    this.st = parts.st;
    this.engine = parts.engine;
    this.thunks = parts.thunks;
    this.host = parts.host;
    this.sandbox = parts.sandbox;
    this.createHeap = parts.createHeap;
    this.env = parts.env;
    this.commandLine = parts.commandLine;
    this.imagePath = parts.imagePath;
    this.imageBase = parts.imageBase;
    this.teb = parts.teb;
    this.peb = parts.peb;
    this.environmentBlock = parts.environmentBlock;
    this.callbackReturn = parts.callbackReturn;
    this.guestCalls = new GuestCalls(this.st, this.mem, this.callbackReturn);
    this.callbackRun = Object.freeze({ stopAt: this.callbackReturn });
    this.runtimeCallbackRun = Object.freeze({ stopAt: this.callbackReturn, compile: false });
  }

  /**
   * The process heap (guest code in the builtin library: createProcess makes it once the
   * library is mapped, before anything allocates).
   */
  get processHeap(): Heap {
    if (this.heap === undefined) throw new Error('internal: the process heap is used before it exists');
    return this.heap;
  }

  setProcessHeap(heap: Heap): void { this.heap = heap; }

  jumpTo(rip: number, rsp: number): void { this.pendingJump = { rip, rsp }; }
  takeJump(): { rip: number; rsp: number } | undefined {
    const j = this.pendingJump;
    this.pendingJump = undefined;
    return j;
  }

  /** State a DLL keeps per process, created on first use. */
  dllState<T>(key: string, init: () => T): T {
    let s = this.dllStates.get(key) as T | undefined;
    if (s === undefined) { s = init(); this.dllStates.set(key, s); }
    return s;
  }

  get lastError(): number { return this.mem.dv.getUint32(this.teb + TebOff.lastError, true); }
  set lastError(v: number) { this.mem.dv.setUint32(this.teb + TebOff.lastError, v >>> 0, true); }

  /** Case-insensitive environment lookup, as Windows does. */
  getEnv(name: string): string | undefined {
    const direct = this.env.get(name);
    if (direct !== undefined) return direct;
    const upper = name.toUpperCase();
    for (const [k, v] of this.env) if (k.toUpperCase() === upper) return v;
    return undefined;
  }

  setEnv(name: string, value: string | undefined): void {
    const upper = name.toUpperCase();
    for (const k of [...this.env.keys()]) if (k.toUpperCase() === upper) this.env.delete(k);
    if (value !== undefined) this.env.set(name, value);
  }

  /**
   * Calls guest function `fn` with integer/pointer arguments and returns RAX.
   * The CPU state is saved and restored around the call, so the native caller's
   * view of registers is unchanged (a guest callee preserves non-volatile registers
   * anyway; volatile ones are the native's to clobber).
   */
  callGuest(fn: number, args: readonly (number | bigint)[] = []): bigint {
    this.guestCalls.call(fn, args, this.runCallback);
    return this.guestCalls.result();
  }

  /**
   * callGuest for the runtime's own work in guest code (its heap allocations): nothing is
   * compiled meanwhile, so start-up bookkeeping (argv, environ: a hundred allocations)
   * does not make the heap hot and cost every process a compile. The guest's own calls
   * still count: what it runs often gets compiled as usual.
   */
  callRuntimeGuest(fn: number, args: readonly (number | bigint)[] = []): bigint {
    this.guestCalls.call(fn, args, this.runRuntimeCallback);
    return this.guestCalls.result();
  }

  /** Runs the engine until the current callback returns to the sentinel address. */
  private readonly runCallback = (): void => { this.runUntilReturn(this.callbackRun); };
  private readonly runRuntimeCallback = (): void => { this.runUntilReturn(this.runtimeCallbackRun); };

  private runUntilReturn(plain: RunOptions): void {
    this.callbackDepth++;
    try {
      // Without an instruction limit the options never change: no object per callback.
      this.engine.run(this.instructionLimit === undefined ? plain
        : { ...plain, maxInstructions: this.instructionsLeft() });
    } finally {
      this.callbackDepth--;
    }
  }

  /** Instructions left before the --max-instructions limit (undefined: no limit). */
  instructionsLeft(): number | undefined {
    return this.instructionLimit === undefined ? undefined : Math.max(0, this.instructionLimit - this.engine.stats.instructions);
  }

  /** Like callGuest, for callbacks returning int: the low 32 bits, signed. */
  callGuestInt(fn: number, args: readonly (number | bigint)[] = []): number {
    this.guestCalls.call(fn, args, this.runCallback);
    return this.guestCalls.resultLo | 0;
  }

  /** Ends the process with `code` (runs exit hooks once). */
  exit(code: number): never {
    throw new ProcessExit(code >>> 0);
  }

  /** Allocates from the process heap, throwing when guest memory is exhausted. */
  alloc(size: number, zero = false): number {
    const a = this.processHeap.alloc(size, zero);
    if (a === undefined) throw new Error(`process heap exhausted allocating ${size} bytes`);
    return a;
  }
}

// The library API: load an executable, run it, get its result. The CLI is a thin
// layer over this, and tests and benches call it directly instead of shelling out.

import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePE } from './pe/parse.js';
import type { PEImage } from './pe/types.js';
import { PeFormatError } from './pe/errors.js';
import { createProcess } from './process/create.js';
import type { CreatedProcess } from './process/create.js';
import { runProcess } from './process/run.js';
import type { RunResult } from './process/run.js';
import { ExitStatus } from './process/exit-status.js';
import type { Host } from '../runtime/host.js';
import { NodeHost } from '../runtime/host-node.js';
import { createEngine } from './engines.js';
import type { EngineName, EngineOptions } from './engines.js';
import type { EngineStats } from './engine.js';

export class ExecutableError extends Error {
  constructor(message: string, readonly status: number) { super(message); this.name = 'ExecutableError'; }
}

/** Reads and parses a PE file; throws ExecutableError with a one-line reason. */
export function loadExecutable(path: string): PEImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ExecutableError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code)}`, ExitStatus.FileNotFound);
  }
  try {
    return parsePE(bytes, path.split(/[\\/]/).pop()!);
  } catch (e) {
    if (e instanceof PeFormatError) throw new ExecutableError(`${path}: ${e.message}`, ExitStatus.BadExecutable);
    throw e;
  }
}

export interface RunOptions {
  args?: readonly string[];
  /** Host directory that C:\ maps to; default: a private temporary directory, removed afterwards. */
  root?: string;
  /** The guest's environment; default: the host's. */
  env?: Record<string, string> | Map<string, string>;
  host?: Host;
  engine?: EngineName;
  maxInstructions?: number;
  timeoutSeconds?: number;
  /** JIT strategy switches for the 'jit', 'tiered' and 'compare' engines. */
  jit?: EngineOptions['jit'];
  /** JIT engines: print the IR of regions with a block at this address. */
  dumpIr?: EngineOptions['dumpIr'];
  /** JIT engines: print the WebAssembly text of regions with a block at this address. */
  dumpWasm?: EngineOptions['dumpWasm'];
  /** Receives `--trace api` lines; with `traceFilter` limiting which calls. */
  trace?: (line: string) => void;
  traceFilter?: (dll: string, fn: string) => boolean;
}

export interface RunReport extends RunResult {
  stats: EngineStats & { apiCalls: number };
  missingImports: string[];
}

/** Runs an executable to completion. Guest endings are results, never exceptions. */
export function run(exePath: string, opts: RunOptions = {}): RunReport {
  const pe = loadExecutable(exePath);
  const privateRoot = opts.root === undefined ? mkdtempSync(join(tmpdir(), 'wexe-root-')) : undefined;
  try {
    const cp = prepare(pe, exePath, opts, opts.root ?? privateRoot!);
    const result = runProcess(cp, { maxInstructions: opts.maxInstructions, timeoutSeconds: opts.timeoutSeconds });
    let apiCalls = 0;
    for (const n of cp.process.thunks.callCounts.values()) apiCalls += n;
    return { ...result, stats: { ...cp.process.engine.stats, apiCalls }, missingImports: cp.missingImports };
  } finally {
    if (privateRoot) rmSync(privateRoot, { recursive: true, force: true });
  }
}

export function prepare(pe: PEImage, exePath: string, opts: RunOptions, root: string): CreatedProcess {
  const envMap = opts.env instanceof Map ? new Map(opts.env)
    : new Map(Object.entries(opts.env ?? defaultEnvironment()));
  const cp = createProcess(pe, {
    exePath: resolve(exePath), args: opts.args ?? [], host: opts.host ?? new NodeHost(), root, env: envMap,
    engine: (st, mem) => createEngine(opts.engine ?? 'tiered', st, mem, { timeoutSeconds: opts.timeoutSeconds, jit: opts.jit, dumpIr: opts.dumpIr, dumpWasm: opts.dumpWasm }),
  });
  if (opts.trace) {
    cp.process.thunks.trace = opts.trace;
    cp.process.thunks.traceFilter = opts.traceFilter;
  }
  return cp;
}

/** The host environment plus the variables Windows programs expect to find. */
export function defaultEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env.SystemRoot ??= 'C:\\windows';
  env.windir ??= 'C:\\windows';
  env.TEMP = 'C:\\TEMP';
  env.TMP = 'C:\\TEMP';
  env.COMSPEC ??= 'C:\\windows\\system32\\cmd.exe';
  return env;
}

export { ExitStatus };

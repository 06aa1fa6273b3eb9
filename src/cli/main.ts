#!/usr/bin/env node
// The `wexe` command: run and inspect Windows x64 console programs.

import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ExecutableError, loadExecutable, run } from '../api.js';
import type { RunOptions } from '../api.js';
import { ExitStatus } from '../process/exit-status.js';
import { describeImage } from '../pe/describe.js';
import { isImplemented } from '../../runtime/registry.js';
import { GuestMemory } from '../mem/memory.js';
import { loadImage } from '../pe/loader.js';
import { Layout } from '../mem/layout.js';
import { PeFormatError } from '../pe/errors.js';
import { ENGINE_NAMES } from '../engines.js';
import type { EngineName } from '../engines.js';
import { formatStats } from './stats.js';
import { registerRawCommand } from './raw.js';
import { BACKENDS } from '../jit/codegen.js';
import type { Backend } from '../jit/codegen.js';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

function engineName(v: string): EngineName {
  if (!(ENGINE_NAMES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of: ${ENGINE_NAMES.join(', ')}`);
  return v as EngineName;
}

/** `--trace api` or `--trace api:FILTER[,FILTER]` (substrings of "DLL!Function", case-insensitive). */
function traceSpec(v: string): { filter?: string[] } {
  const m = /^api(?::(.+))?$/.exec(v);
  if (!m) throw new InvalidArgumentError('expected "api" or "api:FILTER" (e.g. api:KERNEL32, api:msvcrt.dll!printf)');
  return m[1] ? { filter: m[1].split(',').map((s) => s.toLowerCase()) } : {};
}

function onOff(v: string): boolean {
  if (v !== 'on' && v !== 'off') throw new InvalidArgumentError('expected "on" or "off"');
  return v === 'on';
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function guestAddress(v: string): number {
  const n = Number(v.startsWith('0x') ? v : `0x${v}`);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a hexadecimal address, e.g. 0x401000');
  return n;
}

function backendName(v: string): Backend {
  if (!(BACKENDS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected ${BACKENDS.join(' or ')}`);
  return v as Backend;
}

function optLevel(v: string): number {
  if (!['0', '1', '2'].includes(v)) throw new InvalidArgumentError('expected 0, 1 or 2');
  return Number(v);
}

interface RunFlags {
  engine: EngineName;
  jitThreshold?: number;
  jitRegions?: boolean;
  jitDeadFlags?: boolean;
  jitRegisterCache?: boolean;
  jitHelpers?: boolean;
  jitLoops?: boolean;
  jitOpt?: number;
  jitBackend?: Backend;
  statsTime?: boolean;
  dumpIr?: number;
  dumpWasm?: number;
  trace?: { filter?: string[] };
  stats?: boolean;
  root?: string;
  maxInstructions?: number;
  timeout?: number;
}

function runCommand(exe: string, args: string[], flags: RunFlags): number {
  if ((flags.jitOpt ?? 0) > 0 && flags.jitBackend !== 'binaryen') {
    process.stderr.write('wexe: --jit-opt is a Binaryen optimisation level: it needs --jit-backend binaryen\n');
    return ExitStatus.Usage;
  }
  for (const [flag, given] of [['--dump-ir', flags.dumpIr], ['--dump-wasm', flags.dumpWasm]] as const) {
    if (given !== undefined && flags.engine !== 'jit' && flags.engine !== 'tiered') {
      process.stderr.write(`wexe: ${flag} prints compiled code: it needs --engine jit or tiered, not ${flags.engine}\n`);
      return ExitStatus.Usage;
    }
  }
  const trace = flags.trace;
  const report = run(exe, {
    args, root: flags.root, engine: flags.engine, maxInstructions: flags.maxInstructions, timeoutSeconds: flags.timeout,
    jit: {
      ...(flags.jitThreshold !== undefined ? { threshold: flags.jitThreshold } : {}),
      ...(flags.jitRegions !== undefined ? { regions: flags.jitRegions } : {}),
      ...(flags.jitHelpers !== undefined ? { helperOps: flags.jitHelpers } : {}),
      passes: { ...(flags.jitDeadFlags !== undefined ? { deadFlags: flags.jitDeadFlags } : {}) },
      codegen: {
        ...(flags.jitRegisterCache !== undefined ? { registerCache: flags.jitRegisterCache } : {}),
        ...(flags.jitOpt !== undefined ? { optimize: flags.jitOpt } : {}),
        ...(flags.jitBackend !== undefined ? { backend: flags.jitBackend } : {}),
        ...(flags.jitLoops !== undefined ? { wasmLoops: flags.jitLoops } : {}),
      },
      ...(flags.statsTime ? { timing: true } : {}),
    } as RunOptions['jit'],
    dumpIr: flags.dumpIr !== undefined ? { addr: flags.dumpIr, write: (t) => process.stderr.write(t) } : undefined,
    dumpWasm: flags.dumpWasm !== undefined ? { addr: flags.dumpWasm, write: (t) => process.stderr.write(t) } : undefined,
    trace: trace ? (line) => process.stderr.write(`[api] ${line}\n`) : undefined,
    traceFilter: trace?.filter ? (dll, fn) => trace.filter!.some((f) => `${dll}!${fn}`.toLowerCase().includes(f)) : undefined,
  });
  const e = report.ending;
  if (e.kind === 'crash') process.stderr.write(`${e.report}\n`);
  else if (e.kind === 'not-implemented') process.stderr.write(`wexe: ${e.message}\n`);
  else if (e.kind === 'limit') process.stderr.write(`wexe: ${e.message}\n`);
  if (flags.stats || flags.statsTime) process.stderr.write(formatStats(report, flags.engine));
  return report.status;
}

function infoCommand(exe: string): number {
  const pe = loadExecutable(exe);
  let loaded;
  try {
    loaded = loadImage(new GuestMemory(), pe, { base: Layout.imageBase });
  } catch (e) {
    if (!(e instanceof PeFormatError)) throw e;
    process.stdout.write(`${describeImage(pe, undefined, isImplemented)}\nnot loadable: ${e.message}\n`);
    return ExitStatus.BadExecutable;
  }
  process.stdout.write(`${describeImage(pe, loaded, isImplemented)}\n`);
  return 0;
}

export function main(argv: string[]): number {
  const program = new Command();
  let status = 0;
  program
    .name('wexe')
    .description('Run Windows x86-64 console programs on Node.js.')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.command('run')
    .description('run a Windows program; arguments after the program are passed to it')
    .argument('<exe>', 'the .exe to run')
    .argument('[args...]', 'arguments for the program')
    .passThroughOptions()
    .option('--engine <name>', `execution engine (${ENGINE_NAMES.join(', ')})`, engineName, 'tiered' as EngineName)
    .option('--trace <what>', 'trace API calls: "api" or "api:FILTER" (substring of DLL!Function)', traceSpec)
    .option('--stats', 'print instructions, blocks, time and MIPS when the program ends')
    .option('--stats-time', '--stats, plus the time spent in compiled code, the cold tier and API functions (reads the clock at every switch: slows API-heavy programs)')
    .option('--root <dir>', 'host directory that C:\\ maps to (default: a private temporary directory)')
    .option('--max-instructions <n>', 'stop the program after N guest instructions', positiveInt)
    .option('--timeout <seconds>', 'stop the program after this many seconds', positiveNumber)
    .option('--jit-threshold <n>', 'tiered: runs of a block before it is compiled (default 50)', nonNegativeInt)
    .option('--jit-regions <on|off>', 'compile regions of blocks (on, default) or one block at a time', onOff)
    .option('--jit-dead-flags <on|off>', 'dead-flag elimination (default on)', onOff)
    .option('--jit-register-cache <on|off>', 'guest registers in wasm locals (default on)', onOff)
    .option('--jit-loops <on|off>', 'experimental, direct backend: guest loops as wasm loops instead of trips through the region\'s dispatch (off, default: mixed results, see README)', onOff)
    .option('--jit-helpers <on|off>', 'instructions without a lifter run inside compiled code as the interpreter\'s handler (on, default; direct backend) or leave it for the cold tier', onOff)
    .option('--dump-ir <addr>', 'jit/tiered: print the IR of each compiled region with a block at this guest address (hex)', guestAddress)
    .option('--dump-wasm <addr>', 'jit/tiered: print the WebAssembly text of each compiled region with a block at this guest address (hex)', guestAddress)
    .option('--jit-backend <name>', 'who writes the wasm: direct (our byte emitter, default) or binaryen (compiled in a worker thread)', backendName)
    .option('--jit-opt <level>', 'Binaryen optimisation level 0-2 (default 0; needs --jit-backend binaryen)', optLevel)
    .action((exe: string, args: string[], flags: RunFlags) => { status = runCommand(exe, args, flags); });
  program.command('info')
    .description('show headers, sections, imports (and which ones the runtime implements), exports, TLS and relocations')
    .argument('<exe>', 'the .exe to inspect')
    .action((exe: string) => { status = infoCommand(exe); });
  registerRawCommand(program, (s) => { status = s; });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; help shown because no command was given is a usage error.
      return e.exitCode === 0 ? 0 : ExitStatus.Usage;
    }
    if (e instanceof ExecutableError) {
      process.stderr.write(`wexe: ${e.message}\n`);
      return e.status;
    }
    const err = e as Error;
    process.stderr.write(`wexe: internal error: ${err.message}\n${err.stack ?? ''}\nThis is a bug in wexe, not in the program; please report it.\n`);
    return ExitStatus.InternalError;
  }
  return status;
}

process.exitCode = main(process.argv.slice(2));

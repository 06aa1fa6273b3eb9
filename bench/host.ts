// The host side of the bench: finding the reference tools (cc, qemu-x86_64, wine),
// building the measure helper and the native programs, and describing the machine.

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { cpus, totalmem, release, platform, arch } from 'node:os';
import { join } from 'node:path';
import { BUILD_DIR, MEASURE_SOURCE, PROGRAMS_DIR } from './paths.js';

/** Absolute path of an executable on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const full = join(dir, name);
    try {
      if (statSync(full).isFile()) return full;
    } catch { /* not here */ }
  }
  return undefined;
}

/** First line of `tool --version`, or undefined when the tool is missing or fails. */
export function toolVersion(tool: string, args: readonly string[] = ['--version'], env?: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync(tool, args, { encoding: 'utf8', env, timeout: 30_000 });
  if (r.status !== 0 || typeof r.stdout !== 'string') return undefined;
  return r.stdout.split('\n').find((l) => l.trim() !== '')?.trim();
}

export function hostCompiler(): string | undefined {
  return which('gcc') ?? which('cc');
}

function newerThan(target: string, sources: readonly string[]): boolean {
  if (!existsSync(target)) return false;
  const t = statSync(target).mtimeMs;
  return sources.every((s) => statSync(s).mtimeMs <= t);
}

/** Compiles sources[0] (the rest are dependencies for the up-to-date check). */
function compile(cc: string, sources: readonly string[], output: string, flags: readonly string[], libs: readonly string[] = []): void {
  if (newerThan(output, sources)) return;
  mkdirSync(BUILD_DIR, { recursive: true });
  // Build under a private name, then rename: test files run in parallel, and one may
  // execute the binary while another writes it (ETXTBSY); a rename is atomic.
  const tmp = `${output}.${process.pid}.tmp`;
  const r = spawnSync(cc, [...flags, '-o', tmp, sources[0], ...libs], { encoding: 'utf8' });
  if (r.status !== 0) { rmSync(tmp, { force: true }); throw new Error(`${cc} failed for ${sources[0]}:\n${r.stderr}`); }
  renameSync(tmp, output);
}

/** Builds bench/tools/measure.c; returns its path. */
export function buildMeasureHelper(cc: string): string {
  const out = join(BUILD_DIR, 'measure');
  compile(cc, [MEASURE_SOURCE], out, ['-O2']);
  return out;
}

/** Builds one benchmark program for Linux with the host compiler (gcc -O2); returns its path. */
export function buildNativeProgram(cc: string, name: string): string {
  const out = join(BUILD_DIR, name);
  compile(cc, [join(PROGRAMS_DIR, `${name}.c`), join(PROGRAMS_DIR, 'common.h')], out, ['-O2'], ['-lm']);
  return out;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  cc?: string;
  qemu?: string;
  wine?: string;
}

export function describeMachine(tools: { cc?: string; qemu?: string; wine?: string }): MachineInfo {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    cc: tools.cc ? toolVersion(tools.cc) : undefined,
    qemu: tools.qemu ? toolVersion(tools.qemu) : undefined,
    wine: tools.wine ? toolVersion(tools.wine, ['--version'], { ...process.env, WINEDEBUG: '-all' }) : undefined,
  };
}

/**
 * Keeps one idle Wine process (cmd.exe reading a pipe) alive for the whole bench, so
 * wineserver does not exit between Wine runs (it stops about 3 s after its last client),
 * which would add its start-up to the next measured run. stop() closes the pipe.
 */
export class WineKeepAlive {
  private readonly child: ChildProcess;

  constructor(wine: string) {
    this.child = spawn(wine, ['cmd.exe'], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, WINEDEBUG: '-all' } });
    this.child.on('error', () => { /* Wine runs are then reported on their own */ });
  }

  /**
   * Closes the pipe: cmd.exe exits at end of input. (The `wine` launcher we spawned may
   * already have exited, leaving cmd.exe to run on its own: the pipe is what ends it.)
   */
  stop(): void {
    this.child.stdin?.end();
    this.child.unref();
  }
}

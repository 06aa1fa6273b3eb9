// One measured run of a command through the measure helper (bench/tools/measure.c):
// wall time, peak resident memory, exit status, and the captured output.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from './runners.js';

export interface Sample {
  wallMs: number;
  maxRssKiB: number;
  /** -1 when the process was killed by a signal. */
  exitCode: number;
  signal: number;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** Parses the measure helper's result line: "<wall_ns> <maxrss_kib> <exit> <signal> <timed_out>". */
export function parseMeasureLine(line: string): Pick<Sample, 'wallMs' | 'maxRssKiB' | 'exitCode' | 'signal' | 'timedOut'> {
  const f = line.trim().split(/\s+/).map(Number);
  if (f.length !== 5 || f.some((x) => !Number.isFinite(x))) throw new Error(`bad measure result: "${line.trim()}"`);
  return { wallMs: f[0] / 1e6, maxRssKiB: f[1], exitCode: f[2], signal: f[3], timedOut: f[4] !== 0 };
}

export class Measurer {
  private readonly dir = mkdtempSync(join(tmpdir(), 'wexe-bench-'));

  constructor(private readonly helper: string, private readonly timeoutSeconds: number) {}

  run(cmd: Command): Sample {
    const [resultFile, stdoutFile, stderrFile] = ['result', 'stdout', 'stderr'].map((f) => join(this.dir, f));
    rmSync(resultFile, { force: true });
    const r = spawnSync(this.helper, [resultFile, stdoutFile, stderrFile, String(this.timeoutSeconds), cmd.file, ...cmd.args], {
      encoding: 'utf8', env: cmd.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (r.error) throw r.error;
    let line: string;
    try {
      line = readFileSync(resultFile, 'utf8');
    } catch {
      throw new Error(`measure helper failed (status ${r.status}): ${r.stderr}`);
    }
    return { ...parseMeasureLine(line), stdout: readFileSync(stdoutFile, 'utf8'), stderr: readFileSync(stderrFile, 'utf8') };
  }

  dispose(): void { rmSync(this.dir, { recursive: true, force: true }); }
}

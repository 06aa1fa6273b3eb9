// The sample cases (samples/cases.json) and a runner that executes one in-process with
// the library API, capturing its output.

import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { run } from '../../src/api.js';
import type { RunReport } from '../../src/api.js';
import type { EngineName } from '../../src/engines.js';
import { CaptureHost } from '../../runtime/host-capture.js';

export const SAMPLES_DIR = join(process.cwd(), 'samples');

export interface SampleCase {
  name: string;
  exe: string;
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
  exitCode: number;
  stdout: string;
  stderr?: string;
  notes?: string;
}

export function loadCases(): SampleCase[] {
  return (JSON.parse(readFileSync(join(SAMPLES_DIR, 'cases.json'), 'utf8')) as { cases: SampleCase[] }).cases;
}

export interface CaseOutcome {
  report: RunReport;
  stdout: Buffer;
  stderr: Buffer;
}

export function runCase(c: SampleCase, engine: EngineName = 'interp', maxInstructions = 2_000_000_000): CaseOutcome {
  const stdin = c.stdin ? readFileSync(join(SAMPLES_DIR, c.stdin)) : new Uint8Array(0);
  const host = new CaptureHost(stdin);
  const root = mkdtempSync(join(tmpdir(), `wexe-e2e-${c.name}-`));
  try {
    const env: Record<string, string> = { SystemRoot: 'C:\\windows', TEMP: 'C:\\TEMP', TMP: 'C:\\TEMP', ...c.env };
    const report = run(join(SAMPLES_DIR, c.exe), { args: c.args, root, env, host, engine, maxInstructions });
    return { report, stdout: host.stdout, stderr: host.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function expectedBytes(rel: string): Buffer {
  return readFileSync(join(SAMPLES_DIR, rel));
}

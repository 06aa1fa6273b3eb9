// Runs the workloads: per workload, every runner gets a warm-up run, then the measured
// rounds go runner after runner (round 1 of each, round 2 of each, ...) so paired ratios
// compare runs taken close together. A runner that fails is reported with its error and
// not run again for that workload; the bench itself carries on.

import type { Measurer, Sample } from './measure.js';
import type { Runner } from './runners.js';
import type { Workload } from './workloads.js';
import type { BenchOptions, CellResult, RunRecord, WorkloadResult } from './results.js';
import { failureReason, parseWexeStats } from './wexe-stats.js';
import { median, normalizeOutput, pairedRatio, spread } from './summary.js';

export type Progress = (step: { workload: string; runner: string; phase: string; index: number; total: number }) => void;

interface Live {
  runner: Runner;
  cell: CellResult;
  outputs: string[];
}

function record(runner: Runner, s: Sample): RunRecord {
  const r: RunRecord = { wallMs: s.wallMs, maxRssKiB: s.maxRssKiB };
  if (runner.kind === 'wexe') {
    const st = parseWexeStats(s.stderr);
    if (st) {
      r.instructions = st.instructions;
      r.guestWallMs = st.guestWallMs;
      r.compileMs = st.compileMs;
    }
  }
  return r;
}

function failed(s: Sample): string | undefined {
  if (!s.timedOut && s.exitCode === 0 && s.signal === 0) return undefined;
  const selfCheck = s.stdout.split(/\r?\n/).find((l) => /\bFAIL\b/.test(l));
  return selfCheck ? selfCheck.trim() : failureReason(s.stderr, s.exitCode, s.signal, s.timedOut);
}

export function runWorkload(w: Workload, size: number, runners: readonly Runner[], measurer: Measurer, opts: BenchOptions, progress: Progress): WorkloadResult {
  const live: Live[] = [];
  const cells: CellResult[] = runners.map((runner) => {
    const cell: CellResult = { runner: runner.id, kind: runner.kind, status: runner.skipReason ? 'skipped' : 'ok', reason: runner.skipReason, runs: [] };
    if (!runner.skipReason) live.push({ runner, cell, outputs: [] });
    return cell;
  });
  const totalSteps = live.length * (opts.runs + (opts.warmup ? 1 : 0));
  let step = 0;
  const once = (l: Live, phase: string): Sample | undefined => {
    progress({ workload: w.name, runner: l.runner.id, phase, index: ++step, total: totalSteps });
    let s: Sample;
    try {
      s = measurer.run(l.runner.command(w.name, size));
    } catch (e) {
      l.cell.status = 'error';
      l.cell.reason = (e as Error).message;
      return undefined;
    }
    const why = failed(s);
    if (why) {
      l.cell.status = 'error';
      l.cell.reason = why;
      return undefined;
    }
    l.outputs.push(normalizeOutput(s.stdout));
    return s;
  };
  const running = () => live.filter((l) => l.cell.status === 'ok');
  if (opts.warmup) for (const l of running()) once(l, 'warm-up');
  for (let round = 1; round <= opts.runs; round++) {
    for (const l of running()) {
      const s = once(l, `run ${round}/${opts.runs}`);
      if (s) l.cell.runs.push(record(l.runner, s));
    }
  }
  const reference = live.find((l) => l.runner.kind === 'native' && l.outputs.length > 0)?.outputs[0]
    ?? live.find((l) => l.outputs.length > 0)?.outputs[0];
  let wrong = false;
  for (const l of live) {
    const bad = l.outputs.find((o) => o !== reference);
    if (bad !== undefined && l.cell.status === 'ok') {
      l.cell.status = 'wrong';
      l.cell.reason = `printed "${bad.split('\n')[0].slice(0, 120)}"`;
      wrong = true;
    }
  }
  summarize(cells);
  return { name: w.name, description: w.description, size, reference, wrong, cells };
}

/** Fills the per-cell figures once every runner has its runs. */
export function summarize(cells: CellResult[]): void {
  const usable = (c: CellResult | undefined) => (c && c.status !== 'skipped' && c.status !== 'error' && c.runs.length > 0 ? c : undefined);
  const times = (c: CellResult) => c.runs.map((r) => r.wallMs);
  const native = usable(cells.find((c) => c.kind === 'native'));
  const qemu = usable(cells.find((c) => c.kind === 'qemu'));
  const interp = usable(cells.find((c) => c.runner === 'wexe:interp'));
  for (const c of cells) {
    if (!usable(c)) continue;
    const t = times(c);
    c.wallMs = median(t);
    c.spread = spread(t);
    c.maxRssMiB = median(c.runs.map((r) => r.maxRssKiB)) / 1024;
    if (native) c.ratioToNative = pairedRatio(t, times(native));
    if (qemu) c.ratioToQemu = pairedRatio(t, times(qemu));
    if (interp && c.kind === 'wexe') c.ratioToInterp = pairedRatio(t, times(interp));
    const withStats = c.runs.filter((r) => r.instructions !== undefined && r.guestWallMs !== undefined && r.guestWallMs > 0);
    if (withStats.length) {
      c.instructions = median(withStats.map((r) => r.instructions!));
      c.mips = median(withStats.map((r) => r.instructions! / r.guestWallMs! / 1000));
      const withCompile = withStats.filter((r) => r.compileMs !== undefined);
      if (withCompile.length) c.compileShare = median(withCompile.map((r) => r.compileMs! / r.guestWallMs!));
    }
  }
}

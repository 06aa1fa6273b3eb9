// `npm run bench` (node dist/bench/run.js): runs every workload under the native build,
// QEMU, Wine and each wexe engine variant, and writes Markdown, JSON and SVG reports to
// bench/results/. See bench/README.md.

import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WineKeepAlive, buildMeasureHelper, buildNativeProgram, describeMachine, hostCompiler, which } from './host.js';
import { Measurer } from './measure.js';
import { nativeRunner, qemuRunner, wexeRunner, wineRunner } from './runners.js';
import type { Runner } from './runners.js';
import { discoverVariants, parseVariantOption, selectVariants } from './variants.js';
import { findWorkloads } from './workloads.js';
import { runWorkload } from './bench.js';
import type { Progress } from './bench.js';
import type { BenchOptions, BenchReport, WorkloadResult } from './results.js';
import { renderMarkdown } from './report-markdown.js';
import { renderSvg } from './report-svg.js';
import { BUILD_DIR, REPO_ROOT, RESULTS_DIR, WEXE_CLI } from './paths.js';

const USAGE = `usage: node dist/bench/run.js [options]
  --quick               tiny work sizes, 1 run, no warm-up (a smoke test: a few minutes)
  --runs N              measured runs per runner and workload (default 3; quick: 1)
  --no-warmup           skip the unmeasured warm-up run
  --only a,b            only these workloads (${'coremark, sha256, ...'})
  --engines a,b         only these wexe engines or variants (e.g. interp, jit, jit/no-regions);
                        default: all but the lock-step checker 'compare'
  --variant e:name:args add a wexe variant: engine, a name, comma-separated extra CLI args
  --skip qemu,wine      leave out reference runners
  --timeout S           seconds before one run is killed (default 600; quick: 60)
  --out DIR             where to write the reports (default bench/results)
  --name STEM           report file names (default: bench, or quick with --quick)`;

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

function positive(v: string | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what} expects a positive integer, got "${v}"`);
  return n;
}

function makeProgress(): { progress: Progress; done: () => void } {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  const progress: Progress = (s) => {
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    const line = `[${secs}s] ${s.workload} · ${s.runner} · ${s.phase} (${s.index}/${s.total})`;
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
  };
  return { progress, done: () => { if (tty) process.stderr.write('\r\x1b[K'); } };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      'no-warmup': { type: 'boolean', default: false },
      only: { type: 'string' },
      engines: { type: 'string' },
      variant: { type: 'string', multiple: true },
      skip: { type: 'string' },
      timeout: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  const quick = values.quick ?? false;
  const opts: BenchOptions = {
    quick,
    runs: positive(values.runs, quick ? 1 : 3, '--runs'),
    warmup: !(values['no-warmup'] ?? false) && !quick,
    timeoutSeconds: positive(values.timeout, quick ? 60 : 600, '--timeout'),
  };
  const workloads = findWorkloads(list(values.only));
  const skip = new Set(list(values.skip) ?? []);
  for (const s of skip) if (s !== 'qemu' && s !== 'wine') throw new Error(`--skip takes qemu and/or wine, got "${s}"`);
  if (!existsSync(WEXE_CLI)) throw new Error(`${WEXE_CLI} is missing: run npm run build first`);

  const cc = hostCompiler();
  if (!cc) throw new Error('no host C compiler (gcc or cc): the bench needs one for the native builds and its measure helper');
  process.stderr.write(`building the measure helper and ${workloads.length} native program(s) with ${cc}...\n`);
  const helper = buildMeasureHelper(cc);
  for (const w of workloads) buildNativeProgram(cc, w.name);
  const qemu = which('qemu-x86_64');
  const wine = which('wine');
  const tools = { nativeDir: BUILD_DIR, qemu, wine };
  const variants = selectVariants([...(await discoverVariants()), ...(values.variant ?? []).map(parseVariantOption)], list(values.engines));
  const runners: Runner[] = [
    nativeRunner(tools),
    qemuRunner(tools, skip.has('qemu') ? 'left out with --skip' : undefined),
    wineRunner(tools, skip.has('wine') ? 'left out with --skip' : undefined),
    ...variants.map(wexeRunner),
  ];
  for (const r of runners) if (r.skipReason) process.stderr.write(`${r.id}: skipped (${r.skipReason})\n`);

  const measurer = new Measurer(helper, opts.timeoutSeconds);
  const wineRunnerLive = runners.find((r) => r.kind === 'wine' && !r.skipReason);
  const keepAlive = wineRunnerLive && wine ? new WineKeepAlive(wine) : undefined;
  if (wineRunnerLive) {
    // Start wineserver and load the prefix once, outside any measurement.
    process.stderr.write('starting Wine...\n');
    measurer.run(wineRunnerLive.command(workloads[0].name, workloads[0].sizes.quick));
  }

  const out = values.out ?? RESULTS_DIR;
  const stem = values.name ?? (quick ? 'quick' : 'bench');
  mkdirSync(out, { recursive: true });
  const report: BenchReport = {
    title: `wexe benchmarks${quick ? ' (quick)' : ''}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: describeMachine({ cc, qemu, wine }),
    options: opts,
    runners: runners.map((r) => ({ id: r.id, kind: r.kind, skipReason: r.skipReason, args: r.variant?.args.length ? r.variant.args : undefined })),
    workloads: [],
    totalSeconds: 0,
  };
  const started = Date.now();
  const write = () => {
    report.totalSeconds = (Date.now() - started) / 1000;
    writeFileSync(join(out, `${stem}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(out, `${stem}.md`), renderMarkdown(report));
    writeFileSync(join(out, `${stem}.svg`), renderSvg(report));
  };
  const { progress, done } = makeProgress();
  try {
    for (const w of workloads) {
      const result: WorkloadResult = runWorkload(w, quick ? w.sizes.quick : w.sizes.full, runners, measurer, opts, progress);
      report.workloads.push(result);
      write(); // after every workload, so an interrupted run still leaves a report
      done();
      process.stderr.write(`${w.name}: ${result.cells.map((c) => `${c.runner} ${c.status === 'ok' ? `${c.ratioToNative?.toFixed(2) ?? '?'}x` : c.status}`).join(', ')}\n`);
    }
  } finally {
    done();
    measurer.dispose();
    keepAlive?.stop();
  }
  const wrong = report.workloads.filter((w) => w.wrong).map((w) => w.name);
  process.stdout.write(`reports: ${['md', 'json', 'svg'].map((e) => relative(REPO_ROOT, join(out, `${stem}.${e}`))).join(', ')} (${report.totalSeconds.toFixed(0)} s)\n`);
  if (wrong.length) process.stdout.write(`WRONG OUTPUT in: ${wrong.join(', ')}\n`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e: Error) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exitCode = 2;
});

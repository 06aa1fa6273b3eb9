// Micro benchmarks of the translator itself (benchmark.js): node dist/bench/micro/run.js [case,...]
// Cases: decode, interp, lift, compile (the last two light up once the JIT is built), heap
// (the runtime's allocator and malloc/free through their thunks).
// Prints a table and writes bench/results/micro.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { loadCorpus } from './corpus.js';
import { formatResult } from './harness.js';
import type { MicroResult } from './harness.js';
import { MICRO_CASES } from './translator.js';
import { heapCase } from './runtime.js';
import { RESULTS_DIR } from '../paths.js';

async function main(): Promise<void> {
  const wanted = process.argv[2]?.split(',');
  const all = [...MICRO_CASES, heapCase];
  const cases = all.filter((c) => !wanted || wanted.includes(c.name));
  if (cases.length === 0) throw new Error(`no such case; cases: ${all.map((c) => c.name).join(', ')}`);
  const corpus = loadCorpus();
  const report: { date: string; cpu: string; node: string; cases: Record<string, MicroResult[] | string> } = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, cases: {},
  };
  for (const c of cases) {
    const r = await c.run(corpus);
    report.cases[c.name] = r;
    if (typeof r === 'string') process.stdout.write(`${c.name}: ${r}\n`);
    else for (const x of r) process.stdout.write(`${formatResult(x)}\n`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'micro.json'), `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((e: Error) => { process.stderr.write(`micro: ${e.message}\n`); process.exitCode = 1; });

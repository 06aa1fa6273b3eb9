// The last long fuzz run's per-form results, kept in docs/fuzz-results.json (one entry
// per engine) for the coverage report. Forms are keyed by mnemonic and table row, which
// stay stable when other rows are added.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMS } from './forms.js';
import type { FormInfo } from './forms.js';

export const RESULTS_PATH = join(process.cwd(), 'docs', 'fuzz-results.json');

export interface EngineResults { seed: number; cases: number; date: string; forms: Record<string, [passed: number, failed: number]> }
export type ResultsFile = Record<string, EngineResults>;

export function formKey(f: FormInfo): string { return `${f.form.mnemonic} ${f.form.source.replace(/^row /, '')}`; }

export function loadResults(path = RESULTS_PATH): ResultsFile {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as ResultsFile : {};
}

export function saveResults(run: { engine: string; seed: number; cases: number; perForm: Map<number, { passed: number; failed: number }> }, path = RESULTS_PATH): void {
  const all = loadResults(path);
  const forms: EngineResults['forms'] = {};
  for (const [id, t] of [...run.perForm].sort((a, b) => a[0] - b[0])) forms[formKey(FORMS[id]!)] = [t.passed, t.failed];
  all[run.engine] = { seed: run.seed, cases: run.cases, date: new Date().toISOString().slice(0, 10), forms };
  writeFileSync(path, `${JSON.stringify(all, null, 1)}\n`);
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Measurer } from '../measure.js';
import { runWorkload } from '../bench.js';
import type { Runner, RunnerKind } from '../runners.js';
import { renderMarkdown } from '../report-markdown.js';
import { renderSvg } from '../report-svg.js';
import type { BenchReport } from '../results.js';
import { measureHelper } from './support.js';

function shRunner(id: string, kind: RunnerKind, script: string, skipReason?: string): Runner {
  return { id, kind, skipReason, command: (p, n) => ({ file: 'sh', args: ['-c', script.replace('$P', p).replace('$N', String(n))] }) };
}

const STATS = 'printf "wexe stats (engine interp):\\n  guest instructions  2,000,000\\n  wall time           0.010 s\\n" >&2';

test('compares outputs, keeps errors and skips, and computes the figures', () => {
  const m = new Measurer(measureHelper(), 10);
  try {
    const runners = [
      shRunner('native', 'native', 'echo "$P n=$N sum=1"'),
      shRunner('qemu', 'qemu', 'echo "$P n=$N sum=1"', 'qemu-x86_64 not installed'),
      shRunner('wine', 'wine', 'printf "$P n=$N sum=1\\r\\n"'),
      shRunner('wexe:interp', 'wexe', `echo "$P n=$N sum=2"; ${STATS}`),
      shRunner('wexe:jit', 'wexe', 'echo "wexe: unhandled exception 0xC0000005" >&2; exit 5'),
    ];
    const w = runWorkload({ name: 'toy', description: 'a toy', sizes: { quick: 1, full: 7 } }, 7, runners, m,
      { quick: false, runs: 3, warmup: true, timeoutSeconds: 10 }, () => {});
    const by = (id: string) => w.cells.find((c) => c.runner === id)!;
    assert.equal(w.reference, 'toy n=7 sum=1');
    assert.equal(by('native').status, 'ok');
    assert.equal(by('native').ratioToNative, 1);
    assert.equal(by('qemu').status, 'skipped');
    assert.equal(by('wine').status, 'ok', 'CRLF output matches');
    assert.equal(by('wine').runs.length, 3);
    assert.equal(by('wexe:interp').status, 'wrong');
    assert.equal(w.wrong, true);
    assert.equal(by('wexe:interp').mips, 200);
    assert.equal(by('wexe:jit').status, 'error');
    assert.equal(by('wexe:jit').reason, 'wexe: unhandled exception 0xC0000005');
    assert.equal(by('wexe:jit').runs.length, 0, 'a failed runner is not run again');

    const report: BenchReport = {
      title: 't', date: '2026-01-01T00:00:00Z', machine: { cpu: 'cpu', cores: 2, memoryGiB: 1, os: 'os', node: 'v20' },
      options: { quick: false, runs: 3, warmup: true, timeoutSeconds: 10 },
      runners: runners.map((r) => ({ id: r.id, kind: r.kind, skipReason: r.skipReason })), workloads: [w], totalSeconds: 1,
    };
    const md = renderMarkdown(report);
    assert.match(md, /\| toy \(wrong\) \| – \| [\d.]+x \| [\d.]+x WRONG \| error \|/);
    const svg = renderSvg(report);
    assert.match(svg, /^<svg [^>]*>/);
    assert.equal((svg.match(/<rect [^>]*fill="#(?!fff)/g) ?? []).length, 2 + 4, 'two bars and four legend swatches');
    assert.match(svg, /×<\/text>/);
  } finally { m.dispose(); }
});

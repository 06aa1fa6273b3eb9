// Every sample case under the JIT engines: the same stdout, stderr and exit status as
// the interpreter gives (and as Windows gives: the expectations are the same files).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedBytes, loadCases, runCase } from './cases.js';

for (const engine of ['jit', 'tiered'] as const) {
  test(`every sample under --engine ${engine}`, () => {
    const failures: string[] = [];
    for (const c of loadCases()) {
      const out = runCase(c, engine);
      const e = out.report.ending;
      const why = e.kind === 'crash' ? e.report.split('\n')[0] : e.kind === 'exit' ? '' : e.message;
      if (!out.stdout.equals(expectedBytes(c.stdout))) failures.push(`${c.name}: stdout differs ${why}`);
      else if (c.stderr && !out.stderr.equals(expectedBytes(c.stderr))) failures.push(`${c.name}: stderr differs`);
      else if (out.report.status !== (c.exitCode & 0xff)) failures.push(`${c.name}: status ${out.report.status} ${why}`);
    }
    assert.deepEqual(failures, []);
  });
}

// Every sample case: stdout (and stderr where recorded) byte for byte, and the exit
// status, against what real Windows (recorded under Wine, corrected where Windows
// differs) produces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedBytes, loadCases, runCase } from './cases.js';

for (const c of loadCases()) {
  test(`sample ${c.name}`, () => {
    const out = runCase(c);
    const e = out.report.ending;
    const why = e.kind === 'crash' ? e.report : e.kind === 'exit' ? '' : e.message;
    assert.equal(out.stdout.toString('latin1'), expectedBytes(c.stdout).toString('latin1'), `stdout of ${c.name}\n${why}`);
    if (c.stderr) assert.equal(out.stderr.toString('latin1'), expectedBytes(c.stderr).toString('latin1'), `stderr of ${c.name}`);
    assert.equal(out.report.status, c.exitCode & 0xff, `exit status of ${c.name}\n${why}\n${out.stderr.toString('latin1')}`);
    if (e.kind === 'exit' || e.kind === 'crash') assert.equal(out.report.windowsCode, c.exitCode, 'full Windows exit code');
  });
}

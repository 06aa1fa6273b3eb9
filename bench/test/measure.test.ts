import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Measurer } from '../measure.js';
import { measureHelper } from './support.js';

test('captures output, exit code and a plausible wall time', () => {
  const m = new Measurer(measureHelper(), 10);
  try {
    const s = m.run({ file: 'sh', args: ['-c', 'echo out; echo err >&2; sleep 0.2; exit 3'] });
    assert.equal(s.stdout, 'out\n');
    assert.equal(s.stderr, 'err\n');
    assert.equal(s.exitCode, 3);
    assert.equal(s.timedOut, false);
    assert.ok(s.wallMs >= 200 && s.wallMs < 5000, `wall ${s.wallMs} ms`);
    assert.ok(s.maxRssKiB > 0);
  } finally { m.dispose(); }
});

test('peak memory follows what the child touches', () => {
  const m = new Measurer(measureHelper(), 10);
  try {
    const small = m.run({ file: process.execPath, args: ['-e', '0'] });
    const big = m.run({ file: process.execPath, args: ['-e', 'const b = Buffer.alloc(200 * 1024 * 1024, 1); console.log(b[5])'] });
    assert.ok(big.maxRssKiB - small.maxRssKiB > 150 * 1024, `${small.maxRssKiB} KiB vs ${big.maxRssKiB} KiB`);
  } finally { m.dispose(); }
});

test('kills a run at the timeout', () => {
  const m = new Measurer(measureHelper(), 1);
  try {
    const s = m.run({ file: 'sleep', args: ['10'] });
    assert.equal(s.timedOut, true);
    assert.equal(s.signal, 9);
    assert.ok(s.wallMs < 5000);
  } finally { m.dispose(); }
});

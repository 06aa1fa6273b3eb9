import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, normalizeOutput, pairedRatio, spread } from '../summary.js';
import { parseMeasureLine } from '../measure.js';

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('spread is (max - min) / median', () => {
  assert.equal(spread([9, 10, 11]), 0.2);
  assert.equal(spread([5]), 0);
});

test('paired ratio pairs run i with run i', () => {
  // Per-round ratios 10, 20, 10 have median 10; the ratio of medians would be 30 / 2 = 15.
  assert.equal(pairedRatio([10, 40, 30], [1, 2, 3]), 10);
  assert.equal(pairedRatio([10, 20], [1, 2, 3]), 10);
});

test('output normalization drops CRLF and trailing blank lines', () => {
  assert.equal(normalizeOutput('a n=1\r\nb\r\n\r\n'), 'a n=1\nb');
});

test('measure result line', () => {
  assert.deepEqual(parseMeasureLine('1500000 2048 0 0 0\n'), { wallMs: 1.5, maxRssKiB: 2048, exitCode: 0, signal: 0, timedOut: false });
  assert.throws(() => parseMeasureLine('1 2 3'));
});

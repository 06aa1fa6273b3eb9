// The --stats summary's digit grouping, checked against ICU's en-US formatting (which
// the summary no longer calls: its first use costs about 15 ms of start-up).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grouped } from '../../src/cli/stats.js';

test('grouped() writes numbers as en-US toLocaleString does', () => {
  const values = [0, 7, 42, 999, 1000, 1001, 12345, 999999, 1000000, 1234567, 64110294, 2 ** 31, 2 ** 53 - 1, -1, -1234, -1000000];
  for (const v of values) assert.equal(grouped(v), v.toLocaleString('en-US'), `value ${v}`);
});

// Differential test of the decoder against iced-x86: encodings generated from every table
// form, random byte strings and truncated encodings, from a fixed seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OUR_MNEMONICS, runDifferential } from './iced-diff.js';

test('decoder agrees with iced-x86 on 50,000 generated and random encodings', () => {
  const { mismatchCount, reports, agreed } = runDifferential(20240601, 50_000, 10);
  assert.equal(mismatchCount, 0, `mismatches:\n${reports.join('\n')}`);
  const never = [...OUR_MNEMONICS].filter((m) => !agreed.has(m));
  assert.deepEqual(never, [], 'every mnemonic in the tables was compared at least once');
});

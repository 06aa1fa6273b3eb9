// docs/isa-coverage.md must match what the code supports (regenerated and compared);
// WEXE_BLESS=1 rewrites it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOrBless } from './coverage.js';

test('docs/isa-coverage.md is current', async () => {
  const { fresh, text } = await checkOrBless();
  if (process.env.WEXE_BLESS === '1') return;
  assert.ok(fresh, `docs/isa-coverage.md is stale: run \`WEXE_BLESS=1 npm run coverage:isa\` (or WEXE_BLESS=1 node scripts/run-tests.mjs coverage). Expected:\n${text.slice(0, 2000)}`);
});

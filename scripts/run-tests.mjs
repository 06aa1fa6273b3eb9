// Runs every compiled `*.test.js` under dist/test and dist/bench/test with node's test runner.
// Node 20's `--test <dir>` would also execute helper modules, so we list test files ourselves.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir, filter) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full, filter));
    else if (name.endsWith('.test.js') && (!filter || full.includes(filter))) out.push(full);
  }
  return out.sort();
}

const filter = process.argv[2];
const files = [...findTests('dist/test', filter), ...findTests('dist/bench/test', filter)];
if (files.length === 0) {
  console.error(`no test files found${filter ? ` matching ${filter}` : ''}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);

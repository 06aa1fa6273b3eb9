// Checks samples/cases.json without running anything (no Wine needed): unique
// names, every exe, stdin and expected file present, exit codes in range,
// expected outputs under 20 KB. Exits non-zero on any problem.
//
//   node tools/check-manifest.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const samplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { cases } = JSON.parse(fs.readFileSync(path.join(samplesDir, 'cases.json'), 'utf8'));
const problems = [];
const names = new Set();
for (const c of cases) {
  if (names.has(c.name)) problems.push(`${c.name}: duplicate name`);
  names.add(c.name);
  for (const key of ['exe', 'stdin', 'stdout', 'stderr']) {
    if (c[key] !== undefined && !fs.existsSync(path.join(samplesDir, c[key]))) problems.push(`${c.name}: ${key} file ${c[key]} is missing`);
  }
  if (!Array.isArray(c.args) || c.args.some((a) => typeof a !== 'string')) problems.push(`${c.name}: args must be strings`);
  if (!Number.isInteger(c.exitCode) || c.exitCode < 0 || c.exitCode > 0xffffffff) problems.push(`${c.name}: exitCode must be a 32-bit unsigned integer`);
  for (const key of ['stdout', 'stderr']) {
    const file = c[key] && path.join(samplesDir, c[key]);
    if (file && fs.existsSync(file) && fs.statSync(file).size > 20_000) problems.push(`${c.name}: ${key} is over 20 KB`);
  }
}
for (const p of problems) console.log(p);
console.log(`${cases.length} cases, ${problems.length} problem(s)`);
process.exitCode = problems.length ? 1 : 0;

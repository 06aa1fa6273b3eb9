// Records samples/expected/ by running every case of samples/cases.json under
// Wine (WINEDEBUG=-all, winedbg disabled, UTF-8 locale), each in a fresh
// empty working directory. Outputs listed in a case's "handEdited" are not
// overwritten (they follow real Windows, see WINDOWS-VS-WINE.md); the script
// only reports whether Wine agrees with them. Exit codes in cases.json are
// Windows' 32-bit values; a Linux host (Wine included) sees the low 8 bits.
//
//   node tools/record-expected.mjs [case-name ...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const samplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(samplesDir, 'cases.json'), 'utf8'));
const wanted = new Set(process.argv.slice(2));
let problems = 0;

function runUnderWine(testCase) {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wexe-sample-'));
  const env = { ...process.env, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'winedbg.exe=d', LC_ALL: 'C.UTF-8', ...(testCase.env ?? {}) };
  const input = testCase.stdin ? fs.readFileSync(path.join(samplesDir, testCase.stdin)) : Buffer.alloc(0);
  const result = spawnSync('wine', [path.join(samplesDir, testCase.exe), ...(testCase.args ?? [])], {
    cwd: workDir, env, input, maxBuffer: 1 << 24, timeout: 120_000,
  });
  const leftovers = fs.readdirSync(workDir);
  fs.rmSync(workDir, { recursive: true, force: true });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, leftovers };
}

function store(testCase, stream, bytes) {
  const rel = testCase[stream];
  const file = path.join(samplesDir, rel);
  if ((testCase.handEdited ?? []).includes(stream)) {
    const same = fs.existsSync(file) && fs.readFileSync(file).equals(bytes);
    console.log(`  ${stream}: hand-edited for Windows, kept (${same ? 'Wine agrees' : 'Wine differs'})`);
    return;
  }
  fs.writeFileSync(file, bytes);
}

for (const testCase of manifest.cases) {
  if (wanted.size && !wanted.has(testCase.name)) continue;
  const run = runUnderWine(testCase);
  console.log(`${testCase.name}: exit ${run.status}, ${run.stdout.length} bytes of stdout`);
  store(testCase, 'stdout', run.stdout);
  if (testCase.stderr) store(testCase, 'stderr', run.stderr);
  const expectedLow = testCase.wineExitCode ?? (testCase.exitCode >>> 0) & 0xff;
  if (run.status !== expectedLow) {
    console.log(`  exit code: Wine ${run.status}, cases.json expects ${expectedLow} under Wine (Windows: ${testCase.exitCode})`);
    problems++;
  }
  if (run.leftovers.length) {
    console.log(`  left files behind: ${run.leftovers.join(', ')}`);
    problems++;
  }
  if (run.stdout.length > 20_000) { console.log('  stdout is over 20 KB'); problems++; }
}
console.log(problems ? `${problems} problem(s)` : 'all cases recorded');
process.exitCode = problems ? 1 : 0;

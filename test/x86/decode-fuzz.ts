// Long-run differential fuzzer: node dist/test/x86/decode-fuzz.js --cases N --seed S
// Prints a reproducer (hex bytes, both decodings) for each mismatch with iced-x86.
import { OUR_MNEMONICS, runDifferential } from './iced-diff.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
  return v;
}

const cases = arg('cases', 100_000);
const seed = arg('seed', Date.now() % 1_000_000);
const maxReports = arg('max-reports', 200);
const t0 = performance.now();
const { mismatchCount, reports, agreed } = runDifferential(seed, cases, maxReports);
const unseen = [...OUR_MNEMONICS].filter((m) => !agreed.has(m));
if (unseen.length > 0) console.log(`never compared: ${unseen.join(' ')}`);
for (const r of reports) console.log(r);
console.log(`seed ${seed}: ${cases} cases, ${mismatchCount} mismatches, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exitCode = mismatchCount === 0 ? 0 : 1;

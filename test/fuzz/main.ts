// `npm run fuzz -- [options]`: long differential runs.
//
//   --seed S --cases N [--engine E] [--only mnemonic,...]   engine vs the real CPU
//   --jit-backend direct|binaryen                            the JIT engines' code generator (default: the JIT's default)
//   --replay <hex>                                           one case, both results in full
//   --decoder [--cases N]                                    decoder vs iced-x86: random and
//                                                            generated encodings + mutated sample code
//   --unmasked                                               also unmask SIMD/x87 exceptions (see gen.ts)
//   --save                                                   write the per-form results to docs/fuzz-results.json
//   --max-reports K                                          reproducers printed (default 30)

import { ENGINE_NAMES } from '../../src/engines.js';
import { BACKENDS } from '../../src/jit/codegen.js';
import type { Backend } from '../../src/jit/codegen.js';
import type { EngineName } from '../../src/engines.js';
import { runOnCpu } from '../native/cpu.js';
import { compareResults, describeCase, runCaseOnEmu } from '../native/emu.js';
import { disassemble } from '../native/safety.js';
import { runDifferential } from '../x86/iced-diff.js';
import { FORMS } from './forms.js';
import { encodeCase, decodeCase } from './replay.js';
import { compareOptionsFor, engineExecutor, runFuzzCases } from './run.js';
import { generateCases } from './suite.js';
import { saveResults } from './results.js';
import { runMutations } from './decoder-mutate.js';
import { decode } from '../../src/x86/decode.js';
import { knownIssueOf } from './known.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);
function numberOption(name: string, fallback: number): number {
  const v = option(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} needs a non-negative integer`);
  return n;
}

function engineOption(): EngineName {
  const e = option('engine') ?? 'interp';
  if (!(ENGINE_NAMES as readonly string[]).includes(e)) throw new Error(`--engine: expected one of ${ENGINE_NAMES.join(', ')}`);
  return e as EngineName;
}

function backendOption(): Backend | undefined {
  const b = option('jit-backend');
  if (b === undefined) return undefined;
  if (!(BACKENDS as readonly string[]).includes(b)) throw new Error(`--jit-backend: expected one of ${BACKENDS.join(', ')}`);
  return b as Backend;
}

function replay(hex: string, engine: EngineName): number {
  const c = decodeCase(hex);
  const [cpu] = runOnCpu([c]);
  const emu = runCaseOnEmu(c, engineExecutor(engine, backendOption()), { decode: (b, a) => decode(b, 0, a) });
  console.log(`case: ${describeCase(c)}`);
  console.log(`disassembly: ${disassemble(c.code)}`);
  const d = compareResults(cpu!, emu, { ...compareOptionsFor(c), case: c, labels: ['cpu', engine] });
  console.log(d ? `DIFFERS: ${d}` : `cpu and ${engine} agree`);
  const show = (label: string, r: typeof cpu): void => {
    console.log(`${label}: ${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}`
      : v instanceof Uint8Array ? (v.length > 64 ? `<${v.length} bytes>` : Buffer.from(v).toString('hex')) : v))}`);
  };
  show('cpu', cpu);
  show(engine, emu);
  return d ? 1 : 0;
}

function decoderRun(seed: number, cases: number, maxReports: number): number {
  const t0 = performance.now();
  const generated = Math.ceil(cases / 2);
  const diff = runDifferential(seed, generated, maxReports);
  const mut = runMutations(seed ^ 0x5eed, cases - generated, maxReports);
  for (const r of [...diff.reports, ...mut.reports].slice(0, maxReports)) console.log(r);
  console.log(`decoder vs iced-x86, seed ${seed}: ${generated} generated/random cases (${diff.mismatchCount} mismatches), `
    + `${mut.cases} mutated sample-code cases (${mut.mismatches} mismatches), ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return diff.mismatchCount + mut.mismatches === 0 ? 0 : 1;
}

function engineRun(seed: number, count: number, engine: EngineName, only: string[] | undefined, maxReports: number, save: boolean, unmasked: boolean): number {
  const t0 = performance.now();
  const chunk = 8192;
  let failed = 0, errors = 0, done = 0, known = 0;
  const perForm = new Map<number, { passed: number; failed: number }>();
  const shown: string[] = [];
  const failingForms = new Map<number, number>();
  for (let start = 0; start < count; start += chunk) {
    const cases = generateCases(seed, start, Math.min(chunk, count - start), only, { unmasked });
    const out = runFuzzCases(cases, engine, 1 << 30, undefined, backendOption());
    done += cases.length;
    for (const [id, t] of out.perForm) {
      const acc = perForm.get(id) ?? { passed: 0, failed: 0 };
      acc.passed += t.passed; acc.failed += t.failed;
      perForm.set(id, acc);
      if (t.failed) failingForms.set(id, (failingForms.get(id) ?? 0) + t.failed);
    }
    // Failures matching a known issue (known.ts) are counted apart; only new ones are shown and fail the run.
    const fresh = (fs: typeof out.failures): typeof out.failures => fs.filter((f) => { const k = knownIssueOf(f.c) !== undefined; if (k) known++; return !k; });
    const newFailures = fresh(out.failures), newErrors = fresh(out.errors);
    failed += newFailures.length;
    errors += newErrors.length;
    for (const f of [...newErrors, ...newFailures]) {
      if (shown.length >= maxReports) break;
      shown.push(`npm run fuzz -- --engine ${engine} --replay ${encodeCase(f.c)}\n  ${f.message}`);
    }
    process.stderr.write(`\r${done}/${count} cases, ${failed} differ, ${errors} errors, ${known} known issues`);
  }
  process.stderr.write('\n');
  for (const s of shown) console.log(s);
  if (failingForms.size) {
    console.log('failing forms, known issues included (cases failed / run):');
    for (const [id, n] of [...failingForms].sort((a, b) => b[1] - a[1])) {
      const t = perForm.get(id)!;
      console.log(`  ${FORMS[id]!.form.mnemonic.padEnd(12)} ${n}/${t.passed + t.failed}  ${FORMS[id]!.form.source}`);
    }
  }
  const formsRun = [...perForm.values()].filter((t) => t.passed + t.failed > 0).length;
  console.log(`${engine} vs CPU, seed ${seed}: ${done} cases over ${formsRun} forms, ${failed} differ, ${errors} engine errors, ${known} known issues (known.ts), `
    + `${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (save) saveResults({ engine, seed, cases: done, perForm });
  return failed + errors === 0 ? 0 : 1;
}

function main(): number {
  const seed = numberOption('seed', 1);
  const maxReports = numberOption('max-reports', 30);
  const rep = option('replay');
  if (rep) return replay(rep, engineOption());
  if (flag('decoder')) return decoderRun(seed, numberOption('cases', 100_000), maxReports);
  const only = option('only')?.split(',').map((s) => s.trim().toLowerCase());
  return engineRun(seed, numberOption('cases', 10_000), engineOption(), only, maxReports, flag('save'), flag('unmasked'));
}

process.exitCode = main();

// The differential fuzzer in the normal suite: a fixed seed, about a dozen cases per
// decoder form the native oracle can run, on every engine in ENGINE_NAMES, plus a
// small decoder-vs-iced run over mutated sample code. Long runs: `npm run fuzz`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_NAMES } from '../../src/engines.js';
import { nativeCpuAvailable, runOnCpu } from '../native/cpu.js';
import { runnableForms, generateCases } from './suite.js';
import { runFuzzCases } from './run.js';
import { encodeCase } from './replay.js';
import { knownIssueOf } from './known.js';
import { runMutations } from './decoder-mutate.js';
import { FORMS } from './forms.js';

const SEED = 20250101;
const skip = !nativeCpuAvailable() && 'no native x86-64 CPU';

test('every runnable decoder form gets generated cases', () => {
  const forms = runnableForms();
  assert.ok(forms.length > 600, `only ${forms.length} runnable forms`);
  const cases = generateCases(SEED, 0, forms.length * 2);
  const seen = new Set(cases.map((c) => c.formId));
  const missing = forms.filter((f) => !seen.has(f.id)).map((f) => f.form.source);
  assert.deepEqual(missing, []);
  // Every form is either runnable natively or has a stated reason.
  for (const f of FORMS) assert.ok(f.refusal === undefined || f.refusal.length > 0);
});

const CASES = runnableForms().length * 12;
let shared: { cases: ReturnType<typeof generateCases>; native: ReturnType<typeof runOnCpu> } | undefined;
function casesAndNative(): NonNullable<typeof shared> {
  if (!shared) {
    const cases = generateCases(SEED, 0, CASES).filter((c) => knownIssueOf(c) === undefined);
    shared = { cases, native: runOnCpu(cases) };
  }
  return shared;
}

// The JIT engines start a compiler worker per case, which makes thousands of one-off
// cases take minutes: the normal suite fuzzes the interpreter, and the JIT is checked
// against the interpreter by test/jit/diff.test.ts and test/e2e. Long runs of any
// engine: WEXE_FUZZ_ENGINES=jit,tiered or `npm run fuzz -- --engine jit`.
const FUZZ_ENGINES = (process.env.WEXE_FUZZ_ENGINES ?? 'interp').split(',')
  .filter((e): e is (typeof ENGINE_NAMES)[number] => (ENGINE_NAMES as readonly string[]).includes(e));

for (const engine of FUZZ_ENGINES) {
  test(`${engine} matches the CPU on ${CASES} generated cases (seed ${SEED})`, { skip }, () => {
    const { cases, native } = casesAndNative();
    const out = runFuzzCases(cases, engine, 20, native);
    const shown = [...out.errors, ...out.failures].slice(0, 20)
      .map((f) => `npm run fuzz -- --engine ${engine} --replay ${encodeCase(f.c)}\n  ${f.message}`);
    assert.equal(shown.length, 0, `${out.failures.length + out.errors.length} of ${cases.length} cases differ:\n${shown.join('\n')}`);
    assert.ok(cases.length > CASES * 0.95, `only ${cases.length} cases left after setting known issues aside`);
  });
}

test('decoder agrees with iced-x86 on mutated sample code', () => {
  const r = runMutations(SEED, 20000, 10);
  assert.deepEqual(r.reports, [], `${r.mismatches} mismatches`);
});

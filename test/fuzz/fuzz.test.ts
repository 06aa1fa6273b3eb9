// The differential fuzzer in the normal suite: a fixed seed, about a dozen cases per
// decoder form the native oracle can run, on the interpreter and the JIT, plus a
// small decoder-vs-iced run over mutated sample code. Long runs: `npm run fuzz`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_NAMES } from '../../src/engines.js';
import type { EngineName } from '../../src/engines.js';
import { loadBinaryen } from '../../src/jit/wasm.js';
import { DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { nativeCpuAvailable, runOnCpu } from '../native/cpu.js';
import { runnableForms, generateCases } from './suite.js';
import { executorStats, runFuzzCases } from './run.js';
import { liftedCaseIndices } from './lifted.js';
import { encodeCase } from './replay.js';
import { knownIssueOf } from './known.js';
import { runMutations } from './decoder-mutate.js';
import { FORMS } from './forms.js';
import { SUITE_CASES_PER_FORM, SUITE_SEED } from './coverage.js';

const SEED = SUITE_SEED;
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

const CASES = runnableForms().length * SUITE_CASES_PER_FORM;
let shared: { cases: ReturnType<typeof generateCases>; native: ReturnType<typeof runOnCpu> } | undefined;
function casesAndNative(): NonNullable<typeof shared> {
  if (!shared) {
    const cases = generateCases(SEED, 0, CASES).filter((c) => knownIssueOf(c) === undefined);
    shared = { cases, native: runOnCpu(cases) };
  }
  return shared;
}

// The interpreter runs every case. The JIT runs, per form, the first JIT_PER_FORM cases
// its lifter takes whole (lifted.ts): those run in compiled code; the rest would run in
// the cold tier, i.e. the interpreter's semantics again. One JIT engine serves all
// cases (run.ts), with whatever backend the JIT uses by default; each case costs a
// region compile and a module instantiation (about 2 ms per case on this machine). Long runs of any engine: `npm run fuzz -- --engine jit`
// (every case, lifted or not), or WEXE_FUZZ_ENGINES=interp,jit,tiered,compare here.
const JIT_PER_FORM = SUITE_CASES_PER_FORM / 2;
const FUZZ_ENGINES = (process.env.WEXE_FUZZ_ENGINES ?? 'interp,jit').split(',')
  .filter((e): e is EngineName => (ENGINE_NAMES as readonly string[]).includes(e));

function report(engine: EngineName, out: ReturnType<typeof runFuzzCases>, total: number): void {
  const shown = [...out.errors, ...out.failures].slice(0, 20)
    .map((f) => `npm run fuzz -- --engine ${engine} --replay ${encodeCase(f.c)}\n  ${f.message}`);
  assert.equal(shown.length, 0, `${out.failures.length + out.errors.length} of ${total} cases differ:\n${shown.join('\n')}`);
}

for (const engine of FUZZ_ENGINES) {
  if (engine === 'interp') {
    test(`interp matches the CPU on ${CASES} generated cases (seed ${SEED})`, { skip }, () => {
      const { cases, native } = casesAndNative();
      report(engine, runFuzzCases(cases, engine, 20, native), cases.length);
      assert.ok(cases.length > CASES * 0.95, `only ${cases.length} cases left after setting known issues aside`);
    });
    continue;
  }
  test(`${engine} matches the CPU on up to ${JIT_PER_FORM} cases per form it lifts whole (seed ${SEED})`, { skip }, async (t) => {
    // Whatever backend the JIT uses by default; Binaryen compiles in this thread (no worker round trip per case).
    if ((DEFAULT_JIT_OPTIONS.codegen.backend ?? 'direct') === 'binaryen') await loadBinaryen();
    const { cases, native } = casesAndNative();
    const picked = liftedCaseIndices(cases, JIT_PER_FORM);
    const before = executorStats(engine)?.jit?.jitInstructions ?? 0;
    const out = runFuzzCases(picked.map((i) => cases[i]!), engine, 20, picked.map((i) => native[i]!));
    report(engine, out, picked.length);
    t.diagnostic(`${picked.length} lifted cases`);
    const forms = new Set(picked.map((i) => cases[i]!.formId)).size;
    assert.ok(forms > 200, `only ${forms} forms have lifted cases`);
    // The cases ran in compiled code, not in the cold tier (each case: its code and the tail jump).
    const compiled = (executorStats(engine)?.jit?.jitInstructions ?? 0) - before;
    const faulted = picked.filter((i) => native[i]!.fault !== undefined).length;
    assert.ok(compiled >= picked.length - faulted, `only ${compiled} instructions ran compiled for ${picked.length} cases`);
  });
}

test('decoder agrees with iced-x86 on mutated sample code', () => {
  const r = runMutations(SEED, 20000, 10);
  assert.deepEqual(r.reports, [], `${r.mismatches} mismatches`);
});

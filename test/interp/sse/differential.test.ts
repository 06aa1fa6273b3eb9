// Differential tests of every SSE form against the host CPU (test/native oracle):
// random and edge-value operands, register and memory forms, MXCSR modes; compares
// XMM registers, MXCSR (flags included), arithmetic RFLAGS, GPRs, memory and faults.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeCpuAvailable, runOnCpu, type CpuCase } from '../../native/cpu.js';
import { FORMS } from './forms.js';
import { Rng, generateCase } from './gen.js';
import { runOne } from './one-insn.js';
import { differences } from './compare.js';

const skip = nativeCpuAvailable() ? false : 'needs x86-64 Linux for the native CPU oracle';
const CASES_PER_FORM = Number(process.env.SSE_CASES ?? 40);
const SEED = Number(process.env.SSE_SEED ?? 0x5eed);

test(`every SSE form matches the CPU (${CASES_PER_FORM} cases per form)`, { skip }, () => {
  const r = new Rng(SEED);
  const cases: CpuCase[] = [];
  for (const form of FORMS) for (let i = 0; i < CASES_PER_FORM; i++) cases.push(generateCase(form, r, i));
  const cpu = runOnCpu(cases);
  const failures = new Map<string, string[]>();
  cases.forEach((c, n) => {
    const ours = runOne(c);
    const d = differences(c, ours, cpu[n]!);
    if (d.length === 0) return;
    const form = c.name!.replace(/ #\d+$/, '');
    const list = failures.get(form) ?? [];
    if (list.length < 3) list.push(`  ${c.name}: ${ours.text} [${Buffer.from(c.code).toString('hex')}] mxcsr 0x${(c.mxcsr ?? 0x1f80).toString(16)}\n    ${d.join('\n    ')}`);
    failures.set(form, list);
  });
  const report = [...failures.entries()].map(([form, l]) => `${form}:\n${l.join('\n')}`).join('\n');
  assert.equal(failures.size, 0, `${failures.size} forms differ from the CPU:\n${report}`);
});

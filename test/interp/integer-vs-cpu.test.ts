// The interpreter against the real CPU: every integer instruction form with seeded
// random and edge values, compared on all GPRs, the defined flags (the SDM's undefined
// ones masked, src/x86/undefined-flags.ts), the scratch memory and faults.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOnCpu, nativeCpuAvailable } from '../native/cpu.js';
import { runCaseOnEmu, compareResults } from '../native/emu.js';
import type { Executor } from '../native/emu.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { CpuState } from '../../src/cpu/state.js';
import { icedDecodeFn } from './support/machine.js';
import { integerCases } from './integer-cases.js';

let interp: Interpreter | undefined;
let interpState: CpuState | undefined;

/** Runs the case's code with the real Interpreter (block decode included), up to its end. */
const execute: Executor = (m, insns) => {
  if (interpState !== m.st) { interp = new Interpreter(m.st, m.mem, { decode: icedDecodeFn, maxBlockInstructions: 4 }); interpState = m.st; }
  const last = insns[insns.length - 1]!;
  interp!.run({ stopAt: last.addr + last.len, maxInstructions: 1000 });
};

test('integer instructions match the CPU', { skip: !nativeCpuAvailable() && 'no native x86-64 CPU' }, () => {
  const cases = integerCases();
  assert.ok(cases.length > 3000, `only ${cases.length} cases`);
  const native = runOnCpu(cases);
  const diffs: string[] = [];
  cases.forEach((c, i) => {
    const emu = runCaseOnEmu(c, execute);
    const d = compareResults(native[i]!, emu, { case: c, flagMask: c.flagMask });
    if (d) diffs.push(d);
  });
  assert.equal(diffs.length, 0, `${diffs.length} of ${cases.length} cases differ:\n${diffs.slice(0, 40).join('\n')}`);
});

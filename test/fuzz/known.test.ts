// Every known issue (known.ts) still reproduces: when one is fixed this fails, and the
// entry moves to regressions.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeCpuAvailable, runOnCpu } from '../native/cpu.js';
import { compareResults, runCaseOnEmu } from '../native/emu.js';
import { decode } from '../../src/x86/decode.js';
import { KNOWN_ISSUES, knownIssueOf } from './known.js';
import { compareOptionsFor, engineExecutor } from './run.js';

test('known issues still differ from the CPU on the interpreter', { skip: !nativeCpuAvailable() && 'no native x86-64 CPU' }, () => {
  const native = runOnCpu(KNOWN_ISSUES.map((k) => k.reproducer));
  KNOWN_ISSUES.forEach((k, i) => {
    assert.equal(knownIssueOf(k.reproducer), k, `${k.title}: the predicate does not match its own reproducer`);
    let message: string | undefined;
    try {
      const emu = runCaseOnEmu(k.reproducer, engineExecutor('interp'), { decode: (b, a) => decode(b, 0, a) });
      message = compareResults(native[i]!, emu, { ...compareOptionsFor(k.reproducer), case: k.reproducer });
    } catch (e) {
      message = (e as Error).message;
    }
    assert.ok(message, `fixed? "${k.title}" now matches the CPU: move it from known.ts to regressions.test.ts`);
  });
});

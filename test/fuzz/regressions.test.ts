// Differences the fuzzer found and that were fixed: each reproducer must keep matching
// the CPU on every engine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_NAMES } from '../../src/engines.js';
import { SCRATCH_ADDRESS, nativeCpuAvailable, runOnCpu } from '../native/cpu.js';
import type { CpuCase } from '../native/cpu.js';
import { compareResults, runCaseOnEmu } from '../native/emu.js';
import { decode } from '../../src/x86/decode.js';
import { compareOptionsFor, engineExecutor } from './run.js';

const REGRESSIONS: CpuCase[] = [
  // 0F 0D /2 (PREFETCHWT1) is a hint: a NOP where the CPU lacks the feature, never #UD.
  { name: 'prefetchwt1 [rax]', code: Uint8Array.from([0x0f, 0x0d, 0x10]), gpr: { rax: SCRATCH_ADDRESS } },
  { name: 'prefetchwt1 [r13+rbx*2-49h]', code: Uint8Array.from([0x45, 0x0f, 0x0d, 0x54, 0x5d, 0xb7]), gpr: { r13: SCRATCH_ADDRESS + 0x100, rbx: 8 } },
];

for (const engine of ENGINE_NAMES) {
  test(`fixed fuzz findings stay fixed (${engine})`, { skip: !nativeCpuAvailable() && 'no native x86-64 CPU' }, () => {
    const native = runOnCpu(REGRESSIONS);
    REGRESSIONS.forEach((c, i) => {
      const emu = runCaseOnEmu(c, engineExecutor(engine), { decode: (b, a) => decode(b, 0, a) });
      assert.equal(compareResults(native[i]!, emu, { ...compareOptionsFor(c), case: c }), undefined);
    });
  });
}

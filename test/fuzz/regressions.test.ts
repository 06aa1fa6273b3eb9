// Differences the fuzzer found and that were fixed: each reproducer must keep matching
// the CPU on every engine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_NAMES } from '../../src/engines.js';
import { SCRATCH_ADDRESS, nativeCpuAvailable, runOnCpu } from '../native/cpu.js';
import type { CpuCase } from '../native/cpu.js';
import { compareResults, runCaseOnEmu } from '../native/emu.js';
import { decode } from '../../src/x86/decode.js';
import { compareOptionsFor, engineExecutor, executorStats } from './run.js';

const REGRESSIONS: CpuCase[] = [
  // 0F 0D /2 (PREFETCHWT1) is a hint: a NOP where the CPU lacks the feature, never #UD.
  { name: 'prefetchwt1 [rax]', code: Uint8Array.from([0x0f, 0x0d, 0x10]), gpr: { rax: SCRATCH_ADDRESS } },
  { name: 'prefetchwt1 [r13+rbx*2-49h]', code: Uint8Array.from([0x45, 0x0f, 0x0d, 0x54, 0x5d, 0xb7]), gpr: { r13: SCRATCH_ADDRESS + 0x100, rbx: 8 } },
  // BSWAP r16 (undefined by the SDM) clears the register on hardware; the JIT's lifter swapped its two bytes.
  { name: 'bswap r9w', code: Uint8Array.from([0x66, 0x41, 0x0f, 0xc9]), gpr: { r9: 0x1234_5678_9abc_def0n } },
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

// The fuzz runner reuses one JIT engine for every case at the same address: an address
// whose old code the lifter refused must compile once new code is written there.
test('a reused jit engine compiles new code where refused code was', () => {
  const exec = engineExecutor('jit');
  const run = (code: number[]): void => { runCaseOnEmu({ code: Uint8Array.from(code) }, exec, { decode: (b, a) => decode(b, 0, a) }); };
  run([0x0f, 0x0d, 0x10]); // prefetchwt1 [rax]: not lifted
  const before = executorStats('jit')!.jit!.jitInstructions;
  run([0x48, 0x01, 0xd8]); // add rax, rbx
  assert.ok(executorStats('jit')!.jit!.jitInstructions > before, 'the second case ran in the cold tier');
});

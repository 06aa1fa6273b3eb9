// LOOP, LOOPE, LOOPNE, JRCXZ and JECXZ run compiled (lifted to a decrement and a branch):
// each snippet from several counts, 64- and 32-bit address sizes, against the
// interpreter (itself checked against the CPU in test/interp/control.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lockstep } from './support/lockstep.js';

const hex = (s: string): number[] => s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16));

const CASES: { name: string; code: string; counts: bigint[] }[] = [
  { name: 'inc eax; loop', code: 'ffc0 e2fc', counts: [1n, 2n, 5n, 40n] },
  { name: 'inc eax; cmp eax, 3; loopne', code: 'ffc0 83f803 e0f9', counts: [1n, 2n, 3n, 10n] },
  { name: 'inc eax; cmp eax, 1; loope', code: 'ffc0 83f801 e1f9', counts: [1n, 2n, 10n] },
  { name: 'jrcxz over inc eax', code: 'e302 ffc0', counts: [0n, 1n, 0x1_00000000n, (1n << 64n) - 1n] },
  { name: 'jecxz over inc eax', code: '67e302 ffc0', counts: [0n, 1n, 0x1_00000000n, 0xffffffffn] },
  { name: 'inc eax; loop (ECX)', code: 'ffc0 67e2fb', counts: [1n, 3n, 0x7_00000002n] },
];

for (const c of CASES) {
  test(`${c.name}: the JIT equals the interpreter and runs it compiled`, () => {
    const l = new Lockstep(hex(c.code));
    for (const rcx of c.counts) {
      for (const rflags of [0x2, 0x2 | 0x40]) {
        const start = { regs: [0n, rcx, 7n, 9n], rflags, data: new Uint8Array(0x1000) };
        const want = l.interp(start);
        const got = l.jitRun(start);
        assert.equal(got.fault, want.fault, `rcx ${rcx}`);
        assert.deepEqual(got.state, want.state, `rcx ${rcx.toString(16)} rflags ${rflags}: state`);
        assert.equal(got.bails, 0, 'no hand-over to the interpreter');
        assert.ok(got.compiled > 0, 'ran compiled');
      }
    }
  });
}

// Focused differential test of IEEE corner cases against the CPU: operands built so
// that results land on the underflow threshold (tininess after rounding, subnormal
// rounding, FTZ), the overflow threshold, and rounding ties, under all four rounding
// modes with DAZ/FTZ on and off. Random operands hit these only rarely.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeCpuAvailable, runOnCpu, type CpuCase } from '../../native/cpu.js';
import { Rng } from './gen.js';
import { runOne } from './one-insn.js';
import { differences } from './compare.js';

const skip = nativeCpuAvailable() ? false : 'needs x86-64 Linux for the native CPU oracle';

/** xmm0 = op(xmm0, xmm1) for each of these encodings. */
const SINGLE = { addps: [0x0f, 0x58], subps: [0x0f, 0x5c], mulps: [0x0f, 0x59], divps: [0x0f, 0x5e], sqrtps: [0x0f, 0x51] };
const DOUBLE = { addpd: [0x66, 0x0f, 0x58], subpd: [0x66, 0x0f, 0x5c], mulpd: [0x66, 0x0f, 0x59], divpd: [0x66, 0x0f, 0x5e], sqrtpd: [0x66, 0x0f, 0x51] };
const CONVERT = { cvtpd2ps: [0x66, 0x0f, 0x5a], cvtps2pd: [0x0f, 0x5a] };

function significand(r: Rng, bits: number): number {
  // 1.xxx: all ones, one, just above one, halfway patterns, or random.
  const k = r.below(6);
  const frac = k === 0 ? 2 ** bits - 1 : k === 1 ? 0 : k === 2 ? 1 : k === 3 ? 2 ** (bits - 1) : k === 4 ? 2 ** (bits - 1) + 1 : Math.floor(r.u32() / 2 ** 32 * 2 ** Math.min(bits, 32)) * 2 ** Math.max(0, bits - 32);
  return 1 + frac / 2 ** bits;
}

function operandPair(r: Rng, p: number, emin: number, emax: number, op: string): [number, number] {
  const sign = (): number => (r.chance(0.5) ? -1 : 1);
  const a = significand(r, p - 1);
  const b = significand(r, p - 1);
  const nearMin = r.chance(0.6);
  const target = nearMin ? emin + r.below(4) - 2 : emax + r.below(3) - 1;
  switch (op) {
    case 'mul': { const e1 = Math.trunc(target / 2) + r.below(5) - 2; return [sign() * a * 2 ** e1, sign() * b * 2 ** (target - e1)]; }
    case 'div': { const e2 = r.below(20) - 10; return [sign() * a * 2 ** (target + e2), sign() * b * 2 ** e2]; }
    case 'sqrt': return [a * 2 ** (nearMin ? emin - p + r.below(2 * p) : emax - r.below(3)), 0];
    default: {
      // Sums near the thresholds: nearly cancelling or nearly doubling operands.
      const x = a * 2 ** target;
      const y = (r.chance(0.5) ? -1 : 1) * (r.chance(0.5) ? x * (1 - 2 ** -(1 + r.below(p))) : b * 2 ** (target - r.below(p + 2)));
      return [sign() * x, y];
    }
  }
}

function mxcsr(r: Rng): number {
  return 0x1f80 | (r.below(4) << 13) | (r.chance(0.3) ? 0x8000 : 0) | (r.chance(0.3) ? 0x40 : 0);
}

function build(r: Rng): CpuCase[] {
  const cases: CpuCase[] = [];
  for (const [name, code] of Object.entries(SINGLE)) {
    for (let n = 0; n < 300; n++) {
      const x = new Float32Array(4), y = new Float32Array(4);
      for (let i = 0; i < 4; i++) [x[i], y[i]] = operandPair(r, 24, -126, 127, name.slice(0, -2).replace('sub', 'add'));
      if (name === 'sqrtps') x.set(x.map(Math.abs)), y.set(x);
      cases.push({ name: `${name} #${n}`, code: new Uint8Array([...code, 0xc1]), mxcsr: mxcsr(r), xmm: [new Uint8Array(x.buffer), new Uint8Array(y.buffer)] });
    }
  }
  for (const [name, code] of Object.entries(DOUBLE)) {
    for (let n = 0; n < 300; n++) {
      const x = new Float64Array(2), y = new Float64Array(2);
      for (let i = 0; i < 2; i++) [x[i], y[i]] = operandPair(r, 53, -1022, 1023, name.slice(0, -2).replace('sub', 'add'));
      if (name === 'sqrtpd') x.set(x.map(Math.abs)), y.set(x);
      cases.push({ name: `${name} #${n}`, code: new Uint8Array([...code, 0xc1]), mxcsr: mxcsr(r), xmm: [new Uint8Array(x.buffer), new Uint8Array(y.buffer)] });
    }
  }
  for (const [name, code] of Object.entries(CONVERT)) {
    for (let n = 0; n < 300; n++) {
      const src = name === 'cvtpd2ps'
        ? new Uint8Array(new Float64Array([0, 1].map(() => (r.chance(0.5) ? -1 : 1) * significand(r, 52) * 2 ** (r.chance(0.6) ? -126 - r.below(26) : 127 + r.below(2)))).buffer)
        : new Uint8Array(new Uint32Array([0, 1, 2, 3].map(() => r.u32() & 0x807fffff)).buffer);
      cases.push({ name: `${name} #${n}`, code: new Uint8Array([...code, 0xc1]), mxcsr: mxcsr(r), xmm: [new Uint8Array(16), src] });
    }
  }
  return cases;
}

test('IEEE threshold cases match the CPU (results, MXCSR flags) in every rounding mode', { skip }, () => {
  const cases = build(new Rng(0xb0b));
  const cpu = runOnCpu(cases);
  const bad: string[] = [];
  cases.forEach((c, n) => {
    const o = runOne(c);
    const d = differences(c, o, cpu[n]!);
    if (d.length && bad.length < 8) bad.push(`${c.name} ${o.text} mxcsr 0x${c.mxcsr!.toString(16)}: ${d.join('; ')}`);
  });
  assert.deepEqual(bad, []);
});

// Every x87 handler against the real CPU: each instruction form runs on the host x87
// (FRSTOR state, instruction, FNSAVE) and on wexe's handler from the same state, and
// the whole FPU state (control, status, tags, all eight registers), the memory operand,
// RAX and the arithmetic flags must agree. Stacks of every depth are generated, so
// stack underflow and overflow responses are covered too.
//
// Tolerances, only where hardware is not exact: transcendental results (F2XM1, FYL2X,
// FYL2XP1, FPTAN, FPATAN, FSIN, FCOS, FSINCOS) may differ by 1 ulp of the 64-bit
// significand, and C1 is then not compared; the last-instruction pointer fields of
// FNSTENV/FNSAVE/FXSAVE images are not compared (wexe stores zeros, see handlers-control.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { F80 } from '../../../src/interp/x87/float80.js';
import { f80Hex, f80FromBytes } from '../../../src/interp/x87/float80.js';
import { runOnHost, hostIsX86, type HostCase } from './host-x87.js';
import { runOnInterp } from './x87-machine.js';
import { Rng } from './values.js';
import { TEMPLATES as T, buildCase, type Template } from './templates.js';

// ---- state generation and comparison ----
/** Cases per instruction form; X87_CASES and X87_SEED allow longer soak runs locally. */
const CASES = Number(process.env.X87_CASES ?? 48);
const SEED = Number(process.env.X87_SEED ?? 0x87);

function ulpClose(a: F80, b: F80): boolean {
  if (a.sign !== b.sign) return false;
  const key = (v: F80): bigint => (BigInt(v.exp) << 63n) + (v.sig & ((1n << 63n) - 1n));
  const d = key(a) - key(b);
  return d >= -1n && d <= 1n;
}

function compareCase(t: Template, c: HostCase, host: ReturnType<typeof runOnHost>[number]): string[] {
  const ours = runOnInterp(c);
  const problems: string[] = [];
  if (ours.error) problems.push(`threw ${String(ours.error)}`);
  const hv = new DataView(host.image.buffer, host.image.byteOffset);
  const ov = new DataView(ours.image.buffer);
  // C1 (round-up) of a transcendental depends on the CPU's internal approximation.
  let c1Matters = !t.ulp;
  for (let i = 0; i < 8; i++) {
    const h = f80FromBytes(host.image, 28 + 10 * i);
    const o = f80FromBytes(ours.image, 28 + 10 * i);
    if (h.sign === o.sign && h.exp === o.exp && h.sig === o.sig) continue;
    if (t.ulp && ulpClose(h, o)) { c1Matters = false; continue; }
    problems.push(`st${i} host ${f80Hex(h)} ours ${f80Hex(o)}`);
  }
  const swMask = c1Matters ? 0xffff : 0xfdff;
  for (const [name, off, mask] of [['cw', 0, 0xffff], ['sw', 4, swMask], ['tag', 8, 0xffff]] as const) {
    const hw = hv.getUint16(off, true) & mask;
    const ow = ov.getUint16(off, true) & mask;
    if (hw !== ow) problems.push(`${name} host ${hw.toString(16)} ours ${ow.toString(16)}`);
  }
  const hm = Uint8Array.from(host.mem);
  const om = Uint8Array.from(ours.mem);
  for (const [from, to] of t.ignoreMem ?? []) { hm.fill(0, from, to); om.fill(0, from, to); }
  if (Buffer.compare(hm, om) !== 0) problems.push(`mem host ${Buffer.from(hm).toString('hex')} ours ${Buffer.from(om).toString('hex')}`);
  if (host.rax !== ours.rax) problems.push(`rax host ${host.rax.toString(16)} ours ${ours.rax.toString(16)}`);
  if ((host.rflags & 0x8d5n) !== (ours.rflags & 0x8d5n)) problems.push(`rflags host ${host.rflags.toString(16)} ours ${ours.rflags.toString(16)}`);
  return problems;
}

const describe = (c: HostCase): string => {
  const dv = new DataView(c.image.buffer);
  const regs = Array.from({ length: 8 }, (_, i) => f80Hex(f80FromBytes(c.image, 28 + 10 * i))).join(' ');
  return `cw=${dv.getUint16(0, true).toString(16)} sw=${dv.getUint16(4, true).toString(16)} tag=${dv.getUint16(8, true).toString(16)} ` +
    `st=[${regs}] mem=${Buffer.from(c.mem).toString('hex') || '-'} rflags=${c.rflags.toString(16)}`;
};

test('x87 handlers match the host CPU instruction by instruction', { skip: !hostIsX86 }, async (t) => {
  const r = new Rng(SEED);
  const all: { t: Template; c: HostCase }[] = [];
  for (const tpl of T) for (let i = 0; i < CASES; i++) all.push({ t: tpl, c: buildCase(tpl, r) });
  const host = runOnHost(all.map((x) => x.c));
  const byTemplate = new Map<Template, string[]>();
  for (const [i, x] of all.entries()) {
    const problems = compareCase(x.t, x.c, host[i]!);
    if (!byTemplate.has(x.t)) byTemplate.set(x.t, []);
    if (problems.length) byTemplate.get(x.t)!.push(`${describe(x.c)}\n      ${problems.join('; ')}`);
  }
  for (const tpl of T) {
    await t.test(tpl.name, () => {
      const f = byTemplate.get(tpl)!;
      assert.equal(f.length, 0, `${f.length}/${CASES} mismatches:\n${f.slice(0, 4).join('\n')}`);
    });
  }
});

// float80 against the host CPU: every operation runs as the real x87 instruction on
// the same operands, in all four rounding modes and the three precision controls,
// and the 80-bit result (or stored integer / single / double), the exception flags
// and C0..C3 must agree bit for bit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { F80 } from '../../../src/interp/x87/float80.js';
import * as fp from '../../../src/interp/x87/float80.js';
import { FpEnv, Order } from '../../../src/interp/x87/float80.js';
import { runOnHost, hostIsX86, type HostCase } from './host-x87.js';
import { encodeImage, decodeImage } from './fsave-image.js';
import { Rng, edgeValues, randomValue } from './values.js';

interface Expect { st0?: F80; mem?: Uint8Array; order?: Order }
interface OpSpec {
  name: string;
  code: number[];
  /** Bytes at [rdi] the instruction reads or writes. */
  memSize: number;
  /** Whether precision control applies (otherwise only PC=64 is tried). */
  usesPc: boolean;
  makeMem?: (r: Rng) => Uint8Array;
  expect(a: F80, b: F80, mem: Uint8Array, env: FpEnv): Expect;
}

const le = (v: bigint, n: number): Uint8Array => {
  const b = new Uint8Array(n);
  let x = BigInt.asUintN(8 * n, v);
  for (let i = 0; i < n; i++) { b[i] = Number(x & 0xffn); x >>= 8n; }
  return b;
};
const fromLe = (b: Uint8Array): bigint => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);

function randomRealBits(r: Rng, fmt: fp.Format): bigint {
  const bits = fmt === fp.SINGLE ? 32 : 64;
  const fracBits = fmt.prec - 1;
  const expBits = bits - 1 - fracBits;
  const frac = BigInt.asUintN(fracBits, r.u64());
  const sign = BigInt(r.int(2)) << BigInt(bits - 1);
  const maxE = (1n << BigInt(expBits)) - 1n;
  const e = r.pick([0n, 0n, maxE, maxE, 1n, maxE - 1n, BigInt(r.int(Number(maxE)))]);
  const f = r.int(5) === 0 ? r.pick([0n, 1n, 1n << BigInt(fracBits - 1), (1n << BigInt(fracBits - 1)) + 1n]) : frac;
  return sign | (e << BigInt(fracBits)) | f;
}

function randomIntBits(r: Rng, n: number): bigint {
  const edge = [0n, 1n, -1n, -(1n << BigInt(8 * n - 1)), (1n << BigInt(8 * n - 1)) - 1n];
  return r.int(4) === 0 ? r.pick(edge) : BigInt.asIntN(8 * n, r.u64() >> BigInt(r.int(8 * n)));
}

function binary(name: string, code: number[], op: (a: F80, b: F80, env: FpEnv) => F80): OpSpec {
  return { name, code, memSize: 0, usesPc: true, expect: (a, b, _m, env) => ({ st0: op(a, b, env) }) };
}

function fistSpec(name: string, code: number[], bytes: number, truncate: boolean): OpSpec {
  return {
    name, code, memSize: bytes, usesPc: false,
    expect: (a, _b, _m, env) => ({ st0: a, mem: le(fp.toInteger(a, 8 * bytes, truncate, env), bytes) }),
  };
}

function fstSpec(name: string, code: number[], fmt: fp.Format): OpSpec {
  const n = fmt === fp.SINGLE ? 4 : 8;
  return { name, code, memSize: n, usesPc: false, expect: (a, _b, _m, env) => ({ st0: a, mem: le(fp.narrow(a, fmt, env), n) }) };
}

function fldSpec(name: string, code: number[], fmt: fp.Format): OpSpec {
  const n = fmt === fp.SINGLE ? 4 : 8;
  return {
    name, code, memSize: n, usesPc: false, makeMem: (r) => le(randomRealBits(r, fmt), n),
    expect: (_a, _b, m, env) => ({ st0: fp.loadReal(fromLe(m), fmt, env), mem: m }),
  };
}

function fildSpec(name: string, code: number[], n: number): OpSpec {
  return {
    name, code, memSize: n, usesPc: false, makeMem: (r) => le(randomIntBits(r, n), n),
    expect: (_a, _b, m) => ({ st0: fp.fromInteger(BigInt.asIntN(8 * n, fromLe(m))), mem: m }),
  };
}

const SPECS: OpSpec[] = [
  binary('fadd', [0xd8, 0xc1], fp.add),
  binary('fsub', [0xd8, 0xe1], fp.sub),
  binary('fsubr', [0xd8, 0xe9], (a, b, env) => fp.sub(b, a, env)),
  binary('fmul', [0xd8, 0xc9], fp.mul),
  binary('fdiv', [0xd8, 0xf1], fp.div),
  binary('fdivr', [0xd8, 0xf9], (a, b, env) => fp.div(b, a, env)),
  { name: 'fsqrt', code: [0xd9, 0xfa], memSize: 0, usesPc: true, expect: (a, _b, _m, env) => ({ st0: fp.sqrt(a, env) }) },
  { name: 'frndint', code: [0xd9, 0xfc], memSize: 0, usesPc: false, expect: (a, _b, _m, env) => ({ st0: fp.roundToIntegral(a, env) }) },
  { name: 'fcom', code: [0xd8, 0xd1], memSize: 0, usesPc: false, expect: (a, b, _m, env) => ({ st0: a, order: fp.compare(a, b, false, env) }) },
  { name: 'fucom', code: [0xdd, 0xe1], memSize: 0, usesPc: false, expect: (a, b, _m, env) => ({ st0: a, order: fp.compare(a, b, true, env) }) },
  fistSpec('fist m16', [0xdf, 0x17], 2, false),
  fistSpec('fist m32', [0xdb, 0x17], 4, false),
  { ...fistSpec('fistp m64', [0xdf, 0x3f], 8, false), expect: (a, _b, _m, env) => ({ mem: le(fp.toInteger(a, 64, false, env), 8) }) },
  { ...fistSpec('fisttp m16', [0xdf, 0x0f], 2, true), expect: (a, _b, _m, env) => ({ mem: le(fp.toInteger(a, 16, true, env), 2) }) },
  { ...fistSpec('fisttp m32', [0xdb, 0x0f], 4, true), expect: (a, _b, _m, env) => ({ mem: le(fp.toInteger(a, 32, true, env), 4) }) },
  { ...fistSpec('fisttp m64', [0xdd, 0x0f], 8, true), expect: (a, _b, _m, env) => ({ mem: le(fp.toInteger(a, 64, true, env), 8) }) },
  fstSpec('fst m32', [0xd9, 0x17], fp.SINGLE),
  fstSpec('fst m64', [0xdd, 0x17], fp.DOUBLE),
  fldSpec('fld m32', [0xd9, 0x07], fp.SINGLE),
  fldSpec('fld m64', [0xdd, 0x07], fp.DOUBLE),
  fildSpec('fild m16', [0xdf, 0x07], 2),
  fildSpec('fild m32', [0xdb, 0x07], 4),
  fildSpec('fild m64', [0xdf, 0x2f], 8),
];

const RCS = [0, 1, 2, 3];
const PCS = [0, 2, 3];
const CASES_PER_MODE = 110;
const TOP = 6;

interface Built { spec: OpSpec; a: F80; b: F80; mem: Uint8Array; cw: number; host: HostCase }

function buildCases(spec: OpSpec, seed: number): Built[] {
  const r = new Rng(seed);
  const edges = edgeValues();
  const out: Built[] = [];
  for (const pc of spec.usesPc ? PCS : [3]) {
    for (const rc of RCS) {
      const cw = 0x7f | (pc << 8) | (rc << 10);
      const n = spec.usesPc ? CASES_PER_MODE : CASES_PER_MODE * 2;
      for (let i = 0; i < n; i++) {
        // Edge values first, paired with each other and with random values.
        const a = i < edges.length ? edges[i]! : randomValue(r, edges);
        const b = i < edges.length ? edges[(i * 7 + rc * 5 + pc) % edges.length]! : r.int(8) === 0 ? a : randomValue(r, edges);
        const mem = spec.makeMem ? spec.makeMem(r) : new Uint8Array(spec.memSize);
        const regs = [a, b];
        const image = encodeImage({ cw, sw: TOP << 11, tag: 0x0fff, regs });
        out.push({ spec, a, b, mem, cw, host: { code: Uint8Array.from(spec.code), image, mem, rax: 0n, rflags: 0x202n } });
      }
    }
  }
  return out;
}

const CC_OF_ORDER = [0x0100, 0x4000, 0, 0x4500];
const hexb = (b: Uint8Array | undefined): string => (b ? Buffer.from(b).toString('hex') : '-');

for (const [k, spec] of SPECS.entries()) {
  test(`float80 ${spec.name} matches the host x87`, { skip: !hostIsX86 }, () => {
    const cases = buildCases(spec, 1000 + k);
    const results = runOnHost(cases.map((c) => c.host));
    const failures: string[] = [];
    for (const [i, c] of cases.entries()) {
      const env = FpEnv.fromControlWord(c.cw);
      const want = c.spec.expect(c.a, c.b, c.mem, env);
      const got = decodeImage(results[i]!.image);
      const cc = want.order === undefined ? 0 : CC_OF_ORDER[want.order]!;
      const sw = env.flags | (env.roundedUp && want.order === undefined ? 0x200 : 0) | cc;
      const swMask = 0x7f | 0x4700;
      const problems: string[] = [];
      if ((got.sw & swMask) !== sw) problems.push(`sw host ${(got.sw & swMask).toString(16)} ours ${sw.toString(16)}`);
      if (want.st0 && !fp.f80Equal(got.regs[0]!, want.st0)) problems.push(`st0 host ${fp.f80Hex(got.regs[0]!)} ours ${fp.f80Hex(want.st0)}`);
      if (want.mem && hexb(results[i]!.mem) !== hexb(want.mem)) problems.push(`mem host ${hexb(results[i]!.mem)} ours ${hexb(want.mem)}`);
      if (problems.length) {
        failures.push(`cw=${c.cw.toString(16)} a=${fp.f80Hex(c.a)} b=${fp.f80Hex(c.b)} mem=${hexb(c.mem)}: ${problems.join('; ')}`);
      }
    }
    assert.equal(failures.length, 0, `${failures.length}/${cases.length} mismatches:\n${failures.slice(0, 12).join('\n')}`);
  });
}

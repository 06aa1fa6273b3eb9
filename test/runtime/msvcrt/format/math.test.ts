// Math functions against the host's glibc libm on random inputs: bit-exact for the functions
// whose results are exactly defined, within 1 ulp for the transcendental ones (the count of
// last-bit differences is reported as a diagnostic). Special cases follow msvcrt (errno values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as m from '../../../../runtime/msvcrt/format/math.js';
import { bitsToDouble, doubleToBits } from '../../../../runtime/msvcrt/format/bits.js';
import { EDOM, ERANGE } from '../../../../runtime/msvcrt/format/errno.js';
import { runC, Rng } from './host-c.js';

const LIBM = `
#include <stdio.h>
#include <string.h>
#include <math.h>
static double d(unsigned long long b) { double x; memcpy(&x, &b, 8); return x; }
static unsigned long long u(double x) { unsigned long long b; memcpy(&b, &x, 8); return b; }
int main(void) {
  char op[16]; unsigned long long a, b;
  while (scanf("%15s %llx %llx", op, &a, &b) == 3) {
    double x = d(a), y = d(b), r = 0; int e = 0;
    if (!strcmp(op, "sin")) r = sin(x); else if (!strcmp(op, "cos")) r = cos(x);
    else if (!strcmp(op, "tan")) r = tan(x); else if (!strcmp(op, "asin")) r = asin(x);
    else if (!strcmp(op, "acos")) r = acos(x); else if (!strcmp(op, "atan")) r = atan(x);
    else if (!strcmp(op, "atan2")) r = atan2(x, y); else if (!strcmp(op, "sinh")) r = sinh(x);
    else if (!strcmp(op, "cosh")) r = cosh(x); else if (!strcmp(op, "tanh")) r = tanh(x);
    else if (!strcmp(op, "exp")) r = exp(x); else if (!strcmp(op, "log")) r = log(x);
    else if (!strcmp(op, "log10")) r = log10(x); else if (!strcmp(op, "pow")) r = pow(x, y);
    else if (!strcmp(op, "hypot")) r = hypot(x, y); else if (!strcmp(op, "sqrt")) r = sqrt(x);
    else if (!strcmp(op, "floor")) r = floor(x); else if (!strcmp(op, "ceil")) r = ceil(x);
    else if (!strcmp(op, "fmod")) r = fmod(x, y); else if (!strcmp(op, "ldexp")) r = ldexp(x, (int)(long long)y);
    else if (!strcmp(op, "frexp")) { r = frexp(x, &e); } else if (!strcmp(op, "modf")) { double ip; r = modf(x, &ip); e = (int)(ip == ip ? 0 : 1); r = r + 0 * ip; }
    printf("%llx %d\\n", u(r), e);
  }
  return 0;
}`;

type Op = { name: string; arity: 1 | 2; ours: (x: number, y: number) => number; exact: boolean; domain: () => [number, number] };

const rng = new Rng(2024n);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * (Number(rng.next64() >> 11n) / 2 ** 53);
const anyDouble = () => { for (;;) { const x = bitsToDouble(rng.next64()); if (Number.isFinite(x)) return x; } };

const ops: Op[] = [
  { name: 'sin', arity: 1, ours: (x) => m.sin(x).value, exact: false, domain: () => [uniform(-100, 100), 0] },
  { name: 'cos', arity: 1, ours: (x) => m.cos(x).value, exact: false, domain: () => [uniform(-100, 100), 0] },
  { name: 'tan', arity: 1, ours: (x) => m.tan(x).value, exact: false, domain: () => [uniform(-10, 10), 0] },
  { name: 'asin', arity: 1, ours: (x) => m.asin(x).value, exact: false, domain: () => [uniform(-1, 1), 0] },
  { name: 'acos', arity: 1, ours: (x) => m.acos(x).value, exact: false, domain: () => [uniform(-1, 1), 0] },
  { name: 'atan', arity: 1, ours: (x) => m.atan(x).value, exact: false, domain: () => [uniform(-50, 50), 0] },
  { name: 'atan2', arity: 2, ours: (x, y) => m.atan2(x, y).value, exact: false, domain: () => [uniform(-50, 50), uniform(-50, 50)] },
  { name: 'sinh', arity: 1, ours: (x) => m.sinh(x).value, exact: false, domain: () => [uniform(-20, 20), 0] },
  { name: 'cosh', arity: 1, ours: (x) => m.cosh(x).value, exact: false, domain: () => [uniform(-20, 20), 0] },
  { name: 'tanh', arity: 1, ours: (x) => m.tanh(x).value, exact: false, domain: () => [uniform(-5, 5), 0] },
  { name: 'exp', arity: 1, ours: (x) => m.exp(x).value, exact: false, domain: () => [uniform(-700, 700), 0] },
  { name: 'log', arity: 1, ours: (x) => m.log(x).value, exact: false, domain: () => [Math.abs(anyDouble()), 0] },
  { name: 'log10', arity: 1, ours: (x) => m.log10(x).value, exact: false, domain: () => [Math.abs(anyDouble()), 0] },
  { name: 'pow', arity: 2, ours: (x, y) => m.pow(x, y).value, exact: false, domain: () => [uniform(0, 100), uniform(-30, 30)] },
  { name: 'hypot', arity: 2, ours: (x, y) => m.hypot(x, y).value, exact: false, domain: () => [anyDouble() * 1e-200, anyDouble() * 1e-200] },
  { name: 'sqrt', arity: 1, ours: (x) => m.sqrt(x).value, exact: true, domain: () => [Math.abs(anyDouble()), 0] },
  { name: 'floor', arity: 1, ours: (x) => m.floor(x).value, exact: true, domain: () => [uniform(-1e6, 1e6), 0] },
  { name: 'ceil', arity: 1, ours: (x) => m.ceil(x).value, exact: true, domain: () => [uniform(-1e6, 1e6), 0] },
  { name: 'fmod', arity: 2, ours: (x, y) => m.fmod(x, y).value, exact: true, domain: () => [anyDouble(), anyDouble()] },
  { name: 'ldexp', arity: 2, ours: (x, y) => m.ldexp(x, y).value, exact: true, domain: () => [anyDouble(), Math.round(uniform(-2200, 2200))] },
  { name: 'frexp', arity: 1, ours: (x) => m.frexp(x).mantissa, exact: true, domain: () => [rng.below(4) === 0 ? bitsToDouble(rng.next64() & 0x800fffffffffffffn) : anyDouble(), 0] },
  { name: 'modf', arity: 1, ours: (x) => m.modf(x).fraction, exact: true, domain: () => [uniform(-1e17, 1e17) * (rng.below(2) ? 1e-10 : 1), 0] },
];

function ulpDistance(a: number, b: number): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  const ia = BigInt.asIntN(64, doubleToBits(a));
  const ib = BigInt.asIntN(64, doubleToBits(b));
  const oa = ia < 0n ? -(ia & 0x7fffffffffffffffn) : ia;
  const ob = ib < 0n ? -(ib & 0x7fffffffffffffffn) : ib;
  const d = oa - ob;
  return Number(d < 0n ? -d : d);
}

test('math functions vs glibc: exact ones bit-identical, others within 1 ulp', (t) => {
  const jobs: { op: Op; x: number; y: number }[] = [];
  for (const op of ops) for (let i = 0; i < 300; i++) { const [x, y] = op.domain(); jobs.push({ op, x, y }); }
  const input = jobs.map((j) => `${j.op.name} ${doubleToBits(j.x).toString(16)} ${doubleToBits(j.y).toString(16)}`).join('\n');
  const out = runC(LIBM, input, ['-lm']).replace(/\n$/, '').split('\n');
  const differing = new Map<string, number>();
  jobs.forEach((j, i) => {
    const glibc = bitsToDouble(BigInt('0x' + out[i].split(' ')[0]));
    const ours = j.op.ours(j.x, j.y);
    const dist = ulpDistance(ours, glibc);
    if (j.op.exact) assert.equal(dist, 0, `${j.op.name}(${j.x}, ${j.y}): ${ours} vs glibc ${glibc}`);
    else assert.ok(dist <= 1, `${j.op.name}(${j.x}, ${j.y}): ${ours} vs glibc ${glibc}, ${dist} ulp`);
    if (dist) differing.set(j.op.name, (differing.get(j.op.name) ?? 0) + 1);
  });
  t.diagnostic(`last-bit differences from glibc per 300 inputs: ${JSON.stringify(Object.fromEntries(differing))}`);
});

test('frexp exponents and modf integer parts are exact', () => {
  assert.deepEqual(m.frexp(8), { mantissa: 0.5, exponent: 4 });
  assert.deepEqual(m.frexp(5e-324), { mantissa: 0.5, exponent: -1073 });
  assert.deepEqual(m.frexp(-0.75), { mantissa: -0.75, exponent: 0 });
  assert.deepEqual(m.modf(-3.25), { fraction: -0.25, integer: -3 });
  assert.ok(Object.is(m.modf(-4).fraction, -0));
});

test('msvcrt special cases and errno', () => {
  const r = (x: { value: number; errno: number }) => [x.value, x.errno];
  assert.deepEqual(r(m.sqrt(-1)), [NaN, EDOM]);
  assert.ok(Object.is(m.sqrt(-0).value, -0));
  assert.deepEqual(r(m.log(0)), [-Infinity, ERANGE]);
  assert.deepEqual(r(m.log(-1)), [NaN, EDOM]);
  assert.deepEqual(r(m.log10(0)), [-Infinity, ERANGE]);
  assert.deepEqual(r(m.pow(0, -1)), [Infinity, ERANGE]);
  assert.deepEqual(r(m.pow(-0, -3)), [-Infinity, ERANGE]);
  assert.deepEqual(r(m.pow(-8, 1 / 3)), [NaN, EDOM]);
  assert.deepEqual(r(m.pow(1, NaN)), [1, 0]);
  assert.deepEqual(r(m.pow(NaN, 0)), [1, 0]);
  assert.deepEqual(r(m.pow(-1, Infinity)), [1, 0]);
  assert.deepEqual(r(m.pow(10, 400)), [Infinity, ERANGE]);
  assert.deepEqual(r(m.exp(1000)), [Infinity, ERANGE]);
  assert.deepEqual(r(m.exp(-1000)), [0, ERANGE]);
  assert.deepEqual(r(m.fmod(1, 0)), [NaN, EDOM]);
  assert.deepEqual(r(m.fmod(Infinity, 1)), [NaN, EDOM]);
  assert.deepEqual(r(m.fmod(5.5, Infinity)), [5.5, 0]);
  assert.deepEqual(r(m.acos(2)), [NaN, EDOM]);
  assert.deepEqual(r(m.sin(Infinity)), [NaN, EDOM]);
  assert.deepEqual(r(m.ldexp(1, 1024)), [Infinity, ERANGE]);
  assert.deepEqual(r(m.ldexp(1, -1074)), [5e-324, 0]);
  assert.deepEqual(r(m.ldexp(1.5, -1074)), [1e-323, 0]); // 1.5 ulp rounds to even (2 units)
  assert.deepEqual(r(m.hypot(1.5e308, 1.5e308)), [Infinity, ERANGE]);
  assert.equal(m.copysign(3, -0), -3);
  assert.equal(m.fpclass(0xfff8000000000000n), 2);
  assert.equal(m.fpclass(0x7ff0000000000001n), 1);
  assert.equal(m.fpclass(doubleToBits(-5e-324)), 0x10);
});

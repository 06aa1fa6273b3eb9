// strtod / strtol family / ato* / _itoa / _ecvt / _fcvt / rand.
// Sources: W = Wine conformance tests passing on Windows, P = Wine 8 probe where Wine follows
// the CRT, G = host glibc (correctly rounded strtod), K = well-known published values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strtod } from '../../../../runtime/msvcrt/format/strtod.js';
import { strtoInteger, atoInteger, type IntegerKind } from '../../../../runtime/msvcrt/format/strtol.js';
import { integerToText } from '../../../../runtime/msvcrt/format/itoa.js';
import { ecvt, fcvt } from '../../../../runtime/msvcrt/format/cvt.js';
import { MsvcrtRandom } from '../../../../runtime/msvcrt/format/rand.js';
import { doubleToBits } from '../../../../runtime/msvcrt/format/bits.js';
import { ERANGE, EINVAL } from '../../../../runtime/msvcrt/format/errno.js';
import { runC, Rng } from './host-c.js';

const strtodRows: [string, number, number, number, string][] = [
  ['0x1p3', 0, 1, 0, 'msvcrt.dll: no hex floats (Wine source, _MSVCR_VER < 140); Wine 8 parses it'],
  ['inf', 0, 0, 0, 'msvcrt.dll: no inf/nan words (Wine source); Wine 8 parses them'],
  ['nan', 0, 0, 0, 'same'],
  ['1d5', 1e5, 3, 0, 'Fortran exponent (Wine source accepts d/D for every version)'],
  ['1D-2', 0.01, 4, 0, 'same'],
  ['  -1.5e', -1.5, 6, 0, 'P: a bare exponent marker is not consumed'],
  ['1e+', 1, 1, 0, 'P'],
  ['.5', 0.5, 2, 0, 'P'],
  ['.', 0, 0, 0, 'P'],
  ['-', 0, 0, 0, 'P'],
  ['+.e1', 0, 0, 0, 'P'],
  ['1.e5', 1e5, 4, 0, 'P'],
  ['\t\n 7', 7, 4, 0, 'P'],
  ['1e400', Infinity, 5, ERANGE, 'P'],
  ['-1e400', -Infinity, 6, ERANGE, 'P'],
  ['1e-400', 0, 6, ERANGE, 'P'],
  ['2.4703282292062328e-324', 5e-324, 23, ERANGE, 'P: subnormal results report ERANGE'],
  ['1.7976931348623158e308', Number.MAX_VALUE, 22, 0, 'P'],
  ['1.7976931348623159e308', Infinity, 22, ERANGE, 'P'],
  ['2.2250738585072011e-308', 2.225073858507201e-308, 23, ERANGE, 'P'],
  ['9007199254740993', 9007199254740992, 16, 0, 'P: ties to even'],
  ['1e23', 1e23, 4, 0, 'P'],
  ['0.1e', 0.1, 3, 0, 'P'],
  ['-0', -0, 2, 0, 'sign of zero kept'],
];

for (const [text, value, end, errno, source] of strtodRows) {
  test(`strtod(${JSON.stringify(text)}) = ${value}, end ${end} [${source}]`, () => {
    const r = strtod(text);
    assert.ok(Object.is(r.value, value), `value ${r.value}`);
    assert.equal(r.end, end);
    assert.equal(r.errno, errno);
  });
}

test('strtod is correctly rounded: random decimal strings agree with glibc [G]', () => {
  const rng = new Rng(7n);
  const inputs: string[] = [];
  for (let i = 0; i < 600; i++) {
    const digits = Array.from({ length: 1 + rng.below(25) }, () => rng.below(10)).join('');
    const point = rng.below(digits.length + 1);
    const exp = rng.below(700) - 350;
    inputs.push(`${digits.slice(0, point)}.${digits.slice(point)}e${exp}`.replace(/^\./, '0.'));
  }
  // Halfway cases between adjacent doubles (exactly representable as decimals).
  inputs.push('9007199254740993', '9007199254740995', '1.00000000000000011102230246251565404236316680908203125', '2.2250738585072013830902327173324040642192159804623318306e-308');
  const out = runC(`#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void){ char s[512]; while (scanf("%511s", s) == 1) { double d = strtod(s, 0); unsigned long long b; memcpy(&b, &d, 8); printf("%llx\\n", b); } return 0; }`, inputs.join('\n'));
  const expected = out.replace(/\n$/, '').split('\n');
  inputs.forEach((s, i) => assert.equal(doubleToBits(strtod(s).value).toString(16), expected[i], s));
});

const K = (k: IntegerKind, text: string, base: number): [bigint, number, number] => {
  const r = strtoInteger(text, base, k);
  return [r.value, r.end, r.errno];
};

test('strtol family: clamping, sign after clamp for unsigned, prefixes, invalid base [P]', () => {
  assert.deepEqual(K('long', '2147483648', 10), [2147483647n, 10, ERANGE]);
  assert.deepEqual(K('long', '-2147483649', 10), [-2147483648n, 11, ERANGE]);
  assert.deepEqual(K('long', '0x1f', 0), [31n, 4, 0]);
  assert.deepEqual(K('long', '0x', 0), [0n, 0, 0]);
  assert.deepEqual(K('long', '0x', 16), [0n, 0, 0]);
  assert.deepEqual(K('long', '012', 0), [10n, 3, 0]);
  assert.deepEqual(K('long', 'z', 36), [35n, 1, 0]);
  assert.deepEqual(K('long', ' +- 5', 10), [0n, 0, 0]);
  assert.deepEqual(K('long', '-0x10', 0), [-16n, 5, 0]);
  assert.deepEqual(K('long', '08', 0), [0n, 1, 0]);
  assert.deepEqual(K('long', '12', 1), [0n, 0, EINVAL]);
  assert.deepEqual(K('long', '12', 37), [0n, 0, EINVAL]);
  assert.deepEqual(K('ulong', '-1', 10), [4294967295n, 2, 0]);
  assert.deepEqual(K('ulong', '4294967296', 10), [4294967295n, 10, ERANGE]);
  assert.deepEqual(K('ulong', '-4294967296', 10), [1n, 11, ERANGE]);
  assert.deepEqual(K('ulong', '-4294967295', 10), [1n, 11, 0]);
  assert.deepEqual(K('int64', '9223372036854775808', 10), [9223372036854775807n, 19, ERANGE]);
  assert.deepEqual(K('int64', '-9223372036854775809', 10), [-9223372036854775808n, 20, ERANGE]);
  assert.deepEqual(K('uint64', '-1', 10), [18446744073709551615n, 2, 0]);
  assert.deepEqual(K('uint64', '18446744073709551616', 10), [18446744073709551615n, 20, ERANGE]);
});

test('atoi/atol wrap modulo 2^32 without errno; _atoi64 modulo 2^64 [P]', () => {
  assert.equal(atoInteger('2147483648', 32), -2147483648n);
  assert.equal(atoInteger('-2147483649', 32), 2147483647n);
  assert.equal(atoInteger('99999999999', 32), 1215752191n);
  assert.equal(atoInteger('  -12abc', 32), -12n);
  assert.equal(atoInteger('4294967297', 32), 1n);
  assert.equal(atoInteger('18446744073709551617', 64), 1n);
});

test('_itoa family: minus only in radix 10, unsigned bit pattern otherwise [P]', () => {
  assert.equal(integerToText(-255n, 16, 32, true), 'ffffff01');
  assert.equal(integerToText(-255n, 10, 32, true), '-255');
  assert.equal(integerToText(-1n, 2, 64, false), '1'.repeat(64));
  assert.equal(integerToText(-5n, 10, 64, true), '-5');
  assert.equal(integerToText(4294967295n, 10, 32, false), '4294967295');
});

// Wine's test_cvt_testcases (passing on Windows): value, ndigits, ecvt digits, fcvt digits,
// ecvt decpt, fcvt decpt, sign. Only the first 15 characters are compared, as Wine does.
const cvtRows: [number | bigint, number, string, string, number, number, boolean][] = [
  [45.0, 2, '45', '4500', 2, 2, false],
  [0.0001, 1, '1', '', -3, -3, false],
  [0.0001, 10, '1000000000', '1000000', -3, -3, false],
  [-111.0001, 5, '11100', '11100010', 3, 3, true],
  [111.0001, 5, '11100', '11100010', 3, 3, false],
  [3333.3, 2, '33', '333330', 4, 4, false],
  [999999999999.9, 3, '100', '999999999999900', 13, 12, false],
  [0.0, 5, '00000', '00000', 0, 0, false],
  [0.0, 0, '', '', 0, 0, false],
  [0.0, -1, '', '', 0, 0, false],
  [-0.0, 5, '00000', '00000', 0, 0, true],
  [-123.0001, 0, '', '123', 3, 3, true],
  [-123.0001, -1, '', '12', 3, 3, true],
  [-123.0001, -2, '', '1', 3, 3, true],
  [-123.0001, -3, '', '', 3, 3, true],
  [99.99, 1, '1', '1000', 3, 3, false],
  [0.0063, 2, '63', '1', -2, -1, false],
  [0.0063, 3, '630', '6', -2, -2, false],
  [0.09999999996, 2, '10', '10', 0, 0, false],
  [0.6, 1, '6', '6', 0, 0, false],
  [0.6, 0, '', '1', 1, 1, false],
  [0.4, 0, '', '', 0, 0, false],
  [0.49, 0, '', '', 0, 0, false],
  [0.51, 0, '', '1', 1, 1, false],
  [0x7ff8000000000000n, 2, '1$', '1#R', 1, 1, false],
  [0x7ff8000000000000n, 5, '1#QNB', '1#QNAN', 1, 1, false],
  [0xfff8000000000000n, 2, '1$', '1#J', 1, 1, true],
  [0xfff8000000000000n, 5, '1#IND', '1#IND0', 1, 1, true],
  [Infinity, 2, '1$', '1#J', 1, 1, false],
  [Infinity, 5, '1#INF', '1#INF0', 1, 1, false],
  [-Infinity, 5, '1#INF', '1#INF0', 1, 1, true],
  [1.0, 30, '100000000000000000000000000000', '1000000000000000000000000000000', 1, 1, false],
  [123456789012345678901.0, 30, '123456789012345680000000000000', '123456789012345680000000000000000000000000000000000', 21, 21, false],
];

for (const [value, nd, e, f, de, df, neg] of cvtRows) {
  test(`_ecvt/_fcvt(${value}, ${nd}) [W]`, () => {
    const bits = typeof value === 'bigint' ? value : doubleToBits(value);
    const re = ecvt(bits, nd);
    const rf = fcvt(bits, nd);
    assert.equal(re.digits.slice(0, 15), e.slice(0, 15));
    assert.equal(re.decpt, de);
    assert.equal(re.negative, neg);
    assert.equal(rf.digits.slice(0, 15), f.slice(0, 15));
    assert.equal(rf.decpt, df);
    assert.equal(rf.negative, neg);
  });
}

test('rand(): the published MSVC sequence from seed 1, and srand [K]', () => {
  const r = new MsvcrtRandom();
  assert.deepEqual([r.rand(), r.rand(), r.rand(), r.rand(), r.rand()], [41, 18467, 6334, 26500, 19169]);
  r.srand(1);
  assert.equal(r.rand(), 41);
  r.srand(0xffffffff);
  const state = (Math.imul(0xffffffff, 214013) + 2531011) >>> 0;
  assert.equal(r.rand(), (state >>> 16) & 0x7fff);
});

// printf table tests. Expected strings come from outside truths, marked per row:
//   W  Wine's msvcrt conformance tests (dlls/msvcrt/tests/printf.c), which pass on real Windows
//      (rows Wine itself marks todo_wine are Windows-only truths, e.g. the 17-digit rule)
//   R  ReactOS's msvcrt apitest (sprintf.c), run against Windows' msvcrt.dll
//   P  a probe built with x86_64-w64-mingw32-gcc -D__USE_MINGW_ANSI_STDIO=0 and run under Wine 8,
//      used only where Wine and Windows agree (see WINDOWS-VS-WINE.md for where they do not)
//   D  derived from the documented msvcrt conversion (17 significant digits, then '0's)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sprintf, swprintf, dbl, bitsArg, str, wstr, FakeArgs, narrowFormat, type Arg } from './fake-args.js';
import { formatPrintf, snprintfTruncate } from '../../../../runtime/msvcrt/format/printf.js';

const IND = bitsArg(0xfff8000000000000n);
const QNAN = bitsArg(0x7ff8000000000000n);
const INF = dbl(Infinity);
const I64 = (v: bigint) => v;

type Row = [string, Arg[], string, string];

const rows: Row[] = [
  // integers
  ['%+#23.15e', [dbl(789456123)], '+7.894561230000000e+008', 'W'],
  ['%-#23.15e', [dbl(789456123)], '7.894561230000000e+008 ', 'W'],
  ['%#1.1g', [dbl(789456123)], '8.e+008', 'W'],
  ['%I64d', [I64(0xffffffffn * 0xffffffffn)], '-8589934591', 'W'],
  ['%+8I64d', [100], '    +100', 'W'],
  ['%+.8I64d', [100], '+00000100', 'W'],
  ['%_1I64d', [100], '_1I64d', 'W'],
  ['%-1.5I64d', [-100], '-00100', 'W'],
  ['%05I64d', [-100], '-0100', 'W'],
  ['% .5I64d', [100], ' 00100', 'W'],
  ['% 8.5I64d', [-100], '  -00100', 'W'],
  ['%.0I64d', [0], '', 'W'],
  ['%#+21.18I64x', [-100], ' 0x00ffffffffffffff9c', 'W'],
  ['%#.25I64o', [-100], '0001777777777777777777634', 'W'],
  ['%#+18.21I64X', [-100], '0X00000FFFFFFFFFFFFFF9C', 'W'],
  ['%#+25.22I64u', [-1], '   0018446744073709551615', 'W'],
  ['%+#25.22I64d', [-1], '  -0000000000000000000001', 'W'],
  ['%#-8.5I64o', [100], '00144   ', 'W'],
  ['%#-+ 08.5I64d', [100], '+00100  ', 'W'],
  ['% .80d', [1], ' ' + '0'.repeat(79) + '1', 'W'],
  ['%I', [1], 'I', 'W'],
  ['%Iq', [1], 'Iq', 'W'],
  ['%Ihd', [1], 'Ihd', 'W'],
  ['%I0d', [1], 'I0d', 'W'],
  ['%I64D', [-1], 'D', 'W'],
  ['%zx', [1], '1', 'W'],
  ['%z', [1], 'z', 'W'],
  ['%tx', [1], '1', 'W'],
  ['%t', [1], 't', 'W'],
  ['%jd', [-1], '-1', 'W'],
  ['%j', [-1], '', 'W'],
  ['% d', [1], ' 1', 'W'],
  ['%+ d', [1], '+1', 'W'],
  ['%04c', [0x31], '0001', 'W'],
  ['%-04c', [0x31], '1   ', 'W'],
  ['%#012x', [1], '0x0000000001', 'W'],
  ['%#012x', [0], '000000000000', 'W'],
  ['%#04.8x', [1], '0x00000001', 'W'],
  ['%#04.8x', [0], '00000000', 'W'],
  ['%#-08.2x', [1], '0x01    ', 'W'],
  ['%#-08.2x', [0], '00      ', 'W'],
  ['%#.0x', [1], '0x1', 'W'],
  ['%#.0x', [0], '', 'W'],
  ['%#08o', [1], '00000001', 'W'],
  ['%#o', [1], '01', 'W'],
  ['%#o', [0], '0', 'W'],
  ['%04s', [str('foo')], '0foo', 'W'],
  ['%.1s', [str('foo')], 'f', 'W'],
  ['hello', [], 'hello', 'W'],
  ['%ws', [wstr('wide')], 'wide', 'W'],
  ['%-10ws', [wstr('wide')], 'wide      ', 'W'],
  ['%#+ -03whlls', [wstr('wide')], 'wide', 'W'],
  ['%w0s', [wstr('wide')], '0s', 'W'],
  ['%w-s', [wstr('wide')], '-s', 'W'],
  ['%ls', [wstr('wide')], 'wide', 'W'],
  ['%Ls', [str('not wide')], 'not wide', 'W'],
  ['%S', [wstr('wide')], 'wide', 'W'],
  ['%b', [], 'b', 'W'],
  ['%3c', [0x61], '  a', 'W'],
  ['%3d', [1234], '1234', 'W'],
  ['%3h', [], '', 'W'],
  ['%k%m%q%r%t%v%y%z', [], 'kmqrtvyz', 'W'],
  ['%-1d', [2], '2', 'W'],
  ['%-i', [-1], '-1', 'W'],
  ['%+i', [1], '+1', 'W'],
  ['%o', [10], '12', 'W'],
  ['%s', [0], '(null)', 'W'],
  ['%s', [str('%%%%')], '%%%%', 'W'],
  ['%u', [-1], '4294967295', 'W'],
  ['%w', [-1], '', 'W'],
  ['%h', [-1], '', 'W'],
  ['%F', [-1], '', 'W'],
  ['%N', [-1], '', 'W'],
  ['%H', [-1], 'H', 'W'],
  ['x%cx', [0x100 + 0x58], 'xXx', 'W'],
  ['%%0', [], '%0', 'W'],
  ['%hx', [0x12345], '2345', 'W'],
  ['%hhx', [0x123], '123', 'W'],
  ['%hhx', [0x12345], '2345', 'W'],
  ['%c', [0xa082], '\x82', 'W'],
  ['%C', [0x61], 'a', 'W'],
  ['%C', [0x3042], '', 'W'],
  ['a%Cb', [0x3042], 'ab', 'W'],
  ['%lld', [I64(0xffffffffn * 0xffffffffn)], '-8589934591', 'W'],
  ['%I32d', [1], '1', 'W'],
  ['%p', [57], '0000000000000039', 'W'],
  ['%#020p', [57], '  0X0000000000000039', 'W'],
  ['%Fp', [57], '0000000000000039', 'W'],
  ['%Np', [57], '0000000000000039', 'W'],
  ['%#-020p', [57], '0X0000000000000039  ', 'W'],
  ['%Ix %d', [0x12345678123456n, 1], '12345678123456 1', 'W'],
  ['%p', [0], '0000000000000000', 'W'],
  ['%.*s', [1, str('foo')], 'f', 'W'],
  ['%*s', [-5, str('foo')], 'foo  ', 'W'],
  ['%*1d', [1, 3], '          3', 'W'],
  ['%0*0d', [1, 2], '0000000002', 'W'],
  ['% *2d', [0, 7], ' 7', 'W'],
  ['%hd', [1234567], '-10617', 'R'],
  ['%+08d', [1234], '+0001234', 'R'],
  ['%3.6d', [1234], '001234', 'R'],
  ['%08d', [-1234], '-0001234', 'R'],
  ['%wd', [-1234], '-1234', 'R'],
  ['%lhwI64d', [-5149074030855n], '-5149074030855', 'R'],
  ['%I64hlwd', [-5149074030855n], '-5149074030855', 'R'],
  ['%hlwd', [-5149074030855n], '32505', 'R'],
  ['%Ild', [-5149074030855n], 'Ild', 'R'],
  ['%hI32hd', [-5149074030855n], '32505', 'R'],
  ['%+u', [1234], '1234', 'R'],
  ['% u', [1234], '1234', 'R'],
  ['%#X', [0x1234abcd], '0X1234ABCD', 'R'],
  ['%#012X', [0x1234abcd], '0X001234ABCD', 'R'],
  ['%o', [-1234], '37777775456', 'R'],
  ['%hc', [0x3031], '1', 'R'],
  ['%Lc', [0x3031], '1', 'R'],
  ['%Ic', [0x3031], 'Ic', 'R'],
  ['%I64c', [0x3031], '1', 'R'],
  ['%+4c', [0x3031], '   1', 'R'],
  ['%hs', [str('test')], 'test', 'R'],
  ['%hS', [str('test')], 'test', 'R'],
  ['%07s', [str('test')], '000test', 'R'],
  ['%+7.3s', [str('test')], '    tes', 'R'],
  ['%+4.0s', [str('test')], '    ', 'R'],
  ['%lI64wQ', [str('test')], 'Q', 'R'],
  [' %d.%d', [3, 0], ' 3.0', 'R'],

  // floating point
  ['%2.4f', [dbl(8.6)], '8.6000', 'W'],
  ['%0f', [dbl(0.6)], '0.600000', 'W'],
  ['%.0f', [dbl(0.6)], '1', 'W'],
  ['%2.4e', [dbl(8.6)], '8.6000e+000', 'W'],
  ['% 2.4e', [dbl(8.6)], ' 8.6000e+000', 'W'],
  ['% 014.4e', [dbl(8.6)], ' 008.6000e+000', 'W'],
  ['% 2.4e', [dbl(-8.6)], '-8.6000e+000', 'W'],
  ['%+2.4e', [dbl(8.6)], '+8.6000e+000', 'W'],
  ['%2.4g', [dbl(8.6)], '8.6', 'W'],
  ['%lf', [IND], '-1.#IND00', 'W'],
  ['%lf', [QNAN], '1.#QNAN0', 'W'],
  ['%lf', [INF], '1.#INF00', 'W'],
  ['%le', [IND], '-1.#IND00e+000', 'W'],
  ['%le', [QNAN], '1.#QNAN0e+000', 'W'],
  ['%le', [INF], '1.#INF00e+000', 'W'],
  ['%lg', [IND], '-1.#IND', 'W'],
  ['%lg', [QNAN], '1.#QNAN', 'W'],
  ['%lg', [INF], '1.#INF', 'W'],
  ['%010.2lf', [IND], '-000001.#J', 'W'],
  ['%010.2lf', [QNAN], '0000001.#R', 'W'],
  ['%010.2lf', [INF], '0000001.#J', 'W'],
  ['%.0f', [dbl(-1.5)], '-2', 'W'],
  ['%.0f', [dbl(-0.5)], '-1', 'W'],
  ['%.0f', [dbl(0.5)], '1', 'W'],
  ['%.0f', [dbl(1.5)], '2', 'W'],
  ['%.30f', [dbl(1 / 3)], '0.333333333333333310000000000000', 'W (todo_wine: Windows only)'],
  ['%.30lf', [dbl(Math.SQRT2)], '1.414213562373095100000000000000', 'W (todo_wine: Windows only)'],
  ['%f', [dbl(3.14159265359)], '3.141593', 'W'],
  ['%.10f', [dbl(3.14159265359)], '3.1415926536', 'W'],
  ['%.11f', [dbl(3.14159265359)], '3.14159265359', 'W'],
  ['%.15f', [dbl(3.14159265359)], '3.141592653590000', 'W'],
  ['%.15f', [dbl(Math.PI)], '3.141592653589793', 'W'],
  ['%.13f', [dbl(37.866261574537077)], '37.8662615745371', 'W'],
  ['%.14f', [dbl(37.866261574537077)], '37.86626157453708', 'W'],
  ['%.15f', [dbl(37.866261574537077)], '37.866261574537077', 'W'],
  ['%g', [dbl(0.0005)], '0.0005', 'W'],
  ['%g', [dbl(0.00005)], '5e-005', 'W'],
  ['%g', [dbl(0.000005)], '5e-006', 'W'],
  ['%g', [dbl(999999999999999.0)], '1e+015', 'W'],
  ['%g', [dbl(1000000000000000.0)], '1e+015', 'W'],
  ['%.15g', [dbl(0.0005)], '0.0005', 'W'],
  ['%.15g', [dbl(999999999999999.0)], '999999999999999', 'W'],
  ['%.15g', [dbl(1000000000000000.0)], '1e+015', 'W'],
  ['%f', [dbl(0.125)], '0.125000', 'R'],
  ['%3.7f', [dbl(1 / 3)], '0.3333333', 'R'],
  ['%3.60f', [dbl(1 / 3)], '0.33333333333333331' + '0'.repeat(43), 'R'],
  ['%.9f', [QNAN], '1.#QNAN0000', 'R'],
  ['%f', [dbl(-Infinity)], '-1.#INF00', 'R'],
  ['%e', [dbl(1 / 3)], '3.333333e-001', 'R'],
  ['%e', [dbl(33.54223)], '3.354223e+001', 'R'],
  ['%.9e', [QNAN], '1.#QNAN0000e+000', 'R'],
  ['%e', [dbl(-Infinity)], '-1.#INF00e+000', 'R'],
  ['%.1f|%.2f|%.3f|%.0f', [INF, INF, INF, INF], '1.$|1.#J|1.#IO|1', 'P'],
  ['%.1e|%.3g|%10.3f|%-10.3f|', [INF, INF, INF, INF], '1.$e+000|1.#J|     1.#IO|1.#IO     |', 'P'],
  ['%f|%e|%g', [bitsArg(0xfff8000000000001n), bitsArg(0xfff8000000000001n), bitsArg(0xfff8000000000001n)], '-1.#QNAN0|-1.#QNAN0e+000|-1.#QNAN', 'D: a payload makes it a QNAN'],
  ['%.20f', [dbl(0.1)], '0.10000000000000001000', 'D (Wine prints the exact 0.10000000000000000555)'],
  ['%.17g|%.20g|%.25e', [dbl(0.1), dbl(0.1), dbl(0.1)], '0.10000000000000001|0.10000000000000001|1.0000000000000001000000000e-001', 'D'],
  ['%.2f|%.2f', [dbl(0.125), dbl(2.675)], '0.13|2.67', 'P'],
  ['%e|%e|%e', [dbl(1e100), dbl(1e-100), dbl(0)], '1.000000e+100|1.000000e-100|0.000000e+000', 'P'],
  ['%g|%g|%g|%G', [dbl(1e100), dbl(1e-100), dbl(0), dbl(1e-20)], '1e+100|1e-100|0|1E-020', 'P'],
  ['%f|%e', [dbl(5e-324), dbl(5e-324)], '0.000000|4.940656e-324', 'P'],
  ['%.3e|%g|%.17g', [dbl(Number.MAX_VALUE), dbl(Number.MAX_VALUE), dbl(Number.MAX_VALUE)], '1.798e+308|1.79769e+308|1.7976931348623157e+308', 'P'],
  ['%f', [dbl(Number.MAX_VALUE)], '17976931348623157' + '0'.repeat(292) + '.000000', 'D (Wine prints all 309 exact digits)'],
  ['%f', [dbl(1e300)], '10000000000000001' + '0'.repeat(284) + '.000000', 'D: 17 digits of 1e300 round up'],
  ['%f|%g|%e', [dbl(-0), dbl(-0), dbl(-0)], '-0.000000|-0|-0.000000e+000', 'P'],
  ['%#.0f|%#.0e|%#g|%#.3g', [dbl(1), dbl(1), dbl(1), dbl(100)], '1.|1.e+000|1.00000|100.', 'P'],
  ['%08.3f|%-8.3f|%+08.3f|% 08.3f', [dbl(-1.5), dbl(1.5), dbl(1.5), dbl(1.5)], '-001.500|1.500   |+001.500| 001.500', 'P'],
  ['%.0e|%.0g|%.1g|%g', [dbl(12345), dbl(12345), dbl(0.15), dbl(0.00001234)], '1e+004|1e+004|0.1|1.234e-005', 'P'],
  ['%g|%g|%g', [dbl(123456), dbl(1234567), dbl(0.000123456)], '123456|1.23457e+006|0.000123456', 'P'],
  ['%.10g|%.3g|%.3g', [dbl(1 / 3), dbl(0.0009995), dbl(999.5)], '0.3333333333|0.000999|1e+003', 'P'],
  ['%.15e|%.16e|%.17e|%.18e', [dbl(1 / 3), dbl(1 / 3), dbl(1 / 3), dbl(1 / 3)], '3.333333333333333e-001|3.3333333333333331e-001|3.33333333333333310e-001|3.333333333333333100e-001', 'D (Wine prints ...315 and ...3148)'],
  ['%5.1f|%5.1f', [dbl(0.05), dbl(0.25)], '  0.1|  0.3', 'P'],
  ['%.1f|%.1f|%.1f', [dbl(0.25), dbl(0.35), dbl(0.45)], '0.3|0.3|0.5', 'P'],
  ['%.16e', [dbl(1 + 2 ** -17)], '1.0000076293945313e+000', 'D: exact tie at 17 digits rounds away (glibc: ...312)'],
  ['%a|%A|%.3a|%a|%a', [dbl(1), dbl(255.5), dbl(1 / 3), dbl(0), bitsArg(1n)], '0x1.0000000000000p+0|0X1.FF00000000000P+7|0x1.555p-2|0x0.0000000000000p+0|0x0.0000000000001p-1022', 'P'],
  ['%a', [INF], '0x1.#INF000000000p+0', 'P'],
];

for (const [format, args, expected, source] of rows) {
  test(`sprintf(${JSON.stringify(format)}) = ${JSON.stringify(expected)} [${source}]`, () => {
    assert.equal(sprintf(format, ...args), expected);
  });
}

test('%ls with a character outside the C locale fails: text before it, then -1 [W: r == -1]', () => {
  assert.equal(sprintf('%S', wstr('\u3042')), '<failed:>');
  assert.equal(sprintf('x%5lsy', wstr('ab\u3042c')), '<failed:x ab>');
  assert.equal(sprintf('%ls|%S|%C|%lc', wstr('wide\u00e9'), wstr('S'), 0x78, 0xe9), 'wide\u00e9|S|x|\u00e9');
});

test('%n stores the count so far as int, or short with h; it does not consume output [R]', () => {
  const args = new FakeArgs([str('test'), { out: 0x500 }, { out: 0x600 }]);
  const r = formatPrintf(narrowFormat('%07s%n%hn'), args, false);
  assert.equal(r.text, '000test');
  assert.deepEqual(args.writes, [{ ptr: 0x500n, size: 4, value: 7 }, { ptr: 0x600n, size: 2, value: 7 }]);
});

test('wide printf: %s is wide, %S and %hs are narrow, %c is a wchar_t [W swprintf]', () => {
  assert.equal(swprintf('%+#23.15e', dbl(789456123)), '+7.894561230000000e+008');
  assert.equal(swprintf('%S|%hs|%s|%c|%hc', str('string'), str('narrow'), wstr('w\u3042'), 0x3042, 0x3141), 'string|narrow|w\u3042|\u3042|A');
  assert.equal(swprintf('%I64d', 0xffffffffn * 0xffffffffn), '-8589934591');
});

test('the format ends at its first NUL unit; unknown conversion characters print as text', () => {
  const r = formatPrintf(Uint8Array.from([0x61, 0x25, 0x64, 0, 0x62]), new FakeArgs([5]), false);
  assert.equal(r.text, 'a5');
});

test('_snprintf: terminator only when it fits, -1 on truncation [W test_snprintf]', () => {
  const cases: [string, number, string, boolean][] = [['short', 5, 'short', true], ['justfit', 7, 'justfit', true], ['justfits', 8, 'justfits', false], ['muchlonger', -1, 'muchlong', false]];
  for (const [text, returns, store, terminate] of cases) {
    assert.deepEqual(snprintfTruncate({ text, failed: false }, 8), { store, terminate, returns });
  }
});

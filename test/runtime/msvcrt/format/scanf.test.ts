// scanf table tests. Sources: W = Wine's msvcrt scanf conformance tests (pass on Windows),
// P = probe under Wine 8 (msvcrt scanf built with MinGW), where Wine's rule is the CRT's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanFormat, type ScanInput, type ScanOutput, type ScanStoreKind } from '../../../../runtime/msvcrt/format/scanf.js';

class StringInput implements ScanInput {
  pos = 0;
  constructor(private text: string) {}
  peek(): number { return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1; }
  next(): number { const c = this.peek(); if (c >= 0) this.pos++; return c; }
}

class RecordingOutput implements ScanOutput {
  private ptr = 0x1000n;
  readonly stores: [ScanStoreKind, number | bigint | string][] = [];
  nextPtr(): bigint { return (this.ptr += 8n); }
  store(_ptr: bigint, kind: ScanStoreKind, value: number | bigint | string): void { this.stores.push([kind, value]); }
}

function sscanf(input: string, format: string, wide = false) {
  const out = new RecordingOutput();
  const src = new StringInput(input);
  const fmt = wide ? Uint16Array.from(format, (c) => c.charCodeAt(0)) : Uint8Array.from(format, (c) => c.charCodeAt(0));
  const ret = scanFormat(fmt, src, out, wide);
  return { ret, stores: out.stores, consumed: src.pos };
}

type Row = [string, string, number, [ScanStoreKind, number | bigint | string][], string];

const rows: Row[] = [
  ['', '%d', -1, [], 'W: empty input is EOF'],
  [' \t\n\n', '%s', -1, [], 'W: only white space before %s is EOF'],
  ['test\n', '%s%c', 2, [['str', 'test'], ['char', '\n']], 'W'],
  ['000000000046F170', '%p', 1, [['i64', 0x46f170n]], 'W'],
  ['0x46F173', '%p', 1, [['i64', 0n]], 'W: %p takes no 0x prefix'],
  ['-46F174', '%p', 1, [['i64', BigInt.asUintN(64, -0x46f174n)]], 'W'],
  ['+46F175', '%p', 1, [['i64', 0x46f175n]], 'W'],
  ['1234', '%P', 1, [['i64', 0x1234n]], 'W'],
  ['0x519', '%x', 1, [['i32', 0x519n]], 'W'],
  ['0x51g', '%x', 1, [['i32', 0x51n]], 'W'],
  ['-1', '%x', 1, [['i32', 0xffffffffn]], 'W'],
  ['"%12@', '%"%%%d%@', 1, [['i32', 12n]], 'W: % + other char matches it literally'],
  ['1.1e-30', '%lf', 1, [['f64', 1.1e-30]], 'W'],
  ['32.715000', '%Lf', 1, [['f64', 32.715]], 'W'],
  ['-82.626701 27.760000', '%f%f', 2, [['f32', Math.fround(-82.626701)], ['f32', Math.fround(27.76)]], 'W'],
  ['  St. Petersburg, Florida\n', '%*c%[^\n]', 1, [['str', ' St. Petersburg, Florida']], 'W'],
  ['abcefgdh', '%*[a-cg-e]%c', 1, [['char', 'd']], 'W: reversed range'],
  ['abcefgdh', '%*[a-cd-dg-e]%c', 1, [['char', 'h']], 'W'],
  ['-123', '%[-0-9]', 1, [['str', '-123']], 'W'],
  ['-321', '%[0-9-]', 1, [['str', '-321']], 'W'],
  ['-4123', '%[1-2-4]', 1, [['str', '-412']], 'W'],
  ['-456123', '%[1-2-45-6]', 1, [['str', '-45612']], 'W'],
  ['a', '%s%s', 1, [['str', 'a']], 'W'],
  ['21:59:20', '%d%n', 1, [['i32', 21n], ['i32', 2n]], 'W: %n does not count'],
  [':59:20', '%*c%n', 0, [['i32', 1n]], 'W'],
  ['12345678', '%hd', 1, [['i16', 0x614en]], 'W'],
  ['12345678', '%02hd', 1, [['i16', 12n]], 'W'],
  ['12345678', '%h02d', 1, [['i16', 12n]], 'W: width digits may follow the size'],
  ['12345678', '%2h0d', 1, [['i16', 0x614en]], 'W: "2h0" is width 20'],
  ['12345678', '%hhd', 1, [['i32', 12345678n]], 'W: hh stores an int in msvcrt.dll'],
  ['12345678901234', '%lld', 1, [['i64', 12345678901234n]], 'W'],
  ['017', '%i', 1, [['i32', 15n]], 'W'],
  ['0x17', '%i', 1, [['i32', 23n]], 'W'],
  ['-1', '%o', 1, [['i32', 0xffffffffn]], 'W'],
  ['-1', '%u', 1, [['i32', 0xffffffffn]], 'W'],
  [' a', '%c', 1, [['char', ' ']], 'W: %c does not skip white space'],
  ['18:59', '%d:%d%c', 2, [['i32', 18n], ['i32', 59n]], 'W'],
  ['abc   def', '%s %n%s', 2, [['str', 'abc'], ['i32', 6n], ['str', 'def']], 'W'],
  ['3:45', '%d:%d%n', 2, [['i32', 3n], ['i32', 45n], ['i32', 4n]], 'W'],
  ['test=value\xda', '%[^=] = %[^;]', 2, [['str', 'test'], ['str', 'value\xda']], 'W'],
  ['0xfefefefefefefefe', '%jx', 1, [['i64', 0xfefefefefefefefen]], 'W (Windows 10 1709+)'],
  ['abc', '%d', 0, [], 'P'],
  ['12 abc', '%d %d', 1, [['i32', 12n]], 'P'],
  ['0x1f 017 10', '%i %i %i', 3, [['i32', 31n], ['i32', 15n], ['i32', 10n]], 'P'],
  ['4294967297', '%d', 1, [['i32', 1n]], 'P: wraps, no clamping'],
  ['123456', '%3d%d', 2, [['i32', 123n], ['i32', 456n]], 'P'],
  ['1.5e3 2.5', '%lf %f', 2, [['f64', 1500], ['f32', 2.5]], 'P'],
  ['abc123', '%[a-z]%[0-9]', 2, [['str', 'abc'], ['str', '123']], 'P'],
  ['abc', '%[^b]', 1, [['str', 'a']], 'P'],
  ['x', '%[0-9]', 0, [], 'P'],
  ['12%', '%d%%', 1, [['i32', 12n]], 'P'],
  ['5', '%*d', 0, [], 'P: suppressed fields are not counted'],
  ['12345678901', '%I64d', 1, [['i64', 12345678901n]], 'P'],
  ['70000', '%hd', 1, [['i16', 4464n]], 'P'],
  ['0x', '%x', 0, [], 'P: no digit after 0x'],
  ['inf', '%lf', 0, [], 'P: no inf/nan words'],
  ['abcdef', '%3c', 1, [['char', 'abc']], 'P'],
  ['12', '%zd', 1, [['i64', 12n]], 'P'],
  ['-', '%d', 0, [], 'P, glibc agrees'],
  ['1.5', '%d.%d', 2, [['i32', 1n], ['i32', 5n]], 'P'],
  ['-.5e-2x', '%lg%s', 2, [['f64', -0.005], ['str', 'x']], 'P'],
  ['1e', '%lf%s', 1, [['f64', 1]], 'CRT: "1e" is collected and converts to 1; then EOF (Wine 8 returns -1; glibc 0)'],
  ['   ', '%d', -1, [], 'C/CRT: input failure before the first conversion is EOF (Wine 8 returns 0; glibc -1)'],
];

for (const [input, format, ret, stores, source] of rows) {
  test(`sscanf(${JSON.stringify(input)}, ${JSON.stringify(format)}) = ${ret} [${source}]`, () => {
    const r = sscanf(input, format);
    assert.equal(r.ret, ret);
    assert.deepEqual(r.stores, stores);
  });
}

test('swscanf: %s stores wide, %S and %hs narrow; %c a wchar_t', () => {
  const r = sscanf('wide\u3042 narrow\u3042 c', '%s %S %c', true);
  assert.equal(r.ret, 3);
  assert.deepEqual(r.stores, [['wstr', 'wide\u3042'], ['str', 'narrow?'], ['wchar', 'c']]);
});

test('the input stops right after the last matched character (ungetc of the lookahead)', () => {
  assert.equal(sscanf('12abc', '%d').consumed, 2);
  assert.equal(sscanf('1e+x', '%lf').consumed, 3); // "1e+" collected, 'x' pushed back
});

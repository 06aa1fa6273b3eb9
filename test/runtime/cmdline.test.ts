// runtime/msvcrt/cmdline.ts: the command line the CRT splits into argv. The parse
// cases are the table of Microsoft Learn's "Parsing C command-line arguments" (rows
// that do not depend on the "" inside quotes rule, which changed in 2008 and is
// unverified for msvcrt.dll). Quoting is checked by round trip: whatever argv wexe
// builds a command line from, parsing it gives the same argv back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCommandLine, parseCommandLine, quoteArgument } from '../../runtime/msvcrt/cmdline.js';

const documented: [string, string[]][] = [
  ['"abc" d e', ['abc', 'd', 'e']],
  ['a\\\\\\b d"e f"g h', ['a\\\\\\b', 'de fg', 'h']],
  ['a\\\\\\"b c d', ['a\\"b', 'c', 'd']],
  ['a\\\\\\\\"b c" d e', ['a\\\\b c', 'd', 'e']],
];

for (const [line, args] of documented) {
  test(`parse (documented): prog ${line}`, () => assert.deepEqual(parseCommandLine(`prog ${line}`), ['prog', ...args]));
}

test('argv[0]: up to the first space or tab, or between quotes with no backslash processing', () => {
  assert.deepEqual(parseCommandLine('C:\\dir\\prog.exe a'), ['C:\\dir\\prog.exe', 'a']);
  assert.deepEqual(parseCommandLine('"C:\\Program Files\\x\\" a'), ['C:\\Program Files\\x\\', 'a']);
  assert.deepEqual(parseCommandLine('prog\ta'), ['prog', 'a']);
  assert.deepEqual(parseCommandLine('prog'), ['prog']);
  assert.deepEqual(parseCommandLine(''), ['']);
});

test('spaces and tabs separate arguments; runs of them count once; trailing ones add nothing', () => {
  assert.deepEqual(parseCommandLine('p  a \t b\t\t'), ['p', 'a', 'b']);
});

test('an empty quoted argument is an argument', () => {
  assert.deepEqual(parseCommandLine('p "" a ""'), ['p', '', 'a', '']);
});

test('backslashes not followed by a quote are literal, however many', () => {
  assert.deepEqual(parseCommandLine('p \\ \\\\ a\\b\\\\c \\\\\\'), ['p', '\\', '\\\\', 'a\\b\\\\c', '\\\\\\']);
});

test('an unterminated quote runs to the end of the line', () => {
  assert.deepEqual(parseCommandLine('p "a b'), ['p', 'a b']);
});

const tricky = [
  '', ' ', '\t', 'plain', 'two words', 'tab\there', 'a"b', '"', '""', '\\', '\\\\', 'trailing\\', 'trailing\\\\',
  'with space\\', 'q\\"', '\\"', 'a\\\\"b', 'caf\u00e9', '%PATH%', '-flag', '"quoted"', 'x\\\\\\"y z',
];

test('quoteArgument leaves simple arguments alone and quotes the rest', () => {
  assert.equal(quoteArgument('plain'), 'plain');
  assert.equal(quoteArgument('back\\slash'), 'back\\slash');
  assert.equal(quoteArgument(''), '""');
  assert.equal(quoteArgument('a b'), '"a b"');
  assert.equal(quoteArgument('a"b'), '"a\\"b"');
  assert.equal(quoteArgument('end\\ here\\'), '"end\\ here\\\\"');
});

test('round trip: parse(build(argv)) == argv for tricky arguments, one at a time and all together', () => {
  for (const a of tricky) assert.deepEqual(parseCommandLine(buildCommandLine('C:\\p.exe', [a])), ['C:\\p.exe', a], JSON.stringify(a));
  assert.deepEqual(parseCommandLine(buildCommandLine('C:\\p.exe', tricky)), ['C:\\p.exe', ...tricky]);
});

test('round trip: argv[0] with spaces is quoted', () => {
  assert.deepEqual(parseCommandLine(buildCommandLine('C:\\My Programs\\p.exe', ['x'])), ['C:\\My Programs\\p.exe', 'x']);
});

test('round trip over generated arguments from a small alphabet of troublemakers', () => {
  const alphabet = ['a', ' ', '\t', '"', '\\'];
  let seed = 7;
  const rand = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 16; };
  for (let n = 0; n < 2000; n++) {
    const args = Array.from({ length: 1 + (rand() % 3) }, () => Array.from({ length: rand() % 7 }, () => alphabet[rand() % alphabet.length]).join(''));
    assert.deepEqual(parseCommandLine(buildCommandLine('p', args)), ['p', ...args], JSON.stringify(args));
  }
});

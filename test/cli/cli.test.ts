// The `wexe` command as a user meets it: the built CLI run as a child process, with
// its exact output, exit statuses and messages. Expected program output comes from
// samples/expected (recorded under Wine); PE facts shown by `wexe info` and in crash
// reports are checked against the file bytes read independently (raw-pe.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { protOf, readRawPE } from './raw-pe.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO, 'dist/src/cli/main.js');
const SAMPLES = join(REPO, 'samples');
const sample = (name: string) => join(SAMPLES, name);

interface CliResult { status: number | null; stdout: string; stderr: string; ms: number }

function wexe(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): CliResult {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? REPO, encoding: 'latin1', timeout: opts.timeoutMs ?? 60_000, env: { ...process.env, NODE_OPTIONS: '', ...opts.env },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

function expected(rel: string): string { return readFileSync(join(SAMPLES, rel), 'latin1'); }

function withTempDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'wexe-cli-test-'));
  try { return f(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** One line, ending in a newline, with no JavaScript stack trace in it. */
function assertOneLine(stderr: string, re: RegExp): void {
  assert.match(stderr, /^[^\n]*\n$/, `expected exactly one line on stderr, got:\n${stderr}`);
  assert.match(stderr.trimEnd(), re);
  assert.doesNotMatch(stderr, /\bat .*\.js:\d+/);
}

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

// ---- run --------------------------------------------------------------------------

test('run hello.exe a b: the program output (as recorded under Wine) and exit 0', () => {
  const r = wexe(['run', sample('hello.exe'), 'a', 'b']);
  assert.equal(r.stdout, expected('expected/hello-args.stdout'));
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
});

test('run passes arguments after the program untouched, including ones that look like wexe flags', () => {
  const r = wexe(['run', sample('hello.exe'), '--stats', '-x', 'two words']);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /argv\[1\] = "--stats" \(7 chars\)\r\nargv\[2\] = "-x" \(2 chars\)\r\nargv\[3\] = "two words" \(9 chars\)\r\n/);
});

test('arguments survive the trip through the command line and msvcrt\'s argv parsing', () => {
  const args = ['', 'two words', 'tab\there', 'q"uote', 'back\\', 'back\\"q', '\\\\server\\share', '""', ' lead', 'trail '];
  const r = wexe(['run', sample('hello.exe'), ...args]);
  assert.equal(r.status, 0);
  const want = args.map((a, i) => `argv[${i + 1}] = "${a}" (${a.length} chars)\r\n`).join('');
  assert.equal(r.stdout.slice(r.stdout.indexOf('argv[1]')), want);
});

// ---- info -------------------------------------------------------------------------

test('info hello.exe: entry point, sections with protections, imports, relocations and TLS callbacks as in the file', () => {
  const raw = readRawPE(readFileSync(sample('hello.exe')));
  const r = wexe(['info', sample('hello.exe')]);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
  const out = r.stdout;
  const loadedBase = Number(/loaded at (0x[0-9a-f]+)/.exec(out)![1]);
  const entrySection = raw.sections.find((s) => raw.entryRva >= s.rva && raw.entryRva < s.rva + s.virtualSize)!;
  assert.match(out, new RegExp(`\\n  entry point +${hex(raw.entryRva)} \\(${hex(loadedBase + raw.entryRva)}\\) in ${entrySection.name.replace('.', '\\.')}\\n`));

  assert.match(out, new RegExp(`\\nSections \\(${raw.sections.length}\\)\\n`));
  for (const s of raw.sections) {
    const line = out.split('\n').find((l) => l.startsWith(`  ${s.name} `));
    assert.ok(line, `section ${s.name} listed`);
    assert.match(line, new RegExp(`^  ${s.name.replace('.', '\\.')} +${hex(loadedBase + s.rva)} +${hex(s.virtualSize)} .* ${protOf(s.characteristics)}$`), line);
  }

  const total = raw.imports.reduce((n, d) => n + d.functions.length, 0);
  assert.match(out, new RegExp(`\\nImports \\(${raw.imports.length} DLLs, ${total} functions, 0 missing\\)\\n`));
  const importBlock = out.slice(out.indexOf('\nImports'), out.indexOf('\n\n', out.indexOf('\nImports') + 1));
  for (const d of raw.imports) {
    const at = importBlock.indexOf(`\n  ${d.dll}\n`);
    assert.ok(at >= 0, `DLL heading ${d.dll}`);
    for (const f of d.functions) {
      const line = importBlock.slice(at).split('\n').find((l) => l.startsWith(`    ${f} `));
      assert.ok(line, `${d.dll}!${f} listed under its DLL`);
      assert.match(line, / implemented$/);
    }
  }

  assert.match(out, new RegExp(`\\n  base relocations +${raw.relocationCount} \\(${raw.relocationCount} DIR64, 0 HIGHLOW\\), applied\\n`));
  assert.ok(raw.tlsCallbacks.length > 0);
  const callbacks = raw.tlsCallbacks.map((va) => hex(Number(va - raw.imageBase) + loadedBase)).join(', ');
  assert.match(out, new RegExp(`\\n  callbacks +${callbacks}\\n`));
});

test('info unimplemented.exe lists KERNEL32.dll!Beep as missing', () => {
  const r = wexe(['info', sample('unimplemented.exe')]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /\nImports \(2 DLLs, \d+ functions, 1 missing\)\n  KERNEL32\.dll\n/);
  const missing = r.stdout.split('\n').filter((l) => / MISSING$/.test(l));
  assert.equal(missing.length, 1);
  assert.match(missing[0]!, /^    Beep +hint \d+ +IAT 0x[0-9a-f]+ \(0x[0-9a-f]+\) +MISSING$/);
});

// ---- files that are not runnable ----------------------------------------------------

function pe32Variant(): Uint8Array {
  // hello.exe with a 32-bit x86 machine and the PE32 optional-header magic.
  const file = new Uint8Array(readFileSync(sample('hello.exe')));
  const dv = new DataView(file.buffer);
  const nt = dv.getUint32(0x3c, true);
  dv.setUint16(nt + 4, 0x14c, true);
  dv.setUint16(nt + 24, 0x10b, true);
  return file;
}

const malformed: { name: string; bytes: () => Uint8Array; message: RegExp }[] = [
  { name: 'not a PE (text)', bytes: () => new TextEncoder().encode('hello, I am a text file\n'), message: /: not a PE file: missing MZ signature$/ },
  { name: 'truncated after the DOS header', bytes: () => readFileSync(sample('hello.exe')).subarray(0, 100), message: /: DOS header: e_lfanew 0x80 points past the end of the file \(0x64 bytes\)$/ },
  { name: 'truncated inside the headers', bytes: () => readFileSync(sample('hello.exe')).subarray(0, 0x200), message: /: optional header: SizeOfHeaders 0x600 is past the end of the file \(0x200 bytes\)$/ },
  { name: 'PE32 (32-bit)', bytes: pe32Variant, message: /: 32-bit \(PE32\) programs are not supported yet$/ },
  { name: 'empty file', bytes: () => new Uint8Array(0), message: /: not a PE file: missing MZ signature$/ },
];

for (const m of malformed) {
  test(`${m.name}: run and info print one line and exit 120`, () => withTempDir((dir) => {
    const path = join(dir, 'bad.exe');
    writeFileSync(path, m.bytes());
    for (const cmd of ['run', 'info']) {
      const r = wexe([cmd, path]);
      assert.equal(r.status, 120, `${cmd}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assertOneLine(r.stderr, new RegExp(`^wexe: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${m.message.source}`));
    }
  }));
}

test('a missing file: one line and exit 127', () => withTempDir((dir) => {
  const path = join(dir, 'nothere.exe');
  for (const cmd of ['run', 'info']) {
    const r = wexe([cmd, path]);
    assert.equal(r.status, 127);
    assert.equal(r.stdout, '');
    assertOneLine(r.stderr, /^wexe: cannot read .*nothere\.exe: no such file$/);
  }
}));

test('a directory instead of a file: one line and exit 127', () => withTempDir((dir) => {
  const r = wexe(['run', dir]);
  assert.equal(r.status, 127);
  assertOneLine(r.stderr, /^wexe: cannot read .*: it is a directory$/);
}));

// ---- usage errors -------------------------------------------------------------------

const usageErrors: { args: string[]; message: RegExp }[] = [
  { args: ['run', '--engine', 'nope', 'hello.exe'], message: /^error: option '--engine <name>' argument 'nope' is invalid\. expected one of: interp, jit, tiered, compare$/m },
  { args: ['run', '--max-instructions', '-3', 'hello.exe'], message: /^error: option '--max-instructions <n>' argument '-3' is invalid\. expected a positive integer$/m },
  { args: ['run', '--max-instructions', '1.5', 'hello.exe'], message: /argument '1\.5' is invalid\. expected a positive integer$/m },
  { args: ['run', '--max-instructions', 'many', 'hello.exe'], message: /argument 'many' is invalid\. expected a positive integer$/m },
  { args: ['run', '--timeout', '0', 'hello.exe'], message: /^error: option '--timeout <seconds>' argument '0' is invalid\. expected a positive number of seconds$/m },
  { args: ['run', '--trace', 'calls', 'hello.exe'], message: /^error: option '--trace <what>' argument 'calls' is invalid\. expected "api" or "api:FILTER"/m },
  { args: ['run', '--frobnicate', 'hello.exe'], message: /^error: unknown option '--frobnicate'$/m },
  { args: ['frob'], message: /^error: unknown command 'frob'$/m },
  { args: ['run'], message: /^error: missing required argument 'exe'$/m },
  { args: [], message: /^Usage: wexe \[options\] \[command\]$/m },
];

for (const u of usageErrors) {
  test(`usage error: wexe ${u.args.join(' ')} exits 2`, () => {
    const r = wexe(u.args);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, u.message);
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
  });
}

test('--help prints usage on stdout and exits 0', () => {
  const r = wexe(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Usage: wexe \[options\] \[command\]/);
  assert.match(r.stdout, /\n  run \[options\] <exe> \[args\.\.\.\]/);
});

// ---- limits -----------------------------------------------------------------------

function maxInstructionsRun(n: number): { r: CliResult; executed: number } {
  const r = wexe(['run', '--max-instructions', String(n), '--stats', sample('bench_int.exe')]);
  assert.equal(r.status, 122);
  assert.equal(r.stdout, '');
  assert.match(r.stderr.split('\n')[0]!, new RegExp(`^wexe: stopped: the instruction limit \\(${n}\\) was reached at 0x[0-9a-f]+$`));
  assert.match(r.stderr, /\n  exit status         122\n/);
  return { r, executed: Number(/\n  guest instructions  ([\d,]+)\n/.exec(r.stderr)![1]!.replace(/,/g, '')) };
}

test('--max-instructions 1000 stops bench_int with the documented message and exit 122', () => {
  const { executed } = maxInstructionsRun(1000);
  assert.ok(executed >= 1000, `${executed} instructions`);
});

/**
 * Guest instructions run while the process is created, before the limit starts: the
 * runtime's own allocations are guest code (the heap, runtime/guestlib/heap.c).
 * `--max-instructions 1` runs these and one more.
 */
function creationInstructions(): number { return maxInstructionsRun(1).executed - 1; }

test('--max-instructions counts the TLS callbacks that run before the entry point', () => {
  // bench_int's TLS callbacks run well over 50 instructions and call no API.
  assert.equal(maxInstructionsRun(50).executed - creationInstructions(), 50);
});

test('--max-instructions 1000 runs exactly 1000 instructions, those of nested guest calls included', () => {
  assert.equal(maxInstructionsRun(1000).executed - creationInstructions(), 1000);
});

test('--timeout 0.5 stops a long bench_int run with exit 124 within a few seconds', () => {
  const r = wexe(['run', '--timeout', '0.5', sample('bench_int.exe'), '100000000'], { timeoutMs: 30_000 });
  assert.equal(r.status, 124, r.stderr);
  assertOneLine(r.stderr, /^wexe: stopped: the time limit \(0\.5 s\) was reached at 0x[0-9a-f]+$/);
  assert.ok(r.ms >= 500, `stopped after ${r.ms} ms, before the limit`);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

// ---- --stats and --trace ------------------------------------------------------------

test('--stats prints instructions, blocks, API calls, time and MIPS on stderr; stdout is unchanged', () => {
  // The default engine is tiered: the interpreter's lines, then the JIT's (and with
  // --stats-time, the time split).
  for (const [engine, statsFlag] of [[undefined, '--stats'], ['interp', '--stats'], [undefined, '--stats-time']] as const) {
    const r = wexe(['run', ...(engine ? ['--engine', engine] : []), statsFlag, sample('hello.exe'), 'a', 'b']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, expected('expected/hello-args.stdout'));
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], `wexe stats (engine ${engine ?? 'tiered'}):`);
    assert.match(lines[1]!, /^  guest instructions  [1-9][\d,]*$/);
    assert.match(lines[2]!, /^  blocks decoded      [1-9][\d,]*  \(cache hits [\d,]+\)$/);
    assert.match(lines[3]!, /^  API calls           [1-9][\d,]*$/);
    assert.match(lines[4]!, /^  wall time           \d+\.\d{3} s$/);
    assert.match(lines[5]!, /^  speed               \d+\.\d MIPS$/);
    assert.equal(lines[6], '  exit status         0 (Windows code 0x0)');
    if (engine === 'interp') { assert.equal(lines.length, 7); continue; }
    assert.match(lines[7]!, /^  compile time        \d+\.\d{3} s$/);
    assert.match(lines[8]!, /^  regions compiled    [\d,]+  \(blocks [\d,]+, modules [\d,]+\)$/);
    assert.match(lines[9]!, /^  compiled code ran   [\d,]+ instructions \(\d+\.\d%\); cold tier [\d,]+$/);
    assert.match(lines[10]!, /^  region calls +[\d,]+  invalidations [\d,]+  fallbacks [\d,]+  bails [\d,]+  slow accesses [\d,]+$/);
    assert.match(lines[11]!, /^  helper ops          [\d,]+ compiled, run [\d,]+ times$/);
    if (statsFlag === '--stats') { assert.equal(lines.length, 12); continue; }
    assert.match(lines[12]!, /^  time split          compiled code \d+\.\d{3} s  cold tier \d+\.\d{3} s  API \d+\.\d{3} s$/);
    assert.match(lines[13]!, /^  speed per tier      compiled code \d+\.\d MIPS  cold tier \d+\.\d MIPS$/);
    assert.equal(lines.length, 14);
  }
});

test('--trace api prints a call and a ret line for every API call, nested calls indented', () => {
  const r = wexe(['run', '--trace', 'api', sample('hello.exe')]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, expected('expected/hello.stdout'));
  const lines = r.stderr.trimEnd().split('\n');
  for (const l of lines) assert.match(l, /^\[api\] ( {2})*(call [\w.]+![\w]+\(.*\) from 0x[0-9a-f]+|ret {2}[\w.]+![\w]+ = .+)$/, l);
  assert.ok(lines.includes('[api] ret  msvcrt.dll!puts = 0'), 'puts returns 0');
  assert.ok(lines.some((l) => /^\[api\] call msvcrt\.dll!puts\(0x[0-9a-f]+\) from 0x[0-9a-f]+$/.test(l)));
  // Calls nest: _initterm calls back into the guest, which calls __set_app_type or __getmainargs.
  assert.ok(lines.some((l) => /^\[api\] {3}call msvcrt\.dll!/.test(l)), 'an indented nested call');
  // Every call has its ret, except the last call, which ends the process.
  const stack: string[] = [];
  for (const l of lines) {
    const m = /^\[api\] ( *)(call|ret ) ([\w.]+![\w]+)/.exec(l)!;
    if (m[2] === 'call') stack.push(m[3]!);
    else assert.equal(stack.pop(), m[3], `ret matches its call: ${l}`);
  }
  assert.ok(stack.length <= 1, `unreturned calls: ${stack.join(', ')}`);
});

test('--trace api:msvcrt.dll!puts shows only puts (filters are case-insensitive substrings)', () => {
  for (const spec of ['api:msvcrt.dll!puts', 'api:MSVCRT.DLL!PUTS']) {
    const r = wexe(['run', '--trace', spec, sample('hello.exe')]);
    assert.equal(r.status, 0);
    const lines = r.stderr.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/0x[0-9a-f]+/g, 'X')), ['[api] call msvcrt.dll!puts(X) from X', '[api] ret  msvcrt.dll!puts = 0']);
  }
});

test('--trace api:KERNEL32,puts shows calls matching either filter and nothing else', () => {
  // (malloc is guest code, not an API call: runtime/guestlib/heap.c.)
  const r = wexe(['run', '--trace', 'api:KERNEL32,puts', sample('hello.exe')]);
  assert.equal(r.status, 0);
  const names = r.stderr.trimEnd().split('\n').map((l) => /(?:call|ret ) ([\w.]+![\w]+)/.exec(l)![1]!);
  assert.ok(names.includes('msvcrt.dll!puts'));
  assert.ok(names.some((n) => n.startsWith('KERNEL32.dll!')));
  for (const n of names) assert.ok(n.startsWith('KERNEL32.dll!') || n === 'msvcrt.dll!puts', n);
});

// ---- guest endings ------------------------------------------------------------------

test('a guest crash prints the crash report (code, address, instruction, registers, module+offset) and exits 5', () => {
  const file = readFileSync(sample('crash_null.exe'));
  const raw = readRawPE(file);
  const r = wexe(['run', sample('crash_null.exe')]);
  assert.equal(r.status, 5);
  assert.equal(r.stdout, expected('expected/crash_null.stdout'));
  const lines = r.stderr.trimEnd().split('\n');
  const head = /^wexe: unhandled exception 0xC0000005 \(EXCEPTION_ACCESS_VIOLATION\) at 0x([0-9a-f]+) \(crash_null\.exe\+0x([0-9a-f]+)\)$/.exec(lines[0]!);
  assert.ok(head, lines[0]);
  assert.equal(lines[1], '  writing address 0x0');
  const insn = /^ {2}faulting instruction: (.+) {4}\[([0-9a-f ]+)\]$/.exec(lines[2]!);
  assert.ok(insn, lines[2]);
  assert.equal(insn[1], 'mov dword ptr [rax],2Ah');
  // The bytes shown are the file's bytes at the reported module offset.
  const rva = parseInt(head[2]!, 16);
  const bytes = [...file.subarray(raw.fileOffset(rva), raw.fileOffset(rva) + 6)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  assert.equal(insn[2], bytes);
  assert.equal(lines[3], '  registers:');
  assert.match(lines[4]!, /^ {4}rax=0{16} {2}rcx=[0-9a-f]{16} {2}rdx=[0-9a-f]{16} {2}rbx=[0-9a-f]{16}$/);
  assert.match(lines[7]!, /^ {4}r12=[0-9a-f]{16} {2}r13=[0-9a-f]{16} {2}r14=[0-9a-f]{16} {2}r15=[0-9a-f]{16}$/);
  assert.equal(lines[8], `    rip=${head[1]!.padStart(16, '0')}  rflags=${lines[8]!.slice(-8)}`);
  assert.match(lines[9]!, /^ {2}backtrace \(return addresses, unwound with the modules' unwind data\):$/);
  assert.match(lines[10]!, /^ {4}0x[0-9a-f]+ crash_null\.exe\+0x[0-9a-f]+$/);
  assert.equal(lines.at(-1), '  exit code 0xC0000005 (a shell sees 5)');
});

test('a crash in a qsort comparator: the backtrace names the sort\'s frame in wexert.dll, then the program\'s', () => {
  const r = wexe(['run', sample('qsort_throw.exe'), 'crash']);
  assert.equal(r.status, 5);
  assert.equal(r.stdout, expected('expected/qsort_throw-crash.stdout'));
  const lines = r.stderr.trimEnd().split('\n');
  assert.match(lines[0]!, /^wexe: unhandled exception 0xC0000005 \(EXCEPTION_ACCESS_VIOLATION\) at 0x[0-9a-f]+ \(qsort_throw\.exe\+0x[0-9a-f]+\)$/);
  // Unwound frame by frame, not scanned: stale return addresses left on the stack by
  // earlier calls (the sort's uninitialised partition stack holds some) do not show.
  const trace = lines.indexOf('  backtrace (return addresses, unwound with the modules\' unwind data):');
  assert.ok(trace > 0, r.stderr);
  assert.match(lines[trace + 1]!, /^ {4}0x[0-9a-f]+ wexert\.dll\+0x[0-9a-f]+$/);
  assert.match(lines[trace + 2]!, /^ {4}0x[0-9a-f]+ qsort_throw\.exe\+0x[0-9a-f]+$/);
});

test('a stack overflow faults in MinGW\'s stack probe (no unwind data, registers pushed): no frame unwinds, so the backtrace is the stack scan', () => {
  const r = wexe(['run', sample('crash_stack.exe')]);
  assert.equal(r.status, 253, r.stderr); // 0xC00000FD & 0xff
  const lines = r.stderr.trimEnd().split('\n');
  const trace = lines.indexOf('  backtrace (return addresses found on the stack):');
  assert.ok(trace > 0, r.stderr);
  assert.match(lines[trace + 1]!, /^ {4}0x[0-9a-f]+ crash_stack\.exe\+0x[0-9a-f]+$/);
});

test('an unimplemented import stops the program with DLL!Function, the caller address, and exit 121', () => {
  const info = wexe(['info', sample('unimplemented.exe')]).stdout;
  const iat = Number(/ Beep +hint \d+ +IAT 0x[0-9a-f]+ \((0x[0-9a-f]+)\)/.exec(info)![1]);
  const loadedBase = Number(/loaded at (0x[0-9a-f]+)/.exec(info)![1]);
  const r = wexe(['run', sample('unimplemented.exe')]);
  assert.equal(r.status, 121);
  assert.equal(r.stdout, 'before Beep\r\n', 'output printed before the call is flushed');
  assertOneLine(r.stderr, /^wexe: KERNEL32\.dll!Beep is not implemented \(called from 0x[0-9a-f]+\)$/);
  // The caller address is the return address of a `call [rip+disp32]` through Beep's IAT slot.
  const caller = Number(/called from (0x[0-9a-f]+)/.exec(r.stderr)![1]);
  const file = readFileSync(sample('unimplemented.exe'));
  const raw = readRawPE(file);
  const at = raw.fileOffset(caller - loadedBase - 6);
  assert.deepEqual([file[at], file[at + 1]], [0xff, 0x15], 'call [rip+disp32] ends at the caller address');
  assert.equal(caller + new DataView(file.buffer, file.byteOffset).getInt32(at + 2, true), iat);
});

// ---- the file system root and the sandbox -------------------------------------------------

test('--root: a file the program writes to C:\\out.txt lands in that directory', () => withTempDir((dir) => {
  const r = wexe(['run', '--root', dir, sample('writefile.exe')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, '');
  assert.deepEqual(readdirSync(dir), ['out.txt']);
  assert.equal(readFileSync(join(dir, 'out.txt'), 'latin1'), 'written by writefile\r\n');
}));

test('without --root the program runs in a private directory that is removed afterwards', () => withTempDir((cwd) => withTempDir((tmp) => {
  // A TMPDIR of its own, so test files running in parallel cannot add or remove entries.
  const r = wexe(['run', sample('writefile.exe')], { cwd, env: { TMPDIR: tmp } });
  assert.equal(r.status, 0);
  assert.deepEqual(readdirSync(cwd), [], 'nothing written to the working directory');
  assert.deepEqual(readdirSync(tmp), [], 'the private root is gone');
})));

const sandboxLine = (path: string, fopen: string, create: string) => `${path}: ${fopen}; ${create}\r\n`;

test('the sandbox: paths leading out of C:\\ cannot be opened, with the errors Windows gives for them', () => withTempDir((dir) => {
  const root = join(dir, 'root');
  mkdirSync(root);
  // What a Windows program with an empty C:\ sees: C:\etc does not exist (ERROR_PATH_NOT_FOUND 3,
  // errno ENOENT 2), there is no drive Z: (3), and no server named "server" (ERROR_BAD_NETPATH 53).
  const cases: [string, string, string][] = [
    ['..\\..\\..\\etc\\passwd', 'fopen errno=2', 'CreateFileA error=3'],
    ['C:\\..\\..\\etc\\passwd', 'fopen errno=2', 'CreateFileA error=3'],
    ['/etc/passwd', 'fopen errno=2', 'CreateFileA error=3'],
    ['C:/../../../etc/passwd', 'fopen errno=2', 'CreateFileA error=3'],
    ['Z:\\x', 'fopen errno=2', 'CreateFileA error=3'],
    ['\\\\server\\share\\x', 'fopen errno=2', 'CreateFileA error=53'],
    ['//server/share/x', 'fopen errno=2', 'CreateFileA error=53'],
    ['NUL', 'fopen ok', 'CreateFileA ok'],
  ];
  const r = wexe(['run', '--root', root, sample('sandbox.exe'), 'r', ...cases.map((c) => c[0])]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, cases.map((c) => sandboxLine(...c)).join(''));
  assert.deepEqual(readdirSync(root), []);
}));

test('the sandbox: creating files with .. stays inside the root', () => withTempDir((dir) => {
  const root = join(dir, 'root');
  mkdirSync(root);
  const r = wexe(['run', '--root', root, sample('sandbox.exe'), 'w', '..\\..\\escape1.txt', 'C:\\..\\escape2.txt', '/../escape3.txt']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, ['..\\..\\escape1.txt', 'C:\\..\\escape2.txt', '/../escape3.txt'].map((p) => sandboxLine(p, 'fopen ok', 'CreateFileA ok')).join(''));
  assert.deepEqual(readdirSync(root).sort(), ['escape1.txt', 'escape2.txt', 'escape3.txt']);
  assert.deepEqual(readdirSync(dir), ['root']);
}));

test('the sandbox: symlinks leading out of the root are refused, dangling ones too', () => withTempDir((dir) => {
  const root = join(dir, 'root');
  const outside = join(dir, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(outside, join(root, 'link'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'file-link'));
  symlinkSync(join(dir, 'created-outside.txt'), join(root, 'dangling'));
  const denied = (p: string) => sandboxLine(p, 'fopen errno=13', 'CreateFileA error=5');
  let r = wexe(['run', '--root', root, sample('sandbox.exe'), 'r', 'C:\\link\\secret.txt', 'LINK\\SECRET.TXT', 'file-link']);
  assert.equal(r.stdout, denied('C:\\link\\secret.txt') + denied('LINK\\SECRET.TXT') + denied('file-link'));
  r = wexe(['run', '--root', root, sample('sandbox.exe'), 'w', 'C:\\link\\new.txt', 'C:\\dangling']);
  assert.equal(r.stdout, denied('C:\\link\\new.txt') + denied('C:\\dangling'));
  assert.equal(existsSync(join(dir, 'created-outside.txt')), false, 'nothing created through the dangling link');
  assert.deepEqual(readdirSync(outside), ['secret.txt']);
}));

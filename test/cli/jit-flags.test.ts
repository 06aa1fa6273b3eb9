// The JIT strategy switches: each is accepted, changes what the JIT does (visible in
// --stats), and leaves the program's output unchanged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');
const EXE = join(process.cwd(), 'samples/bench_int.exe');
const EXPECTED = readFileSync(join(process.cwd(), 'samples/expected/bench_int-small.stdout'), 'latin1');

// 'jit' compiles synchronously at first sight, so what the switches change is visible even
// in a short run ('tiered' compiles in the background and may finish before anything is hot).
function stats(args: string[], engine = 'jit'): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, 'run', '--engine', engine, ...args, '--stats', EXE, '20000'], { encoding: 'latin1', timeout: 120_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const regions = (stderr: string): RegExpMatchArray => {
  const m = /regions compiled +(\d+) +\(blocks (\d+), modules (\d+)\)/.exec(stderr);
  assert.ok(m, stderr);
  return m;
};

test('--jit-regions off compiles one block per region', () => {
  const r = stats(['--jit-regions', 'off']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, EXPECTED);
  const m = regions(r.stderr);
  assert.equal(m[1], m[2], 'as many regions as blocks');
});

test('--jit-dead-flags off and --jit-register-cache off keep the output', () => {
  for (const args of [['--jit-dead-flags', 'off'], ['--jit-register-cache', 'off']]) {
    const r = stats(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, EXPECTED, args.join(' '));
    assert.ok(Number(regions(r.stderr)[1]) > 0, `${args.join(' ')} compiled something`);
  }
});

test('--jit-helpers off leaves instructions without a lifter to the cold tier; on (default) runs them as helper ops', () => {
  const helpers = (stderr: string): number[] => {
    const m = /helper ops +([\d,]+) compiled, run ([\d,]+) times/.exec(stderr);
    assert.ok(m, stderr);
    return [Number(m[1]!.replace(/,/g, '')), Number(m[2]!.replace(/,/g, ''))];
  };
  const on = stats([]);
  assert.equal(on.status, 0, on.stderr);
  assert.equal(on.stdout, EXPECTED);
  assert.ok(helpers(on.stderr)[0]! > 0 && helpers(on.stderr)[1]! > 0, on.stderr);
  const off = stats(['--jit-helpers', 'off']);
  assert.equal(off.status, 0, off.stderr);
  assert.equal(off.stdout, EXPECTED);
  assert.deepEqual(helpers(off.stderr), [0, 0]);
  assert.match(off.stderr, /fallbacks [1-9]/);
});

test('--jit-loops on keeps the output, under jit and tiered', () => {
  for (const engine of ['jit', 'tiered']) {
    const r = stats(['--jit-loops', 'on'], engine);
    assert.equal(r.status, 0, `${engine}: ${r.stderr}`);
    assert.equal(r.stdout, EXPECTED, engine);
  }
});

test('--jit-threshold is accepted by tiered and keeps the output', () => {
  const r = stats(['--jit-threshold', '1'], 'tiered');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, EXPECTED);
});

test('bad JIT switch values are usage errors', () => {
  const r = spawnSync(process.execPath, [CLI, 'run', '--jit-opt', '7', EXE], { encoding: 'latin1' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /argument '7' is invalid\. expected 0, 1 or 2/);
});

test('--dump-ir prints the IR of the compiled region holding the entry point', () => {
  const hello = join(process.cwd(), 'samples/hello.exe');
  // hello.exe's entry point: image base 0x400000 (rebased) + entry RVA 0x14d0 (see `wexe info`).
  const r = spawnSync(process.execPath, [CLI, 'run', '--engine', 'jit', '--dump-ir', '0x4014d0', hello], { encoding: 'latin1' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^block 0x4014d0 end 0x[0-9a-f]+ count \d+\n  insn 0x4014d0\n/m);
  assert.match(r.stderr, /setreg rsp, %\d+/);
});

test('--jit-backend binaryen keeps the output; --jit-opt without it is a usage error', () => {
  for (const args of [['--jit-backend', 'binaryen'], ['--jit-backend', 'direct']]) {
    const r = stats(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, EXPECTED, args.join(' '));
    assert.ok(Number(regions(r.stderr)[1]) > 0, `${args.join(' ')} compiled something`);
  }
  const bad = spawnSync(process.execPath, [CLI, 'run', '--jit-backend', 'llvm', EXE], { encoding: 'latin1' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /argument 'llvm' is invalid\. expected direct or binaryen/);
  const opt = spawnSync(process.execPath, [CLI, 'run', '--engine', 'jit', '--jit-opt', '1', EXE, '10'], { encoding: 'latin1' });
  assert.equal(opt.status, 2);
  assert.match(opt.stderr, /^wexe: --jit-opt .* needs --jit-backend binaryen\n$/);
});

test('the bin file runs as a command itself (a shebang and the executable bit, as npx needs)', () => {
  const bin = join(process.cwd(), 'dist/bin/wexe.js');
  const r = spawnSync(bin, ['run', EXE, '20000'], { encoding: 'latin1', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, EXPECTED);
});

test('the bundled CLI (what `npx wexe` runs) runs a program under each backend', () => {
  const bin = join(process.cwd(), 'dist/bin/wexe.js');
  for (const backend of ['direct', 'binaryen']) {
    const r = spawnSync(process.execPath, [bin, 'run', '--engine', 'jit', '--jit-backend', backend, '--stats', EXE, '20000'], { encoding: 'latin1', timeout: 120_000 });
    assert.equal(r.status, 0, `${backend}: ${r.stderr}`);
    assert.equal(r.stdout, EXPECTED, backend);
    assert.ok(Number(regions(r.stderr)[1]) > 0, `${backend}: compiled something (the worker bundle loads)`);
  }
});

test('--dump-ir with an engine that compiles nothing is a usage error', () => {
  const r = spawnSync(process.execPath, [CLI, 'run', '--engine', 'interp', '--dump-ir', '0x4014d0', EXE, '10'], { encoding: 'latin1' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'wexe: --dump-ir prints compiled code: it needs --engine jit or tiered, not interp\n');
  assert.equal(r.stdout, '');
});

test('tiered: a hello world compiles nothing (the runtime\'s own heap calls at start-up do not make the heap hot)', () => {
  const hello = join(process.cwd(), 'samples/hello.exe');
  // Enough environment that argv/environ take over a hundred allocations.
  const env: Record<string, string> = { ...process.env as Record<string, string> };
  for (let i = 0; i < 80; i++) env[`WEXE_TEST_VAR_${i}`] = `value ${i}`;
  const r = spawnSync(process.execPath, [CLI, 'run', '--stats', hello], { encoding: 'latin1', env, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(regions(r.stderr)[1], '0', r.stderr);
});

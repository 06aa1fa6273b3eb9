// `wexe run --dump-wasm <addr>`: the WebAssembly text of the compiled region holding a
// guest address, on stderr, for both backends and both JIT engines; the program's own
// output is unchanged, and engines without compiled code refuse the switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { RUNTIME_CALLS } from '../../src/jit/direct/runtime-calls.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');
const HELLO = join(process.cwd(), 'samples/hello.exe');
const EXPECTED = readFileSync(join(process.cwd(), 'samples/expected/hello.stdout'), 'latin1');
// hello.exe's entry point: image base 0x400000 (rebased) + entry RVA 0x14d0 (see `wexe info`).
const ENTRY = '0x4014d0';

function run(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, 'run', ...args, HELLO], { encoding: 'latin1', timeout: 60_000, maxBuffer: 64 << 20 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** The listing of the region function `$r0` in one dump: from its header to its closing line. */
function regionFunction(stderr: string): string {
  const m = /\n {2}\(func \$r0 \(type \$t\d+\) \(param i32\) \(result i32\)[^\n]*\n([\s\S]*?)\n {2}\)\n/.exec(stderr);
  assert.ok(m, `a region function in:\n${stderr.slice(0, 2000)}`);
  return m[1]!;
}

// tiered with Binaryen at threshold 0 takes jit's path (a synchronous compile in the worker): not repeated.
const CASES = [['jit', 'direct', []], ['jit', 'binaryen', []], ['tiered', 'direct', ['--jit-threshold', '0']]] as const;
for (const [engine, backend, extra] of CASES) {
  test(`--dump-wasm ${ENTRY} with --engine ${engine} --jit-backend ${backend}: the entry region's wasm on stderr`, () => {
    const r = run(['--engine', engine, ...extra, '--jit-backend', backend, '--dump-wasm', ENTRY]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, EXPECTED, 'the program output is unchanged');
    assert.match(r.stderr, new RegExp(`^;; region of \\d+ blocks \\(${ENTRY}( 0x[0-9a-f]+)*\\), \\d+ bytes of wasm from the ${backend} backend\\n\\(module\\n`));
    assert.match(r.stderr, /\n {2}\(import "env" "mem" \(memory 65536 65536\)\)\n/);
    // Binaryen's modules import the runtime functions; the direct backend's reach them
    // through the helpers table (src/jit/direct/runtime-calls.ts).
    if (backend === 'binaryen') assert.match(r.stderr, /\n {2}\(import "env" "slowLoad" \(func \$env\.slowLoad \(type \$t\d+\)\)\)\n/);
    else assert.match(r.stderr, new RegExp(`\\n {2}\\(import "env" "helpers" \\(table ${RUNTIME_CALLS.length} funcref\\)\\)\\n`));
    assert.match(r.stderr, /\n {2}\(export "r0" \(func \$r0\)\)\n/);
    const body = regionFunction(r.stderr);
    // The entry dispatch: the region's entry index (param 0) selects a block by br_table.
    assert.match(body, /\n +local\.get 0\n +br_table( \$b\d+)+\n/);
    // Registers are loaded from the CPU state (RSP: state base 0x1000 + 8 * 4).
    assert.match(body, /\n +i32\.const 4128 ;; 0x1020\n +i64\.load align=1\n/);
    assert.doesNotMatch(r.stderr, /unknown opcode|malformed|not a readable/);
  });
}

test('--dump-wasm at an address no compiled region starts a block at prints nothing', () => {
  const r = run(['--engine', 'jit', '--dump-wasm', '0x10']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, EXPECTED);
  assert.equal(r.stderr, '');
});

test('--dump-wasm needs a JIT engine and a hexadecimal address', () => {
  for (const engine of ['interp', 'compare']) {
    const r = run(['--engine', engine, '--dump-wasm', ENTRY]);
    assert.equal(r.status, 2, engine);
    assert.equal(r.stderr, `wexe: --dump-wasm prints compiled code: it needs --engine jit or tiered, not ${engine}\n`);
    assert.equal(r.stdout, '');
  }
  const bad = run(['--engine', 'jit', '--dump-wasm', 'xyz']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /argument 'xyz' is invalid\. expected a hexadecimal address/);
});

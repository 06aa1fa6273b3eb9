// Returns to call sites inside a region: with several sites the direct backend picks
// the site with one br_table (indexed by the offset from the lowest site) instead of a
// compare per site. Every site must be reached, and an address that is no site (or lies
// between sites) must leave the region with RIP exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, icedDecodeFn } from '../interp/support/machine.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import type { JitOptions } from '../../src/jit/engine.js';

const RSP = 4;
const F = 58; // offset of f: add eax,1 ; ret
const END = 57; // offset of the final int3
const IAT = 0x100;
const NATIVE = 0x10000 + 0x60;

/** xor eax,eax ; 5 x call f ; 5 x call [rip+IAT] ; int3 ; f: add eax,1 ; ret */
function program(): Uint8Array {
  const b: number[] = [0x31, 0xc0];
  for (let i = 0; i < 5; i++) {
    const rel = F - (b.length + 5);
    b.push(0xe8, rel & 0xff, (rel >> 8) & 0xff, 0, 0);
  }
  for (let i = 0; i < 5; i++) {
    const disp = IAT - (b.length + 6);
    b.push(0xff, 0x15, disp & 0xff, (disp >> 8) & 0xff, 0, 0);
  }
  b.push(0xcc, 0x83, 0xc0, 0x01, 0xc3);
  return Uint8Array.from(b);
}

/** Runs the program; the native adds 100 to RAX and returns, or (`divert`) on its third call jumps to the int3. */
function run(opts: Partial<JitOptions>, divert = false) {
  const m = makeMachine();
  m.load(program());
  m.mem.dv.setBigUint64(CODE + IAT, BigInt(NATIVE), true);
  m.st.setNum(RSP, 0x700000 - 0x100);
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 0, ...opts });
  let calls = 0;
  const returns: number[] = [];
  jit.registerNative(NATIVE, () => {
    calls++;
    const rsp = m.st.getNum(RSP);
    const ret = Number(m.mem.dv.getBigUint64(rsp, true));
    returns.push(ret);
    m.st.setNum(0, m.st.getNum(0) + 100);
    m.st.rip = divert && calls === 3 ? CODE + END : ret;
    m.st.setNum(RSP, rsp + 8);
  });
  jit.run({ stopAt: CODE + END });
  return { eax: m.st.getNum(0), rip: m.st.rip, rsp: m.st.getNum(RSP), calls, returns, jit };
}

test('every return site of a region is reached, after a guest ret and after an API call, without leaving wasm', () => {
  for (const opts of [{}, { codegen: { ...DEFAULT_JIT_OPTIONS.codegen, registerCache: false } }]) {
    const r = run(opts);
    assert.equal(r.eax, 5 + 500);
    assert.equal(r.rip, CODE + END);
    assert.equal(r.rsp, 0x700000 - 0x100);
    assert.deepEqual(r.returns, [33, 39, 45, 51, 57].map((o) => CODE + o));
    assert.ok(r.jit.stats.regionCalls <= 2, `region calls: ${r.jit.stats.regionCalls}`);
  }
});

test('an API function that returns elsewhere (no return site) leaves the region there', () => {
  const r = run({}, true);
  assert.equal(r.calls, 3);
  assert.equal(r.eax, 5 + 300);
  assert.equal(r.rip, CODE + END);
});

test('block at a time (no return sites in the region) gives the same result', () => {
  const r = run({ regions: false });
  assert.equal(r.eax, 5 + 500);
  assert.equal(r.rip, CODE + END);
});

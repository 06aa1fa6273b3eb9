// Returns to call sites inside a region: with several sites the direct backend picks
// the site with one br_table (indexed by the offset from the lowest site) instead of a
// compare per site. Every site must be reached, and an address that is no site (or lies
// between sites) must leave the region with RIP exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, icedDecodeFn } from '../interp/support/machine.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import type { JitOptions } from '../../src/jit/engine.js';
import { siteHash, siteHashBits } from '../../src/jit/direct/codegen.js';

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

/** Return addresses of the program's calls (its region's return sites), as offsets. */
const SITES = [7, 12, 17, 22, 27, 33, 39, 45, 51, 57];

/**
 * An address past the program whose br_table slot is that of a return site, so only
 * the confirming compare tells them apart.
 */
function collidingAddress(): number {
  const bits = siteHashBits(SITES.map((o) => CODE + o));
  const slots = new Set(SITES.map((o) => siteHash(CODE + o, bits)));
  for (let a = CODE + 0x200; a < CODE + 0x8000; a++) if (slots.has(siteHash(a, bits))) return a;
  throw new Error('no colliding address');
}

/**
 * Runs the program; the native adds 100 to RAX and returns. `divert`: on its third call
 * it jumps to the int3 instead; `land`: on its third call it continues at `land`
 * (add eax,1000 ; ret) with the return address still on the stack.
 */
function run(opts: Partial<JitOptions>, divert = false, land?: number) {
  const m = makeMachine();
  m.load(program());
  if (land !== undefined) m.mem.writeBytes(land, Uint8Array.from([0x05, 0xe8, 0x03, 0x00, 0x00, 0xc3]));
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
    if (land !== undefined && calls === 3) { m.st.rip = land; return; }
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
    assert.deepEqual(r.returns, SITES.slice(5).map((o) => CODE + o));
    assert.ok(r.jit.stats.regionCalls <= 2, `region calls: ${r.jit.stats.regionCalls}`);
  }
});

test('an API function that returns elsewhere (no return site) leaves the region there', () => {
  const r = run({}, true);
  assert.equal(r.calls, 3);
  assert.equal(r.eax, 5 + 300);
  assert.equal(r.rip, CODE + END);
});

test('an API function continuing at an address that shares a return site\'s table slot goes there, not to the site', () => {
  const land = collidingAddress();
  const r = run({}, false, land);
  assert.equal(r.calls, 5);
  assert.equal(r.eax, 5 + 500 + 1000);
  assert.equal(r.rip, CODE + END);
});

test('block at a time (no return sites in the region) gives the same result', () => {
  const r = run({ regions: false });
  assert.equal(r.eax, 5 + 500);
  assert.equal(r.rip, CODE + END);
});

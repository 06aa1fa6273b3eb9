// Differential tests: generated integer instruction sequences run from the same state
// on the reference interpreter and on the JIT (compiled at first sight); registers,
// flags, RIP and the data area must agree, and faults must be the same fault at the
// same instruction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, DATA, icedDecodeFn } from '../interp/support/machine.js';
import { GuestFault } from '../../src/mem/fault.js';
import { InstructionLimitExceeded } from '../../src/interp/errors.js';
import { loadBinaryen } from '../../src/jit/wasm.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import type { JitOptions } from '../../src/jit/engine.js';
import { BACKENDS } from '../../src/jit/codegen.js';
import type { Backend } from '../../src/jit/codegen.js';

await loadBinaryen();

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

/** One random instruction over registers rax..rdi except rsp (and rdi, the data pointer). */
function genInsn(r: () => number): number[] {
  const reg = (): number => [0, 1, 2, 3, 5, 6][r() % 6]!;
  const modrm = (a: number, b: number): number => 0xc0 | (a << 3) | b;
  const w = r() % 2 ? [0x48] : [];
  switch (r() % 13) {
    case 0: return [...w, [0x01, 0x09, 0x11, 0x19, 0x21, 0x29, 0x31, 0x39, 0x85][r() % 9]!, modrm(reg(), reg())];
    case 1: return [...w, 0x83, modrm(r() % 8, reg()), r() & 0xff];
    case 2: return [...w, 0xc1, modrm([0, 1, 4, 5, 7][r() % 5]!, reg()), r() % 40];
    case 3: return [...w, 0x0f, 0xaf, modrm(reg(), reg())];
    case 4: return [0x0f, 0x90 + (r() % 16), modrm(0, reg())];
    case 5: return [...w, 0x0f, 0x40 + (r() % 16), modrm(reg(), reg())];
    case 6: return [...w, 0x89, 0x47, (r() % 32) * 8]; // mov [rdi+d8], reg(rax)
    case 7: return [...w, 0x8b, 0x47 | (reg() << 3), (r() % 32) * 8]; // mov reg, [rdi+d8]
    case 8: return [...w, 0x01, 0x47 | (reg() << 3), (r() % 32) * 8]; // add [rdi+d8], reg
    case 9: return [...w, 0xf7, modrm([2, 3][r() % 2]!, reg())]; // not/neg
    // Register moves and exchanges: reads that must not move past a write of the same
    // register (the direct backend computes single-use reads at their use; tree.ts).
    case 10: return [...w, 0x87, modrm(reg(), reg())]; // xchg
    case 11: return [...w, 0x89, modrm(reg(), reg())]; // mov
    default: return [...w, 0xff, modrm(r() % 2, reg())]; // inc/dec
  }
}

interface Outcome { state: Uint8Array; data: Uint8Array; fault?: string }

function runBoth(code: number[], seed: number, opts: Partial<JitOptions> = {}): [Outcome, Outcome] {
  const end = CODE + code.length + 5;
  const bytes = [...code, 0xe9, 0, 0, 0, 0, 0xcc]; // jmp end; int3
  const results: Outcome[] = [];
  for (const engine of ['interp', 'jit'] as const) {
    const m = makeMachine();
    m.load(Uint8Array.from(bytes));
    const r = rng(seed * 7 + 1);
    for (const g of [0, 1, 2, 3, 5, 6]) m.st.set64(g, r(), r() % 3 === 0 ? 0 : r());
    m.st.setNum(7, DATA);
    m.st.rflags = 0x202 | (r() & 0x8d5);
    for (let i = 0; i < 256; i++) m.mem.u8[DATA + i] = r() & 0xff;
    let fault: string | undefined;
    try {
      if (engine === 'interp') m.interp.run({ stopAt: end });
      else new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 0, ...opts, codegen: { ...DEFAULT_JIT_OPTIONS.codegen, validate: true, ...opts.codegen } }).run({ stopAt: end });
    } catch (e) {
      if (!(e instanceof GuestFault)) throw e;
      fault = `${e.message} at 0x${m.st.rip.toString(16)}`;
    }
    results.push({ state: m.st.snapshot(), data: m.mem.u8.slice(DATA, DATA + 256), fault });
  }
  return results as [Outcome, Outcome];
}

function maskArithFlags(s: Uint8Array): void {
  const dv = new DataView(s.buffer, s.byteOffset);
  dv.setUint32(0x88, dv.getUint32(0x88, true) & ~0x8d5, true);
}

function hexOf(a: number[]): string { return a.map((b) => b.toString(16).padStart(2, '0')).join(' '); }

const VARIANTS: { name: string; opts: Partial<JitOptions>; backends?: Backend[] }[] = [
  { name: 'regions, all passes', opts: {} },
  { name: 'no register cache, no dead-flag elimination', opts: { passes: { deadFlags: false, fold: false, forward: false }, codegen: { registerCache: false, optimize: 0, forceSlowMemory: false } } },
  { name: 'slow memory path', opts: { codegen: { registerCache: true, optimize: 0, forceSlowMemory: true } } },
  { name: 'wasm loops', opts: { codegen: { registerCache: true, optimize: 0, forceSlowMemory: false, wasmLoops: true } }, backends: ['direct'] },
  // Binaryen's optimiser rewrites expressions in place, so these catch an expression
  // used twice in one tree (a store's value once was: V8 then rejected the module).
  { name: 'Binaryen -O1', opts: { codegen: { registerCache: true, optimize: 1, forceSlowMemory: false } }, backends: ['binaryen'] },
  { name: 'Binaryen -O2', opts: { codegen: { registerCache: true, optimize: 2, forceSlowMemory: false } }, backends: ['binaryen'] },
];

function withBackend(opts: Partial<JitOptions>, backend: Backend): Partial<JitOptions> {
  return { ...opts, codegen: { ...DEFAULT_JIT_OPTIONS.codegen, ...opts.codegen, backend } };
}

function checkAgree(code: number[], seed: number, opts: Partial<JitOptions>, what: string): void {
  const [a, b] = runBoth(code, seed, opts);
  assert.equal(b.fault, a.fault, what);
  if (a.fault !== undefined && opts.passes?.deadFlags !== false) {
    // Documented: with dead-flag elimination, arithmetic flags at a guest fault may be stale.
    maskArithFlags(a.state); maskArithFlags(b.state);
  }
  assert.deepEqual(b.state, a.state, what);
  assert.deepEqual(b.data, a.data, what);
}

/** Random straight-line instructions (1..max). */
function genSeq(r: () => number, max: number): number[] {
  const code: number[] = [];
  const len = 1 + (r() % max);
  for (let i = 0; i < len; i++) code.push(...genInsn(r));
  return code;
}

/**
 * A counted loop (r8d = 1..5 iterations) whose body has a forward conditional branch
 * over part of it: several blocks, a back edge and both branch directions, so the
 * region's control flow (the relooper, or the direct backend's dispatch loop) is tested.
 */
function genLoop(r: () => number): number[] {
  const a = genSeq(r, 3), b = genSeq(r, 3), c = genSeq(r, 3);
  const body = [...a, 0x70 + (r() % 16), b.length, ...b, ...c, 0x41, 0xff, 0xc8];
  return [0x41, 0xb8, 1 + (r() % 5), 0, 0, 0, ...body, 0x75, (-(body.length + 2)) & 0xff];
}

for (const backend of BACKENDS) {
  for (const variant of VARIANTS) {
    if (variant.backends && !variant.backends.includes(backend)) continue;
    const opts = withBackend(variant.opts, backend);
    test(`${backend} JIT agrees with the interpreter on 150 generated sequences (${variant.name})`, () => {
      const r = rng(12345);
      for (let n = 0; n < 150; n++) {
        const code = genSeq(r, 12);
        checkAgree(code, n, opts, `sequence ${n}: ${hexOf(code)}`);
      }
    });
    test(`${backend} JIT agrees with the interpreter on 100 generated loops with branches (${variant.name})`, () => {
      const r = rng(777);
      for (let n = 0; n < 100; n++) {
        const code = genLoop(r);
        checkAgree(code, n, opts, `loop ${n}: ${hexOf(code)}`);
      }
    });
  }
}

test('compiled code calls API functions in place and stops at stopAt after one', () => {
  // call [rip+0x100] (the slot holds a native's address); add eax, 1; jmp back to the call.
  const m = makeMachine();
  const code = [0xff, 0x15, 0x00, 0x01, 0x00, 0x00, 0x83, 0xc0, 0x01, 0xeb, 0xf5];
  m.load(Uint8Array.from(code));
  const native = 0x10000 + 0x40; // inside the API thunk range
  m.mem.u8.fill(0xcc, native, native + 16);
  m.mem.dv.setBigUint64(CODE + 6 + 0x100, BigInt(native), true);
  m.st.setNum(4, DATA + 0x800);
  const jit = new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 0 });
  let calls = 0;
  jit.registerNative(native, () => {
    calls++;
    // Like an API function: rax = result, return to the pushed address.
    const rsp = m.st.getNum(4);
    m.st.setNum(0, m.st.getNum(0) + 10);
    m.st.rip = Number(m.mem.dv.getBigUint64(rsp, true));
    m.st.setNum(4, rsp + 8);
  });
  jit.run({ stopAt: CODE + 9, maxInstructions: 1000 });
  assert.equal(m.st.rip, CODE + 9);
  assert.equal(calls, 1);
  assert.equal(m.st.getNum(0), 11);
  // 100 iterations of call/add/jmp, the calls made from compiled code; the budget then ends
  // inside a block, which the cold tier finishes (no endless re-entry of compiled code).
  assert.throws(() => jit.run({ maxInstructions: 300 }), InstructionLimitExceeded);
  assert.equal(calls, 101);
  assert.equal(m.st.getNum(0), 11 + 100 * 11);
  assert.ok(jit.stats.regionCalls < 10, `region calls ${jit.stats.regionCalls}`);
});

test('a store to unmapped memory faults at the same instruction with the same state', () => {
  // mov eax, 1; mov [rbx], eax  (rbx = 0: the null page)
  const code = [0xb8, 1, 0, 0, 0, 0x31, 0xdb, 0x89, 0x03];
  const [a, b] = runBoth(code, 3);
  assert.ok(a.fault && a.fault.includes('ACCESS_VIOLATION'));
  assert.equal(b.fault, a.fault);
  assert.deepEqual(b.state, a.state);
});

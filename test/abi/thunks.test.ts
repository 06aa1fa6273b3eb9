// The Win64 thunk layer, driven by hand-written guest callers in a real process: the
// argument registers and stack slots of the Microsoft x64 calling convention
// ("x64 calling convention", Microsoft Learn: the first four arguments in RCX, RDX,
// R8, R9, or XMM0-3 for floating point, chosen by position; the rest on the stack above
// the 32-byte home area; varargs floats also in the integer slot; results in RAX or
// XMM0; RBX, RBP, RDI, RSI, RSP, R12-R15 and XMM6-15 non-volatile).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fn, NotImplemented } from '../../src/abi/api.js';
import type { ApiFunction, ArgKind, RetKind } from '../../src/abi/api.js';
import { Prot } from '../../src/mem/memory.js';
import { makeGuest, scratch } from '../runtime/support/guest.js';
import { Asm, R } from './asm.js';

const g = makeGuest();
after(() => g.dispose());
const p = g.p;
const CODE_SIZE = 0x10000;
const codeBase = p.mem.findFree(CODE_SIZE, 0x10000, 0x2000_0000)!;
p.mem.map(codeBase, CODE_SIZE, Prot.RWX);
let nextCode = codeBase;

/** Places a guest function built by `build` at a fresh address (never reused: no stale decoded blocks). */
function guestFunction(build: (a: Asm) => void): { addr: number; asm: Asm } {
  const asm = new Asm(nextCode);
  build(asm);
  const bytes = asm.done();
  p.mem.poke(nextCode, bytes);
  const addr = nextCode;
  nextCode += Math.ceil((bytes.length + 1) / 64) * 64;
  return { addr, asm };
}

let nativeCount = 0;
/** Declares a TEST.dll function and returns its thunk address. */
function native<const A extends readonly ArgKind[], Rk extends RetKind>(decl: Omit<ApiFunction, 'name'> & { args: A; ret: Rk }): number {
  const name = `f${nativeCount++}`;
  return p.thunks.thunkFor('TEST.dll', name, { ...decl, name });
}

/** Stack frame size for a call with `stackArgs` arguments beyond four: home area + args, RSP 16-aligned at the call. */
const frameFor = (stackArgs: number) => 8 + 16 * Math.ceil((32 + 8 * stackArgs) / 16);

const INT_REGS = [R.rcx, R.rdx, R.r8, R.r9];
const distinct = (i: number) => BigInt.asUintN(64, 0x0101_0101_0101_0101n * BigInt(i + 1) + 0x8000_0000_0000_0000n * BigInt(i & 1));

/** A guest caller passing `values` as integer slots (RCX, RDX, R8, R9, then the stack), calling `target`. */
function intCaller(target: number, values: bigint[], out: number): number {
  const extra = Math.max(0, values.length - 4);
  const frame = frameFor(extra);
  return guestFunction((a) => {
    a.subRsp(frame);
    for (let i = 4; i < values.length; i++) a.movImm(R.rax, values[i]!).storeStack(32 + 8 * (i - 4), R.rax);
    for (let i = 0; i < Math.min(4, values.length); i++) a.movImm(INT_REGS[i]!, values[i]!);
    a.movImm(R.rax, target).call(R.rax);
    a.movImm(R.r11, out).store(R.r11, 0, R.rax).storeXmm(R.r11, 8, 0);
    a.addRsp(frame).ret();
  }).addr;
}

for (const count of [5, 6, 10]) {
  test(`${count} integer arguments: RCX, RDX, R8, R9, then the stack above the 32-byte home area`, () => {
    const values = Array.from({ length: count }, (_, i) => distinct(i));
    let got: bigint[] = [];
    const kinds = Array.from({ length: count }, () => 'u64' as const);
    const target = native(fn(kinds, 'void', (_p, ...args) => { got = args as bigint[]; }));
    const out = scratch(p, 32);
    p.callGuest(intCaller(target, values, out));
    assert.deepEqual(got, values);
  });
}

test('argument kinds read the slot as declared: i32 signed low half, u32, ptr, handle sign-extended, bool', () => {
  let got: unknown[] = [];
  const target = native(fn(['i32', 'u32', 'ptr', 'handle', 'bool', 'i64'], 'void', (_p, ...args) => { got = args; }));
  const values = [0xdead_beef_ffff_fffen, 0x1234_5678_8000_0000n, 0x0000_7fff_1234_5678n, 0xffff_ffff_ffff_fff5n, 0xffff_ffff_0000_0000n, 0xffff_ffff_ffff_fffbn];
  p.callGuest(intCaller(target, values, scratch(p, 32)));
  assert.deepEqual(got, [-2, 0x8000_0000, 0x7fff_1234_5678, -11, 0, -5n]);
});

test('64-bit integer arguments: i64 and u64 exact as bigint, size as a number (exact below 2^53), in registers and on the stack', () => {
  const edges = [0n, 1n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n, 0x1f_ffff_ffff_ffffn, 0x20_0000_0000_0001n,
    0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0xffff_ffff_7fff_ffffn, 0xffff_ffff_8000_0000n, 0xffff_ffff_ffff_fffen, 0xffff_ffff_ffff_ffffn];
  for (const kind of ['i64', 'u64', 'size'] as const) {
    for (let first = 0; first < edges.length; first += 6) {
      const values = edges.slice(first, first + 6);
      let got: unknown[] = [];
      const target = native(fn(values.map(() => kind), 'void', (_p, ...args) => { got = args; }));
      p.callGuest(intCaller(target, values, scratch(p, 32)));
      const want = values.map((v) => (kind === 'i64' ? BigInt.asIntN(64, v) : kind === 'u64' ? v : Number(v)));
      assert.deepEqual(got, want, `${kind} ${values.map((v) => v.toString(16)).join(' ')}`);
    }
  }
});

test('floating-point arguments use XMM0-3 by position, mixed with integer arguments; later ones the stack', () => {
  let got: unknown[] = [];
  const target = native(fn(['i32', 'f64', 'i64', 'f32', 'f64', 'i32', 'f32'], 'void', (_p, ...args) => { got = args; }));
  const out = scratch(p, 32);
  const f64 = (v: number) => { const b = new DataView(new ArrayBuffer(8)); b.setFloat64(0, v, true); return b.getBigUint64(0, true); };
  const f32 = (v: number) => { const b = new DataView(new ArrayBuffer(4)); b.setFloat32(0, v, true); return BigInt(b.getUint32(0, true)) | 0xabcd_0000_0000_0000n; };
  const code = guestFunction((a) => {
    const frame = frameFor(3);
    a.subRsp(frame);
    a.movImm(R.rax, f64(-2.5e-300)).storeStack(32, R.rax); // arg 4: f64 on the stack
    a.movImm(R.rax, 0x7777_7777_ffff_fff9n).storeStack(40, R.rax); // arg 5: i32
    a.movImm(R.rax, f32(3.25)).storeStack(48, R.rax); // arg 6: f32 in the low half of its slot
    a.movImm(R.rcx, 41); // arg 0 in RCX
    a.movImm(R.rax, f64(1.5)).movqToXmm(1, R.rax); // arg 1 in XMM1
    a.movImm(R.r8, -9n); // arg 2 in R8
    a.movImm(R.rax, f32(-0.75)).movqToXmm(3, R.rax); // arg 3 in XMM3
    // The registers of the other class at each position hold decoys.
    a.movImm(R.rax, f64(99)).movqToXmm(0, R.rax).movqToXmm(2, R.rax);
    a.movImm(R.rdx, 0x5555).movImm(R.r9, 0x6666);
    a.movImm(R.rax, target).call(R.rax);
    a.movImm(R.r11, out).store(R.r11, 0, R.rax);
    a.addRsp(frame).ret();
  });
  p.callGuest(code.addr);
  assert.deepEqual(got, [41, 1.5, -9n, -0.75, -2.5e-300, -7, 3.25]);
});

test('varargs are read slot by slot: doubles from the integer slots (where Win64 callers copy them)', () => {
  let got: unknown[] = [];
  const target = native(fn(['ptr', 'va'], 'i32', (_p, fmt, va) => {
    got = [fmt, va.index, va.nextF64(), va.nextI32(), va.nextPtr(), va.nextF64(), va.nextI32(), va.nextU64(), va.index];
    return 0;
  }));
  const bits = (v: number) => { const b = new DataView(new ArrayBuffer(8)); b.setFloat64(0, v, true); return b.getBigUint64(0, true); };
  // printf("...", 1.25, -7, ptr, 6.5e10, 42, ~0ull): as a compiler passes them.
  const values = [0x40_1000n, bits(1.25), 0xffff_ffff_ffff_fff9n, 0x7fff_0000_1000n, bits(6.5e10), 42n, 0xffff_ffff_ffff_ffffn];
  p.callGuest(intCaller(target, values, scratch(p, 32)));
  assert.deepEqual(got, [0x40_1000, 1, 1.25, -7, 0x7fff_0000_1000, 6.5e10, 42, 0xffff_ffff_ffff_ffffn, 7]);
});

function resultOf(ret: RetKind, value: unknown): { rax: bigint; xmm0: bigint } {
  const target = native({ args: [], ret, impl: () => value });
  const out = scratch(p, 32);
  const code = guestFunction((a) => {
    a.subRsp(40);
    a.movImm(R.rax, 0x1111_2222_3333_4444n).movqToXmm(0, R.rax); // garbage the callee must overwrite (or leave)
    a.movImm(R.rax, target).call(R.rax);
    a.movImm(R.r11, out).store(R.r11, 0, R.rax).storeXmm(R.r11, 8, 0);
    a.addRsp(40).ret();
  });
  p.callGuest(code.addr);
  return { rax: p.mem.read64(out), xmm0: p.mem.read64(out + 8) };
}

test('results: 32-bit integers in EAX with the upper half zeroed (Windows leaves it undefined; wexe zeroes it)', () => {
  assert.equal(resultOf('i32', -5).rax, 0x0000_0000_ffff_fffbn);
  assert.equal(resultOf('u32', 0xffff_ffff).rax, 0x0000_0000_ffff_ffffn);
  assert.equal(resultOf('bool', true).rax, 1n);
  assert.equal(resultOf('bool', 0).rax, 0n);
});

test('results: 64-bit integers and pointers in RAX; handles sign-extended (INVALID_HANDLE_VALUE is all ones)', () => {
  assert.equal(resultOf('i64', -2n).rax, 0xffff_ffff_ffff_fffen);
  assert.equal(resultOf('u64', 0x8000_0000_0000_0001n).rax, 0x8000_0000_0000_0001n);
  assert.equal(resultOf('ptr', 0x7ffe_1234_5678).rax, 0x7ffe_1234_5678n);
  assert.equal(resultOf('handle', -1).rax, 0xffff_ffff_ffff_ffffn);
  assert.equal(resultOf('handle', 0x40).rax, 0x40n);
  assert.equal(resultOf('i64', 5n).rax, 5n);
  assert.equal(resultOf('u64', 0xffff_ffffn).rax, 0xffff_ffffn);
});

test('results: size as a number in RAX, all 64 bits; a negative one as two\'s complement ((size_t)-1)', () => {
  assert.equal(resultOf('size', 0).rax, 0n);
  assert.equal(resultOf('size', 0xffff_ffff).rax, 0xffff_ffffn);
  assert.equal(resultOf('size', 0x1f_ffff_ffff_ffff).rax, 0x1f_ffff_ffff_ffffn);
  assert.equal(resultOf('size', -1).rax, 0xffff_ffff_ffff_ffffn);
  assert.equal(resultOf('size', -0x1_0000_0002).rax, 0xffff_fffe_ffff_fffen);
});

test('results: double and float in XMM0 (float in its low 32 bits); RAX not the result', () => {
  const d = resultOf('f64', -0.1);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, -0.1, true);
  assert.equal(d.xmm0, dv.getBigUint64(0, true));
  const f = resultOf('f32', 1.5);
  assert.equal(f.xmm0 & 0xffff_ffffn, 0x3fc0_0000n);
  const bitsResult = resultOf('f64bits', 0x7ff8_0000_0000_0123n); // a NaN payload survives
  assert.equal(bitsResult.xmm0, 0x7ff8_0000_0000_0123n);
});

test('non-volatile registers (RBX, RBP, RDI, RSI, R12-R15, RSP, XMM6-15) are preserved across a call, even one that calls back into the guest', () => {
  const nv = [R.rbx, R.rbp, R.rdi, R.rsi, R.r12, R.r13, R.r14, R.r15];
  // A guest callback that clobbers every non-volatile register and does not restore them
  // (not a conforming callee): the native's callGuest must still hand back the caller's state.
  const clobber = guestFunction((a) => {
    for (const r of nv) a.movImm(r, 0xbad0n + BigInt(r));
    for (let x = 6; x < 16; x++) a.movqToXmm(x, R.rbx);
    a.movImm(R.rax, 5).ret();
  });
  const target = native(fn(['i32'], 'i32', (pp, v) => pp.callGuestInt(clobber.addr) + v));
  const out = scratch(p, 256);
  const code = guestFunction((a) => {
    a.subRsp(40);
    for (const r of nv) a.movImm(r, 0x1000_0000_0000_0000n * BigInt(r) + 0x1234n);
    for (let x = 6; x < 16; x++) a.movImm(R.rax, 0xface_0000_0000_0000n + BigInt(x)).movqToXmm(x, R.rax);
    a.mov(R.r10, R.rsp).movImm(R.r11, out).store(R.r11, 0x100 - 8, R.r10);
    a.movImm(R.rcx, 2).movImm(R.rax, target).call(R.rax);
    a.movImm(R.r11, out).store(R.r11, 0, R.rax);
    nv.forEach((r, i) => a.store(R.r11, 8 + 8 * i, r));
    for (let x = 6; x < 16; x++) a.storeXmm(R.r11, 0x50 + 8 * (x - 6), x);
    a.mov(R.r10, R.rsp).store(R.r11, 0x100 - 16, R.r10);
    // Restore the non-volatile registers this function itself must preserve for callGuest's caller.
    a.addRsp(40).ret();
  });
  p.callGuest(code.addr);
  assert.equal(p.mem.read64(out), 7n, 'the callback ran and its result was used');
  nv.forEach((r, i) => assert.equal(p.mem.read64(out + 8 + 8 * i), 0x1000_0000_0000_0000n * BigInt(r) + 0x1234n, `register ${r}`));
  for (let x = 6; x < 16; x++) assert.equal(p.mem.read64(out + 0x50 + 8 * (x - 6)), 0xface_0000_0000_0000n + BigInt(x), `xmm${x}`);
  assert.equal(p.mem.read64(out + 0x100 - 16), p.mem.read64(out + 0x100 - 8), 'RSP after the call equals RSP before it');
});

test('re-entrant calls: a native calls a guest callback that calls another native that calls back again', () => {
  const trace: string[] = [];
  let inner = 0;
  // guest leaf(x): returns innerNative(x) + 1
  const innerNative = native(fn(['i32'], 'i32', (_p, x) => { trace.push(`inner(${x})`); inner++; return x * 10; }));
  const leaf = guestFunction((a) => {
    a.subRsp(40).movImm(R.rax, innerNative).call(R.rax);
    a.movImm(R.rcx, 1).store(R.rsp, 0, R.rcx); // scribble in the home area: the caller's frame must not care
    a.addRsp(40);
    a.movImm(R.rdx, 1);
    a.bytes.push(0x48, 0x01, 0xd0); // add rax, rdx
    a.ret();
  });
  // middleNative(x): calls leaf(x) and leaf(x+1) and sums them
  const middleNative = native(fn(['i32'], 'i32', (pp, x) => {
    trace.push(`middle(${x})`);
    return pp.callGuestInt(leaf.addr, [x]) + pp.callGuestInt(leaf.addr, [x + 1]);
  }));
  // guest mid(x): returns middleNative(x)
  const mid = guestFunction((a) => { a.subRsp(40).movImm(R.rax, middleNative).call(R.rax).addRsp(40).ret(); });
  const outerNative = native(fn(['i32'], 'i32', (pp, x) => { trace.push(`outer(${x})`); return pp.callGuestInt(mid.addr, [x]) * 2; }));
  const out = scratch(p, 16);
  p.callGuest(intCaller(outerNative, [3n], out));
  assert.equal(p.mem.read64(out), BigInt(((30 + 1) + (40 + 1)) * 2));
  assert.deepEqual(trace, ['outer(3)', 'middle(3)', 'inner(3)', 'inner(4)']);
  assert.equal(inner, 2);
  assert.equal(p.callbackDepth, 0);
});

test('calling a missing import throws NotImplemented naming DLL!Function and the caller (the return address)', () => {
  const missing = p.thunks.thunkFor('TEST.dll', 'NoSuchFunction', undefined);
  const code = guestFunction((a) => { a.subRsp(40).movImm(R.rax, missing).call(R.rax).label('after').addRsp(40).ret(); });
  const returnAddress = code.asm.addressOf('after');
  assert.throws(() => p.callGuest(code.addr), (e: unknown) => {
    assert.ok(e instanceof NotImplemented);
    assert.equal(e.dll, 'TEST.dll');
    assert.equal(e.fnName, 'NoSuchFunction');
    assert.equal(e.caller, returnAddress);
    assert.equal(e.message, `TEST.dll!NoSuchFunction is not implemented (called from 0x${returnAddress.toString(16)})`);
    return true;
  });
  p.callbackDepth = 0;
});

test('Process.jumpTo leaves a native through a non-local jump (longjmp): RIP and RSP as given, no result stored', () => {
  const out = scratch(p, 32);
  // RSP inside the caller's frame, before its call, is the same on every run at this callGuest depth.
  const measure = guestFunction((a) => { a.subRsp(40).mov(R.r10, R.rsp).movImm(R.r11, out).store(R.r11, 16, R.r10).addRsp(40).ret(); });
  p.callGuest(measure.addr);
  const rspBeforeCall = Number(p.mem.read64(out + 16));
  let landing = 0;
  const jumper = native(fn([], 'i32', (pp) => { pp.jumpTo(landing, rspBeforeCall); return 1234; }));
  const code = guestFunction((a) => {
    a.subRsp(40);
    a.mov(R.r10, R.rsp).movImm(R.r11, out).store(R.r11, 16, R.r10);
    a.movImm(R.rax, 0x77).movImm(R.rcx, jumper).call(R.rcx);
    a.movImm(R.r11, out).movImm(R.rcx, 1).store(R.r11, 0, R.rcx); // the normal return path marks 1
    a.addRsp(40).ret();
    a.label('landing');
    a.movImm(R.r11, out).store(R.r11, 8, R.rax); // RAX as the jump left it
    a.mov(R.r10, R.rsp).store(R.r11, 24, R.r10);
    a.movImm(R.rcx, 2).store(R.r11, 0, R.rcx);
    a.addRsp(40).ret();
  });
  landing = code.asm.addressOf('landing');
  p.callGuest(code.addr);
  assert.equal(p.mem.read64(out), 2n, 'execution continued at the landing address, not after the call');
  assert.equal(p.mem.read64(out + 8), 0x77n, "the native's return value was not stored in RAX");
  assert.equal(p.mem.read64(out + 16), BigInt(rspBeforeCall));
  assert.equal(p.mem.read64(out + 24), BigInt(rspBeforeCall), 'RSP as given to jumpTo');
});

test('--trace lines: call with arguments as declared and the caller, ret with the result, nested calls indented', () => {
  const lines: string[] = [];
  const s = scratch(p, 8);
  p.mem.writeBytes(s, Uint8Array.from([0x68, 0x69, 0x22, 0])); // hi"
  const leaf = native(fn(['str', 'i32'], 'u32', () => 0xbeef));
  const callback = guestFunction((a) => {
    a.subRsp(40).movImm(R.rcx, s).movImm(R.rdx, -1n).movImm(R.rax, leaf).call(R.rax).label('after').addRsp(40).ret();
  });
  const outer = native(fn(['ptr', 'f64'], 'i32', (pp) => { pp.callGuest(callback.addr); return -3; }));
  const caller = guestFunction((a) => {
    a.subRsp(40).movImm(R.rcx, 0).movImm(R.rax, 0x4004_0000_0000_0000n).movqToXmm(1, R.rax)
      .movImm(R.rax, outer).call(R.rax).label('after').addRsp(40).ret();
  });
  p.thunks.trace = (l) => lines.push(l);
  try {
    p.callGuest(caller.addr);
  } finally {
    p.thunks.trace = undefined;
  }
  const outerName = p.thunks.info(outer)!.name;
  const leafName = p.thunks.info(leaf)!.name;
  assert.deepEqual(lines, [
    `call TEST.dll!${outerName}(NULL, 2.5) from 0x${caller.asm.addressOf('after').toString(16)}`,
    `  call TEST.dll!${leafName}("hi\\"", -1) from 0x${callback.asm.addressOf('after').toString(16)}`,
    `  ret  TEST.dll!${leafName} = 0xbeef`,
    `ret  TEST.dll!${outerName} = -3`,
  ]);
});

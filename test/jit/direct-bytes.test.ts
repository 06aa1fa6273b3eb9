// The direct backend's encodings against values from the WebAssembly specification
// and the LEB128 examples everyone quotes, and its modules against V8's validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../../src/jit/direct/bytes.js';
import { ModuleWriter } from '../../src/jit/direct/module.js';
import { FnWriter } from '../../src/jit/direct/fn-writer.js';
import { O, T } from '../../src/jit/direct/opcodes.js';

const hex = (w: ByteWriter): string => Buffer.from(w.view()).toString('hex');
const enc = (f: (w: ByteWriter) => void): string => { const w = new ByteWriter(1); f(w); return hex(w); };

test('LEB128: unsigned and signed encodings', () => {
  assert.equal(enc((w) => w.u32(624485)), 'e58e26');
  assert.equal(enc((w) => w.u32(0)), '00');
  assert.equal(enc((w) => w.u32(127)), '7f');
  assert.equal(enc((w) => w.u32(128)), '8001');
  assert.equal(enc((w) => w.u32(0xffffffff)), 'ffffffff0f');
  assert.equal(enc((w) => w.s32(-123456)), 'c0bb78');
  assert.equal(enc((w) => w.s32(63)), '3f');
  assert.equal(enc((w) => w.s32(64)), 'c000');
  assert.equal(enc((w) => w.s32(-64)), '40');
  assert.equal(enc((w) => w.s32(-65)), 'bf7f');
  assert.equal(enc((w) => w.s32(-0x80000000)), '8080808078');
  assert.equal(enc((w) => w.s64(-(1n << 63n))), '8080808080808080807f');
  assert.equal(enc((w) => w.s64((1n << 63n) - 1n)), 'ffffffffffffffffff00');
  assert.equal(enc((w) => w.s64(0xffffffffn)), 'ffffffff0f');
  // A bit pattern above 2^63 is read as signed: 0xffff...ff is -1.
  assert.equal(enc((w) => w.s64(0xffffffffffffffffn)), '7f');
});

test('the writer grows past its initial capacity', () => {
  const w = new ByteWriter(2);
  for (let i = 0; i < 1000; i++) w.byte(i & 0xff);
  w.bytes(new Uint8Array(5000).fill(7));
  assert.equal(w.length, 6000);
  assert.equal(w.view()[999], 999 & 0xff);
  assert.equal(w.view()[5999], 7);
});

test('a module with imports, a dispatch loop and 64-bit constants validates and runs', () => {
  const m = new ModuleWriter();
  m.importMemory('env', 'mem', 1);
  const twice = m.importFunction('env', 'twice', [T.I32], [T.I32]);
  const f = new FnWriter(1);
  const acc = f.fixedLocal(T.I64);
  // acc = 0x1_0000_0000 * param + twice(param), via a loop that runs once.
  const out = f.block();
  const head = f.loop();
  f.get(0); f.op(O.I64ExtendI32U); f.i64(0x100000000n); f.op(O.I64Mul);
  f.get(0); f.call(twice); f.op(O.I64ExtendI32U); f.op(O.I64Add); f.set(acc);
  f.br(out);
  void head;
  f.end(); f.end();
  f.get(acc);
  m.addFunction('run', [T.I32], [T.I64], f.finish());
  const bytes = m.finish() as Uint8Array<ArrayBuffer>;
  assert.ok(WebAssembly.validate(bytes));
  const mem = new WebAssembly.Memory({ initial: 1, maximum: 1 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem, twice: (x: number) => 2 * x } });
  assert.equal((inst.exports.run as (x: number) => bigint)(3), 3n * 0x100000000n + 6n);
});

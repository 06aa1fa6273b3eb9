// The wasm disassembler behind --dump-wasm (src/jit/wasm-text.ts). Outside truths: V8's
// validator accepts every module built here (so each opcode has the immediates the
// disassembler reads), and binaryen's text parser reads the printed text back into the
// same instructions (so each printed name and immediate means what the bytes mean).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModuleWriter } from '../../src/jit/direct/module.js';
import { FnWriter } from '../../src/jit/direct/fn-writer.js';
import { O, T } from '../../src/jit/direct/opcodes.js';
import { disassemble, printModule, wasmToText, PLAIN_OPS, MEMORY_OPS, FC_PLAIN_OPS, SIMD_OPS } from '../../src/jit/wasm-text.js';
import type { SimdDef } from '../../src/jit/wasm-text.js';
import { OPS } from '../../src/jit/sse-fast.js';
import { VEC_OPS } from '../../src/ir/vec-ops.js';
import { loadBinaryen } from '../../src/jit/wasm.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { BACKENDS } from '../../src/jit/codegen.js';
import { sseHandlers } from '../../src/interp/sse/index.js';
import { makeMachine, CODE, DATA, icedDecodeFn, hex } from '../interp/support/machine.js';

const bn = await loadBinaryen();

/** A module with the guest memory and one import (slowLoad, function 0), and function `f` filled by `fill`. */
function moduleOf(params: T[], results: T[], fill: (w: FnWriter) => void): Uint8Array {
  const m = new ModuleWriter();
  m.importMemory('env', 'mem', 1);
  m.importFunction('env', 'slowLoad', [T.I32, T.I32, T.I32], [T.I32]);
  const w = new FnWriter(params.length);
  fill(w);
  m.addFunction('f', params, results, w.finish());
  return m.finish();
}

/** The listing of function `f` (V8 must accept the module first). */
function linesOf(params: T[], results: T[], fill: (w: FnWriter) => void): string[] {
  const bytes = moduleOf(params, results, fill);
  assert.ok(valid(bytes), 'V8 accepts the module');
  const f = disassemble(bytes).functions.at(-1)!;
  assert.equal(f.error, undefined);
  assert.equal(f.consumed, f.size, 'every byte of the body is read');
  return f.lines;
}

const valid = (bytes: Uint8Array): boolean => WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>);
const raw = (w: FnWriter, ...bytes: number[]): void => { for (const b of bytes) w.code.byte(b); };

/** Printed text that binaryen can parse: long local runs written out. */
function parseableText(bytes: Uint8Array): string {
  return wasmToText(bytes).replace(/\(local (\w+) \*(\d+)\)/g, (_, t: string, n: string) => `(local${` ${t}`.repeat(Number(n))})`);
}

/** The non-structural instructions of every function, in order (labels and comments dropped). */
function instructions(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (const f of disassemble(bytes).functions) {
    for (const l of f.lines) {
      const k = l.trim().replace(/ ;;.*/, '');
      // Binaryen rewrites structure and local traffic (tees become set+get): those are left out.
      if (!/^(block|loop|if|else|end|br|br_if|br_table|local\.\w+)\b/.test(k)) out.push(k);
    }
  }
  return out;
}

function counts(list: string[]): Map<string, number> {
  const c = new Map<string, number>();
  for (const k of list) c.set(k, (c.get(k) ?? 0) + 1);
  return c;
}

/**
 * Binaryen parses the printed text and writes it again; disassembled, the same
 * instructions come back: in the same order for straight-line code (`ordered`), else the
 * same number of each (binaryen restructures control flow and may add `unreachable`).
 */
function assertBinaryenReadsText(bytes: Uint8Array, what: string, ordered = false): void {
  const m = bn.parseText(parseableText(bytes));
  try {
    const F = bn.Features;
    m.setFeatures(F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.BulkMemory | F.SIMD128 | F.Multivalue | F.TailCall
      | F.ReferenceTypes); // a second table: the direct backend's runtime helpers (src/jit/direct/runtime-calls.ts)
    assert.ok(m.validate(), `${what}: binaryen validates the parsed text`);
    const again = instructions(m.emitBinary());
    const before = instructions(bytes);
    if (ordered) { assert.deepEqual(again, before, `${what}: the instructions binaryen read from the text`); return; }
    const a = counts(again), b = counts(before);
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      if (k === 'unreachable' && (a.get(k) ?? 0) >= (b.get(k) ?? 0)) continue;
      assert.equal(a.get(k), b.get(k), `${what}: count of "${k}" after binaryen read the text`);
    }
  } finally {
    m.dispose();
  }
}

test('module header: types, imports, exports, function signature and locals', () => {
  const bytes = moduleOf([T.I32], [T.I32], (w) => {
    const a = w.fixedLocal(T.I64), b = w.fixedLocal(T.I64), c = w.fixedLocal(T.I32);
    w.get(0); w.tee(c); w.set(c);
    w.get(a); w.set(b);
    w.get(c);
  });
  assert.ok(valid(bytes));
  assert.equal(wasmToText(bytes), `(module
  (type $t0 (func (param i32 i32 i32) (result i32)))
  (type $t1 (func (param i32) (result i32)))
  (import "env" "mem" (memory 1 1))
  (import "env" "slowLoad" (func $env.slowLoad (type $t0)))
  (export "f" (func $f))
  (func $f (type $t1) (param i32) (result i32) ;; param 0
    (local i64 i64) ;; 1-2
    (local i32) ;; 3
    local.get 0
    local.tee 3
    local.set 3
    local.get 1
    local.set 2
    local.get 3
  )
)
`);
  assertBinaryenReadsText(bytes, 'header', true);
});

test('long runs of locals are written as a count', () => {
  const bytes = moduleOf([], [], (w) => { for (let i = 0; i < 20; i++) w.fixedLocal(T.I64); w.fixedLocal(T.V128); });
  const text = wasmToText(bytes);
  assert.match(text, /\n {4}\(local i64 \*20\) ;; 0-19\n {4}\(local v128\) ;; 20\n/);
});

test('control: blocks, loops, if/else, branches by label name, br_table, calls, select', () => {
  const lines = linesOf([T.I32], [T.I32], (w) => {
    const out = w.block();
    const top = w.loop();
    const inner = w.block();
    w.get(0); w.brTable([inner, top], out);
    w.end();
    w.get(0); w.brIf(out);
    w.get(0); w.if(); w.op(O.Nop); w.else(); w.br(top); w.end();
    w.end();
    w.end();
    w.i32(1); w.i32(2); w.get(0); w.op(O.Select); w.op(O.Drop);
    w.i32(1); w.i32(2); w.get(0); raw(w, 0x1c, 0x01, T.I32); w.op(O.Drop);
    w.i32(0); w.i32(0); w.i32(0); w.call(0); w.op(O.Drop);
    w.i32(9); w.get(0); raw(w, O.BrIf, 0); w.op(O.Drop); // a branch to the function's own label
    w.i32(7); w.op(O.Return);
    w.op(O.Unreachable);
  });
  assert.deepEqual(lines, [
    'block $b0',
    '  loop $L1',
    '    block $b2',
    '      local.get 0',
    '      br_table $b2 $L1 $b0',
    '    end',
    '    local.get 0',
    '    br_if $b0',
    '    local.get 0',
    '    if $i3',
    '      nop',
    '    else',
    '      br $L1',
    '    end',
    '  end',
    'end',
    'i32.const 1', 'i32.const 2', 'local.get 0', 'select', 'drop',
    'i32.const 1', 'i32.const 2', 'local.get 0', 'select (result i32)', 'drop',
    'i32.const 0', 'i32.const 0', 'i32.const 0', 'call $env.slowLoad', 'drop',
    'i32.const 9', 'local.get 0', 'br_if 0', 'drop',
    'i32.const 7', 'return',
    'unreachable',
  ]);
});

test('blocks with result types', () => {
  const lines = linesOf([], [T.I64], (w) => {
    raw(w, O.Block, T.I64); w.i64(5n); w.end(); w.op(O.Drop);
    raw(w, O.I32Const, 1, O.If, T.I32); w.i32(1); w.else(); w.i32(2); w.end(); w.op(O.Drop);
    w.i64(0n);
  });
  // FnWriter.end() counts only its own block()/if(): the raw openings above leave its depth at -2, harmless here.
  assert.deepEqual(lines, ['block $b0 (result i64)', '  i64.const 5', 'end', 'drop',
    'i32.const 1', 'if $i1 (result i32)', '  i32.const 1', 'else', '  i32.const 2', 'end', 'drop', 'i64.const 0']);
});

test('a shared memory import (the CLI\'s guest memory): V8 links it to a shared memory, the listing says so', () => {
  const m = new ModuleWriter();
  m.importMemory('env', 'mem', 1, true);
  const w = new FnWriter(0);
  w.i32(0); w.mem(O.I32Load);
  m.addFunction('f', [], [T.I32], w.finish());
  const bytes = m.finish();
  const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  new Uint32Array(shared.buffer)[0] = 1234;
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: { mem: shared } });
  assert.equal((inst.exports.f as () => number)(), 1234);
  assert.match(wasmToText(bytes), /\(import "env" "mem" \(memory 1 1 shared\)\)/);
  assert.throws(() => new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: { mem: new WebAssembly.Memory({ initial: 1, maximum: 1 }) } }));
});

test('memory: loads and stores with offsets, alignment only when not natural; bulk memory', () => {
  const lines = linesOf([T.I32], [], (w) => {
    w.get(0); w.mem(O.I32Load); w.op(O.Drop);
    w.get(0); w.mem(O.I64Load, 16); w.op(O.Drop);
    w.get(0); raw(w, O.I32Load, 2, 8); w.op(O.Drop);
    w.get(0); w.mem(O.I32Load8U, 4096); w.op(O.Drop);
    w.get(0); w.mem(O.I32Load16U); w.op(O.Drop);
    w.get(0); raw(w, O.F64Load, 3, 0); w.op(O.Drop);
    w.get(0); w.i32(1); w.mem(O.I32Store8, 3);
    w.get(0); w.i32(1); w.mem(O.I32Store16);
    w.get(0); w.f32bits(0); w.mem(O.F32Store);
    w.get(0); w.simdMem(0x00, 32); w.op(O.Drop);
    w.get(0); w.v128zero(); w.simdMem(0x0b);
    w.get(0); w.get(0); w.i32(4); raw(w, 0xfc, 10, 0, 0);
    w.get(0); w.i32(0); w.i32(4); raw(w, 0xfc, 11, 0);
    raw(w, 0x3f, 0); w.op(O.Drop);
    w.i32(0); raw(w, 0x40, 0); w.op(O.Drop);
  });
  assert.deepEqual(lines, [
    'local.get 0', 'i32.load align=1', 'drop',
    'local.get 0', 'i64.load offset=16 align=1', 'drop',
    'local.get 0', 'i32.load offset=8', 'drop',
    'local.get 0', 'i32.load8_u offset=4096', 'drop',
    'local.get 0', 'i32.load16_u align=1', 'drop',
    'local.get 0', 'f64.load', 'drop',
    'local.get 0', 'i32.const 1', 'i32.store8 offset=3',
    'local.get 0', 'i32.const 1', 'i32.store16 align=1',
    'local.get 0', 'f32.const 0', 'f32.store align=1',
    'local.get 0', 'v128.load offset=32 align=1', 'drop',
    'local.get 0', 'v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000', 'v128.store align=1',
    'local.get 0', 'local.get 0', 'i32.const 4', 'memory.copy',
    'local.get 0', 'i32.const 0', 'i32.const 4', 'memory.fill',
    'memory.size', 'drop',
    'i32.const 0', 'memory.grow', 'drop',
  ]);
  assertBinaryenReadsText(moduleOf([T.I32], [], (w) => {
    w.get(0); w.mem(O.I64Load, 16); w.op(O.Drop);
    w.get(0); raw(w, O.I32Load, 2, 8); w.op(O.Drop);
    w.get(0); w.i32(1); w.mem(O.I32Store8, 3);
    w.get(0); w.simdMem(0x00, 32); w.op(O.Drop);
  }), 'memory', true);
});

test('constants: signed decimal integers (hex beside large ones), floats from their bit patterns', () => {
  const lines = linesOf([], [], (w) => {
    for (const v of [0, -1, 255, 256, -257, 0x7fffffff, -0x80000000]) { w.i32(v); w.op(O.Drop); }
    for (const v of [-1n, 100n, 0x123456789abcdef0n, -(1n << 63n), 0xffffffff80000000n]) { w.i64(v); w.op(O.Drop); }
    for (const b of [0x3fc00000, 0x3dcccccd, 0x80000000, 0x7fc00000, 0xffc00001, 0x7f800000, 0xff800000, 1]) { w.f32bits(b); w.op(O.Drop); }
    for (const b of [0x3fb999999999999an, 0x4000000000000000n, 0xfff0000000000000n, 0x7ff0000000000001n, 0x7ff8000000000000n, 0x7e37e43c8800759cn, 0x8000000000000000n]) { w.f64bits(b); w.op(O.Drop); }
    w.simd(0x0c); raw(w, ...Array.from({ length: 16 }, (_, i) => i + 1)); w.op(O.Drop);
  }).filter((l) => l !== 'drop');
  assert.deepEqual(lines, [
    'i32.const 0', 'i32.const -1', 'i32.const 255', 'i32.const 256 ;; 0x100', 'i32.const -257 ;; 0xfffffeff',
    'i32.const 2147483647 ;; 0x7fffffff', 'i32.const -2147483648 ;; 0x80000000',
    'i64.const -1', 'i64.const 100', 'i64.const 1311768467463790320 ;; 0x123456789abcdef0',
    'i64.const -9223372036854775808 ;; 0x8000000000000000', 'i64.const -2147483648 ;; 0xffffffff80000000',
    'f32.const 1.5', 'f32.const 0.1', 'f32.const -0', 'f32.const nan', 'f32.const -nan:0x400001', 'f32.const inf', 'f32.const -inf', 'f32.const 1e-45',
    'f64.const 0.1', 'f64.const 2', 'f64.const -inf', 'f64.const nan:0x1', 'f64.const nan', 'f64.const 1e+300', 'f64.const -0',
    'v128.const i32x4 0x04030201 0x08070605 0x0c0b0a09 0x100f0e0d',
  ]);
  assertBinaryenReadsText(moduleOf([], [], (w) => {
    for (const v of [-1, 256, -0x80000000]) { w.i32(v); w.op(O.Drop); }
    for (const v of [0x123456789abcdef0n, -(1n << 63n)]) { w.i64(v); w.op(O.Drop); }
    for (const b of [0x3dcccccd, 0x80000000, 0xffc00001, 0xff800000, 1]) { w.f32bits(b); w.op(O.Drop); }
    for (const b of [0x3fb999999999999an, 0x7ff0000000000001n, 0x7e37e43c8800759cn]) { w.f64bits(b); w.op(O.Drop); }
    w.simd(0x0c); raw(w, ...Array.from({ length: 16 }, (_, i) => i + 1)); w.op(O.Drop);
  }), 'constants', true);
});

test('SIMD: shuffles, lanes, arithmetic, compares and bitwise ops', () => {
  const lines = linesOf([T.V128], [], (w) => {
    w.get(0); w.get(0); w.simd(0x0d); raw(w, 0, 17, 2, 19, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31); w.op(O.Drop);
    w.get(0); w.simd(0x1d); raw(w, 1); w.op(O.Drop);
    w.get(0); w.f64bits(0n); w.simd(0x22); raw(w, 0); w.op(O.Drop);
    w.get(0); w.get(0); w.simd(0xae); w.op(O.Drop);
    w.get(0); w.get(0); w.simd(0x47); w.op(O.Drop);
    w.get(0); w.get(0); w.simd(0x4f); w.op(O.Drop);
    w.get(0); w.i32(3); w.simd(0xab); w.op(O.Drop);
    w.get(0); w.simd(0xa4); w.op(O.Drop);
  });
  assert.deepEqual(lines.filter((l) => l !== 'drop' && l !== 'local.get 0'), [
    'i8x16.shuffle 0 17 2 19 4 5 6 7 8 9 10 11 12 13 14 31',
    'i64x2.extract_lane 1',
    'f64.const 0', 'f64x2.replace_lane 0',
    'i32x4.add', 'f64x2.eq', 'v128.andnot',
    'i32.const 3', 'i32x4.shl',
    'i32x4.bitmask',
  ]);
});

test('SIMD names agree with the backends\' own op tables (sse-fast OPS, vec-ops)', () => {
  for (const [name, d] of Object.entries(OPS)) {
    if ('prefix' in d && d.prefix === 0xfd) assert.equal(SIMD_OPS.get(d.code[0])?.name, name);
    else if ('prefix' in d && d.prefix === 0xfc) assert.equal(FC_PLAIN_OPS[d.code[0]], name);
    else assert.equal(PLAIN_OPS.get(d.code[0]), name);
  }
  for (const o of VEC_OPS) assert.equal(SIMD_OPS.get(o.simd)?.name, o.name);
});

// ---- every opcode in the tables: V8 accepts it with the immediates read, binaryen reads the name back ----

const TYPE_OF: Record<string, T> = { i32: T.I32, i64: T.I64, f32: T.F32, f64: T.F64, v128: T.V128 };
/** The function's locals: one of each type, by this index. */
const LOCAL: Record<string, number> = { i32: 0, i64: 1, f32: 2, f64: 3, v128: 4 };
const UNARY = /\.(eqz|clz|ctz|popcnt|abs|neg|ceil|floor|trunc|nearest|sqrt|extend(8|16|32)_s)$/;

/** Operand types of a scalar numeric op, from its name (`i64.extend_i32_s` takes an i32). */
function scalarOperands(name: string): string[] {
  const [t, op] = name.split('.') as [string, string];
  const from = /_(i32|i64|f32|f64)(_|$)/.exec(op);
  if (from) return [from[1]!];
  return UNARY.test(name) ? [t] : [t, t];
}

function laneScalar(shape: string): string {
  return shape === 'i64x2' ? 'i64' : shape === 'f32x4' ? 'f32' : shape === 'f64x2' ? 'f64' : 'i32';
}

/** Operand types of a SIMD instruction, from its name and immediates. */
function simdOperands(d: SimdDef): string[] {
  const [shape, op] = d.name.split('.') as [string, string];
  if (d.imm === 'mem') return op.startsWith('store') ? ['i32', 'v128'] : ['i32'];
  if (d.imm === 'memlane') return ['i32', 'v128'];
  if (d.imm === 'const') return [];
  if (op === 'splat') return [laneScalar(shape)];
  if (op.startsWith('replace_lane')) return ['v128', laneScalar(shape)];
  if (op.startsWith('extract_lane')) return ['v128'];
  if (/^(shl|shr_s|shr_u)$/.test(op)) return ['v128', 'i32'];
  if (op === 'bitselect') return ['v128', 'v128', 'v128'];
  if (/^(not|abs|neg|popcnt|sqrt|ceil|floor|trunc|nearest|all_true|any_true|bitmask)$|^(extend|convert|trunc_sat|demote|promote|extadd)/.test(op)) return ['v128'];
  return ['v128', 'v128'];
}

/** A function with one local of each type that runs every listed instruction on them and drops the result. */
function everyOpModule(ops: { operands: string[]; emit: (w: FnWriter) => void; stores?: boolean }[]): Uint8Array {
  return moduleOf([], [], (w) => {
    for (const t of ['i32', 'i64', 'f32', 'f64', 'v128']) w.fixedLocal(TYPE_OF[t]!);
    for (const o of ops) {
      for (const t of o.operands) w.get(LOCAL[t]!);
      o.emit(w);
      if (!o.stores) w.op(O.Drop);
    }
  });
}

test('every scalar, memory and 0xFC opcode: V8 accepts the module, binaryen reads the names back', () => {
  const ops: Parameters<typeof everyOpModule>[0] = [];
  for (const [code, name] of PLAIN_OPS) {
    if (code < 0x45 || code > 0xc4) continue; // control, drop, select: the control test
    ops.push({ operands: scalarOperands(name), emit: (w) => raw(w, code) });
  }
  for (const [code, [name, align]] of MEMORY_OPS) {
    const store = name.includes('.store');
    ops.push({ operands: store ? ['i32', name.slice(0, 3)] : ['i32'], emit: (w) => raw(w, code, align, 8), stores: store });
  }
  FC_PLAIN_OPS.forEach((name, sub) => ops.push({ operands: scalarOperands(name), emit: (w) => raw(w, 0xfc, sub) }));
  const bytes = everyOpModule(ops);
  assert.ok(valid(bytes), 'V8 accepts every opcode with the operands named');
  const f = disassemble(bytes).functions[0]!;
  assert.equal(f.error, undefined);
  assert.equal(f.consumed, f.size);
  assert.equal(ops.length, 0xc4 - 0x45 + 1 + 23 + 8);
  assertBinaryenReadsText(bytes, 'scalar opcodes', true);
});

test('every SIMD opcode in the table: V8 accepts the module, binaryen reads the names back', () => {
  const ops: Parameters<typeof everyOpModule>[0] = [];
  for (const [sub, d] of SIMD_OPS) {
    ops.push({
      operands: simdOperands(d),
      stores: d.name.startsWith('v128.store'),
      emit: (w) => {
        w.simd(sub);
        if (d.imm === 'mem' || d.imm === 'memlane') raw(w, d.align!, 16);
        if (d.imm === 'lane' || d.imm === 'memlane') raw(w, 1);
        if (d.imm === 'const') raw(w, ...Array.from({ length: 16 }, (_, i) => i * 17));
        if (d.imm === 'shuffle') raw(w, ...Array.from({ length: 16 }, (_, i) => 31 - i));
      },
    });
  }
  assert.equal(ops.length, 236, 'the final SIMD proposal has 236 instructions');
  const bytes = everyOpModule(ops);
  assert.ok(valid(bytes), 'V8 accepts every SIMD opcode with the operands named');
  const f = disassemble(bytes).functions[0]!;
  assert.equal(f.error, undefined);
  assert.equal(f.consumed, f.size);
  assertBinaryenReadsText(bytes, 'SIMD opcodes', true);
});

test('an unknown opcode stops that function\'s listing, not the others', () => {
  const m = new ModuleWriter();
  const bad = new FnWriter(0);
  bad.i32(1); bad.op(O.Drop); bad.simd(0x9a); bad.op(O.Drop);
  m.addFunction('bad', [], [], bad.finish());
  const bad2 = new FnWriter(0);
  raw(bad2, 0x06, 0x40);
  m.addFunction('bad2', [], [], bad2.finish());
  const good = new FnWriter(0);
  good.op(O.Nop);
  m.addFunction('good', [], [], good.finish());
  const d = disassemble(m.finish());
  assert.deepEqual(d.functions.map((f) => f.error), ['unknown opcode 0xfd 0x9a', 'unknown opcode 0x06', undefined]);
  assert.deepEqual(d.functions[0]!.lines, ['i32.const 1', 'drop', ';; unknown opcode 0xfd 0x9a']);
  assert.deepEqual(d.functions[2]!.lines, ['nop']);
  assert.match(printModule(d), /\(func \$bad \(type \$t0\)\n {4}i32\.const 1\n {4}drop\n {4};; unknown opcode 0xfd 0x9a\n {2}\)/);
  assert.equal(wasmToText(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])), ';; not a readable wasm module: not a WebAssembly version 1 module\n');
});

// ---- real regions from both backends ----------------------------------------------------

// Integer and SSE code the lifter turns into wasm: arithmetic, shifts, flags, memory, scalar
// and packed float ops (helper functions with their fast-path guards), vector integer ops,
// shuffles and lane moves.
const CODE_BYTES = hex(`
  48 8b 07  48 8b 4f 08  48 01 c8  48 0f af c1  48 c1 e0 05  48 d3 e9  0f 9c c2  48 0f 44 c1
  48 89 47 10  f7 e1  48 0f c8  ff c1  48 f7 d8  83 67 18 7f  48 85 c9  74 03  48 ff c1
  f3 0f 6f 07  f3 0f 6f 4f 10  66 0f fe c1  66 0f fb c1  66 0f ef d2  66 0f db c1  66 0f df c1
  66 0f eb c1  66 0f 74 c1  66 0f 70 d8 1b  66 0f 72 f0 03  66 0f 73 d0 05  66 0f d7 c0
  66 0f 60 c1  66 0f f4 c1  0f c6 c1 44  66 0f 6e c0  66 48 0f 7e c0
  f2 0f 10 47 20  f2 0f 10 4f 28  f2 0f 58 c1  f2 0f 59 c1  f2 0f 5e c1  f2 0f 51 c1  f2 0f 5d c1
  0f 58 c1  66 0f 59 c1  f2 48 0f 2a c0  f2 48 0f 2c c0  f3 0f 5a c1  66 0f 2f c1  f3 0f e6 c1  0f 5a c1
  f2 0f 11 47 30  0f 11 47 40  48 83 c7 08  48 ff ce`);
/** The body above, then `jnz` back to its start: a loop over several blocks (rsi times). */
const LOOP_BYTES = Uint8Array.from([...CODE_BYTES, 0x0f, 0x85, ...new Uint8Array(Int32Array.of(-(CODE_BYTES.length + 6)).buffer)]);

function compiledModules(backend: string): Uint8Array[] {
  const m = makeMachine();
  m.load(Uint8Array.from([...LOOP_BYTES, 0xcc]));
  for (let i = 0; i < 0x100; i++) m.mem.u8[DATA + i] = (i * 37 + 11) & 0xff;
  m.st.setNum(7, DATA);
  m.st.setNum(6, 3);
  const end = CODE + LOOP_BYTES.length;
  const rt = new JitRuntime(m.st, m.mem, icedDecodeFn, [sseHandlers], {
    ...DEFAULT_JIT_OPTIONS, threshold: 0, codegen: { ...DEFAULT_JIT_OPTIONS.codegen, backend: backend as 'direct' },
  });
  const modules: Uint8Array[] = [];
  rt.onInstalled = (_blocks, bytes) => { modules.push(bytes); };
  rt.run({ stopAt: end });
  return modules;
}

for (const backend of BACKENDS) {
  test(`${backend} backend: every byte of every function of real regions is read; binaryen reads the text back`, () => {
    const modules = compiledModules(backend);
    assert.ok(modules.length > 0, 'something was compiled');
    const seen = new Set<string>();
    let functions = 0;
    for (const bytes of modules) {
      assert.ok(valid(bytes));
      const d = disassemble(bytes);
      for (const f of d.functions) {
        functions++;
        assert.equal(f.error, undefined, `${f.name}: ${f.error}`);
        assert.equal(f.consumed, f.size, `${f.name}: all ${f.size} bytes read`);
        for (const l of f.lines) seen.add(l.trim().split(' ')[0]!);
      }
      const region = d.functions.find((f) => f.name === '$r0');

      assert.ok(region?.lines.some((l) => l.trim().startsWith('br_table ')), 'the region function has its entry dispatch');
      assertBinaryenReadsText(bytes, `${backend} region`);
    }
    assert.ok(functions > modules.length, 'SSE helper functions were compiled too');
    for (const op of ['br_table', 'i64.mul', 'i64.load', 'v128.load', 'v128.store', 'i32x4.add', 'i64x2.sub', 'v128.xor', 'i8x16.shuffle',
      'f64x2.extract_lane', 'f64x2.replace_lane', 'f64.add', 'f64.sqrt', 'i8x16.eq', 'i8x16.bitmask', 'i32x4.shl', 'call']) {
      assert.ok(seen.has(op), `${backend}: the regions use ${op}`);
    }
  });
}

// Region modules reach the runtime's JavaScript functions through the helpers table,
// not through function imports (each imported function cost V8 a wrapper compile per
// module): the module imports no function, and the trampolines deliver the arguments
// and results unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlocks } from '../../src/ir/text.js';
import { compileRegionsDirect } from '../../src/jit/direct/codegen.js';
import { DEFAULT_CODEGEN } from '../../src/jit/codegen.js';
import { ModuleWriter } from '../../src/jit/direct/module.js';
import { FnWriter } from '../../src/jit/direct/fn-writer.js';
import { T } from '../../src/jit/direct/opcodes.js';
import { addRuntimeTrampolines, runtimeHelpersTable, RUNTIME_CALLS, HELPERS_TABLE } from '../../src/jit/direct/runtime-calls.js';

const IR = `
block 0x10 end 0x14 count 1
  insn 0x10
  %0:i64 = getreg rax
  %1:i32 = load %0
  %2:i64 = zext %1
  setreg rbx, %2
  jump 0x14
`;

test('a region module with a memory access imports no function', () => {
  const { bytes } = compileRegionsDirect([{ entry: 0x10, blocks: parseBlocks(IR) }], DEFAULT_CODEGEN);
  const mod = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  const kinds = WebAssembly.Module.imports(mod).map((i) => `${i.name}:${i.kind}`).sort();
  assert.deepEqual(kinds, [`${HELPERS_TABLE}:table`, 'mem:memory', 'regions:table']);
  assert.deepEqual(WebAssembly.Module.exports(mod).map((e) => e.name), ['r0']);
});

test('trampolines at function indices 0..3 call the runtime functions with their arguments', () => {
  const seen: string[] = [];
  const fns: Record<string, (...a: number[]) => number> = {};
  RUNTIME_CALLS.forEach((c, i) => { fns[c.name] = (...a: number[]) => { seen.push(`${c.name}(${a.join(',')})`); return 100 + i; }; });
  const m = new ModuleWriter();
  addRuntimeTrampolines(m);
  RUNTIME_CALLS.forEach((c, i) => {
    const w = new FnWriter(c.params.length);
    for (let p = 0; p < c.params.length; p++) w.get(p);
    w.call(i);
    m.addFunction(`t${i}`, c.params, [T.I32], w.finish());
  });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(m.finish() as Uint8Array<ArrayBuffer>),
    { env: { [HELPERS_TABLE]: runtimeHelpersTable(fns) } });
  const call = (i: number, ...a: number[]): number => (inst.exports[`t${i}`] as (...x: number[]) => number)(...a);
  assert.equal(call(0, 1, -2, 4), 100);
  assert.equal(call(1, 7, 8, 2), 101);
  assert.equal(call(2, 33), 102);
  assert.equal(call(3, 0x401000), 103);
  assert.deepEqual(seen, ['slowLoad(1,-2,4)', 'slowStore(7,8,2)', 'sseSlow(33)', 'callNative(4198400)']);
});

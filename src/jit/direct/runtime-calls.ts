// How compiled regions call the runtime (slowLoad, slowStore, sseSlow, callNative)
// without importing a single JavaScript function.
//
// Why: V8 compiles a wasm-to-JS wrapper for every imported function of every module
// (speculatively at WebAssembly.Module, again at Instance), which made the four
// imports the largest fixed cost of a region module: a one-function module compiled
// and instantiated in about 0.35 ms with them and 0.05 ms without (Node 20, measured
// with performance.now on fresh bytes). So the runtime's functions are imported once,
// by a small bridge module per runtime whose exports (wasm functions, needing no
// wrapper when called from wasm) fill a `helpers` table; each region module imports
// that table and defines one-line trampolines at the function indices the imports
// had (0..3, see F_* in codegen.ts and F_SSE_SLOW in sse.ts), each a call_indirect
// into it.

import { ByteWriter } from './bytes.js';
import { FnWriter } from './fn-writer.js';
import { ModuleWriter } from './module.js';
import { O, T } from './opcodes.js';

/** The runtime functions, in function-index (and helpers-table slot) order. */
export const RUNTIME_CALLS: readonly { name: string; params: readonly T[] }[] = [
  { name: 'slowLoad', params: [T.I32, T.I32, T.I32] },
  { name: 'slowStore', params: [T.I32, T.I32, T.I32] },
  { name: 'sseSlow', params: [T.I32] },
  { name: 'callNative', params: [T.I32] },
  // A `helper` op: the interpreter runs one guest instruction (parameter: the runtime's id for it).
  { name: 'helperOp', params: [T.I32] },
];

/** Import name of the helpers table. */
export const HELPERS_TABLE = 'helpers';

/** A trampoline's body: forward the parameters to slot `slot` of table `table`. */
function trampoline(params: readonly T[], type: number, slot: number, table: number): ByteWriter {
  const w = new FnWriter(params.length, 32);
  for (let p = 0; p < params.length; p++) w.get(p);
  w.i32(slot);
  w.code.byte(O.CallIndirect); w.code.u32(type); w.code.u32(table);
  return w.finish();
}

/**
 * Imports the helpers table into `m` and defines the trampolines; they must be the
 * module's first functions (so they take function indices 0..3).
 */
export function addRuntimeTrampolines(m: ModuleWriter): RuntimeCallSite {
  const table = m.importTable('env', HELPERS_TABLE, RUNTIME_CALLS.length);
  const types = RUNTIME_CALLS.map((c, slot) => {
    const type = m.type(c.params, [T.I32]);
    const index = m.addInternalFunction(c.params, [T.I32], trampoline(c.params, type, slot, table));
    if (index !== slot) throw new Error('runtime trampolines must be the first functions');
    return type;
  });
  return { table, types };
}

/** What a call site needs to reach a runtime function without its trampoline (one wasm call less). */
export interface RuntimeCallSite {
  /** Index of the helpers table in the module. */
  readonly table: number;
  /** Function type index per runtime function (RUNTIME_CALLS order, which is also the slot order). */
  readonly types: readonly number[];
}

/** Calls runtime function `slot` straight through the helpers table; its arguments are on the stack. */
export function callRuntimeDirect(w: FnWriter, site: RuntimeCallSite, slot: number): void {
  w.i32(slot);
  w.code.byte(O.CallIndirect); w.code.u32(site.types[slot]!); w.code.u32(site.table);
}

/** The helpers table for a runtime whose JavaScript functions are `fns` (by name). */
export function runtimeHelpersTable(fns: Readonly<Record<string, (...args: number[]) => number>>): WebAssembly.Table {
  const m = new ModuleWriter();
  for (const c of RUNTIME_CALLS) m.importFunction('js', c.name, c.params, [T.I32]);
  RUNTIME_CALLS.forEach((c, i) => {
    const w = new FnWriter(c.params.length, 32);
    for (let p = 0; p < c.params.length; p++) w.get(p);
    w.call(i);
    m.addFunction(c.name, c.params, [T.I32], w.finish());
  });
  const js: Record<string, (...args: number[]) => number> = {};
  for (const c of RUNTIME_CALLS) {
    const f = fns[c.name];
    if (f === undefined) throw new Error(`runtime function ${c.name} missing`);
    js[c.name] = f;
  }
  const inst = new WebAssembly.Instance(new WebAssembly.Module(m.finish() as Uint8Array<ArrayBuffer>), { js });
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: RUNTIME_CALLS.length });
  RUNTIME_CALLS.forEach((c, i) => table.set(i, inst.exports[c.name] as (...args: number[]) => number));
  return table;
}

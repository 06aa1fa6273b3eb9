// A wasm module written byte by byte: interned function types, imports (the guest
// memory and runtime functions), and exported functions whose bodies are already
// encoded. Only the sections the JIT needs: type, import, function, export, code.

import { ByteWriter } from './bytes.js';
import { T } from './opcodes.js';

interface FuncType { params: readonly T[]; results: readonly T[] }
interface ImportedFunc { module: string; name: string; type: number }
/** `name` undefined: not exported (a module-internal function costs V8 no export wrapper). */
interface DefinedFunc { name: string | undefined; type: number; body: ByteWriter }

export class ModuleWriter {
  private readonly types: FuncType[] = [];
  private readonly typeKeys = new Map<string, number>();
  private readonly imports: ImportedFunc[] = [];
  private memory: { module: string; name: string; pages: number; shared: boolean } | undefined;
  private readonly tables: { module: string; name: string; min: number }[] = [];
  private readonly funcs: DefinedFunc[] = [];

  /** The index of a function type, added on first use. */
  type(params: readonly T[], results: readonly T[]): number {
    const key = `${params.join(',')}>${results.join(',')}`;
    let i = this.typeKeys.get(key);
    if (i === undefined) { i = this.types.length; this.types.push({ params, results }); this.typeKeys.set(key, i); }
    return i;
  }

  importMemory(module: string, name: string, pages: number, shared = false): void { this.memory = { module, name, pages, shared }; }

  /** Imports a funcref table; returns its table index (in import order). */
  importTable(module: string, name: string, min: number): number {
    this.tables.push({ module, name, min });
    return this.tables.length - 1;
  }

  /** Imports a function; returns its function index. All imports precede definitions. */
  importFunction(module: string, name: string, params: readonly T[], results: readonly T[]): number {
    if (this.funcs.length > 0) throw new Error('wasm imports must be added before functions');
    this.imports.push({ module, name, type: this.type(params, results) });
    return this.imports.length - 1;
  }

  /** Adds an exported function whose body (locals and code, ending in `end`) is encoded. */
  addFunction(name: string, params: readonly T[], results: readonly T[], body: ByteWriter): number {
    return this.define(name, params, results, body);
  }

  /** Adds a function that is not exported; returns its function index. */
  addInternalFunction(params: readonly T[], results: readonly T[], body: ByteWriter): number {
    return this.define(undefined, params, results, body);
  }

  private define(name: string | undefined, params: readonly T[], results: readonly T[], body: ByteWriter): number {
    this.funcs.push({ name, type: this.type(params, results), body });
    return this.imports.length + this.funcs.length - 1;
  }

  finish(): Uint8Array {
    const out = new ByteWriter(1024 + this.funcs.reduce((n, f) => n + f.body.length + 8, 0));
    out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const scratch = new ByteWriter(256); // one buffer for every section: each is copied out at once
    const section = (id: number, fill: (s: ByteWriter) => void): void => {
      const s = scratch;
      s.length = 0;
      fill(s);
      out.byte(id);
      out.sized(s);
    };
    section(1, (s) => {
      s.u32(this.types.length);
      for (const t of this.types) {
        s.byte(0x60);
        s.u32(t.params.length); for (const p of t.params) s.byte(p);
        s.u32(t.results.length); for (const r of t.results) s.byte(r);
      }
    });
    section(2, (s) => {
      s.u32(this.imports.length + (this.memory ? 1 : 0) + this.tables.length);
      if (this.memory) {
        s.name(this.memory.module); s.name(this.memory.name);
        // Limits with a maximum: flags 1, or 3 for a shared memory.
        s.byte(0x02); s.byte(this.memory.shared ? 0x03 : 0x01); s.u32(this.memory.pages); s.u32(this.memory.pages);
      }
      for (const t of this.tables) {
        s.name(t.module); s.name(t.name);
        s.byte(0x01); s.byte(0x70); s.byte(0x00); s.u32(t.min);
      }
      for (const f of this.imports) { s.name(f.module); s.name(f.name); s.byte(0x00); s.u32(f.type); }
    });
    section(3, (s) => { s.u32(this.funcs.length); for (const f of this.funcs) s.u32(f.type); });
    section(7, (s) => {
      s.u32(this.funcs.reduce((n, f) => n + (f.name === undefined ? 0 : 1), 0));
      this.funcs.forEach((f, i) => { if (f.name !== undefined) { s.name(f.name); s.byte(0x00); s.u32(this.imports.length + i); } });
    });
    section(10, (s) => { s.u32(this.funcs.length); for (const f of this.funcs) s.sized(f.body); });
    return out.toBytes();
  }
}

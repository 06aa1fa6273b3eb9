// Module handles for the DLLs the runtime implements. Each gets a 64 KiB-aligned pseudo
// image with a DOS/PE header, so guest code that checks an HMODULE for "MZ" is content,
// and GetProcAddress resolves names through the API registry to thunk addresses.

import type { Process } from './process.js';
import { Prot } from '../src/mem/memory.js';
import { Layout } from '../src/mem/layout.js';
import { findDll, lookupExport } from './registry.js';

interface ModuleTable {
  byName: Map<string, number>; // lower-case DLL name -> base
  byBase: Map<number, string>; // base -> canonical DLL name
  next: number;
  /** Exports of the executable itself (name -> VA), filled at load time. */
  exeExports: Map<string, number>;
  exeOrdinals: Map<number, number>;
}

function table(p: Process): ModuleTable {
  return p.dllState('modules', () => ({ byName: new Map(), byBase: new Map(), next: Layout.moduleBase, exeExports: new Map(), exeOrdinals: new Map() }));
}

export function setExeExports(p: Process, byName: Map<string, number>, byOrdinal: Map<number, number>): void {
  const t = table(p);
  t.exeExports = byName;
  t.exeOrdinals = byOrdinal;
}

/** The HMODULE of a runtime DLL (created on first use), or 0 if the runtime lacks it. */
export function moduleHandle(p: Process, name: string): number {
  const t = table(p);
  const key = name.toLowerCase();
  const known = t.byName.get(key);
  if (known !== undefined) return known;
  const d = findDll(name);
  if (!d) return 0;
  const canonicalKey = d.name.toLowerCase();
  const existing = t.byName.get(canonicalKey);
  if (existing !== undefined) { t.byName.set(key, existing); return existing; }
  const base = t.next;
  t.next += 0x10000;
  p.mem.map(base, 0x1000, Prot.R);
  const hdr = new Uint8Array(0x200);
  hdr[0] = 0x4d; hdr[1] = 0x5a; // MZ
  new DataView(hdr.buffer).setUint32(0x3c, 0x80, true);
  hdr.set([0x50, 0x45, 0, 0], 0x80); // PE\0\0
  new DataView(hdr.buffer).setUint16(0x84, 0x8664, true);
  p.mem.poke(base, hdr);
  t.byName.set(key, base);
  t.byName.set(canonicalKey, base);
  t.byBase.set(base, d.name);
  return base;
}

export function moduleName(p: Process, base: number): string | undefined {
  return table(p).byBase.get(base);
}

/** GetProcAddress: a thunk for a runtime DLL's export, or the executable's own export. */
export function procAddress(p: Process, hmod: number, key: string | number): number {
  const t = table(p);
  if (hmod === p.imageBase) {
    return (typeof key === 'string' ? t.exeExports.get(key) : t.exeOrdinals.get(key)) ?? 0;
  }
  const name = t.byBase.get(hmod);
  if (name === undefined) return 0;
  const d = findDll(name)!;
  return lookupExport(p, d, key) ?? 0;
}

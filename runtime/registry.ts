// Every DLL the runtime implements, and how import names map onto them.

import type { ApiDll } from '../src/abi/api.js';
import type { Process } from './process.js';
import { KERNEL32 } from './kernel32/index.js';
import { MSVCRT } from './msvcrt/index.js';
import { ADVAPI32 } from './advapi32/index.js';
import { NTDLL } from './ntdll/index.js';
import { guestLibraryExport } from './guestlib/index.js';

const DLLS: ApiDll[] = [KERNEL32, MSVCRT, NTDLL, ADVAPI32];

/** Other names under which programs import the same implementation. */
const ALIASES: Record<string, string> = {
  'kernelbase.dll': 'kernel32.dll',
};

const byName = new Map<string, ApiDll>();
for (const d of DLLS) byName.set(d.name.toLowerCase(), d);

export function findDll(name: string): ApiDll | undefined {
  const key = name.toLowerCase();
  const withExt = key.endsWith('.dll') ? key : `${key}.dll`;
  return byName.get(ALIASES[withExt] ?? withExt);
}

export function allDlls(): readonly ApiDll[] { return DLLS; }

/** Whether the runtime implements dll!fn (function or data export). */
export function isImplemented(dll: string, fn: string | number): boolean {
  const d = findDll(dll);
  if (!d) return false;
  const name = typeof fn === 'number' ? d.ordinals.get(fn) : fn;
  return name !== undefined && (d.functions.has(name) || d.data.has(name) || d.guest.has(name));
}

/**
 * The address an import resolves to: a thunk for functions, the builtin guest library's
 * code for functions that run as guest code, the variable for data exports, or a
 * "missing" thunk (which stops the program when called) for anything the runtime
 * lacks. Returns undefined only for a missing data-looking ordinal.
 */
export function lookupExport(p: Process, d: ApiDll, key: string | number): number | undefined {
  const name = typeof key === 'number' ? d.ordinals.get(key) : key;
  if (name === undefined) return undefined;
  if (d.guest.has(name)) return guestLibraryExport(p, name);
  const data = d.data.get(name);
  if (data) return p.dllState(`data:${d.name}!${name}`, () => data(p));
  const f = d.functions.get(name);
  if (!f) return undefined;
  return p.thunks.thunkFor(d.name, name, f);
}

/** Binds one import: always returns an address, a missing-function thunk if need be. */
export function bindImport(p: Process, dll: string, key: string | number): { address: number; implemented: boolean } {
  const d = findDll(dll);
  if (d) {
    const a = lookupExport(p, d, key);
    if (a !== undefined) return { address: a, implemented: true };
  }
  const label = typeof key === 'number' ? `#${key}` : key;
  return { address: p.thunks.thunkFor(d?.name ?? dll, label, undefined), implemented: false };
}

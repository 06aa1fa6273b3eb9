// A real guest process for runtime and ABI tests: samples/hello.exe loaded and bound
// (nothing of it runs), a temporary C:\ root, output captured in memory. Tests call
// API functions through their real thunks with `api()`, the way guest code does, so
// argument fetching and result storing are part of what they check.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadExecutable, prepare } from '../../../src/api.js';
import type { CreatedProcess } from '../../../src/process/create.js';
import type { Process } from '../../../runtime/process.js';
import { CaptureHost } from '../../../runtime/host-capture.js';
import { findDll, lookupExport } from '../../../runtime/registry.js';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export const SAMPLES = join(REPO, 'samples');

export interface TestGuest {
  cp: CreatedProcess;
  p: Process;
  host: CaptureHost;
  /** Host directory of C:\. */
  root: string;
  dispose(): void;
}

export function makeGuest(opts: { exe?: string; env?: Record<string, string>; stdin?: Uint8Array } = {}): TestGuest {
  const exe = join(SAMPLES, opts.exe ?? 'hello.exe');
  const root = mkdtempSync(join(tmpdir(), 'wexe-rt-test-'));
  const host = new CaptureHost(opts.stdin ?? new Uint8Array(0));
  const cp = prepare(loadExecutable(exe), exe, { host, env: opts.env ?? { PATH: 'C:\\windows' } }, root);
  return { cp, p: cp.process, host, root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** The thunk address of dll!name (throws if the runtime lacks it). */
export function thunk(p: Process, dll: string, name: string): number {
  const d = findDll(dll);
  const a = d && lookupExport(p, d, name);
  if (a === undefined) throw new Error(`${dll}!${name} is not in the runtime`);
  return a;
}

/** Calls dll!name through its thunk with integer/pointer arguments; returns RAX. */
export function api(p: Process, dll: string, name: string, ...args: (number | bigint)[]): bigint {
  return p.callGuest(thunk(p, dll, name), args);
}

/** Like api(), RAX as a signed 32-bit number (int, BOOL, DWORD compared as numbers). */
export function api32(p: Process, dll: string, name: string, ...args: (number | bigint)[]): number {
  return Number(BigInt.asIntN(32, api(p, dll, name, ...args)));
}

/** Like api(), RAX's low 32 bits unsigned (DWORD results such as INVALID_FILE_SIZE). */
export function apiU32(p: Process, dll: string, name: string, ...args: (number | bigint)[]): number {
  return Number(BigInt.asUintN(32, api(p, dll, name, ...args)));
}

/** Guest scratch memory from the process heap, zeroed. */
export function scratch(p: Process, size: number): number { return p.alloc(size, true); }

/** A NUL-terminated ANSI (byte) string in guest memory. */
export function cstr(p: Process, s: string | Uint8Array): number {
  const bytes = typeof s === 'string' ? Uint8Array.from(s, (c) => c.charCodeAt(0)) : s;
  const a = scratch(p, bytes.length + 1);
  p.mem.writeBytes(a, bytes);
  return a;
}

/** A NUL-terminated UTF-16 string in guest memory. */
export function wstr(p: Process, s: string): number {
  const a = scratch(p, 2 * s.length + 2);
  for (let i = 0; i < s.length; i++) p.mem.write16(a + 2 * i, s.charCodeAt(i));
  return a;
}

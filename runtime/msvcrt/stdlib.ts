// msvcrt stdlib.h: memory, integer helpers, the random generator, the environment,
// time. (qsort, bsearch and the malloc family run as guest code: runtime/guestlib.)

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { crt, Errno } from './state.js';
import { cp1252Encode } from '../text.js';
import { guestLibraryExport } from '../guestlib/index.js';

/** malloc for the natives here: the guest library's (it sets errno on failure). */
function malloc(p: Process, size: number): number {
  return Number(p.callGuest(guestLibraryExport(p, 'malloc'), [size]));
}

function getenv(p: Process, name: string | null, wide: boolean): number {
  if (name === null) return 0;
  const v = p.getEnv(name);
  if (v === undefined) return 0;
  const cache = p.dllState(`msvcrt.getenv.${wide ? 'w' : 'a'}`, () => new Map<string, number>());
  const key = `${name.toUpperCase()}=${v}`;
  let a = cache.get(key);
  if (a === undefined) {
    if (wide) { a = p.alloc(2 * v.length + 2); p.mem.writeWString(a, v); }
    else { const b = cp1252Encode(v).bytes; a = p.alloc(b.length + 1, true); p.mem.writeBytes(a, b); }
    cache.set(key, a);
  }
  return a;
}

function putenv(p: Process, s: string | null): number {
  if (s === null) return -1;
  const eq = s.indexOf('=');
  if (eq <= 0) { crt(p).errno = Errno.EINVAL; return -1; }
  const value = s.slice(eq + 1);
  p.setEnv(s.slice(0, eq), value === '' ? undefined : value);
  return 0;
}

function processStartMs(p: Process): number { return p.dllState('msvcrt.clockStart', () => p.host.now()); }

function time64(p: Process, out: number): bigint {
  const t = BigInt(Math.floor(p.host.now() / 1000));
  if (out) p.mem.write64(out, t);
  return t;
}

export const stdlibFunctions = {
  // malloc, calloc, realloc, free, _msize, _expand and _recalloc are guest code
  // (runtime/guestlib/heap.c); the aligned pair sits on top of them.
  _aligned_malloc: fn(['size', 'size'], 'ptr', (p, n, align) => {
    const al = Math.max(8, align);
    const raw = malloc(p, n + al + 8);
    if (!raw) return 0;
    const a = Math.ceil((raw + 8) / al) * al;
    p.mem.writePtr(a - 8, raw);
    return a;
  }),
  _aligned_free: fn(['ptr'], 'void', (p, a) => { if (a) p.processHeap.free(p.mem.readPtr(a - 8)); }),
  abs: fn(['i32'], 'i32', (_p, v) => (v < 0 ? -v | 0 : v)),
  labs: fn(['i32'], 'i32', (_p, v) => (v < 0 ? -v | 0 : v)),
  llabs: fn(['i64'], 'i64', (_p, v) => BigInt.asIntN(64, v < 0n ? -v : v)),
  _abs64: fn(['i64'], 'i64', (_p, v) => BigInt.asIntN(64, v < 0n ? -v : v)),
  div: fn(['i32', 'i32'], 'i64', (_p, a, b) => {
    const q = Math.trunc(a / b) | 0;
    const r = (a - q * b) | 0;
    return (BigInt(r >>> 0) << 32n) | BigInt(q >>> 0);
  }),
  ldiv: fn(['i32', 'i32'], 'i64', (_p, a, b) => {
    const q = Math.trunc(a / b) | 0;
    const r = (a - q * b) | 0;
    return (BigInt(r >>> 0) << 32n) | BigInt(q >>> 0);
  }),
  rand: fn([], 'i32', (p) => {
    const c = crt(p);
    c.randState = (Math.imul(c.randState, 214013) + 2531011) >>> 0;
    return (c.randState >>> 16) & 0x7fff;
  }),
  srand: fn(['u32'], 'void', (p, seed) => { crt(p).randState = seed >>> 0; }),
  getenv: fn(['str'], 'ptr', (p, name) => getenv(p, name, false)),
  _wgetenv: fn(['wstr'], 'ptr', (p, name) => getenv(p, name, true)),
  _putenv: fn(['str'], 'i32', (p, s) => putenv(p, s)),
  _wputenv: fn(['wstr'], 'i32', (p, s) => putenv(p, s)),
  system: fn(['ptr'], 'i32', (p, cmd) => {
    // No command interpreter inside the sandbox: system(NULL) reports none.
    crt(p).errno = Errno.ENOENT;
    return cmd === 0 ? 0 : -1;
  }),
  time: fn(['ptr'], 'i64', (p, out) => time64(p, out)),
  _time64: fn(['ptr'], 'i64', (p, out) => time64(p, out)),
  _time32: fn(['ptr'], 'i32', (p, out) => { const t = Number(time64(p, 0)); if (out) p.mem.write32(out, t); return t; }),
  clock: fn([], 'i32', (p) => {
    const start = processStartMs(p); // first call: the clock starts now (read before now() below)
    return Math.floor(p.host.now() - start);
  }),
  difftime: fn(['i64', 'i64'], 'f64', (_p, a, b) => Number(a - b)),
  _difftime64: fn(['i64', 'i64'], 'f64', (_p, a, b) => Number(a - b)),
  _sleep: fn(['u32'], 'void', (p, ms) => p.host.sleep(ms)),
};

export { processStartMs };

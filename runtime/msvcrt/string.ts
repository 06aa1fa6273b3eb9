// msvcrt string.h, wchar string functions and ctype (the "C" locale).

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { crt } from './state.js';

function strlen(p: Process, s: number): number { return p.mem.strlen(s); }

function cmpBytes(p: Process, a: number, b: number, n: number, fold: boolean, stopAtNul: boolean): number {
  const m = p.mem;
  for (let i = 0; i < n; i++) {
    let x = m.read8(a + i);
    let y = m.read8(b + i);
    if (fold) { x = lower(x); y = lower(y); }
    if (x !== y) return x < y ? -1 : 1;
    if (stopAtNul && x === 0) return 0;
  }
  return 0;
}

function cmpWide(p: Process, a: number, b: number, n: number, fold: boolean): number {
  const m = p.mem;
  for (let i = 0; i < n; i++) {
    let x = m.read16(a + 2 * i);
    let y = m.read16(b + 2 * i);
    if (fold) { x = wlower(x); y = wlower(y); }
    if (x !== y) return x < y ? -1 : 1;
    if (x === 0) return 0;
  }
  return 0;
}

const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 32 : c);
const upper = (c: number): number => (c >= 0x61 && c <= 0x7a ? c - 32 : c);
const wlower = (c: number): number => (c < 0x80 ? lower(c) : String.fromCharCode(c).toLowerCase().charCodeAt(0));
const wupper = (c: number): number => (c < 0x80 ? upper(c) : String.fromCharCode(c).toUpperCase().charCodeAt(0));

// ---- ctype: msvcrt's _pctype bits ------------------------------------------------------
export const _UPPER = 0x1, _LOWER = 0x2, _DIGIT = 0x4, _SPACE = 0x8, _PUNCT = 0x10, _CONTROL = 0x20, _BLANK = 0x40, _HEX = 0x80, _ALPHA = 0x103;

/** Classification of byte c (0..255) in the C locale, as msvcrt's table has it. */
export function ctypeBits(c: number): number {
  if (c < 0 || c > 0xff) return 0;
  let b = 0;
  if (c >= 0x41 && c <= 0x5a) b |= 0x1 | 0x100;
  if (c >= 0x61 && c <= 0x7a) b |= 0x2 | 0x100;
  if (c >= 0x30 && c <= 0x39) b |= _DIGIT;
  if ((c >= 0x09 && c <= 0x0d) || c === 0x20) b |= _SPACE;
  if (c >= 0x21 && c <= 0x7e && !(b & (0x103 | _DIGIT))) b |= _PUNCT;
  if (c < 0x20 || c === 0x7f) b |= _CONTROL;
  if (c === 0x20 || c === 0x09) b |= _BLANK;
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) b |= _HEX;
  return b;
}

/** The 257-entry table (index -1 is EOF) msvcrt exports as _pctype / __pctype_func(). */
function pctypeTable(p: Process): number {
  return p.dllState('msvcrt.pctype', () => {
    const a = p.alloc(2 * 257, true);
    for (let c = 0; c < 256; c++) p.mem.write16(a + 2 + 2 * c, ctypeBits(c));
    const ptr = p.alloc(8);
    p.mem.writePtr(ptr, a + 2);
    return { table: a + 2, ptr };
  }).table;
}

function wctypeBits(c: number): number {
  if (c < 0x100) return ctypeBits(c);
  const s = String.fromCharCode(c);
  let b = 0;
  if (/\p{Lu}/u.test(s)) b |= 0x101;
  if (/\p{Ll}/u.test(s)) b |= 0x102;
  if (/\p{L}/u.test(s) && !(b & 3)) b |= 0x100;
  if (/\p{Nd}/u.test(s)) b |= _DIGIT;
  if (/\s/u.test(s)) b |= _SPACE;
  if (/\p{P}|\p{S}/u.test(s)) b |= _PUNCT;
  if (/\p{Cc}/u.test(s)) b |= _CONTROL;
  return b;
}

const ctypeFn = (mask: number) => fn(['i32'], 'i32', (_p, c) => ctypeBits(c) & mask);
const wctypeFn = (mask: number) => fn(['u32'], 'i32', (_p, c) => wctypeBits(c & 0xffff) & mask);

function tokenize(p: Process, s: number, delim: number, state: { get: () => number; set: (v: number) => void }): number {
  const m = p.mem;
  const dset = new Set(m.readBytes(delim, m.strlen(delim)));
  let cur = s !== 0 ? s : state.get();
  if (cur === 0) return 0;
  while (m.read8(cur) !== 0 && dset.has(m.read8(cur))) cur++;
  if (m.read8(cur) === 0) { state.set(0); return 0; }
  const start = cur;
  while (m.read8(cur) !== 0 && !dset.has(m.read8(cur))) cur++;
  if (m.read8(cur) !== 0) { m.write8(cur, 0); state.set(cur + 1); } else state.set(cur);
  return start;
}

function strdup(p: Process, s: number): number {
  if (s === 0) return 0;
  const n = strlen(p, s) + 1;
  const a = p.processHeap.alloc(n);
  if (a === undefined) return 0;
  p.mem.writeBytes(a, p.mem.readBytes(s, n));
  return a;
}

function wcsdup(p: Process, s: number): number {
  if (s === 0) return 0;
  const n = 2 * (p.mem.wcslen(s) + 1);
  const a = p.processHeap.alloc(n);
  if (a === undefined) return 0;
  p.mem.writeBytes(a, p.mem.readBytes(s, n));
  return a;
}

function findByte(p: Process, s: number, c: number, last: boolean): number {
  const m = p.mem;
  const target = c & 0xff;
  let found = 0;
  for (let i = s; ; i++) {
    const b = m.read8(i);
    if (b === target) { if (!last) return i; found = i; }
    if (b === 0) return found;
  }
}

function findWide(p: Process, s: number, c: number, last: boolean): number {
  const m = p.mem;
  const target = c & 0xffff;
  let found = 0;
  for (let i = s; ; i += 2) {
    const b = m.read16(i);
    if (b === target) { if (!last) return i; found = i; }
    if (b === 0) return found;
  }
}

function strstr(p: Process, hay: number, needle: number): number {
  const h = p.mem.readCString(hay);
  const n = p.mem.readCString(needle);
  const i = h.indexOf(n);
  return i < 0 ? 0 : hay + i;
}

function span(p: Process, s: number, set: number, inSet: boolean): number {
  const chars = new Set(p.mem.readBytes(set, p.mem.strlen(set)));
  let i = 0;
  for (;;) {
    const b = p.mem.read8(s + i);
    if (b === 0 || chars.has(b) !== inSet) return i;
    i++;
  }
}

function memmove(p: Process, dst: number, src: number, n: number): number {
  // copyWithin checks the source for reading, then the destination for writing.
  p.mem.copyWithin(dst, src, n);
  return dst;
}

const STRERROR: Record<number, string> = {
  0: 'No error', 1: 'Operation not permitted', 2: 'No such file or directory', 3: 'No such process', 4: 'Interrupted function call',
  5: 'Input/output error', 6: 'No such device or address', 7: 'Arg list too long', 8: 'Exec format error', 9: 'Bad file descriptor',
  10: 'No child processes', 11: 'Resource temporarily unavailable', 12: 'Not enough space', 13: 'Permission denied', 14: 'Bad address',
  16: 'Resource device', 17: 'File exists', 18: 'Improper link', 19: 'No such device', 20: 'Not a directory', 21: 'Is a directory',
  22: 'Invalid argument', 23: 'Too many open files in system', 24: 'Too many open files', 25: 'Inappropriate I/O control operation',
  27: 'File too large', 28: 'No space left on device', 29: 'Invalid seek', 30: 'Read-only file system', 31: 'Too many links',
  32: 'Broken pipe', 33: 'Domain error', 34: 'Result too large', 36: 'Resource deadlock avoided', 38: 'Filename too long',
  39: 'No locks available', 40: 'Function not implemented', 41: 'Directory not empty', 42: 'Illegal byte sequence',
};

export function strerrorText(e: number): string { return STRERROR[e] ?? 'Unknown error'; }

function strerror(p: Process, e: number): number {
  const buf = p.dllState('msvcrt.strerror', () => p.alloc(96, true));
  p.mem.writeCString(buf, strerrorText(e));
  return buf;
}

export const stringFunctions = {
  memcpy: fn(['ptr', 'ptr', 'size'], 'ptr', (p, d, s, n) => memmove(p, d, s, n)),
  memmove: fn(['ptr', 'ptr', 'size'], 'ptr', (p, d, s, n) => memmove(p, d, s, n)),
  memset: fn(['ptr', 'i32', 'size'], 'ptr', (p, d, c, n) => { p.mem.fill(d, c & 0xff, n); return d; }),
  _memicmp: fn(['ptr', 'ptr', 'size'], 'i32', (p, a, b, n) => cmpBytes(p, a, b, n, true, false)),
  strnlen: fn(['ptr', 'size'], 'size', (p, s, n) => p.mem.strlen(s, n)),
  strcpy: fn(['ptr', 'ptr'], 'ptr', (p, d, s) => { p.mem.writeBytes(d, p.mem.readBytes(s, strlen(p, s) + 1)); return d; }),
  strncpy: fn(['ptr', 'ptr', 'size'], 'ptr', (p, d, s, n) => {
    const len = n;
    const src = p.mem.readBytes(s, p.mem.strlen(s, len));
    const out = new Uint8Array(len);
    out.set(src);
    p.mem.writeBytes(d, out);
    return d;
  }),
  strcat: fn(['ptr', 'ptr'], 'ptr', (p, d, s) => { p.mem.writeBytes(d + strlen(p, d), p.mem.readBytes(s, strlen(p, s) + 1)); return d; }),
  strncat: fn(['ptr', 'ptr', 'size'], 'ptr', (p, d, s, n) => {
    const src = p.mem.readBytes(s, p.mem.strlen(s, n));
    const at = d + strlen(p, d);
    p.mem.writeBytes(at, src);
    p.mem.write8(at + src.length, 0);
    return d;
  }),
  _stricmp: fn(['ptr', 'ptr'], 'i32', (p, a, b) => cmpBytes(p, a, b, Infinity, true, true)),
  _strcmpi: fn(['ptr', 'ptr'], 'i32', (p, a, b) => cmpBytes(p, a, b, Infinity, true, true)),
  _strnicmp: fn(['ptr', 'ptr', 'size'], 'i32', (p, a, b, n) => cmpBytes(p, a, b, n, true, true)),
  strcoll: fn(['ptr', 'ptr'], 'i32', (p, a, b) => cmpBytes(p, a, b, Infinity, false, true)),
  _stricoll: fn(['ptr', 'ptr'], 'i32', (p, a, b) => cmpBytes(p, a, b, Infinity, true, true)),
  strrchr: fn(['ptr', 'i32'], 'ptr', (p, s, c) => findByte(p, s, c, true)),
  strstr: fn(['ptr', 'ptr'], 'ptr', (p, h, n) => strstr(p, h, n)),
  strspn: fn(['ptr', 'ptr'], 'size', (p, s, set) => span(p, s, set, true)),
  strcspn: fn(['ptr', 'ptr'], 'size', (p, s, set) => span(p, s, set, false)),
  strpbrk: fn(['ptr', 'ptr'], 'ptr', (p, s, set) => {
    const n = span(p, s, set, false);
    return p.mem.read8(s + n) === 0 ? 0 : s + n;
  }),
  strtok: fn(['ptr', 'ptr'], 'ptr', (p, s, d) => tokenize(p, s, d, { get: () => crt(p).strtokNext, set: (v) => { crt(p).strtokNext = v; } })),
  strtok_s: fn(['ptr', 'ptr', 'ptr'], 'ptr', (p, s, d, ctx) => tokenize(p, s, d, { get: () => p.mem.readPtr(ctx), set: (v) => p.mem.writePtr(ctx, v) })),
  _strdup: fn(['ptr'], 'ptr', (p, s) => strdup(p, s)),
  strdup: fn(['ptr'], 'ptr', (p, s) => strdup(p, s)),
  _strlwr: fn(['ptr'], 'ptr', (p, s) => { for (let i = s; p.mem.read8(i) !== 0; i++) p.mem.write8(i, lower(p.mem.read8(i))); return s; }),
  _strupr: fn(['ptr'], 'ptr', (p, s) => { for (let i = s; p.mem.read8(i) !== 0; i++) p.mem.write8(i, upper(p.mem.read8(i))); return s; }),
  _strrev: fn(['ptr'], 'ptr', (p, s) => { const b = p.mem.readBytes(s, strlen(p, s)); p.mem.writeBytes(s, b.reverse()); return s; }),
  strerror: fn(['i32'], 'ptr', (p, e) => strerror(p, e)),
  _strerror: fn(['ptr'], 'ptr', (p, prefix) => {
    const msg = `${prefix ? `${p.mem.readCString(prefix)}: ` : ''}${strerrorText(crt(p).errno)}\n`;
    const buf = p.dllState('msvcrt._strerror', () => p.alloc(512, true));
    p.mem.writeCString(buf, msg.slice(0, 510));
    return buf;
  }),
  // ctype
  isalpha: ctypeFn(0x103), isupper: ctypeFn(_UPPER), islower: ctypeFn(_LOWER), isdigit: ctypeFn(_DIGIT), isxdigit: ctypeFn(_HEX),
  isspace: ctypeFn(_SPACE), ispunct: ctypeFn(_PUNCT), isalnum: ctypeFn(0x103 | _DIGIT), isprint: ctypeFn(0x103 | _DIGIT | _PUNCT | _BLANK),
  isgraph: ctypeFn(0x103 | _DIGIT | _PUNCT), iscntrl: ctypeFn(_CONTROL), isblank: fn(['i32'], 'i32', (_p, c) => (c === 0x20 || c === 0x09 ? _BLANK : 0)),
  isascii: fn(['i32'], 'i32', (_p, c) => (c >= 0 && c < 0x80 ? 1 : 0)), __isascii: fn(['i32'], 'i32', (_p, c) => (c >= 0 && c < 0x80 ? 1 : 0)),
  _isctype: fn(['i32', 'i32'], 'i32', (_p, c, mask) => ctypeBits(c) & mask),
  toupper: fn(['i32'], 'i32', (_p, c) => (c >= 0 && c < 256 ? upper(c) : c)),
  tolower: fn(['i32'], 'i32', (_p, c) => (c >= 0 && c < 256 ? lower(c) : c)),
  _toupper: fn(['i32'], 'i32', (_p, c) => c - 32),
  _tolower: fn(['i32'], 'i32', (_p, c) => c + 32),
  __pctype_func: fn([], 'ptr', (p) => pctypeTable(p)),
  iswalpha: wctypeFn(0x103), iswupper: wctypeFn(_UPPER), iswlower: wctypeFn(_LOWER), iswdigit: wctypeFn(_DIGIT), iswxdigit: wctypeFn(_HEX),
  iswspace: wctypeFn(_SPACE), iswpunct: wctypeFn(_PUNCT), iswalnum: wctypeFn(0x103 | _DIGIT), iswprint: wctypeFn(0x103 | _DIGIT | _PUNCT | _BLANK),
  iswgraph: wctypeFn(0x103 | _DIGIT | _PUNCT), iswcntrl: wctypeFn(_CONTROL), iswascii: fn(['u32'], 'i32', (_p, c) => ((c & 0xffff) < 0x80 ? 1 : 0)),
  iswctype: fn(['u32', 'u32'], 'i32', (_p, c, mask) => wctypeBits(c & 0xffff) & mask),
  towupper: fn(['u32'], 'u32', (_p, c) => wupper(c & 0xffff)),
  towlower: fn(['u32'], 'u32', (_p, c) => wlower(c & 0xffff)),
  // wide strings
  wcslen: fn(['ptr'], 'size', (p, s) => p.mem.wcslen(s)),
  wcsnlen: fn(['ptr', 'size'], 'size', (p, s, n) => p.mem.wcslen(s, n)),
  wcscpy: fn(['ptr', 'ptr'], 'ptr', (p, d, s) => { p.mem.writeBytes(d, p.mem.readBytes(s, 2 * p.mem.wcslen(s) + 2)); return d; }),
  wcsncpy: fn(['ptr', 'ptr', 'size'], 'ptr', (p, d, s, n) => {
    const len = n;
    const units = p.mem.wcslen(s, len);
    const out = new Uint8Array(2 * len);
    out.set(p.mem.readBytes(s, 2 * units));
    p.mem.writeBytes(d, out);
    return d;
  }),
  wcscat: fn(['ptr', 'ptr'], 'ptr', (p, d, s) => { p.mem.writeBytes(d + 2 * p.mem.wcslen(d), p.mem.readBytes(s, 2 * p.mem.wcslen(s) + 2)); return d; }),
  wcscmp: fn(['ptr', 'ptr'], 'i32', (p, a, b) => cmpWide(p, a, b, Infinity, false)),
  wcsncmp: fn(['ptr', 'ptr', 'size'], 'i32', (p, a, b, n) => cmpWide(p, a, b, n, false)),
  _wcsicmp: fn(['ptr', 'ptr'], 'i32', (p, a, b) => cmpWide(p, a, b, Infinity, true)),
  _wcsnicmp: fn(['ptr', 'ptr', 'size'], 'i32', (p, a, b, n) => cmpWide(p, a, b, n, true)),
  wcschr: fn(['ptr', 'u32'], 'ptr', (p, s, c) => findWide(p, s, c, false)),
  wcsrchr: fn(['ptr', 'u32'], 'ptr', (p, s, c) => findWide(p, s, c, true)),
  wcsstr: fn(['ptr', 'ptr'], 'ptr', (p, h, n) => {
    const i = p.mem.readWString(h).indexOf(p.mem.readWString(n));
    return i < 0 ? 0 : h + 2 * i;
  }),
  _wcsdup: fn(['ptr'], 'ptr', (p, s) => wcsdup(p, s)),
  wcscoll: fn(['ptr', 'ptr'], 'i32', (p, a, b) => cmpWide(p, a, b, Infinity, false)),
  wmemcpy: fn(['ptr', 'ptr', 'size'], 'ptr', (p, d, s, n) => memmove(p, d, s, 2 * n)),
  wmemmove: fn(['ptr', 'ptr', 'size'], 'ptr', (p, d, s, n) => memmove(p, d, s, 2 * n)),
  wmemset: fn(['ptr', 'u32', 'size'], 'ptr', (p, d, c, n) => { for (let i = 0; i < n; i++) p.mem.write16(d + 2 * i, c & 0xffff); return d; }),
};

export const stringData = {
  _pctype: (p: Process): number => { pctypeTable(p); return p.dllState('msvcrt.pctype', () => ({ table: 0, ptr: 0 })).ptr; },
};

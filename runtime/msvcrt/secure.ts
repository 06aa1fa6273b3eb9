// The bounds-checked "_s" functions of msvcrt.dll (Windows 7 and later).
//
// Invalid parameters: msvcrt.dll's default invalid parameter handler (unlike the one in
// msvcr80+ and the UCRT, which end the process with STATUS_INVALID_CRUNTIME_PARAMETER)
// only reports "Invalid parameter passed to C runtime function." to the debugger and
// returns; the function then sets errno and returns its documented error. wexe does the
// same, and shows the report under `--trace api` as a call of this function.
// (MinGW's _set_invalid_parameter_handler is a static emulation inside the program,
// so msvcrt.dll never sees a handler from it.)

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { crt, Errno } from './state.js';
import type { PrintfArgs } from './format/index.js';
import { argsFromVaList, argsFromVarArgs, format } from './formatted.js';
import { strerrorText } from './string.js';

const STRUNCATE = 80;
/** _TRUNCATE is (size_t)-1. */
const TRUNCATE = 0xffffffffffffffffn;

/** The default invalid parameter handler: nothing visible, the caller reports the error. */
function invalidParameter(p: Process, errno: number): number {
  crt(p).errno = errno;
  return errno;
}

/** One character unit of a narrow (1 byte) or wide (2 bytes) string. */
interface Units { size: number; get(a: number): number; set(a: number, v: number): void }
const narrow = (p: Process): Units => ({ size: 1, get: (a) => p.mem.read8(a), set: (a, v) => p.mem.write8(a, v) });
const wide = (p: Process): Units => ({ size: 2, get: (a) => p.mem.read16(a), set: (a, v) => p.mem.write16(a, v) });

/** Length of the string at `s`, looking at most `max` units; `max` when unterminated. */
function unitLength(u: Units, s: number, max: number): number {
  let n = 0;
  while (n < max && u.get(s + u.size * n) !== 0) n++;
  return n;
}

function copyUnits(u: Units, dst: number, src: number, n: number): void {
  for (let i = 0; i < n; i++) u.set(dst + u.size * i, u.get(src + u.size * i));
}

function strcpyS(p: Process, u: Units, dst: number, size: number, src: number): number {
  if (dst === 0 || size === 0) return invalidParameter(p, Errno.EINVAL);
  if (src === 0) { u.set(dst, 0); return invalidParameter(p, Errno.EINVAL); }
  const n = unitLength(u, src, Infinity);
  if (n + 1 > size) { u.set(dst, 0); return invalidParameter(p, Errno.ERANGE); }
  copyUnits(u, dst, src, n);
  u.set(dst + u.size * n, 0);
  return 0;
}

function strcatS(p: Process, u: Units, dst: number, size: number, src: number): number {
  if (dst === 0 || size === 0) return invalidParameter(p, Errno.EINVAL);
  if (src === 0) { u.set(dst, 0); return invalidParameter(p, Errno.EINVAL); }
  const end = unitLength(u, dst, size);
  if (end === size) { u.set(dst, 0); return invalidParameter(p, Errno.EINVAL); }
  const n = unitLength(u, src, Infinity);
  if (end + n + 1 > size) { u.set(dst, 0); return invalidParameter(p, Errno.ERANGE); }
  copyUnits(u, dst + u.size * end, src, n);
  u.set(dst + u.size * (end + n), 0);
  return 0;
}

/** strncpy_s / strncat_s: `append` selects strncat_s. */
function strncpyS(p: Process, u: Units, dst: number, size: number, src: number, count: bigint, append: boolean): number {
  if (count === 0n && dst === 0 && size === 0) return 0;
  if (dst === 0 || size === 0) return invalidParameter(p, Errno.EINVAL);
  let start = 0;
  if (append) {
    start = unitLength(u, dst, size);
    if (start === size) { u.set(dst, 0); return invalidParameter(p, Errno.EINVAL); }
  }
  if (count === 0n) { if (!append) u.set(dst, 0); return 0; }
  if (src === 0) { u.set(dst, 0); return invalidParameter(p, Errno.EINVAL); }
  const room = size - start - 1;
  if (count === TRUNCATE) {
    const n = unitLength(u, src, room + 1);
    if (n > room) {
      copyUnits(u, dst + u.size * start, src, room);
      u.set(dst + u.size * (size - 1), 0);
      return STRUNCATE;
    }
    copyUnits(u, dst + u.size * start, src, n);
    u.set(dst + u.size * (start + n), 0);
    return 0;
  }
  const n = unitLength(u, src, Number(count));
  if (n > room) { u.set(dst, 0); return invalidParameter(p, Errno.ERANGE); }
  copyUnits(u, dst + u.size * start, src, n);
  u.set(dst + u.size * (start + n), 0);
  return 0;
}

// ---- printf family ------------------------------------------------------------------------

function writeText(u: Units, buf: number, text: string, n: number): void {
  for (let i = 0; i < n; i++) u.set(buf + u.size * i, text.charCodeAt(i) & (u.size === 1 ? 0xff : 0xffff));
  u.set(buf + u.size * n, 0);
}

/** sprintf_s / vsprintf_s: the whole text must fit, else the buffer is emptied (ERANGE, -1). */
function sprintfS(p: Process, u: Units, buf: number, size: number, fmtPtr: number, args: PrintfArgs): number {
  if (fmtPtr === 0) { invalidParameter(p, Errno.EINVAL); return -1; }
  if (buf === 0 || size === 0) { invalidParameter(p, Errno.EINVAL); return -1; }
  const r = format(p, fmtPtr, args, u.size === 2);
  if (r.failed) { u.set(buf, 0); return -1; }
  if (r.text.length + 1 > size) { u.set(buf, 0); invalidParameter(p, Errno.ERANGE); return -1; }
  writeText(u, buf, r.text, r.text.length);
  return r.text.length;
}

/** _snprintf_s / _vsnprintf_s: at most `count` characters, or as many as fit with _TRUNCATE. */
function snprintfS(p: Process, u: Units, buf: number, size: number, count: bigint, fmtPtr: number, args: PrintfArgs): number {
  if (count === 0n && buf === 0 && size === 0) return 0;
  if (buf === 0 || size === 0) { invalidParameter(p, Errno.EINVAL); return -1; }
  if (fmtPtr === 0) { u.set(buf, 0); invalidParameter(p, Errno.EINVAL); return -1; }
  const r = format(p, fmtPtr, args, u.size === 2);
  if (r.failed) { u.set(buf, 0); return -1; }
  const len = r.text.length;
  if (count < BigInt(size)) {
    const c = Number(count);
    if (len <= c) { writeText(u, buf, r.text, len); return len; }
    writeText(u, buf, r.text, c);
    return -1;
  }
  if (len < size) { writeText(u, buf, r.text, len); return len; }
  if (count === TRUNCATE) { writeText(u, buf, r.text, size - 1); return -1; }
  u.set(buf, 0);
  invalidParameter(p, Errno.ERANGE);
  return -1;
}

// ---- memory ---------------------------------------------------------------------------------

function memcpyS(p: Process, dst: number, size: number, src: number, count: number, move: boolean): number {
  if (count === 0) return 0;
  if (dst === 0) return invalidParameter(p, Errno.EINVAL);
  if (src === 0) { if (!move) p.mem.fill(dst, 0, size); return invalidParameter(p, Errno.EINVAL); }
  if (size < count) { if (!move) p.mem.fill(dst, 0, size); return invalidParameter(p, Errno.ERANGE); }
  p.mem.writeBytes(dst, p.mem.readBytes(src, count));
  return 0;
}

// ---- numbers -------------------------------------------------------------------------------

function itoaS(p: Process, u: Units, value: bigint, buf: number, size: number, radix: number, bits: 32 | 64, signed: boolean): number {
  if (buf === 0 || size === 0) return invalidParameter(p, Errno.EINVAL);
  u.set(buf, 0);
  if (radix < 2 || radix > 36) return invalidParameter(p, Errno.EINVAL);
  const v = signed ? BigInt.asIntN(bits, value) : BigInt.asUintN(bits, value);
  const text = radix === 10 && v < 0n ? `-${(-v).toString(10)}` : BigInt.asUintN(bits, v).toString(radix);
  if (text.length + 1 > size) { u.set(buf, 0); return invalidParameter(p, Errno.ERANGE); }
  writeText(u, buf, text, text.length);
  return 0;
}

// ---- strerror, case, strtok ------------------------------------------------------------

function strerrorS(p: Process, u: Units, buf: number, size: number, text: string): number {
  if (buf === 0 || size === 0) return invalidParameter(p, Errno.EINVAL);
  writeText(u, buf, text, Math.min(text.length, size - 1));
  return 0;
}

function caseS(p: Process, u: Units, s: number, size: number, upper: boolean): number {
  if (s === 0) return invalidParameter(p, Errno.EINVAL);
  const n = unitLength(u, s, size);
  if (n === size) { if (size > 0) u.set(s, 0); return invalidParameter(p, Errno.EINVAL); }
  for (let i = 0; i < n; i++) {
    const c = u.get(s + u.size * i);
    if (upper && c >= 0x61 && c <= 0x7a) u.set(s + u.size * i, c - 32);
    if (!upper && c >= 0x41 && c <= 0x5a) u.set(s + u.size * i, c + 32);
  }
  return 0;
}

function strtokS(p: Process, u: Units, str: number, delim: number, ctx: number): number {
  if (ctx === 0 || delim === 0) { invalidParameter(p, Errno.EINVAL); return 0; }
  let cur = str !== 0 ? str : p.mem.readPtr(ctx);
  if (cur === 0) { invalidParameter(p, Errno.EINVAL); return 0; }
  const set = new Set<number>();
  for (let a = delim; u.get(a) !== 0; a += u.size) set.add(u.get(a));
  while (u.get(cur) !== 0 && set.has(u.get(cur))) cur += u.size;
  if (u.get(cur) === 0) { p.mem.writePtr(ctx, cur); return 0; }
  const start = cur;
  while (u.get(cur) !== 0 && !set.has(u.get(cur))) cur += u.size;
  if (u.get(cur) !== 0) { u.set(cur, 0); cur += u.size; }
  p.mem.writePtr(ctx, cur);
  return start;
}

const N = Number;

export const secureFunctions = {
  strcpy_s: fn(['ptr', 'u64', 'ptr'], 'i32', (p, d, n, s) => strcpyS(p, narrow(p), d, N(n), s)),
  wcscpy_s: fn(['ptr', 'u64', 'ptr'], 'i32', (p, d, n, s) => strcpyS(p, wide(p), d, N(n), s)),
  strcat_s: fn(['ptr', 'u64', 'ptr'], 'i32', (p, d, n, s) => strcatS(p, narrow(p), d, N(n), s)),
  wcscat_s: fn(['ptr', 'u64', 'ptr'], 'i32', (p, d, n, s) => strcatS(p, wide(p), d, N(n), s)),
  strncpy_s: fn(['ptr', 'u64', 'ptr', 'u64'], 'i32', (p, d, n, s, c) => strncpyS(p, narrow(p), d, N(n), s, c, false)),
  wcsncpy_s: fn(['ptr', 'u64', 'ptr', 'u64'], 'i32', (p, d, n, s, c) => strncpyS(p, wide(p), d, N(n), s, c, false)),
  strncat_s: fn(['ptr', 'u64', 'ptr', 'u64'], 'i32', (p, d, n, s, c) => strncpyS(p, narrow(p), d, N(n), s, c, true)),
  wcsncat_s: fn(['ptr', 'u64', 'ptr', 'u64'], 'i32', (p, d, n, s, c) => strncpyS(p, wide(p), d, N(n), s, c, true)),
  sprintf_s: fn(['ptr', 'u64', 'ptr', 'va'], 'i32', (p, b, n, f, va) => sprintfS(p, narrow(p), b, N(n), f, argsFromVarArgs(p, va))),
  vsprintf_s: fn(['ptr', 'u64', 'ptr', 'ptr'], 'i32', (p, b, n, f, l) => sprintfS(p, narrow(p), b, N(n), f, argsFromVaList(p, l))),
  swprintf_s: fn(['ptr', 'u64', 'ptr', 'va'], 'i32', (p, b, n, f, va) => sprintfS(p, wide(p), b, N(n), f, argsFromVarArgs(p, va))),
  vswprintf_s: fn(['ptr', 'u64', 'ptr', 'ptr'], 'i32', (p, b, n, f, l) => sprintfS(p, wide(p), b, N(n), f, argsFromVaList(p, l))),
  _snprintf_s: fn(['ptr', 'u64', 'u64', 'ptr', 'va'], 'i32', (p, b, n, c, f, va) => snprintfS(p, narrow(p), b, N(n), c, f, argsFromVarArgs(p, va))),
  _vsnprintf_s: fn(['ptr', 'u64', 'u64', 'ptr', 'ptr'], 'i32', (p, b, n, c, f, l) => snprintfS(p, narrow(p), b, N(n), c, f, argsFromVaList(p, l))),
  _snwprintf_s: fn(['ptr', 'u64', 'u64', 'ptr', 'va'], 'i32', (p, b, n, c, f, va) => snprintfS(p, wide(p), b, N(n), c, f, argsFromVarArgs(p, va))),
  _vsnwprintf_s: fn(['ptr', 'u64', 'u64', 'ptr', 'ptr'], 'i32', (p, b, n, c, f, l) => snprintfS(p, wide(p), b, N(n), c, f, argsFromVaList(p, l))),
  memcpy_s: fn(['ptr', 'u64', 'ptr', 'u64'], 'i32', (p, d, n, s, c) => memcpyS(p, d, N(n), s, N(c), false)),
  memmove_s: fn(['ptr', 'u64', 'ptr', 'u64'], 'i32', (p, d, n, s, c) => memcpyS(p, d, N(n), s, N(c), true)),
  _itoa_s: fn(['i32', 'ptr', 'u64', 'i32'], 'i32', (p, v, b, n, r) => itoaS(p, narrow(p), BigInt(v), b, N(n), r, 32, true)),
  _ltoa_s: fn(['i32', 'ptr', 'u64', 'i32'], 'i32', (p, v, b, n, r) => itoaS(p, narrow(p), BigInt(v), b, N(n), r, 32, true)),
  _ultoa_s: fn(['u32', 'ptr', 'u64', 'i32'], 'i32', (p, v, b, n, r) => itoaS(p, narrow(p), BigInt(v), b, N(n), r, 32, false)),
  _i64toa_s: fn(['i64', 'ptr', 'u64', 'i32'], 'i32', (p, v, b, n, r) => itoaS(p, narrow(p), v, b, N(n), r, 64, true)),
  _ui64toa_s: fn(['u64', 'ptr', 'u64', 'i32'], 'i32', (p, v, b, n, r) => itoaS(p, narrow(p), v, b, N(n), r, 64, false)),
  _itow_s: fn(['i32', 'ptr', 'u64', 'i32'], 'i32', (p, v, b, n, r) => itoaS(p, wide(p), BigInt(v), b, N(n), r, 32, true)),
  _ltow_s: fn(['i32', 'ptr', 'u64', 'i32'], 'i32', (p, v, b, n, r) => itoaS(p, wide(p), BigInt(v), b, N(n), r, 32, true)),
  _ultow_s: fn(['u32', 'ptr', 'u64', 'i32'], 'i32', (p, v, b, n, r) => itoaS(p, wide(p), BigInt(v), b, N(n), r, 32, false)),
  _i64tow_s: fn(['i64', 'ptr', 'u64', 'i32'], 'i32', (p, v, b, n, r) => itoaS(p, wide(p), v, b, N(n), r, 64, true)),
  _ui64tow_s: fn(['u64', 'ptr', 'u64', 'i32'], 'i32', (p, v, b, n, r) => itoaS(p, wide(p), v, b, N(n), r, 64, false)),
  strerror_s: fn(['ptr', 'u64', 'i32'], 'i32', (p, b, n, e) => strerrorS(p, narrow(p), b, N(n), strerrorText(e))),
  _wcserror_s: fn(['ptr', 'u64', 'i32'], 'i32', (p, b, n, e) => strerrorS(p, wide(p), b, N(n), strerrorText(e))),
  _strerror_s: fn(['ptr', 'u64', 'ptr'], 'i32', (p, b, n, prefix) => {
    const pre = prefix !== 0 && p.mem.read8(prefix) !== 0 ? `${p.mem.readCString(prefix)}: ` : '';
    return strerrorS(p, narrow(p), b, N(n), `${pre}${strerrorText(crt(p).errno)}\n`);
  }),
  _strlwr_s: fn(['ptr', 'u64'], 'i32', (p, s, n) => caseS(p, narrow(p), s, N(n), false)),
  _strupr_s: fn(['ptr', 'u64'], 'i32', (p, s, n) => caseS(p, narrow(p), s, N(n), true)),
  _wcslwr_s: fn(['ptr', 'u64'], 'i32', (p, s, n) => caseS(p, wide(p), s, N(n), false)),
  _wcsupr_s: fn(['ptr', 'u64'], 'i32', (p, s, n) => caseS(p, wide(p), s, N(n), true)),
  wcstok_s: fn(['ptr', 'ptr', 'ptr'], 'ptr', (p, s, d, ctx) => strtokS(p, wide(p), s, d, ctx)),
};

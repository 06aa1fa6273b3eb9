// More of msvcrt's stdio: the wide-character stream functions, perror, gets,
// _getw/_putw, tmpnam/_tempnam, _fsopen/_wfsopen, and _popen (which fails: wexe runs no
// child processes).
//
// Wide characters on a stream follow the fd's mode, as in msvcrt: on a text-mode
// stream each wide character is one multibyte character of the "C" locale (one byte,
// U+0000-U+00FF; anything above fails with EILSEQ); on a binary stream it is its two
// UTF-16LE bytes.

import { existsSync } from 'node:fs';
import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import type { Stream } from './state.js';
import { crt, Errno } from './state.js';
import { EOF, getByte, parseMode, streamOf, ungetByte, writeStream } from './stdio.js';
import { fdEntry, openFd, writeFd } from './lowio.js';
import { strerrorText } from './string.js';

const WEOF = 0xffff;
const SH_DENYRW = 0x10, SH_DENYWR = 0x20, SH_DENYRD = 0x30, SH_DENYNO = 0x40;

const stdoutOf = (p: Process): number => crt(p).iob + 48;
const stdinOf = (p: Process): number => crt(p).iob;

function isText(p: Process, s: Stream): boolean { return fdEntry(p, s.fd)?.text ?? false; }

function setError(p: Process, s: Stream, errno: number): void {
  s.error = true;
  crt(p).syncStruct(s);
  crt(p).errno = errno;
}

export function putWide(p: Process, s: Stream, c: number): number {
  c &= 0xffff;
  if (isText(p, s)) {
    if (c > 0xff) { setError(p, s, Errno.EILSEQ); return WEOF; }
    return writeStream(p, s, [c]) === 1 ? c : WEOF;
  }
  return writeStream(p, s, [c & 0xff, c >> 8]) === 2 ? c : WEOF;
}

export function getWide(p: Process, s: Stream): number {
  const lo = getByte(p, s);
  if (lo === EOF) return WEOF;
  if (isText(p, s)) return lo;
  const hi = getByte(p, s);
  if (hi === EOF) return WEOF;
  return lo | (hi << 8);
}

function ungetWide(p: Process, s: Stream, c: number): number {
  if ((c & 0xffff) === WEOF) return WEOF;
  c &= 0xffff;
  if (isText(p, s)) {
    if (c > 0xff) return WEOF;
    ungetByte(p, s, c);
  } else {
    ungetByte(p, s, c >> 8);
    ungetByte(p, s, c & 0xff);
  }
  return c;
}

function putWideString(p: Process, f: number, str: number): number {
  const s = streamOf(p, f);
  if (!s || str === 0) { crt(p).errno = Errno.EINVAL; return -1; }
  for (let a = str; ; a += 2) {
    const c = p.mem.read16(a);
    if (c === 0) return 0;
    if (putWide(p, s, c) === WEOF) return -1;
  }
}

function getWideString(p: Process, buf: number, n: number, f: number): number {
  const s = streamOf(p, f);
  if (!s || buf === 0 || n <= 0) { crt(p).errno = Errno.EINVAL; return 0; }
  const out: number[] = [];
  while (out.length < n - 1) {
    const c = getWide(p, s);
    if (c === WEOF) break;
    out.push(c);
    if (c === 10) break;
  }
  if (out.length === 0 && n > 1) return 0;
  for (let i = 0; i < out.length; i++) p.mem.write16(buf + 2 * i, out[i]!);
  p.mem.write16(buf + 2 * out.length, 0);
  return buf;
}

function withStream<T>(p: Process, f: number, bad: T, use: (s: Stream) => T): T {
  const s = streamOf(p, f);
  if (!s) { crt(p).errno = Errno.EINVAL; return bad; }
  return use(s);
}

// ---- perror, gets, _getw, _putw ------------------------------------------------------

/** perror writes straight to descriptor 2, as msvcrt does: "<msg>: <text>\n" or just the text. */
function perror(p: Process, msg: number): void {
  const prefix = msg !== 0 && p.mem.read8(msg) !== 0 ? `${p.mem.readCString(msg)}: ` : '';
  const text = `${prefix}${strerrorText(crt(p).errno)}\n`;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  writeFd(p, 2, bytes);
}

function gets(p: Process, buf: number): number {
  const s = streamOf(p, stdinOf(p))!;
  const out: number[] = [];
  let c = getByte(p, s);
  if (c === EOF) return 0;
  while (c !== EOF && c !== 10) { out.push(c); c = getByte(p, s); }
  out.push(0);
  p.mem.writeBytes(buf, Uint8Array.from(out));
  return buf;
}

function getw(p: Process, s: Stream): number {
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const c = getByte(p, s);
    if (c === EOF) return EOF;
    b.push(c);
  }
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) | 0;
}

function putw(p: Process, s: Stream, w: number): number {
  const bytes = [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff];
  return writeStream(p, s, bytes) === 4 ? w : EOF;
}

// ---- temporary names --------------------------------------------------------------------

function exists(p: Process, guestPath: string): boolean {
  const r = p.sandbox.resolve(guestPath);
  return r.kind === 'file' ? existsSync(r.hostPath) : r.kind === 'device';
}

/** tmpnam: "\s<pid in base 32>.<counter in base 32>", relative to the current drive's root. */
function tmpnam(p: Process, buf: number, wide: boolean): number {
  const state = p.dllState('msvcrt.tmpnam', () => ({ counter: 0, buffer: p.alloc(32, true), wbuffer: p.alloc(64, true) }));
  let name: string;
  do {
    state.counter++;
    name = `\\s${p.processId.toString(32)}.${state.counter.toString(32)}`;
  } while (exists(p, name) && state.counter < 0x7fff);
  const out = buf !== 0 ? buf : wide ? state.wbuffer : state.buffer;
  if (wide) p.mem.writeWString(out, name); else p.mem.writeCString(out, name);
  return out;
}

/** _tempnam: TMP when it exists, else `dir` when it exists, else the root; then prefix + a number. */
function tempnam(p: Process, dir: string | null, prefix: string | null, wide: boolean): number {
  const tmp = p.getEnv('TMP');
  let base: string;
  if (tmp !== undefined && tmp !== '' && exists(p, tmp)) base = tmp;
  else if (dir !== null && dir !== '' && exists(p, dir)) base = dir;
  else base = '\\';
  if (!/[\\/]$/.test(base)) base += '\\';
  const state = p.dllState('msvcrt.tempnam', () => ({ counter: 0 }));
  let name: string;
  do {
    state.counter++;
    name = `${base}${prefix ?? ''}${state.counter}`;
  } while (exists(p, name) && state.counter < 0x7fffffff);
  const size = wide ? 2 * name.length + 2 : name.length + 1;
  const a = p.processHeap.alloc(size);
  if (a === undefined) { crt(p).errno = Errno.ENOMEM; return 0; }
  if (wide) p.mem.writeWString(a, name); else p.mem.writeCString(a, name);
  return a;
}

// ---- _fsopen, _popen ------------------------------------------------------------------------

/** The FILE_SHARE_* bits of a _SH_* sharing flag. */
function shareBits(shflag: number): number | undefined {
  switch (shflag) {
    case SH_DENYRW: return 0;
    case SH_DENYWR: return 1;
    case SH_DENYRD: return 2;
    case SH_DENYNO: return 3;
    default: return undefined;
  }
}

function fsopen(p: Process, path: string | null, mode: string | null, shflag: number): number {
  const c = crt(p);
  const m = parseMode(mode ?? '');
  const share = shareBits(shflag);
  if (path === null || !m || share === undefined) { c.errno = Errno.EINVAL; return 0; }
  const fd = openFd(p, path, m.oflag, share);
  if (fd < 0) return 0;
  return c.makeStream(c.allocFileStruct(), fd, m.canRead, m.canWrite).addr;
}

function popen(p: Process, command: string | null, mode: string | null): number {
  const c = crt(p);
  if (command === null || mode === null || !/^[rw][tb]?$/.test(mode)) { c.errno = Errno.EINVAL; return 0; }
  const noted = p.dllState('msvcrt.popenNoted', () => ({ done: false }));
  if (!noted.done) {
    noted.done = true;
    p.host.write(2, new TextEncoder().encode(`wexe: _popen("${command}") fails: wexe does not run child processes\n`));
  }
  c.errno = Errno.ENOENT;
  return 0;
}

export const stdioExtraFunctions = {
  fputwc: fn(['u32', 'ptr'], 'u32', (p, c, f) => withStream(p, f, WEOF, (s) => putWide(p, s, c))),
  putwc: fn(['u32', 'ptr'], 'u32', (p, c, f) => withStream(p, f, WEOF, (s) => putWide(p, s, c))),
  putwchar: fn(['u32'], 'u32', (p, c) => putWide(p, streamOf(p, stdoutOf(p))!, c)),
  _fputwchar: fn(['u32'], 'u32', (p, c) => putWide(p, streamOf(p, stdoutOf(p))!, c)),
  fputws: fn(['ptr', 'ptr'], 'i32', (p, str, f) => putWideString(p, f, str)),
  _putws: fn(['ptr'], 'i32', (p, str) => {
    if (putWideString(p, stdoutOf(p), str) < 0) return -1;
    return putWide(p, streamOf(p, stdoutOf(p))!, 10) === WEOF ? -1 : 0;
  }),
  fgetwc: fn(['ptr'], 'u32', (p, f) => withStream(p, f, WEOF, (s) => getWide(p, s))),
  getwc: fn(['ptr'], 'u32', (p, f) => withStream(p, f, WEOF, (s) => getWide(p, s))),
  getwchar: fn([], 'u32', (p) => getWide(p, streamOf(p, stdinOf(p))!)),
  _fgetwchar: fn([], 'u32', (p) => getWide(p, streamOf(p, stdinOf(p))!)),
  ungetwc: fn(['u32', 'ptr'], 'u32', (p, c, f) => withStream(p, f, WEOF, (s) => ungetWide(p, s, c))),
  fgetws: fn(['ptr', 'i32', 'ptr'], 'ptr', (p, buf, n, f) => getWideString(p, buf, n, f)),
  perror: fn(['ptr'], 'void', (p, msg) => perror(p, msg)),
  gets: fn(['ptr'], 'ptr', (p, buf) => gets(p, buf)),
  _getw: fn(['ptr'], 'i32', (p, f) => withStream(p, f, EOF, (s) => getw(p, s))),
  _putw: fn(['i32', 'ptr'], 'i32', (p, w, f) => withStream(p, f, EOF, (s) => putw(p, s, w))),
  tmpnam: fn(['ptr'], 'ptr', (p, buf) => tmpnam(p, buf, false)),
  _wtmpnam: fn(['ptr'], 'ptr', (p, buf) => tmpnam(p, buf, true)),
  _tempnam: fn(['str', 'str'], 'ptr', (p, dir, prefix) => tempnam(p, dir, prefix, false)),
  _wtempnam: fn(['wstr', 'wstr'], 'ptr', (p, dir, prefix) => tempnam(p, dir, prefix, true)),
  _fsopen: fn(['str', 'str', 'i32'], 'ptr', (p, path, mode, sh) => fsopen(p, path, mode, sh)),
  _wfsopen: fn(['wstr', 'wstr', 'i32'], 'ptr', (p, path, mode, sh) => fsopen(p, path, mode, sh)),
  _popen: fn(['str', 'str'], 'ptr', (p, cmd, mode) => popen(p, cmd, mode)),
  _wpopen: fn(['wstr', 'wstr'], 'ptr', (p, cmd, mode) => popen(p, cmd, mode)),
  _pclose: fn(['ptr'], 'i32', (p) => { crt(p).errno = Errno.EINVAL; return -1; }),
};

// msvcrt stdio streams (FILE*): buffering, the read/write switching rules, ungetc.
// The FILE structs live in guest memory (programs hold pointers to them, stdin is
// &_iob[0]); the buffers are on the JavaScript side.

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { crt, Errno, O_APPEND, O_BINARY, O_CREAT, O_RDWR, O_TEXT, O_TRUNC, O_WRONLY } from './state.js';
import type { Stream } from './state.js';
import { closeFd, fdEntry, openFd, readFd, seekFd, writeFd } from './lowio.js';
import { existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { win32ToErrno } from './lowio.js';
import { sandboxErrorCode } from '../io.js';

export const EOF = -1;

export function streamOf(p: Process, addr: number): Stream | undefined {
  return crt(p).streams.get(addr);
}

/** Hands buffered output to the fd layer. Returns false on a write error. */
export function flushStream(p: Process, s: Stream): boolean {
  if (s.out.length === 0) return true;
  const data = Uint8Array.from(s.out);
  s.out.length = 0;
  if (writeFd(p, s.fd, data) < 0) { s.error = true; crt(p).syncStruct(s); return false; }
  return true;
}

/** Discards read-ahead, moving the fd position back to the logical stream position. */
function dropReadAhead(p: Process, s: Stream): void {
  const unread = s.inBuf.length - s.inPos + s.pushback.length;
  if (unread > 0 && !fdEntry(p, s.fd)?.isDevice) {
    const e = fdEntry(p, s.fd)!;
    if (!e.text) seekFd(p, s.fd, -unread, 1);
    else {
      // Text mode: read-ahead was translated; recompute by counting LFs (each was CR LF on disk).
      let raw = 0;
      for (let i = s.inPos; i < s.inBuf.length; i++) raw += s.inBuf[i] === 10 ? 2 : 1;
      seekFd(p, s.fd, -raw - s.pushback.length, 1);
    }
  }
  s.inBuf = new Uint8Array(0);
  s.inPos = 0;
  s.pushback.length = 0;
}

export function writeStream(p: Process, s: Stream, bytes: Uint8Array | number[]): number {
  if (!s.canWrite) { s.error = true; crt(p).syncStruct(s); crt(p).errno = Errno.EBADF; return 0; }
  if (s.lastOp === 'read') dropReadAhead(p, s);
  s.lastOp = 'write';
  for (const b of bytes) s.out.push(b);
  if (s.bufMode === 2 || s.out.length >= s.bufSize) {
    if (!flushStream(p, s)) return 0;
  }
  return bytes.length;
}

/** Next byte or EOF, refilling from the fd layer. */
export function getByte(p: Process, s: Stream): number {
  if (s.pushback.length > 0) return s.pushback.pop()!;
  if (s.inPos < s.inBuf.length) return s.inBuf[s.inPos++]!;
  if (!s.canRead) { s.error = true; crt(p).syncStruct(s); return EOF; }
  if (s.eof) return EOF;
  if (s.lastOp === 'write') flushStream(p, s);
  // Reading stdin flushes stdout first, as msvcrt does for interactive use.
  if (s.fd === 0) { const out = streamOf(p, crt(p).iob + 48); if (out) flushStream(p, out); }
  s.lastOp = 'read';
  const data = readFd(p, s.fd, s.bufMode === 2 ? 1 : s.bufSize);
  if (data === undefined) { s.error = true; crt(p).syncStruct(s); return EOF; }
  if (data.length === 0) { s.eof = true; crt(p).syncStruct(s); return EOF; }
  s.inBuf = data;
  s.inPos = 1;
  return data[0]!;
}

export function ungetByte(p: Process, s: Stream, c: number): number {
  if (c === EOF) return EOF;
  s.pushback.push(c & 0xff);
  s.eof = false;
  crt(p).syncStruct(s);
  return c & 0xff;
}

/** fopen's mode string to _open flags. */
export function parseMode(mode: string): { oflag: number; canRead: boolean; canWrite: boolean } | undefined {
  let oflag: number;
  let canRead = false;
  let canWrite = false;
  switch (mode[0]) {
    case 'r': oflag = 0; canRead = true; break;
    case 'w': oflag = O_WRONLY | O_CREAT | O_TRUNC; canWrite = true; break;
    case 'a': oflag = O_WRONLY | O_CREAT | O_APPEND; canWrite = true; break;
    default: return undefined;
  }
  for (const c of mode.slice(1)) {
    if (c === '+') { oflag = (oflag & ~O_WRONLY) | O_RDWR; canRead = true; canWrite = true; }
    else if (c === 'b') oflag |= O_BINARY;
    else if (c === 't') oflag |= O_TEXT;
    else if (c === ',') break; // ccs=... encodings: not supported, treated as text
  }
  return { oflag, canRead, canWrite };
}

export function fopen(p: Process, path: string | null, mode: string | null): number {
  const c = crt(p);
  if (path === null || mode === null) { c.errno = Errno.EINVAL; return 0; }
  const m = parseMode(mode);
  if (!m) { c.errno = Errno.EINVAL; return 0; }
  const fd = openFd(p, path, m.oflag);
  if (fd < 0) return 0;
  const s = c.makeStream(c.allocFileStruct(), fd, m.canRead, m.canWrite);
  return s.addr;
}

export function fclose(p: Process, addr: number): number {
  const c = crt(p);
  const s = streamOf(p, addr);
  if (!s) { c.errno = Errno.EINVAL; return EOF; }
  const ok = flushStream(p, s);
  c.streams.delete(addr);
  const r = closeFd(p, s.fd);
  p.mem.fill(addr, 0, 48);
  if (s.tmpPath) removeFile(p, s.tmpPath);
  return ok && r === 0 ? 0 : EOF;
}

export function flushAll(p: Process): number {
  let n = 0;
  for (const s of crt(p).streams.values()) if (s.out.length > 0) { flushStream(p, s); n++; }
  return n;
}

function fread(p: Process, buf: number, size: number, count: number, addr: number): number {
  const s = streamOf(p, addr);
  if (!s) { crt(p).errno = Errno.EINVAL; return 0; }
  const total = size * count;
  if (total === 0) return 0;
  const out = new Uint8Array(total);
  let n = 0;
  while (n < total) {
    const b = getByte(p, s);
    if (b === EOF) break;
    out[n++] = b;
  }
  p.mem.writeBytes(buf, out.subarray(0, n));
  return Math.floor(n / size);
}

function fwrite(p: Process, buf: number, size: number, count: number, addr: number): number {
  const s = streamOf(p, addr);
  if (!s) { crt(p).errno = Errno.EINVAL; return 0; }
  const total = size * count;
  if (total === 0) return 0;
  const n = writeStream(p, s, p.mem.readBytes(buf, total));
  return n === total ? count : Math.floor(n / size);
}

function fgets(p: Process, buf: number, n: number, addr: number): number {
  const s = streamOf(p, addr);
  if (!s || n <= 0) return 0;
  const out: number[] = [];
  while (out.length < n - 1) {
    const b = getByte(p, s);
    if (b === EOF) break;
    out.push(b);
    if (b === 10) break;
  }
  if (out.length === 0) return 0;
  out.push(0);
  p.mem.writeBytes(buf, Uint8Array.from(out));
  return buf;
}

function fseek(p: Process, addr: number, offset: number, whence: number): number {
  const s = streamOf(p, addr);
  if (!s || whence < 0 || whence > 2) { crt(p).errno = Errno.EINVAL; return -1; }
  flushStream(p, s);
  if (whence === 1) offset -= unreadCount(p, s);
  s.inBuf = new Uint8Array(0);
  s.inPos = 0;
  s.pushback.length = 0;
  s.eof = false;
  s.lastOp = 'none';
  crt(p).syncStruct(s);
  return seekFd(p, s.fd, offset, whence) < 0 ? -1 : 0;
}

/** Bytes read ahead but not consumed, in fd-position units (CR LF counts 2 in text mode). */
function unreadCount(p: Process, s: Stream): number {
  const text = fdEntry(p, s.fd)?.text ?? false;
  let n = s.pushback.length;
  for (let i = s.inPos; i < s.inBuf.length; i++) n += text && s.inBuf[i] === 10 ? 2 : 1;
  return n;
}

function ftell(p: Process, addr: number): number {
  const s = streamOf(p, addr);
  if (!s) { crt(p).errno = Errno.EINVAL; return -1; }
  const pos = seekFd(p, s.fd, 0, 1);
  if (pos < 0) return -1;
  const text = fdEntry(p, s.fd)?.text ?? false;
  let pending = 0;
  for (const b of s.out) pending += text && b === 10 ? 2 : 1;
  return pos - unreadCount(p, s) + pending;
}

function tmpfile(p: Process): number {
  const c = crt(p);
  const name = `C:\\TEMP\\wexe-tmp-${c.streams.size}-${Math.floor(p.host.now())}.tmp`;
  const dir = p.sandbox.resolve('C:\\TEMP');
  if (dir.kind === 'file' && !existsSync(dir.hostPath)) mkdirSync(dir.hostPath, { recursive: true });
  const fd = openFd(p, name, O_RDWR | O_CREAT | O_TRUNC | O_BINARY);
  if (fd < 0) return 0;
  const s = c.makeStream(c.allocFileStruct(), fd, true, true);
  s.tmpPath = name;
  return s.addr;
}

export const stdioFunctions = {
  __iob_func: fn([], 'ptr', (p) => crt(p).iob),
  __acrt_iob_func: fn(['u32'], 'ptr', (p, i) => crt(p).iob + 48 * i),
  fopen: fn(['str', 'str'], 'ptr', (p, path, mode) => fopen(p, path, mode)),
  _wfopen: fn(['wstr', 'wstr'], 'ptr', (p, path, mode) => fopen(p, path, mode)),
  fopen_s: fn(['ptr', 'str', 'str'], 'i32', (p, out, path, mode) => {
    const f = fopen(p, path, mode);
    p.mem.writePtr(out, f);
    return f ? 0 : crt(p).errno;
  }),
  _fdopen: fn(['i32', 'str'], 'ptr', (p, fd, mode) => {
    const m = parseMode(mode ?? '');
    if (!m || !fdEntry(p, fd)) { crt(p).errno = Errno.EINVAL; return 0; }
    return crt(p).makeStream(crt(p).allocFileStruct(), fd, m.canRead, m.canWrite).addr;
  }),
  freopen: fn(['str', 'str', 'ptr'], 'ptr', (p, path, mode, addr) => {
    const old = streamOf(p, addr);
    if (old) fclose(p, addr);
    const m = parseMode(mode ?? '');
    if (!m || path === null) return 0;
    const fd = openFd(p, path, m.oflag);
    if (fd < 0) return 0;
    return crt(p).makeStream(addr, fd, m.canRead, m.canWrite).addr;
  }),
  fclose: fn(['ptr'], 'i32', (p, f) => fclose(p, f)),
  _fcloseall: fn([], 'i32', (p) => {
    let n = 0;
    for (const a of [...crt(p).streams.keys()]) if (a >= crt(p).iob + 3 * 48 || a < crt(p).iob) { fclose(p, a); n++; }
    return n;
  }),
  fflush: fn(['ptr'], 'i32', (p, f) => {
    if (f === 0) { flushAll(p); return 0; }
    const s = streamOf(p, f);
    if (!s) return EOF;
    return flushStream(p, s) ? 0 : EOF;
  }),
  _flushall: fn([], 'i32', (p) => flushAll(p)),
  fread: fn(['ptr', 'u64', 'u64', 'ptr'], 'u64', (p, buf, size, count, f) => BigInt(fread(p, buf, Number(size), Number(count), f))),
  fwrite: fn(['ptr', 'u64', 'u64', 'ptr'], 'u64', (p, buf, size, count, f) => BigInt(fwrite(p, buf, Number(size), Number(count), f))),
  fgetc: fn(['ptr'], 'i32', (p, f) => { const s = streamOf(p, f); return s ? getByte(p, s) : EOF; }),
  getc: fn(['ptr'], 'i32', (p, f) => { const s = streamOf(p, f); return s ? getByte(p, s) : EOF; }),
  _fgetchar: fn([], 'i32', (p) => getByte(p, streamOf(p, crt(p).iob)!)),
  getchar: fn([], 'i32', (p) => getByte(p, streamOf(p, crt(p).iob)!)),
  ungetc: fn(['i32', 'ptr'], 'i32', (p, c, f) => { const s = streamOf(p, f); return s ? ungetByte(p, s, c) : EOF; }),
  fputc: fn(['i32', 'ptr'], 'i32', (p, c, f) => { const s = streamOf(p, f); return s && writeStream(p, s, [c & 0xff]) === 1 ? c & 0xff : EOF; }),
  putc: fn(['i32', 'ptr'], 'i32', (p, c, f) => { const s = streamOf(p, f); return s && writeStream(p, s, [c & 0xff]) === 1 ? c & 0xff : EOF; }),
  _fputchar: fn(['i32'], 'i32', (p, c) => (writeStream(p, streamOf(p, crt(p).iob + 48)!, [c & 0xff]) === 1 ? c & 0xff : EOF)),
  putchar: fn(['i32'], 'i32', (p, c) => (writeStream(p, streamOf(p, crt(p).iob + 48)!, [c & 0xff]) === 1 ? c & 0xff : EOF)),
  fgets: fn(['ptr', 'i32', 'ptr'], 'ptr', (p, buf, n, f) => fgets(p, buf, n, f)),
  fputs: fn(['ptr', 'ptr'], 'i32', (p, str, f) => {
    const s = streamOf(p, f);
    if (!s) return EOF;
    const bytes = p.mem.readBytes(str, p.mem.strlen(str));
    return writeStream(p, s, bytes) === bytes.length ? 0 : EOF;
  }),
  puts: fn(['ptr'], 'i32', (p, str) => {
    const s = streamOf(p, crt(p).iob + 48)!;
    const bytes = p.mem.readBytes(str, p.mem.strlen(str));
    return writeStream(p, s, [...bytes, 10]) === bytes.length + 1 ? 0 : EOF;
  }),
  fseek: fn(['ptr', 'i32', 'i32'], 'i32', (p, f, off, whence) => fseek(p, f, off, whence)),
  _fseeki64: fn(['ptr', 'i64', 'i32'], 'i32', (p, f, off, whence) => fseek(p, f, Number(off), whence)),
  fseeko64: fn(['ptr', 'i64', 'i32'], 'i32', (p, f, off, whence) => fseek(p, f, Number(off), whence)),
  ftell: fn(['ptr'], 'i32', (p, f) => ftell(p, f)),
  _ftelli64: fn(['ptr'], 'i64', (p, f) => BigInt(ftell(p, f))),
  ftello64: fn(['ptr'], 'i64', (p, f) => BigInt(ftell(p, f))),
  fgetpos: fn(['ptr', 'ptr'], 'i32', (p, f, pos) => { const v = ftell(p, f); if (v < 0) return -1; p.mem.write64(pos, BigInt(v)); return 0; }),
  fsetpos: fn(['ptr', 'ptr'], 'i32', (p, f, pos) => fseek(p, f, Number(p.mem.read64(pos)), 0)),
  rewind: fn(['ptr'], 'void', (p, f) => {
    fseek(p, f, 0, 0);
    const s = streamOf(p, f);
    if (s) { s.error = false; crt(p).syncStruct(s); }
  }),
  feof: fn(['ptr'], 'i32', (p, f) => (streamOf(p, f)?.eof ? 0x10 : 0)),
  ferror: fn(['ptr'], 'i32', (p, f) => (streamOf(p, f)?.error ? 0x20 : 0)),
  clearerr: fn(['ptr'], 'void', (p, f) => {
    const s = streamOf(p, f);
    if (s) { s.eof = false; s.error = false; crt(p).syncStruct(s); }
  }),
  _fileno: fn(['ptr'], 'i32', (p, f) => streamOf(p, f)?.fd ?? -1),
  fileno: fn(['ptr'], 'i32', (p, f) => streamOf(p, f)?.fd ?? -1),
  setvbuf: fn(['ptr', 'ptr', 'i32', 'u64'], 'i32', (p, f, _buf, mode, size) => {
    const s = streamOf(p, f);
    if (!s || mode < 0 || mode > 0x40 || (mode !== 0 && mode !== 0x40 && mode !== 4 && mode !== 0x80)) return -1;
    flushStream(p, s);
    // _IOFBF 0, _IOLBF 0x40 (msvcrt buffers it fully), _IONBF 4.
    s.bufMode = mode === 4 ? 2 : 0;
    if (size > 0n && mode !== 4) s.bufSize = Math.max(2, Math.min(Number(size), 1 << 20));
    return 0;
  }),
  setbuf: fn(['ptr', 'ptr'], 'void', (p, f, buf) => {
    const s = streamOf(p, f);
    if (!s) return;
    flushStream(p, s);
    s.bufMode = buf === 0 ? 2 : 0;
    s.bufSize = 512;
  }),
  tmpfile: fn([], 'ptr', (p) => tmpfile(p)),
  remove: fn(['str'], 'i32', (p, path) => removeFile(p, path)),
  _unlink: fn(['str'], 'i32', (p, path) => removeFile(p, path)),
  _wremove: fn(['wstr'], 'i32', (p, path) => removeFile(p, path)),
  rename: fn(['str', 'str'], 'i32', (p, a, b) => renameFile(p, a, b)),
  _wrename: fn(['wstr', 'wstr'], 'i32', (p, a, b) => renameFile(p, a, b)),
};


function removeFile(p: Process, path: string | null): number {
  const c = crt(p);
  if (path === null) { c.errno = Errno.EINVAL; return -1; }
  const r = p.sandbox.resolve(path);
  if (r.kind !== 'file') { c.errno = r.kind === 'error' ? win32ToErrno(sandboxErrorCode(r.error)) : Errno.EACCES; return -1; }
  try {
    const st = statSync(r.hostPath);
    if (r.readOnly || st.isDirectory() || (st.mode & 0o200) === 0) { c.errno = Errno.EACCES; return -1; }
    unlinkSync(r.hostPath);
    return 0;
  } catch { c.errno = Errno.ENOENT; return -1; }
}

function renameFile(p: Process, a: string | null, b: string | null): number {
  const c = crt(p);
  if (a === null || b === null) { c.errno = Errno.EINVAL; return -1; }
  const ra = p.sandbox.resolve(a);
  const rb = p.sandbox.resolve(b);
  if (ra.kind !== 'file' || rb.kind !== 'file' || ra.readOnly || rb.readOnly) { c.errno = Errno.EACCES; return -1; }
  if (!existsSync(ra.hostPath)) { c.errno = Errno.ENOENT; return -1; }
  if (existsSync(rb.hostPath)) { c.errno = Errno.EACCES; return -1; } // msvcrt's rename never replaces
  try { renameSync(ra.hostPath, rb.hostPath); return 0; } catch { c.errno = Errno.EACCES; return -1; }
}

// msvcrt low-level I/O (_open, _read, _write, _lseek, _close) over Win32 handles,
// with text-mode translation: LF -> CR LF on write; CR LF -> LF and Ctrl-Z as end of
// file on read, exactly where msvcrt does it (in the fd layer, below stdio).

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { closeHandle, Disposition, fileType, GENERIC_READ, GENERIC_WRITE, openFile, readHandle, seekHandle, writeHandle } from '../io.js';
import { Win32Error } from '../kernel32/errors.js';
import { crt, Errno, O_APPEND, O_BINARY, O_CREAT, O_EXCL, O_RDWR, O_TEXT, O_TRUNC, O_WRONLY } from './state.js';
import type { FdEntry } from './state.js';

export function win32ToErrno(e: number): number {
  switch (e) {
    case Win32Error.FILE_NOT_FOUND: case Win32Error.PATH_NOT_FOUND: case Win32Error.INVALID_NAME: case Win32Error.BAD_NETPATH: return Errno.ENOENT;
    case Win32Error.ACCESS_DENIED: case Win32Error.SHARING_VIOLATION: return Errno.EACCES;
    case Win32Error.FILE_EXISTS: case Win32Error.ALREADY_EXISTS: return Errno.EEXIST;
    case Win32Error.INVALID_HANDLE: return Errno.EBADF;
    case Win32Error.TOO_MANY_OPEN_FILES: return Errno.EMFILE;
    case Win32Error.NOT_ENOUGH_MEMORY: return Errno.ENOMEM;
    case Win32Error.NEGATIVE_SEEK: return Errno.EINVAL;
    case Win32Error.DIR_NOT_EMPTY: return Errno.EACCES;
    default: return Errno.EINVAL;
  }
}

function setError(p: Process, win32: number): void {
  const c = crt(p);
  c.errno = win32ToErrno(win32);
  p.mem.write32(c.doserrnoAddr, win32);
}

export function fdEntry(p: Process, fd: number): FdEntry | undefined {
  return fd >= 0 ? crt(p).fds[fd] : undefined;
}

/** _open's flags to CreateFile's access and disposition; `share` is CreateFile's FILE_SHARE_* bits. */
export function openFd(p: Process, path: string, oflag: number, share = 3): number {
  const c = crt(p);
  const access = (oflag & O_RDWR) ? GENERIC_READ | GENERIC_WRITE : (oflag & O_WRONLY) ? GENERIC_WRITE : GENERIC_READ;
  let disp: number;
  if (oflag & O_CREAT) disp = (oflag & O_EXCL) ? Disposition.CreateNew : (oflag & O_TRUNC) ? Disposition.CreateAlways : Disposition.OpenAlways;
  else disp = (oflag & O_TRUNC) ? Disposition.TruncateExisting : Disposition.OpenExisting;
  const r = openFile(p, path, access, disp, 0, share);
  if (!r.ok) { setError(p, r.error); return -1; }
  const text = (oflag & O_BINARY) ? false : (oflag & O_TEXT) ? true : c.fmode !== O_BINARY;
  const fd = c.allocFd({ handle: r.value, text, append: (oflag & O_APPEND) !== 0, pendingCR: false, eof: false, isDevice: fileType(p, r.value) !== 1 });
  if (fd < 0) { closeHandle(p, r.value); c.errno = Errno.EMFILE; return -1; }
  return fd;
}

/** Writes with text translation; returns the count of caller bytes written or -1. */
export function writeFd(p: Process, fd: number, data: Uint8Array): number {
  const e = fdEntry(p, fd);
  if (!e) { crt(p).errno = Errno.EBADF; return -1; }
  if (e.append) seekHandle(p, e.handle, 0, 2);
  let bytes = data;
  if (e.text) {
    let lf = 0;
    for (const b of data) if (b === 10) lf++;
    if (lf > 0) {
      bytes = new Uint8Array(data.length + lf);
      let j = 0;
      for (const b of data) { if (b === 10) bytes[j++] = 13; bytes[j++] = b; }
    }
  }
  const r = writeHandle(p, e.handle, bytes);
  if (!r.ok) { setError(p, r.error); return -1; }
  return data.length;
}

/** Reads up to n bytes with text translation; returns the bytes, or undefined on error. */
export function readFd(p: Process, fd: number, n: number): Uint8Array | undefined {
  const e = fdEntry(p, fd);
  if (!e) { crt(p).errno = Errno.EBADF; return undefined; }
  if (n === 0 || e.eof) return new Uint8Array(0);
  if (!e.text) {
    const r = readHandle(p, e.handle, n);
    if (!r.ok) { if (r.error === Win32Error.BROKEN_PIPE) return new Uint8Array(0); setError(p, r.error); return undefined; }
    return r.value;
  }
  const out: number[] = [];
  while (out.length === 0) {
    const r = readHandle(p, e.handle, n);
    if (!r.ok) { if (r.error === Win32Error.BROKEN_PIPE) break; setError(p, r.error); return undefined; }
    const raw = r.value;
    if (raw.length === 0) {
      if (e.pendingCR) { out.push(13); e.pendingCR = false; }
      break;
    }
    let i = 0;
    if (e.pendingCR) {
      e.pendingCR = false;
      if (raw[0] === 10) { out.push(10); i = 1; } else out.push(13);
    }
    for (; i < raw.length; i++) {
      const b = raw[i]!;
      if (b === 0x1a) { e.eof = true; break; } // Ctrl-Z ends a text-mode file
      if (b === 13) {
        if (i + 1 < raw.length) { if (raw[i + 1] === 10) { out.push(10); i++; } else out.push(13); }
        else e.pendingCR = true;
      } else out.push(b);
    }
    if (e.eof) break;
  }
  return Uint8Array.from(out);
}

export function closeFd(p: Process, fd: number): number {
  const c = crt(p);
  const e = fdEntry(p, fd);
  if (!e) { c.errno = Errno.EBADF; return -1; }
  c.fds[fd] = undefined;
  if (fd > 2) closeHandle(p, e.handle);
  return 0;
}

export function seekFd(p: Process, fd: number, offset: number, whence: number): number {
  const e = fdEntry(p, fd);
  if (!e) { crt(p).errno = Errno.EBADF; return -1; }
  const r = seekHandle(p, e.handle, offset, whence);
  if (!r.ok) { setError(p, r.error); return -1; }
  e.eof = false;
  e.pendingCR = false;
  return r.value;
}

function setmode(p: Process, fd: number, mode: number): number {
  const e = fdEntry(p, fd);
  if (!e) { crt(p).errno = Errno.EBADF; return -1; }
  const old = e.text ? O_TEXT : O_BINARY;
  if (mode !== O_TEXT && mode !== O_BINARY && mode !== 0x10000 && mode !== 0x20000 && mode !== 0x40000) { crt(p).errno = Errno.EINVAL; return -1; }
  e.text = mode !== O_BINARY;
  return old;
}

export const lowioFunctions = {
  _open: fn(['str', 'i32', 'i32'], 'i32', (p, path, oflag) => (path === null ? -1 : openFd(p, path, oflag))),
  _wopen: fn(['wstr', 'i32', 'i32'], 'i32', (p, path, oflag) => (path === null ? -1 : openFd(p, path, oflag))),
  _read: fn(['i32', 'ptr', 'u32'], 'i32', (p, fd, buf, n) => {
    const r = readFd(p, fd, n);
    if (!r) return -1;
    p.mem.writeBytes(buf, r);
    return r.length;
  }),
  _write: fn(['i32', 'ptr', 'u32'], 'i32', (p, fd, buf, n) => writeFd(p, fd, p.mem.readBytes(buf, n))),
  _close: fn(['i32'], 'i32', (p, fd) => closeFd(p, fd)),
  _lseek: fn(['i32', 'i32', 'i32'], 'i32', (p, fd, off, whence) => seekFd(p, fd, off, whence)),
  _lseeki64: fn(['i32', 'i64', 'i32'], 'i64', (p, fd, off, whence) => BigInt(seekFd(p, fd, Number(off), whence))),
  _setmode: fn(['i32', 'i32'], 'i32', (p, fd, mode) => setmode(p, fd, mode)),
  _isatty: fn(['i32'], 'i32', (p, fd) => {
    const e = fdEntry(p, fd);
    return e && fileType(p, e.handle) === 2 ? 0x40 : 0;
  }),
  _get_osfhandle: fn(['i32'], 'handle', (p, fd) => {
    const e = fdEntry(p, fd);
    if (!e) { crt(p).errno = Errno.EBADF; return -1; }
    return e.handle;
  }),
  _open_osfhandle: fn(['handle', 'i32'], 'i32', (p, h, flags) =>
    crt(p).allocFd({ handle: h, text: (flags & O_BINARY) === 0 && (flags & O_TEXT) !== 0, append: (flags & O_APPEND) !== 0, pendingCR: false, eof: false, isDevice: fileType(p, h) !== 1 })),
  _commit: fn(['i32'], 'i32', (p, fd) => (fdEntry(p, fd) ? 0 : -1)),
  _eof: fn(['i32'], 'i32', (p, fd) => {
    const e = fdEntry(p, fd);
    if (!e) { crt(p).errno = Errno.EBADF; return -1; }
    const here = seekHandle(p, e.handle, 0, 1);
    const end = seekHandle(p, e.handle, 0, 2);
    if (!here.ok || !end.ok) return 0;
    seekHandle(p, e.handle, here.value, 0);
    return here.value >= end.value ? 1 : 0;
  }),
};

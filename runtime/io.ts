// Handle-level I/O shared by KERNEL32 (CreateFile, ReadFile, ...) and the CRT's
// low-level I/O (_open, _read, ...). Results carry Win32 error codes; callers set
// the last error or errno from them.

import { closeSync, fstatSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync, statSync, constants as fsc } from 'node:fs';
import { dirname } from 'node:path';
import type { Process } from './process.js';
import type { FileObject, KernelObject } from './handles.js';
import { Win32Error } from './kernel32/errors.js';
import type { SandboxError } from './fs/sandbox.js';

export const GENERIC_READ = 0x80000000;
export const GENERIC_WRITE = 0x40000000;
export const FILE_READ_DATA = 0x1;
export const FILE_WRITE_DATA = 0x2;
export const FILE_APPEND_DATA = 0x4;

export const enum Disposition { CreateNew = 1, CreateAlways = 2, OpenExisting = 3, OpenAlways = 4, TruncateExisting = 5 }

export const STD_INPUT_HANDLE = -10;
export const STD_OUTPUT_HANDLE = -11;
export const STD_ERROR_HANDLE = -12;
export const FILE_FLAG_DELETE_ON_CLOSE = 0x04000000;

export type IoResult<T> = { ok: true; value: T; error?: number } | { ok: false; error: number };

export function sandboxErrorCode(e: SandboxError): number {
  switch (e) {
    case 'invalid-name': return Win32Error.INVALID_NAME;
    case 'path-not-found': return Win32Error.PATH_NOT_FOUND;
    case 'access-denied': return Win32Error.ACCESS_DENIED;
    case 'bad-netpath': return Win32Error.BAD_NETPATH;
  }
}

function errnoToWin32(e: unknown): number {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT': return Win32Error.FILE_NOT_FOUND;
    case 'ENOTDIR': return Win32Error.PATH_NOT_FOUND;
    case 'EEXIST': return Win32Error.FILE_EXISTS;
    case 'EACCES': case 'EPERM': case 'EROFS': case 'EISDIR': return Win32Error.ACCESS_DENIED;
    case 'EMFILE': case 'ENFILE': return Win32Error.TOO_MANY_OPEN_FILES;
    case 'ENOTEMPTY': return Win32Error.DIR_NOT_EMPTY;
    case 'EINVAL': return Win32Error.INVALID_PARAMETER;
    default: return Win32Error.ACCESS_DENIED;
  }
}

/** Host errno of a failed fs call, as a Win32 error (for code outside this module). */
export { errnoToWin32 };

/**
 * Like errnoToWin32 for a failed call on `hostPath`, but a missing file whose directory
 * is missing too is ERROR_PATH_NOT_FOUND, as Windows reports it.
 */
export function pathErrorToWin32(e: unknown, hostPath: string): number {
  const code = errnoToWin32(e);
  if (code !== Win32Error.FILE_NOT_FOUND) return code;
  try {
    return statSync(dirname(hostPath)).isDirectory() ? code : Win32Error.PATH_NOT_FOUND;
  } catch {
    return Win32Error.PATH_NOT_FOUND;
  }
}

/** The standard handle values the process starts with. */
export function stdHandleObject(fd: 0 | 1 | 2): KernelObject { return { kind: 'std', fd }; }

/**
 * Opens or creates a file through the sandbox, with CreateFile's semantics.
 * On success `error` may be ERROR_ALREADY_EXISTS (CREATE_ALWAYS/OPEN_ALWAYS over an
 * existing file), which CreateFile reports through GetLastError.
 */
/** Sharing check against every open handle on the same file, as CreateFile does it. */
function sharingConflict(p: Process, hostPath: string, canRead: boolean, canWrite: boolean, share: number): boolean {
  for (const [, o] of p.handles.all()) {
    if (o.kind !== 'file' || o.hostPath !== hostPath) continue;
    if ((canRead && !(o.shareMode & 1)) || (canWrite && !(o.shareMode & 2))) return true;
    if ((o.canRead && !(share & 1)) || (o.canWrite && !(share & 2))) return true;
  }
  return false;
}

/** True when the file is open without FILE_SHARE_DELETE (DeleteFile then fails). */
export function deleteBlocked(p: Process, hostPath: string): boolean {
  for (const [, o] of p.handles.all()) if (o.kind === 'file' && o.hostPath === hostPath && !(o.shareMode & 4)) return true;
  return false;
}

export function openFile(p: Process, path: string, access: number, disposition: number, flags = 0, share = 3): IoResult<number> {
  const r = p.sandbox.resolve(path);
  if (r.kind === 'error') return { ok: false, error: sandboxErrorCode(r.error) };
  if (r.kind === 'device') {
    if (r.device === 'NUL') return { ok: true, value: p.handles.add({ kind: 'null' }) };
    const fd = r.device === 'CONIN$' ? 0 : 1;
    return { ok: true, value: p.handles.add(stdHandleObject(fd)) };
  }
  const canRead = (access & (GENERIC_READ | FILE_READ_DATA)) !== 0 || (access & 0x10000000) !== 0;
  const canWrite = (access & (GENERIC_WRITE | FILE_WRITE_DATA | FILE_APPEND_DATA)) !== 0 || (access & 0x10000000) !== 0;
  const appendOnly = (access & FILE_APPEND_DATA) !== 0 && (access & (GENERIC_WRITE | FILE_WRITE_DATA)) === 0;
  if (canWrite && r.readOnly) return { ok: false, error: Win32Error.ACCESS_DENIED };
  let exists = false;
  try {
    const s = statSync(r.hostPath);
    if (s.isDirectory()) return { ok: false, error: Win32Error.ACCESS_DENIED };
    // The read-only attribute is the owner's write bit (enforced here: the host may be root).
    if (canWrite && (s.mode & 0o200) === 0) return { ok: false, error: Win32Error.ACCESS_DENIED };
    exists = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return { ok: false, error: Win32Error.PATH_NOT_FOUND };
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      try {
        if (!statSync(dirname(r.hostPath)).isDirectory()) return { ok: false, error: Win32Error.PATH_NOT_FOUND };
      } catch { return { ok: false, error: Win32Error.PATH_NOT_FOUND }; }
    }
  }
  let mode: number;
  switch (disposition) {
    case Disposition.CreateNew:
      if (exists) return { ok: false, error: Win32Error.FILE_EXISTS };
      mode = fsc.O_CREAT | fsc.O_EXCL;
      break;
    case Disposition.CreateAlways: mode = fsc.O_CREAT | fsc.O_TRUNC; break;
    case Disposition.OpenExisting:
      if (!exists) return { ok: false, error: Win32Error.FILE_NOT_FOUND };
      mode = 0;
      break;
    case Disposition.OpenAlways: mode = fsc.O_CREAT; break;
    case Disposition.TruncateExisting:
      if (!exists) return { ok: false, error: Win32Error.FILE_NOT_FOUND };
      if (!canWrite) return { ok: false, error: Win32Error.INVALID_PARAMETER };
      mode = fsc.O_TRUNC;
      break;
    default: return { ok: false, error: Win32Error.INVALID_PARAMETER };
  }
  if (exists && sharingConflict(p, r.hostPath, canRead, canWrite, share)) return { ok: false, error: Win32Error.SHARING_VIOLATION };
  const needsWrite = canWrite || (mode & (fsc.O_CREAT | fsc.O_TRUNC)) !== 0;
  mode |= needsWrite ? (canRead || !canWrite ? fsc.O_RDWR : fsc.O_WRONLY) : fsc.O_RDONLY;
  let fd: number;
  try {
    fd = openSync(r.hostPath, mode, 0o644);
  } catch (e) {
    return { ok: false, error: errnoToWin32(e) };
  }
  const obj: FileObject = {
    kind: 'file', fd, guestPath: r.guestPath, hostPath: r.hostPath, canRead, canWrite, appendOnly, position: 0,
    deleteOnClose: (flags & FILE_FLAG_DELETE_ON_CLOSE) !== 0, shareMode: share,
  };
  const h = p.handles.add(obj);
  const already = exists && (disposition === Disposition.CreateAlways || disposition === Disposition.OpenAlways);
  return already ? { ok: true, value: h, error: Win32Error.ALREADY_EXISTS } : { ok: true, value: h };
}

/** Resolves pseudo standard handles and table handles. */
export function objectOf(p: Process, h: number): KernelObject | undefined {
  return p.handles.get(h);
}

/** Reads up to n bytes; an empty result at end of file (ReadFile succeeds with 0 bytes). */
export function readHandle(p: Process, h: number, n: number): IoResult<Uint8Array> {
  const o = objectOf(p, h);
  if (!o) return { ok: false, error: Win32Error.INVALID_HANDLE };
  switch (o.kind) {
    case 'std':
      if (o.fd !== 0) return { ok: false, error: Win32Error.ACCESS_DENIED };
      return { ok: true, value: p.host.readStdin(n) };
    case 'null': return { ok: true, value: new Uint8Array(0) };
    case 'file': {
      if (!o.canRead) return { ok: false, error: Win32Error.ACCESS_DENIED };
      const buf = new Uint8Array(n);
      try {
        const got = readSync(o.fd, buf, 0, n, o.position);
        o.position += got;
        return { ok: true, value: buf.subarray(0, got) };
      } catch (e) { return { ok: false, error: errnoToWin32(e) }; }
    }
    default: return { ok: false, error: Win32Error.INVALID_HANDLE };
  }
}

export function writeHandle(p: Process, h: number, bytes: Uint8Array): IoResult<number> {
  const o = objectOf(p, h);
  if (!o) return { ok: false, error: Win32Error.INVALID_HANDLE };
  switch (o.kind) {
    case 'std':
      if (o.fd === 0) return { ok: false, error: Win32Error.ACCESS_DENIED };
      p.host.write(o.fd, bytes);
      return { ok: true, value: bytes.length };
    case 'null': return { ok: true, value: bytes.length };
    case 'file': {
      if (!o.canWrite) return { ok: false, error: Win32Error.ACCESS_DENIED };
      try {
        if (o.appendOnly) o.position = fstatSync(o.fd).size;
        let off = 0;
        while (off < bytes.length) off += writeSync(o.fd, bytes, off, bytes.length - off, o.position + off);
        o.position += bytes.length;
        return { ok: true, value: bytes.length };
      } catch (e) { return { ok: false, error: errnoToWin32(e) }; }
    }
    default: return { ok: false, error: Win32Error.INVALID_HANDLE };
  }
}

export const enum SeekFrom { Begin = 0, Current = 1, End = 2 }

export function seekHandle(p: Process, h: number, offset: number, from: number): IoResult<number> {
  const o = objectOf(p, h);
  if (!o) return { ok: false, error: Win32Error.INVALID_HANDLE };
  if (o.kind !== 'file') return o.kind === 'null' ? { ok: true, value: 0 } : { ok: false, error: Win32Error.INVALID_FUNCTION };
  let base: number;
  if (from === SeekFrom.Begin) base = 0;
  else if (from === SeekFrom.Current) base = o.position;
  else if (from === SeekFrom.End) base = fstatSync(o.fd).size;
  else return { ok: false, error: Win32Error.INVALID_PARAMETER };
  const pos = base + offset;
  if (pos < 0) return { ok: false, error: Win32Error.NEGATIVE_SEEK };
  o.position = pos;
  return { ok: true, value: pos };
}

export function fileSize(p: Process, h: number): IoResult<number> {
  const o = objectOf(p, h);
  if (!o || o.kind !== 'file') return { ok: false, error: Win32Error.INVALID_HANDLE };
  return { ok: true, value: fstatSync(o.fd).size };
}

export function truncateHandle(p: Process, h: number): IoResult<void> {
  const o = objectOf(p, h);
  if (!o || o.kind !== 'file') return { ok: false, error: Win32Error.INVALID_HANDLE };
  if (!o.canWrite) return { ok: false, error: Win32Error.ACCESS_DENIED };
  ftruncateSync(o.fd, o.position);
  return { ok: true, value: undefined };
}

export function closeHandle(p: Process, h: number): boolean {
  const r = p.handles.close(h);
  if (!r) return false;
  if (r.last && r.object.kind === 'file') {
    try { closeSync(r.object.fd); } catch { /* already closed by the host */ }
    if (r.object.deleteOnClose) { try { unlinkSync(r.object.hostPath); } catch { /* gone */ } }
  }
  return true;
}

/** Windows file type of a handle: FILE_TYPE_DISK 1, CHAR 2, PIPE 3, UNKNOWN 0. */
export function fileType(p: Process, h: number): number {
  const o = objectOf(p, h);
  if (!o) return 0;
  if (o.kind === 'file') return 1;
  if (o.kind === 'null') return 2;
  if (o.kind === 'std') return p.host.isTerminal(o.fd) ? 2 : 3;
  return 0;
}

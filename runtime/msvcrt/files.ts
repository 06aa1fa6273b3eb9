// msvcrt files and directories: _access, the _stat/_fstat family with x64 msvcrt's
// struct layouts, _chmod, _utime, _mkdir/_rmdir/_chdir/_getcwd/_getdcwd/_getdrive,
// _findfirst/_findnext/_findclose, _fullpath, _splitpath/_makepath.
//
// Layouts (x64 msvcrt.dll, where the unsuffixed names use a 64-bit time_t):
//   _stat, _wstat, _fstat               = struct _stat64i32 (48 bytes, 32-bit st_size)
//   _stati64, _stat64, _fstat64 ...     = struct _stat64    (56 bytes, 64-bit st_size)
//   _findfirst, _wfindfirst             = _finddata64i32_t  (32-bit size, name at 36)
//   _findfirst64/_findfirsti64 (+ _w)   = __finddata64_t    (64-bit size, name at 40)

import { mkdirSync, readdirSync, rmdirSync, statSync, chmodSync, utimesSync, fstatSync, existsSync } from 'node:fs';
import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { crt, Errno } from './state.js';
import { dosmaperr } from './dosmap.js';
import { fdEntry } from './lowio.js';
import { errnoToWin32, fileType, objectOf, sandboxErrorCode } from '../io.js';
import { Win32Error } from '../kernel32/errors.js';
import type { GuestFileInfo } from '../kernel32/fileinfo.js';
import { FILE_ATTRIBUTE_READONLY, guestFileInfo, infoFromStats } from '../kernel32/fileinfo.js';

const S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFDIR = 0x4000, S_IFREG = 0x8000;
const S_IREAD = 0x100, S_IWRITE = 0x80, S_IEXEC = 0x40;

const fail = (p: Process, errno: number): number => { crt(p).errno = errno; return -1; };

/** msvcrt's st_mode: type, then user rwx copied to group and other; exec by extension. */
function modeOf(i: GuestFileInfo, name: string): number {
  let user = S_IREAD;
  if (!(i.attributes & FILE_ATTRIBUTE_READONLY)) user |= S_IWRITE;
  if (i.isDir || /\.(exe|com|bat|cmd)$/i.test(name)) user |= S_IEXEC;
  return (i.isDir ? S_IFDIR : S_IFREG) | user | (user >> 3) | (user >> 6);
}

interface StatFields { dev: number; mode: number; nlink: number; size: number; atime: number; mtime: number; ctime: number }

function fieldsOf(i: GuestFileInfo, name: string, drive: number): StatFields {
  return {
    dev: drive, mode: modeOf(i, name), nlink: 1, size: i.size,
    atime: Math.floor(i.accessMs / 1000), mtime: Math.floor(i.writeMs / 1000), ctime: Math.floor(i.creationMs / 1000),
  };
}

/** Writes a stat struct: `bigSize` selects the 64-bit st_size layouts (56 bytes) over the 48-byte ones. */
function writeStat(p: Process, at: number, f: StatFields, bigSize: boolean): void {
  const m = p.mem;
  m.fill(at, 0, bigSize ? 56 : 48);
  m.write32(at, f.dev);
  m.write16(at + 6, f.mode);
  m.write16(at + 8, f.nlink);
  m.write32(at + 16, f.dev);
  let t: number;
  if (bigSize) { m.write64(at + 24, BigInt(f.size)); t = 32; } else { m.write32(at + 20, f.size >>> 0); t = 24; }
  m.write64(at + t, BigInt(f.atime));
  m.write64(at + t + 8, BigInt(f.mtime));
  m.write64(at + t + 16, BigInt(f.ctime));
}

function driveNumber(guestPath: string): number { return (guestPath.charCodeAt(0) & 0x1f) - 1; }

function stat(p: Process, path: string | null, out: number, bigSize: boolean): number {
  if (path === null || out === 0) return fail(p, Errno.EINVAL);
  const r = guestFileInfo(p, path);
  if (!r.ok) { dosmaperr(p, r.error === Win32Error.INVALID_NAME ? Win32Error.FILE_NOT_FOUND : r.error); return -1; }
  const full = p.sandbox.normalize(path) ?? p.sandbox.cwd;
  writeStat(p, out, fieldsOf(r.info, full, driveNumber(full)), bigSize);
  return 0;
}

function fstat(p: Process, fd: number, out: number, bigSize: boolean): number {
  const e = fdEntry(p, fd);
  if (!e) return fail(p, Errno.EBADF);
  if (out === 0) return fail(p, Errno.EINVAL);
  const o = objectOf(p, e.handle);
  if (o && o.kind === 'file') {
    const info = infoFromStats(fstatSync(o.fd), false, o.hostPath);
    writeStat(p, out, fieldsOf(info, o.guestPath, driveNumber(o.guestPath)), bigSize);
    return 0;
  }
  // Devices and pipes: the type only, st_dev = st_rdev = the descriptor.
  const type = fileType(p, e.handle);
  const mode = type === 3 ? S_IFIFO : S_IFCHR;
  writeStat(p, out, { dev: fd, mode, nlink: 1, size: 0, atime: 0, mtime: 0, ctime: 0 }, bigSize);
  return 0;
}

function access(p: Process, path: string | null, mode: number): number {
  if (path === null || (mode & ~6) !== 0) return fail(p, Errno.EINVAL);
  const r = guestFileInfo(p, path);
  if (!r.ok) { dosmaperr(p, r.error); return -1; }
  if ((mode & 2) && !r.info.isDir && (r.info.attributes & FILE_ATTRIBUTE_READONLY)) return fail(p, Errno.EACCES);
  return 0;
}

function chmod(p: Process, path: string | null, mode: number): number {
  if (path === null) return fail(p, Errno.EINVAL);
  const r = p.sandbox.resolve(path);
  if (r.kind !== 'file') { dosmaperr(p, r.kind === 'error' ? sandboxErrorCode(r.error) : Win32Error.ACCESS_DENIED); return -1; }
  try {
    const s = statSync(r.hostPath);
    if (r.readOnly) { dosmaperr(p, Win32Error.ACCESS_DENIED); return -1; }
    chmodSync(r.hostPath, (mode & S_IWRITE) ? (s.mode | 0o200) & 0o7777 : s.mode & 0o7555);
    return 0;
  } catch (e) { dosmaperr(p, errnoToWin32(e)); return -1; }
}

/** _utime: struct _utimbuf {time_t actime, modtime} (64-bit or 32-bit), NULL for now. */
function utime(p: Process, path: string | null, times: number, bits: 32 | 64): number {
  if (path === null) return fail(p, Errno.EINVAL);
  const r = p.sandbox.resolve(path);
  if (r.kind !== 'file' || r.readOnly) { dosmaperr(p, r.kind === 'error' ? sandboxErrorCode(r.error) : Win32Error.ACCESS_DENIED); return -1; }
  return setTimes(p, r.hostPath, times, bits);
}

function setTimes(p: Process, hostPath: string, times: number, bits: 32 | 64): number {
  let at: number;
  let mt: number;
  if (times === 0) { at = mt = Math.floor(p.host.now() / 1000); } else if (bits === 64) {
    at = Number(BigInt.asIntN(64, p.mem.read64(times)));
    mt = Number(BigInt.asIntN(64, p.mem.read64(times + 8)));
  } else { at = p.mem.readI32(times); mt = p.mem.readI32(times + 4); }
  if (at < 0 || mt < 0) return fail(p, Errno.EINVAL);
  try {
    if (!existsSync(hostPath)) { dosmaperr(p, Win32Error.FILE_NOT_FOUND); return -1; }
    utimesSync(hostPath, at, mt);
    return 0;
  } catch (e) { dosmaperr(p, errnoToWin32(e)); return -1; }
}

function futime(p: Process, fd: number, times: number, bits: 32 | 64): number {
  const e = fdEntry(p, fd);
  const o = e ? objectOf(p, e.handle) : undefined;
  if (!o || o.kind !== 'file') return fail(p, Errno.EBADF);
  return setTimes(p, o.hostPath, times, bits);
}

// ---- directories ----------------------------------------------------------------------

function mkdir(p: Process, path: string | null): number {
  if (path === null) return fail(p, Errno.EINVAL);
  const r = p.sandbox.resolve(path);
  if (r.kind !== 'file' || r.readOnly) { dosmaperr(p, r.kind === 'error' ? sandboxErrorCode(r.error) : Win32Error.ACCESS_DENIED); return -1; }
  if (existsSync(r.hostPath)) { dosmaperr(p, Win32Error.ALREADY_EXISTS); return -1; }
  try { mkdirSync(r.hostPath); return 0; } catch (e) {
    const w = errnoToWin32(e);
    dosmaperr(p, w === Win32Error.FILE_NOT_FOUND ? Win32Error.PATH_NOT_FOUND : w);
    return -1;
  }
}

function rmdir(p: Process, path: string | null): number {
  if (path === null) return fail(p, Errno.EINVAL);
  const r = p.sandbox.resolve(path);
  if (r.kind !== 'file' || r.readOnly) { dosmaperr(p, r.kind === 'error' ? sandboxErrorCode(r.error) : Win32Error.ACCESS_DENIED); return -1; }
  if (r.guestPath.toUpperCase() === p.sandbox.cwd.toUpperCase()) { dosmaperr(p, Win32Error.SHARING_VIOLATION); return -1; }
  try {
    if (!statSync(r.hostPath).isDirectory()) { dosmaperr(p, 267 /* ERROR_DIRECTORY */); return -1; }
    rmdirSync(r.hostPath);
    return 0;
  } catch (e) { dosmaperr(p, errnoToWin32(e)); return -1; }
}

function chdir(p: Process, path: string | null): number {
  if (path === null) return fail(p, Errno.EINVAL);
  const r = p.sandbox.resolve(path);
  if (r.kind !== 'file') { dosmaperr(p, r.kind === 'error' ? sandboxErrorCode(r.error) : Win32Error.INVALID_NAME); return -1; }
  try {
    if (!statSync(r.hostPath).isDirectory()) { dosmaperr(p, 267); return -1; }
  } catch { dosmaperr(p, Win32Error.FILE_NOT_FOUND); return -1; }
  p.sandbox.cwd = r.guestPath;
  return 0;
}

/** Copies `text` to a caller buffer of `size` characters, or a malloc'd one when buf is NULL. */
function returnText(p: Process, text: string, buf: number, size: number, wide: boolean): number {
  const unit = wide ? 2 : 1;
  if (buf === 0) {
    const n = Math.max(size, text.length + 1);
    const a = p.processHeap.alloc(n * unit, true);
    if (a === undefined) { crt(p).errno = Errno.ENOMEM; return 0; }
    buf = a;
  } else if (size < text.length + 1) {
    crt(p).errno = Errno.ERANGE;
    return 0;
  }
  if (wide) p.mem.writeWString(buf, text); else p.mem.writeCString(buf, text);
  return buf;
}

function getcwd(p: Process, buf: number, size: number, wide: boolean): number {
  if (buf !== 0 && size <= 0) { crt(p).errno = Errno.EINVAL; return 0; }
  return returnText(p, p.sandbox.cwd, buf, size, wide);
}

function getdcwd(p: Process, drive: number, buf: number, size: number, wide: boolean): number {
  const cwd = p.sandbox.cwd;
  if (drive === 0 || drive === driveNumber(cwd) + 1) return getcwd(p, buf, size, wide);
  const letter = String.fromCharCode(64 + drive);
  const r = p.sandbox.resolve(`${letter}:\\`);
  if (drive < 1 || drive > 26 || r.kind !== 'file') { dosmaperr(p, 15 /* ERROR_INVALID_DRIVE */); crt(p).errno = Errno.EACCES; return 0; }
  return returnText(p, `${letter}:\\`, buf, size, wide);
}

function chdrive(p: Process, drive: number): number {
  const letter = String.fromCharCode(64 + drive);
  const r = p.sandbox.resolve(`${letter}:\\`);
  if (drive < 1 || drive > 26 || r.kind !== 'file') return fail(p, Errno.EACCES);
  p.sandbox.cwd = `${letter}:\\`;
  return 0;
}

function fullpath(p: Process, buf: number, path: string | null, size: number, wide: boolean): number {
  if (path === null || path === '') return getcwd(p, buf, size, wide);
  let full = p.sandbox.normalize(path);
  if (full === undefined) { crt(p).errno = Errno.EINVAL; return 0; }
  if (/[\\/]$/.test(path) && !full.endsWith('\\')) full += '\\';
  return returnText(p, full, buf, buf === 0 ? Math.max(size, 260) : size, wide);
}

// ---- _splitpath / _makepath ------------------------------------------------------------

export function splitPath(path: string): { drive: string; dir: string; fname: string; ext: string } {
  let rest = path;
  let drive = '';
  if (rest.length >= 2 && rest[1] === ':') { drive = rest.slice(0, 2); rest = rest.slice(2); }
  const slash = Math.max(rest.lastIndexOf('\\'), rest.lastIndexOf('/'));
  const dir = rest.slice(0, slash + 1);
  const name = rest.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  return dot < 0 ? { drive, dir, fname: name, ext: '' } : { drive, dir, fname: name.slice(0, dot), ext: name.slice(dot) };
}

export function makePath(drive: string, dir: string, fname: string, ext: string): string {
  let out = '';
  if (drive) out += `${drive[0]}:`;
  if (dir) { out += dir; if (!/[\\/]$/.test(dir)) out += '\\'; }
  out += fname;
  if (ext) out += ext[0] === '.' ? ext : `.${ext}`;
  return out;
}

const MAX_DRIVE = 3, MAX_DIR = 256, MAX_FNAME = 256, MAX_EXT = 256;

function readText(p: Process, ptr: number, wide: boolean): string {
  if (ptr === 0) return '';
  return wide ? p.mem.readWString(ptr) : p.mem.readCString(ptr);
}

function writeText(p: Process, ptr: number, text: string, max: number, wide: boolean): void {
  if (ptr === 0) return;
  const t = text.slice(0, max - 1);
  if (wide) p.mem.writeWString(ptr, t); else p.mem.writeCString(ptr, t);
}

function splitpath(p: Process, path: number, drive: number, dir: number, fname: number, ext: number, wide: boolean): void {
  if (path === 0) { crt(p).errno = Errno.EINVAL; return; }
  const s = splitPath(readText(p, path, wide));
  writeText(p, drive, s.drive, MAX_DRIVE, wide);
  writeText(p, dir, s.dir, MAX_DIR, wide);
  writeText(p, fname, s.fname, MAX_FNAME, wide);
  writeText(p, ext, s.ext, MAX_EXT, wide);
}

function makepath(p: Process, out: number, drive: number, dir: number, fname: number, ext: number, wide: boolean): void {
  const text = makePath(readText(p, drive, wide), readText(p, dir, wide), readText(p, fname, wide), readText(p, ext, wide));
  if (wide) p.mem.writeWString(out, text); else p.mem.writeCString(out, text);
}

// ---- _findfirst ------------------------------------------------------------------------

interface FindEntry { name: string; info: GuestFileInfo }
type FindLayout = 'i32' | '64';

function wildcard(pattern: string): RegExp {
  if (pattern === '*.*' || pattern === '*') return /^.*$/s;
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'is');
}

function findState(p: Process): Map<number, { entries: FindEntry[]; next: number }> {
  return p.dllState('msvcrt.find', () => new Map());
}

function writeFindData(p: Process, at: number, e: FindEntry, layout: FindLayout, wide: boolean): void {
  const m = p.mem;
  const nameAt = layout === '64' ? 40 : 36;
  m.fill(at, 0, nameAt + (wide ? 520 : 260));
  m.write32(at, e.info.attributes);
  const t = (ms: number): bigint => BigInt(Math.floor(ms / 1000));
  m.write64(at + 8, e.info.isDir && (e.name === '.' || e.name === '..') ? 0n : t(e.info.creationMs));
  m.write64(at + 16, t(e.info.accessMs));
  m.write64(at + 24, t(e.info.writeMs));
  if (layout === '64') m.write64(at + 32, BigInt(e.info.size)); else m.write32(at + 32, e.info.size >>> 0);
  const name = e.name.slice(0, 259);
  if (wide) m.writeWString(at + nameAt, name); else m.writeCString(at + nameAt, name);
}

function findfirst(p: Process, pattern: string | null, out: number, layout: FindLayout, wide: boolean): number {
  if (pattern === null || out === 0) return fail(p, Errno.EINVAL);
  const norm = p.sandbox.normalize(pattern);
  if (norm === undefined) return fail(p, Errno.ENOENT);
  const slash = norm.lastIndexOf('\\');
  const dirPath = norm.slice(0, slash + 1);
  const mask = /[\\/]$/.test(pattern) ? '*' : norm.slice(slash + 1);
  const r = p.sandbox.resolve(dirPath);
  if (r.kind !== 'file') { dosmaperr(p, Win32Error.PATH_NOT_FOUND); return -1; }
  let names: string[];
  try { names = readdirSync(r.hostPath); } catch { dosmaperr(p, Win32Error.PATH_NOT_FOUND); return -1; }
  const re = wildcard(mask);
  const entries: FindEntry[] = [];
  if (slash > 2) {
    for (const dot of ['.', '..']) {
      if (!re.test(dot)) continue;
      try { entries.push({ name: dot, info: infoFromStats(statSync(r.hostPath), r.readOnly, r.hostPath) }); } catch { /* gone */ }
    }
  }
  const sorted = names.filter((n) => re.test(n)).sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : a.toUpperCase() > b.toUpperCase() ? 1 : 0));
  for (const n of sorted) {
    try { entries.push({ name: n, info: infoFromStats(statSync(`${r.hostPath}/${n}`), r.readOnly, `${r.hostPath}/${n}`) }); } catch { /* vanished */ }
  }
  if (entries.length === 0) { dosmaperr(p, Win32Error.FILE_NOT_FOUND); return -1; }
  const handle = p.handles.add({ kind: 'find', entries: [], next: 0 });
  findState(p).set(handle, { entries, next: 1 });
  writeFindData(p, out, entries[0]!, layout, wide);
  return handle;
}

function findnext(p: Process, handle: number, out: number, layout: FindLayout, wide: boolean): number {
  const f = findState(p).get(handle);
  if (!f || out === 0) return fail(p, Errno.EINVAL);
  const e = f.entries[f.next];
  if (!e) { dosmaperr(p, Win32Error.NO_MORE_FILES); return -1; }
  f.next++;
  writeFindData(p, out, e, layout, wide);
  return 0;
}

function findclose(p: Process, handle: number): number {
  if (!findState(p).delete(handle)) return fail(p, Errno.EINVAL);
  p.handles.close(handle);
  return 0;
}

export const crtFileFunctions = {
  _access: fn(['str', 'i32'], 'i32', (p, path, mode) => access(p, path, mode)),
  _waccess: fn(['wstr', 'i32'], 'i32', (p, path, mode) => access(p, path, mode)),
  _access_s: fn(['str', 'i32'], 'i32', (p, path, mode) => (access(p, path, mode) === 0 ? 0 : crt(p).errno)),
  _waccess_s: fn(['wstr', 'i32'], 'i32', (p, path, mode) => (access(p, path, mode) === 0 ? 0 : crt(p).errno)),
  _stat: fn(['str', 'ptr'], 'i32', (p, path, out) => stat(p, path, out, false)),
  _wstat: fn(['wstr', 'ptr'], 'i32', (p, path, out) => stat(p, path, out, false)),
  _stati64: fn(['str', 'ptr'], 'i32', (p, path, out) => stat(p, path, out, true)),
  _wstati64: fn(['wstr', 'ptr'], 'i32', (p, path, out) => stat(p, path, out, true)),
  _stat64: fn(['str', 'ptr'], 'i32', (p, path, out) => stat(p, path, out, true)),
  _wstat64: fn(['wstr', 'ptr'], 'i32', (p, path, out) => stat(p, path, out, true)),
  _fstat: fn(['i32', 'ptr'], 'i32', (p, fd, out) => fstat(p, fd, out, false)),
  _fstati64: fn(['i32', 'ptr'], 'i32', (p, fd, out) => fstat(p, fd, out, true)),
  _fstat64: fn(['i32', 'ptr'], 'i32', (p, fd, out) => fstat(p, fd, out, true)),
  _chmod: fn(['str', 'i32'], 'i32', (p, path, mode) => chmod(p, path, mode)),
  _wchmod: fn(['wstr', 'i32'], 'i32', (p, path, mode) => chmod(p, path, mode)),
  _utime: fn(['str', 'ptr'], 'i32', (p, path, t) => utime(p, path, t, 64)),
  _utime64: fn(['str', 'ptr'], 'i32', (p, path, t) => utime(p, path, t, 64)),
  _utime32: fn(['str', 'ptr'], 'i32', (p, path, t) => utime(p, path, t, 32)),
  _wutime: fn(['wstr', 'ptr'], 'i32', (p, path, t) => utime(p, path, t, 64)),
  _wutime64: fn(['wstr', 'ptr'], 'i32', (p, path, t) => utime(p, path, t, 64)),
  _futime: fn(['i32', 'ptr'], 'i32', (p, fd, t) => futime(p, fd, t, 64)),
  _futime64: fn(['i32', 'ptr'], 'i32', (p, fd, t) => futime(p, fd, t, 64)),
  _mkdir: fn(['str'], 'i32', (p, path) => mkdir(p, path)),
  _wmkdir: fn(['wstr'], 'i32', (p, path) => mkdir(p, path)),
  _rmdir: fn(['str'], 'i32', (p, path) => rmdir(p, path)),
  _wrmdir: fn(['wstr'], 'i32', (p, path) => rmdir(p, path)),
  _chdir: fn(['str'], 'i32', (p, path) => chdir(p, path)),
  _wchdir: fn(['wstr'], 'i32', (p, path) => chdir(p, path)),
  _getcwd: fn(['ptr', 'i32'], 'ptr', (p, buf, size) => getcwd(p, buf, size, false)),
  _wgetcwd: fn(['ptr', 'i32'], 'ptr', (p, buf, size) => getcwd(p, buf, size, true)),
  _getdcwd: fn(['i32', 'ptr', 'i32'], 'ptr', (p, d, buf, size) => getdcwd(p, d, buf, size, false)),
  _wgetdcwd: fn(['i32', 'ptr', 'i32'], 'ptr', (p, d, buf, size) => getdcwd(p, d, buf, size, true)),
  _getdrive: fn([], 'i32', (p) => driveNumber(p.sandbox.cwd) + 1),
  _chdrive: fn(['i32'], 'i32', (p, d) => chdrive(p, d)),
  _fullpath: fn(['ptr', 'str', 'u64'], 'ptr', (p, buf, path, size) => fullpath(p, buf, path, Number(size), false)),
  _wfullpath: fn(['ptr', 'wstr', 'u64'], 'ptr', (p, buf, path, size) => fullpath(p, buf, path, Number(size), true)),
  _splitpath: fn(['ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'void', (p, path, d, dir, f, e) => splitpath(p, path, d, dir, f, e, false)),
  _wsplitpath: fn(['ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'void', (p, path, d, dir, f, e) => splitpath(p, path, d, dir, f, e, true)),
  _makepath: fn(['ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'void', (p, out, d, dir, f, e) => makepath(p, out, d, dir, f, e, false)),
  _wmakepath: fn(['ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'void', (p, out, d, dir, f, e) => makepath(p, out, d, dir, f, e, true)),
  _findfirst: fn(['str', 'ptr'], 'ptr', (p, pat, out) => findfirst(p, pat, out, 'i32', false)),
  _findfirst64i32: fn(['str', 'ptr'], 'ptr', (p, pat, out) => findfirst(p, pat, out, 'i32', false)),
  _findfirsti64: fn(['str', 'ptr'], 'ptr', (p, pat, out) => findfirst(p, pat, out, '64', false)),
  _findfirst64: fn(['str', 'ptr'], 'ptr', (p, pat, out) => findfirst(p, pat, out, '64', false)),
  _wfindfirst: fn(['wstr', 'ptr'], 'ptr', (p, pat, out) => findfirst(p, pat, out, 'i32', true)),
  _wfindfirsti64: fn(['wstr', 'ptr'], 'ptr', (p, pat, out) => findfirst(p, pat, out, '64', true)),
  _wfindfirst64: fn(['wstr', 'ptr'], 'ptr', (p, pat, out) => findfirst(p, pat, out, '64', true)),
  _findnext: fn(['ptr', 'ptr'], 'i32', (p, h, out) => findnext(p, h, out, 'i32', false)),
  _findnext64i32: fn(['ptr', 'ptr'], 'i32', (p, h, out) => findnext(p, h, out, 'i32', false)),
  _findnexti64: fn(['ptr', 'ptr'], 'i32', (p, h, out) => findnext(p, h, out, '64', false)),
  _findnext64: fn(['ptr', 'ptr'], 'i32', (p, h, out) => findnext(p, h, out, '64', false)),
  _wfindnext: fn(['ptr', 'ptr'], 'i32', (p, h, out) => findnext(p, h, out, 'i32', true)),
  _wfindnexti64: fn(['ptr', 'ptr'], 'i32', (p, h, out) => findnext(p, h, out, '64', true)),
  _wfindnext64: fn(['ptr', 'ptr'], 'i32', (p, h, out) => findnext(p, h, out, '64', true)),
  _findclose: fn(['ptr'], 'i32', (p, h) => findclose(p, h)),
};

// KERNEL32 files, directories and console I/O.

import { mkdirSync, readdirSync, renameSync, rmdirSync, statSync, unlinkSync, existsSync } from 'node:fs';
import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import {
  closeHandle, deleteBlocked, Disposition, errnoToWin32, fileSize, fileType, objectOf, openFile, pathErrorToWin32, readHandle, sandboxErrorCode,
  seekHandle, truncateHandle, writeHandle,
} from '../io.js';
import { Win32Error } from './errors.js';
import { cp1252Encode } from '../text.js';

const INVALID_HANDLE_VALUE = -1;
const INVALID_FILE_SIZE = 0xffffffff;
const INVALID_SET_FILE_POINTER = 0xffffffff;
const INVALID_FILE_ATTRIBUTES = 0xffffffff;
const FILE_ATTRIBUTE_READONLY = 0x1;
const FILE_ATTRIBUTE_DIRECTORY = 0x10;
const FILE_ATTRIBUTE_ARCHIVE = 0x20;
const FILE_ATTRIBUTE_NORMAL = 0x80;

function stdHandle(p: Process, n: number): number {
  const idx = n === -10 ? 0 : n === -11 ? 1 : n === -12 ? 2 : -1;
  return idx < 0 ? INVALID_HANDLE_VALUE : stdHandles(p)[idx]!;
}

/** The three standard handles, created at process start. */
export function stdHandles(p: Process): number[] {
  return p.dllState('kernel32.std', () => [0, 1, 2].map((fd) => p.handles.add({ kind: 'std', fd: fd as 0 | 1 | 2 })));
}

function createFile(p: Process, path: string | null, access: number, share: number, disposition: number, flags: number): number {
  if (path === null) { p.lastError = Win32Error.PATH_NOT_FOUND; return INVALID_HANDLE_VALUE; }
  const r = openFile(p, path, access, disposition, flags, share);
  if (!r.ok) { p.lastError = r.error; return INVALID_HANDLE_VALUE; }
  p.lastError = r.error ?? Win32Error.SUCCESS;
  return r.value;
}

function writeOut(p: Process, ptr: number, value: number): void { if (ptr) p.mem.write32(ptr, value); }

function attributesOf(p: Process, path: string | null): number {
  if (path === null) { p.lastError = Win32Error.PATH_NOT_FOUND; return INVALID_FILE_ATTRIBUTES; }
  const r = p.sandbox.resolve(path);
  if (r.kind === 'error') { p.lastError = sandboxErrorCode(r.error); return INVALID_FILE_ATTRIBUTES; }
  if (r.kind === 'device') return FILE_ATTRIBUTE_ARCHIVE;
  try {
    const s = statSync(r.hostPath);
    if (s.isDirectory()) return FILE_ATTRIBUTE_DIRECTORY | (r.readOnly ? FILE_ATTRIBUTE_READONLY : 0);
    return r.readOnly || (s.mode & 0o200) === 0 ? FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE : FILE_ATTRIBUTE_ARCHIVE;
  } catch (e) {
    p.lastError = pathErrorToWin32(e, r.hostPath);
    return INVALID_FILE_ATTRIBUTES;
  }
}

function deleteFile(p: Process, path: string | null): boolean {
  if (path === null) { p.lastError = Win32Error.PATH_NOT_FOUND; return false; }
  const r = p.sandbox.resolve(path);
  if (r.kind !== 'file') { p.lastError = r.kind === 'error' ? sandboxErrorCode(r.error) : Win32Error.ACCESS_DENIED; return false; }
  if (r.readOnly) { p.lastError = Win32Error.ACCESS_DENIED; return false; }
  try {
    const st = statSync(r.hostPath);
    if (st.isDirectory() || (st.mode & 0o200) === 0) { p.lastError = Win32Error.ACCESS_DENIED; return false; }
    if (deleteBlocked(p, r.hostPath)) { p.lastError = Win32Error.SHARING_VIOLATION; return false; }
    unlinkSync(r.hostPath);
    return true;
  } catch (e) { p.lastError = pathErrorToWin32(e, r.hostPath); return false; }
}

function moveFile(p: Process, from: string | null, to: string | null, replace: boolean): boolean {
  if (from === null || to === null) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
  const a = p.sandbox.resolve(from);
  const b = p.sandbox.resolve(to);
  if (a.kind !== 'file' || b.kind !== 'file' || a.readOnly || b.readOnly) {
    p.lastError = a.kind === 'error' ? sandboxErrorCode(a.error) : b.kind === 'error' ? sandboxErrorCode(b.error) : Win32Error.ACCESS_DENIED;
    return false;
  }
  if (!existsSync(a.hostPath)) { p.lastError = Win32Error.FILE_NOT_FOUND; return false; }
  if (!replace && existsSync(b.hostPath)) { p.lastError = Win32Error.ALREADY_EXISTS; return false; }
  try { renameSync(a.hostPath, b.hostPath); return true; } catch (e) { p.lastError = errnoToWin32(e); return false; }
}

function createDirectory(p: Process, path: string | null): boolean {
  if (path === null) { p.lastError = Win32Error.PATH_NOT_FOUND; return false; }
  const r = p.sandbox.resolve(path);
  if (r.kind !== 'file' || r.readOnly) { p.lastError = r.kind === 'error' ? sandboxErrorCode(r.error) : Win32Error.ACCESS_DENIED; return false; }
  if (existsSync(r.hostPath)) { p.lastError = Win32Error.ALREADY_EXISTS; return false; }
  try { mkdirSync(r.hostPath); return true; } catch (e) { p.lastError = errnoToWin32(e) === Win32Error.FILE_NOT_FOUND ? Win32Error.PATH_NOT_FOUND : errnoToWin32(e); return false; }
}

function removeDirectory(p: Process, path: string | null): boolean {
  if (path === null) { p.lastError = Win32Error.PATH_NOT_FOUND; return false; }
  const r = p.sandbox.resolve(path);
  if (r.kind !== 'file' || r.readOnly) { p.lastError = r.kind === 'error' ? sandboxErrorCode(r.error) : Win32Error.ACCESS_DENIED; return false; }
  try { rmdirSync(r.hostPath); return true; } catch (e) { p.lastError = errnoToWin32(e); return false; }
}

/** Copies a result string into a guest buffer of `size` characters, with the Win32 length conventions. */
export function returnString(p: Process, s: string, buf: number, size: number, wide: boolean): number {
  if (size < s.length + 1) return s.length + 1; // required size including the terminator
  if (wide) p.mem.writeWString(buf, s); else p.mem.writeBytes(buf, Uint8Array.from([...cp1252Encode(s).bytes, 0]));
  return s.length;
}

function fullPathName(p: Process, path: string | null, size: number, buf: number, filePart: number, wide: boolean): number {
  if (path === null || path === '') { p.lastError = Win32Error.INVALID_NAME; return 0; }
  const full = p.sandbox.normalize(path);
  if (full === undefined) { p.lastError = Win32Error.INVALID_NAME; return 0; }
  const n = returnString(p, full, buf, size, wide);
  if (n <= full.length && filePart) {
    const slash = full.lastIndexOf('\\');
    p.mem.writePtr(filePart, slash === full.length - 1 ? 0 : buf + (wide ? 2 : 1) * (slash + 1));
  }
  return n;
}

function currentDirectory(p: Process, size: number, buf: number, wide: boolean): number {
  const cwd = p.sandbox.cwd;
  return returnString(p, cwd, buf, size, wide);
}

function setCurrentDirectory(p: Process, path: string | null): boolean {
  if (path === null) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
  const r = p.sandbox.resolve(path);
  if (r.kind !== 'file') { p.lastError = r.kind === 'error' ? sandboxErrorCode(r.error) : Win32Error.INVALID_NAME; return false; }
  try {
    if (!statSync(r.hostPath).isDirectory()) { p.lastError = Win32Error.INVALID_NAME; return false; }
  } catch { p.lastError = Win32Error.FILE_NOT_FOUND; return false; }
  p.sandbox.cwd = r.guestPath;
  return true;
}

// ---- FindFirstFile ------------------------------------------------------------------

const FILETIME_EPOCH_DIFF_MS = 11644473600000;

function writeFindData(p: Process, at: number, e: { name: string; isDir: boolean; size: number; mtimeMs: number }, wide: boolean): void {
  const mem = p.mem;
  mem.fill(at, 0, wide ? 592 : 320);
  mem.write32(at, e.isDir ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE);
  const ft = BigInt(Math.round((e.mtimeMs + FILETIME_EPOCH_DIFF_MS) * 10000));
  for (const off of [4, 12, 20]) mem.write64(at + off, ft);
  mem.write32(at + 28, Math.floor(e.size / 0x100000000));
  mem.write32(at + 32, e.size >>> 0);
  const name = e.name.slice(0, 259);
  if (wide) mem.writeWString(at + 44, name); else mem.writeBytes(at + 44, Uint8Array.from([...cp1252Encode(name).bytes, 0]));
}

function wildcardToRegex(pattern: string): RegExp {
  if (pattern === '*.*') return /^.*$/s;
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'is');
}

function findFirst(p: Process, pattern: string | null, data: number, wide: boolean): number {
  if (pattern === null) { p.lastError = Win32Error.PATH_NOT_FOUND; return INVALID_HANDLE_VALUE; }
  const norm = p.sandbox.normalize(pattern);
  if (norm === undefined) { p.lastError = Win32Error.PATH_NOT_FOUND; return INVALID_HANDLE_VALUE; }
  const slash = norm.lastIndexOf('\\');
  const dir = norm.slice(0, slash + 1);
  const mask = norm.slice(slash + 1) || '*';
  const r = p.sandbox.resolve(dir);
  if (r.kind !== 'file') { p.lastError = Win32Error.PATH_NOT_FOUND; return INVALID_HANDLE_VALUE; }
  let names: string[];
  try { names = readdirSync(r.hostPath); } catch { p.lastError = Win32Error.PATH_NOT_FOUND; return INVALID_HANDLE_VALUE; }
  const re = wildcardToRegex(mask);
  const entries: { name: string; isDir: boolean; size: number; mtimeMs: number }[] = [];
  if (slash > 2 && re.test('.')) entries.push({ name: '.', isDir: true, size: 0, mtimeMs: 0 }, { name: '..', isDir: true, size: 0, mtimeMs: 0 });
  for (const n of names.sort()) {
    if (!re.test(n)) continue;
    try {
      const s = statSync(`${r.hostPath}/${n}`);
      entries.push({ name: n, isDir: s.isDirectory(), size: s.size, mtimeMs: s.mtimeMs });
    } catch { /* vanished */ }
  }
  if (entries.length === 0) { p.lastError = Win32Error.FILE_NOT_FOUND; return INVALID_HANDLE_VALUE; }
  writeFindData(p, data, entries[0]!, wide);
  return p.handles.add({ kind: 'find', entries, next: 1 });
}

function findNext(p: Process, h: number, data: number, wide: boolean): boolean {
  const o = p.handles.get(h);
  if (!o || o.kind !== 'find') { p.lastError = Win32Error.INVALID_HANDLE; return false; }
  const e = o.entries[o.next];
  if (!e) { p.lastError = Win32Error.NO_MORE_FILES; return false; }
  o.next++;
  writeFindData(p, data, e, wide);
  return true;
}

// ---- console ------------------------------------------------------------------------

function writeConsole(p: Process, h: number, buf: number, n: number, written: number, wide: boolean): boolean {
  const bytes = wide ? cp1252Encode(p.mem.readWString(buf, n)).bytes : p.mem.readBytes(buf, n);
  const r = writeHandle(p, h, bytes);
  if (!r.ok) { p.lastError = r.error; return false; }
  writeOut(p, written, n);
  return true;
}

export const fileFunctions = {
  GetStdHandle: fn(['u32'], 'handle', (p, n) => stdHandle(p, n | 0)),
  SetStdHandle: fn(['u32', 'handle'], 'bool', (p, n, h) => {
    const idx = (n | 0) === -10 ? 0 : (n | 0) === -11 ? 1 : (n | 0) === -12 ? 2 : -1;
    if (idx < 0) { p.lastError = Win32Error.INVALID_HANDLE; return false; }
    stdHandles(p)[idx] = h;
    return true;
  }),
  CreateFileA: fn(['str', 'u32', 'u32', 'ptr', 'u32', 'u32', 'handle'], 'handle',
    (p, path, access, share, _sa, disp, flags) => createFile(p, path, access, share, disp, flags)),
  CreateFileW: fn(['wstr', 'u32', 'u32', 'ptr', 'u32', 'u32', 'handle'], 'handle',
    (p, path, access, share, _sa, disp, flags) => createFile(p, path, access, share, disp, flags)),
  ReadFile: fn(['handle', 'ptr', 'u32', 'ptr', 'ptr'], 'bool', (p, h, buf, n, read, _ov) => {
    writeOut(p, read, 0);
    const r = readHandle(p, h, n);
    if (!r.ok) { p.lastError = r.error === Win32Error.BROKEN_PIPE ? r.error : r.error; return false; }
    p.mem.writeBytes(buf, r.value);
    writeOut(p, read, r.value.length);
    return true;
  }),
  WriteFile: fn(['handle', 'ptr', 'u32', 'ptr', 'ptr'], 'bool', (p, h, buf, n, written, _ov) => {
    writeOut(p, written, 0);
    const r = writeHandle(p, h, p.mem.readBytes(buf, n));
    if (!r.ok) { p.lastError = r.error; return false; }
    writeOut(p, written, r.value);
    return true;
  }),
  SetFilePointer: fn(['handle', 'i32', 'ptr', 'u32'], 'u32', (p, h, lo, hiPtr, method) => {
    const offset = hiPtr ? p.mem.readI32(hiPtr) * 0x100000000 + (lo >>> 0) : lo;
    const r = seekHandle(p, h, offset, method);
    if (!r.ok) { p.lastError = r.error; return INVALID_SET_FILE_POINTER; }
    if (hiPtr) p.mem.write32(hiPtr, Math.floor(r.value / 0x100000000));
    p.lastError = Win32Error.SUCCESS;
    return r.value >>> 0;
  }),
  SetFilePointerEx: fn(['handle', 'i64', 'ptr', 'u32'], 'bool', (p, h, dist, newPos, method) => {
    const r = seekHandle(p, h, Number(dist), method);
    if (!r.ok) { p.lastError = r.error; return false; }
    if (newPos) p.mem.write64(newPos, BigInt(r.value));
    return true;
  }),
  GetFileSize: fn(['handle', 'ptr'], 'u32', (p, h, hiPtr) => {
    const r = fileSize(p, h);
    if (!r.ok) { p.lastError = r.error; return INVALID_FILE_SIZE; }
    if (hiPtr) p.mem.write32(hiPtr, Math.floor(r.value / 0x100000000));
    p.lastError = Win32Error.SUCCESS;
    return r.value >>> 0;
  }),
  GetFileSizeEx: fn(['handle', 'ptr'], 'bool', (p, h, out) => {
    const r = fileSize(p, h);
    if (!r.ok) { p.lastError = r.error; return false; }
    p.mem.write64(out, BigInt(r.value));
    return true;
  }),
  SetEndOfFile: fn(['handle'], 'bool', (p, h) => {
    const r = truncateHandle(p, h);
    if (!r.ok) { p.lastError = r.error; return false; }
    return true;
  }),
  FlushFileBuffers: fn(['handle'], 'bool', (p, h) => {
    if (!objectOf(p, h)) { p.lastError = Win32Error.INVALID_HANDLE; return false; }
    return true;
  }),
  CloseHandle: fn(['handle'], 'bool', (p, h) => {
    if (h === -1 || h === -2) return true; // pseudo handles
    if (!closeHandle(p, h)) { p.lastError = Win32Error.INVALID_HANDLE; return false; }
    return true;
  }),
  GetFileType: fn(['handle'], 'u32', (p, h) => {
    const t = fileType(p, h);
    p.lastError = t === 0 ? Win32Error.INVALID_HANDLE : Win32Error.SUCCESS;
    return t;
  }),
  DeleteFileA: fn(['str'], 'bool', (p, path) => deleteFile(p, path)),
  DeleteFileW: fn(['wstr'], 'bool', (p, path) => deleteFile(p, path)),
  MoveFileA: fn(['str', 'str'], 'bool', (p, a, b) => moveFile(p, a, b, false)),
  MoveFileW: fn(['wstr', 'wstr'], 'bool', (p, a, b) => moveFile(p, a, b, false)),
  MoveFileExA: fn(['str', 'str', 'u32'], 'bool', (p, a, b, flags) => moveFile(p, a, b, (flags & 1) !== 0)),
  MoveFileExW: fn(['wstr', 'wstr', 'u32'], 'bool', (p, a, b, flags) => moveFile(p, a, b, (flags & 1) !== 0)),
  GetFileAttributesA: fn(['str'], 'u32', (p, path) => attributesOf(p, path)),
  GetFileAttributesW: fn(['wstr'], 'u32', (p, path) => attributesOf(p, path)),
  CreateDirectoryA: fn(['str', 'ptr'], 'bool', (p, path) => createDirectory(p, path)),
  CreateDirectoryW: fn(['wstr', 'ptr'], 'bool', (p, path) => createDirectory(p, path)),
  RemoveDirectoryA: fn(['str'], 'bool', (p, path) => removeDirectory(p, path)),
  RemoveDirectoryW: fn(['wstr'], 'bool', (p, path) => removeDirectory(p, path)),
  GetFullPathNameA: fn(['str', 'u32', 'ptr', 'ptr'], 'u32', (p, path, size, buf, fp) => fullPathName(p, path, size, buf, fp, false)),
  GetFullPathNameW: fn(['wstr', 'u32', 'ptr', 'ptr'], 'u32', (p, path, size, buf, fp) => fullPathName(p, path, size, buf, fp, true)),
  GetCurrentDirectoryA: fn(['u32', 'ptr'], 'u32', (p, size, buf) => currentDirectory(p, size, buf, false)),
  GetCurrentDirectoryW: fn(['u32', 'ptr'], 'u32', (p, size, buf) => currentDirectory(p, size, buf, true)),
  SetCurrentDirectoryA: fn(['str'], 'bool', (p, path) => setCurrentDirectory(p, path)),
  SetCurrentDirectoryW: fn(['wstr'], 'bool', (p, path) => setCurrentDirectory(p, path)),
  GetTempPathA: fn(['u32', 'ptr'], 'u32', (p, size, buf) => returnString(p, 'C:\\TEMP\\', buf, size, false)),
  GetTempPathW: fn(['u32', 'ptr'], 'u32', (p, size, buf) => returnString(p, 'C:\\TEMP\\', buf, size, true)),
  FindFirstFileA: fn(['str', 'ptr'], 'handle', (p, pat, data) => findFirst(p, pat, data, false)),
  FindFirstFileW: fn(['wstr', 'ptr'], 'handle', (p, pat, data) => findFirst(p, pat, data, true)),
  FindNextFileA: fn(['handle', 'ptr'], 'bool', (p, h, data) => findNext(p, h, data, false)),
  FindNextFileW: fn(['handle', 'ptr'], 'bool', (p, h, data) => findNext(p, h, data, true)),
  FindClose: fn(['handle'], 'bool', (p, h) => {
    const o = p.handles.get(h);
    if (!o || o.kind !== 'find') { p.lastError = Win32Error.INVALID_HANDLE; return false; }
    return closeHandle(p, h);
  }),
  WriteConsoleA: fn(['handle', 'ptr', 'u32', 'ptr', 'ptr'], 'bool', (p, h, buf, n, written) => writeConsole(p, h, buf, n, written, false)),
  WriteConsoleW: fn(['handle', 'ptr', 'u32', 'ptr', 'ptr'], 'bool', (p, h, buf, n, written) => writeConsole(p, h, buf, n, written, true)),
  GetConsoleMode: fn(['handle', 'ptr'], 'bool', (p, h, mode) => {
    const o = objectOf(p, h);
    if (!o || o.kind !== 'std' || !p.host.isTerminal(o.fd)) { p.lastError = Win32Error.INVALID_HANDLE; return false; }
    p.mem.write32(mode, o.fd === 0 ? 0x1f7 : 0x3);
    return true;
  }),
  SetConsoleMode: fn(['handle', 'u32'], 'bool', (p, h) => {
    const o = objectOf(p, h);
    if (!o || o.kind !== 'std' || !p.host.isTerminal(o.fd)) { p.lastError = Win32Error.INVALID_HANDLE; return false; }
    return true;
  }),
  GetConsoleCP: fn([], 'u32', () => 437),
  GetConsoleOutputCP: fn([], 'u32', () => 437),
  SetConsoleCP: fn(['u32'], 'bool', () => true),
  SetConsoleOutputCP: fn(['u32'], 'bool', () => true),
  SetConsoleCtrlHandler: fn(['ptr', 'bool'], 'bool', () => true),
};

export { Disposition };

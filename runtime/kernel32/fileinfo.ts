// KERNEL32 file information: GetFileAttributesEx, GetFileInformationByHandle,
// FindFirstFileEx (the basic forms), CopyFile, free space and drive types. Also the
// shared "what does Windows say about this path" helper the CRT's _stat and _findfirst
// use: attributes (a file whose host mode lacks the owner's write bit, or anything on
// a read-only mount, is FILE_ATTRIBUTE_READONLY), sizes and FILETIMEs.

import { copyFileSync, existsSync, fstatSync, statSync, statfsSync, utimesSync, chmodSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { errnoToWin32, objectOf, sandboxErrorCode } from '../io.js';
import { Win32Error } from './errors.js';
import { fileFunctions } from './file.js';

export const FILE_ATTRIBUTE_READONLY = 0x1;
export const FILE_ATTRIBUTE_DIRECTORY = 0x10;
export const FILE_ATTRIBUTE_ARCHIVE = 0x20;
const FILETIME_EPOCH_DIFF_MS = 11644473600000;

/** What the guest can learn about one file or directory. */
export interface GuestFileInfo {
  attributes: number;
  isDir: boolean;
  size: number;
  creationMs: number;
  accessMs: number;
  writeMs: number;
  hostPath: string;
}

export function infoFromStats(s: Stats, readOnlyMount: boolean, hostPath: string): GuestFileInfo {
  const isDir = s.isDirectory();
  const readOnly = readOnlyMount || (s.mode & 0o200) === 0;
  const attributes = (isDir ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE) | (readOnly ? FILE_ATTRIBUTE_READONLY : 0);
  const creation = s.birthtimeMs > 0 ? s.birthtimeMs : s.ctimeMs;
  return { attributes, isDir, size: isDir ? 0 : s.size, creationMs: creation, accessMs: s.atimeMs, writeMs: s.mtimeMs, hostPath };
}

/** Stats a guest path through the sandbox; the error is a Win32 code. */
export function guestFileInfo(p: Process, path: string): { ok: true; info: GuestFileInfo } | { ok: false; error: number } {
  if (/[*?]/.test(path)) return { ok: false, error: Win32Error.INVALID_NAME };
  const r = p.sandbox.resolve(path);
  if (r.kind === 'error') return { ok: false, error: sandboxErrorCode(r.error) };
  if (r.kind === 'device') return { ok: false, error: Win32Error.INVALID_FUNCTION };
  try {
    return { ok: true, info: infoFromStats(statSync(r.hostPath), r.readOnly, r.hostPath) };
  } catch (e) {
    const code = errnoToWin32(e);
    return { ok: false, error: code === Win32Error.FILE_NOT_FOUND && parentMissing(r.hostPath) ? Win32Error.PATH_NOT_FOUND : code };
  }
}

function parentMissing(hostPath: string): boolean {
  const slash = hostPath.lastIndexOf('/');
  return slash > 0 && !existsSync(hostPath.slice(0, slash));
}

/** Info about an open handle's file, or undefined when it is not a disk file. */
export function handleFileInfo(p: Process, h: number): GuestFileInfo | undefined {
  const o = objectOf(p, h);
  if (!o || o.kind !== 'file') return undefined;
  return infoFromStats(fstatSync(o.fd), false, o.hostPath);
}

export function fileTime(ms: number): bigint {
  return BigInt(Math.round((ms + FILETIME_EPOCH_DIFF_MS) * 10000));
}

function writeAttributeData(p: Process, at: number, i: GuestFileInfo): void {
  const m = p.mem;
  m.write32(at, i.attributes);
  m.write64(at + 4, fileTime(i.creationMs));
  m.write64(at + 12, fileTime(i.accessMs));
  m.write64(at + 20, fileTime(i.writeMs));
  m.write32(at + 28, Math.floor(i.size / 0x100000000));
  m.write32(at + 32, i.size >>> 0);
}

function getFileAttributesEx(p: Process, path: string | null, level: number, out: number): boolean {
  if (level !== 0) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
  if (path === null) { p.lastError = Win32Error.PATH_NOT_FOUND; return false; }
  const r = guestFileInfo(p, path);
  if (!r.ok) { p.lastError = r.error; return false; }
  writeAttributeData(p, out, r.info);
  return true;
}

function getFileInformationByHandle(p: Process, h: number, out: number): boolean {
  const o = objectOf(p, h);
  if (!o) { p.lastError = Win32Error.INVALID_HANDLE; return false; }
  const i = handleFileInfo(p, h);
  if (!i) { p.lastError = Win32Error.INVALID_FUNCTION; return false; }
  const m = p.mem;
  m.write32(out, i.attributes);
  m.write64(out + 4, fileTime(i.creationMs));
  m.write64(out + 12, fileTime(i.accessMs));
  m.write64(out + 20, fileTime(i.writeMs));
  m.write32(out + 28, 0x57455845); // volume serial number: "WEXE"
  m.write32(out + 32, Math.floor(i.size / 0x100000000));
  m.write32(out + 36, i.size >>> 0);
  m.write32(out + 40, 1); // links
  const ino = o.kind === 'file' ? fstatSync(o.fd).ino : 0;
  m.write32(out + 44, Math.floor(ino / 0x100000000) >>> 0);
  m.write32(out + 48, ino >>> 0);
  return true;
}

function copyFile(p: Process, from: string | null, to: string | null, failIfExists: boolean): boolean {
  if (from === null || to === null) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
  const src = guestFileInfo(p, from);
  if (!src.ok) { p.lastError = src.error; return false; }
  if (src.info.isDir) { p.lastError = Win32Error.ACCESS_DENIED; return false; }
  const dst = p.sandbox.resolve(to);
  if (dst.kind !== 'file') { p.lastError = dst.kind === 'error' ? sandboxErrorCode(dst.error) : Win32Error.ACCESS_DENIED; return false; }
  if (dst.readOnly) { p.lastError = Win32Error.ACCESS_DENIED; return false; }
  if (existsSync(dst.hostPath)) {
    if (failIfExists) { p.lastError = Win32Error.FILE_EXISTS; return false; }
    const d = guestFileInfo(p, to);
    if (d.ok && (d.info.isDir || (d.info.attributes & FILE_ATTRIBUTE_READONLY))) { p.lastError = Win32Error.ACCESS_DENIED; return false; }
  }
  try {
    copyFileSync(src.info.hostPath, dst.hostPath);
    // CopyFile keeps the source's last-write time and attributes.
    utimesSync(dst.hostPath, src.info.accessMs / 1000, src.info.writeMs / 1000);
    chmodSync(dst.hostPath, statSync(src.info.hostPath).mode & 0o777);
    return true;
  } catch (e) {
    p.lastError = errnoToWin32(e);
    return false;
  }
}

/** Free space of the host file system behind the root, capped to what a guest expects to see. */
function diskSpace(p: Process, root: string | null): { avail: bigint; total: bigint; free: bigint } | undefined {
  const r = p.sandbox.resolve(root ?? p.sandbox.cwd.slice(0, 3));
  if (r.kind !== 'file') return undefined;
  try {
    const s = statfsSync(r.hostPath.length > 0 ? r.hostPath : '/', { bigint: true });
    return { avail: s.bavail * s.bsize, total: s.blocks * s.bsize, free: s.bfree * s.bsize };
  } catch {
    return { avail: 1n << 34n, total: 1n << 36n, free: 1n << 34n };
  }
}

const DRIVE_NO_ROOT_DIR = 1;
const DRIVE_FIXED = 3;

function driveType(p: Process, root: string | null): number {
  const path = root === null ? p.sandbox.cwd.slice(0, 3) : root;
  if (!/^[A-Za-z]:\\?$/.test(path)) return DRIVE_NO_ROOT_DIR;
  const r = p.sandbox.resolve(`${path[0]}:\\`);
  return r.kind === 'file' && existsSync(r.hostPath) ? DRIVE_FIXED : DRIVE_NO_ROOT_DIR;
}

function logicalDrives(p: Process): number {
  let mask = 0;
  for (let i = 0; i < 26; i++) if (driveType(p, `${String.fromCharCode(65 + i)}:\\`) === DRIVE_FIXED) mask |= 1 << i;
  return mask >>> 0;
}

function writeU64(p: Process, at: number, v: bigint): void { if (at) p.mem.write64(at, v); }

function getDiskFreeSpaceEx(p: Process, root: string | null, avail: number, total: number, free: number): boolean {
  const s = diskSpace(p, root);
  if (!s) { p.lastError = Win32Error.PATH_NOT_FOUND; return false; }
  writeU64(p, avail, s.avail);
  writeU64(p, total, s.total);
  writeU64(p, free, s.free);
  return true;
}

function getDiskFreeSpace(p: Process, root: string | null, spc: number, bps: number, freeClusters: number, totalClusters: number): boolean {
  const s = diskSpace(p, root);
  if (!s) { p.lastError = Win32Error.PATH_NOT_FOUND; return false; }
  const cluster = 4096n;
  const clamp = (v: bigint): number => Number(v / cluster > 0xffffffffn ? 0xffffffffn : v / cluster);
  if (spc) p.mem.write32(spc, 8);
  if (bps) p.mem.write32(bps, 512);
  if (freeClusters) p.mem.write32(freeClusters, clamp(s.avail));
  if (totalClusters) p.mem.write32(totalClusters, clamp(s.total));
  return true;
}

type FindFirst = (p: Process, pattern: string | null, data: number) => number;
const findFirstA = fileFunctions.FindFirstFileA.impl as unknown as FindFirst;
const findFirstW = fileFunctions.FindFirstFileW.impl as unknown as FindFirst;

/** FindFirstFileEx with FindExInfoStandard/Basic and FindExSearchNameMatch (or the directory-only hint). */
function findFirstEx(p: Process, pattern: string | null, level: number, data: number, op: number, wide: boolean): number {
  if (level > 1 || op > 1) { p.lastError = Win32Error.INVALID_PARAMETER; return -1; }
  return (wide ? findFirstW : findFirstA)(p, pattern, data);
}

export const fileInfoFunctions = {
  GetFileAttributesExA: fn(['str', 'u32', 'ptr'], 'bool', (p, path, level, out) => getFileAttributesEx(p, path, level, out)),
  GetFileAttributesExW: fn(['wstr', 'u32', 'ptr'], 'bool', (p, path, level, out) => getFileAttributesEx(p, path, level, out)),
  GetFileInformationByHandle: fn(['handle', 'ptr'], 'bool', (p, h, out) => getFileInformationByHandle(p, h, out)),
  FindFirstFileExA: fn(['str', 'u32', 'ptr', 'u32', 'ptr', 'u32'], 'handle', (p, pat, level, data, op) => findFirstEx(p, pat, level, data, op, false)),
  FindFirstFileExW: fn(['wstr', 'u32', 'ptr', 'u32', 'ptr', 'u32'], 'handle', (p, pat, level, data, op) => findFirstEx(p, pat, level, data, op, true)),
  CopyFileA: fn(['str', 'str', 'bool'], 'bool', (p, a, b, fail) => copyFile(p, a, b, fail !== 0)),
  CopyFileW: fn(['wstr', 'wstr', 'bool'], 'bool', (p, a, b, fail) => copyFile(p, a, b, fail !== 0)),
  CopyFileExA: fn(['str', 'str', 'ptr', 'ptr', 'ptr', 'u32'], 'bool', (p, a, b, _cb, _data, _cancel, flags) => copyFile(p, a, b, (flags & 1) !== 0)),
  CopyFileExW: fn(['wstr', 'wstr', 'ptr', 'ptr', 'ptr', 'u32'], 'bool', (p, a, b, _cb, _data, _cancel, flags) => copyFile(p, a, b, (flags & 1) !== 0)),
  GetDiskFreeSpaceExA: fn(['str', 'ptr', 'ptr', 'ptr'], 'bool', (p, root, a, t, f) => getDiskFreeSpaceEx(p, root, a, t, f)),
  GetDiskFreeSpaceExW: fn(['wstr', 'ptr', 'ptr', 'ptr'], 'bool', (p, root, a, t, f) => getDiskFreeSpaceEx(p, root, a, t, f)),
  GetDiskFreeSpaceA: fn(['str', 'ptr', 'ptr', 'ptr', 'ptr'], 'bool', (p, root, a, b, c, d) => getDiskFreeSpace(p, root, a, b, c, d)),
  GetDiskFreeSpaceW: fn(['wstr', 'ptr', 'ptr', 'ptr', 'ptr'], 'bool', (p, root, a, b, c, d) => getDiskFreeSpace(p, root, a, b, c, d)),
  GetDriveTypeA: fn(['str'], 'u32', (p, root) => driveType(p, root)),
  GetDriveTypeW: fn(['wstr'], 'u32', (p, root) => driveType(p, root)),
  GetLogicalDrives: fn([], 'u32', (p) => logicalDrives(p)),
};

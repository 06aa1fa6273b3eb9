// KERNEL32 functions console programs call for their surroundings: console screen
// buffer queries, the computer name ("WEXE"), the system and Windows directories,
// GetTempFileName, OutputDebugString (shown only by `--trace api`), IsBadReadPtr.

import { existsSync } from 'node:fs';
import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { closeHandle, Disposition, GENERIC_WRITE, objectOf, openFile } from '../io.js';
import { Win32Error } from './errors.js';
import { returnString } from './file.js';
import { Access, Prot } from '../../src/mem/memory.js';

export const COMPUTER_NAME = 'WEXE';
export const WINDOWS_DIRECTORY = 'C:\\Windows';
export const SYSTEM_DIRECTORY = 'C:\\Windows\\system32';
const ERROR_BUFFER_OVERFLOW = 111;

/** The console's screen buffer only exists when the handle is a terminal; a pipe or file fails. */
function isConsoleOutput(p: Process, h: number): boolean {
  const o = objectOf(p, h);
  return o !== undefined && o.kind === 'std' && o.fd !== 0 && p.host.isTerminal(o.fd);
}

function screenBufferInfo(p: Process, h: number, out: number): boolean {
  if (!isConsoleOutput(p, h)) { p.lastError = Win32Error.INVALID_HANDLE; return false; }
  const m = p.mem;
  m.write16(out, 80); m.write16(out + 2, 300); // dwSize
  m.write16(out + 4, 0); m.write16(out + 6, 0); // dwCursorPosition
  m.write16(out + 8, 0x07); // wAttributes: light grey on black
  m.write16(out + 10, 0); m.write16(out + 12, 0); m.write16(out + 14, 79); m.write16(out + 16, 24); // srWindow
  m.write16(out + 18, 80); m.write16(out + 20, 25); // dwMaximumWindowSize
  return true;
}

function consoleOnly(p: Process, h: number): boolean {
  if (!isConsoleOutput(p, h)) { p.lastError = Win32Error.INVALID_HANDLE; return false; }
  return true;
}

/** GetComputerName: the length without NUL on success; ERROR_BUFFER_OVERFLOW with the size needed. */
function computerName(p: Process, buf: number, sizePtr: number, wide: boolean): boolean {
  if (sizePtr === 0) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
  const size = p.mem.read32(sizePtr);
  if (size < COMPUTER_NAME.length + 1) {
    p.mem.write32(sizePtr, COMPUTER_NAME.length + 1);
    p.lastError = ERROR_BUFFER_OVERFLOW;
    return false;
  }
  if (wide) p.mem.writeWString(buf, COMPUTER_NAME); else p.mem.writeCString(buf, COMPUTER_NAME);
  p.mem.write32(sizePtr, COMPUTER_NAME.length);
  return true;
}

/** GetTempFileName: "<path>\<up to 3 prefix chars><hex>.tmp"; a zero `unique` creates the file. */
function tempFileName(p: Process, path: string | null, prefix: string | null, unique: number, buf: number, wide: boolean): number {
  if (path === null || buf === 0) { p.lastError = Win32Error.INVALID_PARAMETER; return 0; }
  const base = /[\\/]$/.test(path) ? path : `${path}\\`;
  const pre = (prefix ?? '').slice(0, 3);
  const nameOf = (n: number): string => `${base}${pre}${n.toString(16).toUpperCase()}.tmp`;
  const write = (s: string): void => { if (wide) p.mem.writeWString(buf, s); else p.mem.writeCString(buf, s); };
  unique &= 0xffff;
  if (unique !== 0) { write(nameOf(unique)); return unique; }
  const dir = p.sandbox.resolve(base);
  if (dir.kind !== 'file' || !existsSync(dir.hostPath)) { p.lastError = Win32Error.PATH_NOT_FOUND; return 0; }
  const state = p.dllState('kernel32.tempFileName', () => ({ next: (Math.floor(p.host.now()) & 0xffff) || 1 }));
  for (let tries = 0; tries < 0x10000; tries++) {
    const n = state.next;
    state.next = (state.next + 1) & 0xffff || 1;
    const name = nameOf(n);
    const r = openFile(p, name, GENERIC_WRITE, Disposition.CreateNew);
    if (r.ok) { closeHandle(p, r.value); write(name); return n; }
    if (r.error !== Win32Error.FILE_EXISTS && r.error !== Win32Error.ACCESS_DENIED) { p.lastError = r.error; return 0; }
  }
  p.lastError = Win32Error.FILE_EXISTS;
  return 0;
}

function isBad(p: Process, addr: number, size: number, prot: Prot, access: Access): boolean {
  if (size === 0) return false;
  try { p.mem.check(addr, size, prot, access); return false; } catch { return true; }
}

export const systemFunctions = {
  GetConsoleScreenBufferInfo: fn(['handle', 'ptr'], 'bool', (p, h, out) => screenBufferInfo(p, h, out)),
  SetConsoleTextAttribute: fn(['handle', 'u32'], 'bool', (p, h) => consoleOnly(p, h)),
  SetConsoleCursorPosition: fn(['handle', 'u32'], 'bool', (p, h) => consoleOnly(p, h)),
  FillConsoleOutputCharacterA: fn(['handle', 'u32', 'u32', 'u32', 'ptr'], 'bool', (p, h) => consoleOnly(p, h)),
  FillConsoleOutputAttribute: fn(['handle', 'u32', 'u32', 'u32', 'ptr'], 'bool', (p, h) => consoleOnly(p, h)),
  SetConsoleTitleA: fn(['str'], 'bool', () => true),
  SetConsoleTitleW: fn(['wstr'], 'bool', () => true),
  GetConsoleWindow: fn([], 'ptr', () => 0),
  GetComputerNameA: fn(['ptr', 'ptr'], 'bool', (p, buf, size) => computerName(p, buf, size, false)),
  GetComputerNameW: fn(['ptr', 'ptr'], 'bool', (p, buf, size) => computerName(p, buf, size, true)),
  GetSystemDirectoryA: fn(['ptr', 'u32'], 'u32', (p, buf, size) => returnString(p, SYSTEM_DIRECTORY, buf, size, false)),
  GetSystemDirectoryW: fn(['ptr', 'u32'], 'u32', (p, buf, size) => returnString(p, SYSTEM_DIRECTORY, buf, size, true)),
  GetWindowsDirectoryA: fn(['ptr', 'u32'], 'u32', (p, buf, size) => returnString(p, WINDOWS_DIRECTORY, buf, size, false)),
  GetWindowsDirectoryW: fn(['ptr', 'u32'], 'u32', (p, buf, size) => returnString(p, WINDOWS_DIRECTORY, buf, size, true)),
  GetSystemWindowsDirectoryA: fn(['ptr', 'u32'], 'u32', (p, buf, size) => returnString(p, WINDOWS_DIRECTORY, buf, size, false)),
  GetSystemWindowsDirectoryW: fn(['ptr', 'u32'], 'u32', (p, buf, size) => returnString(p, WINDOWS_DIRECTORY, buf, size, true)),
  GetTempFileNameA: fn(['str', 'str', 'u32', 'ptr'], 'u32', (p, path, pre, u, buf) => tempFileName(p, path, pre, u, buf, false)),
  GetTempFileNameW: fn(['wstr', 'wstr', 'u32', 'ptr'], 'u32', (p, path, pre, u, buf) => tempFileName(p, path, pre, u, buf, true)),
  OutputDebugStringA: fn(['str'], 'void', () => undefined),
  OutputDebugStringW: fn(['wstr'], 'void', () => undefined),
  IsBadReadPtr: fn(['ptr', 'u64'], 'bool', (p, a, n) => isBad(p, a, Number(n), Prot.R, Access.Read)),
  IsBadWritePtr: fn(['ptr', 'u64'], 'bool', (p, a, n) => isBad(p, a, Number(n), Prot.W, Access.Write)),
  IsBadCodePtr: fn(['ptr'], 'bool', (p, a) => isBad(p, a, 1, Prot.X, Access.Execute)),
};

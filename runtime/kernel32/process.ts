// KERNEL32 process, environment, modules, threads and errors.

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { Win32Error } from './errors.js';
import { returnString } from './file.js';
import { cp1252Encode, utf16Bytes } from '../text.js';
import { TebOff } from '../process-env.js';
import { moduleHandle, moduleName, procAddress } from '../modules.js';
import { moduleBaseOf } from '../ntdll/exceptions.js';

function getEnvironmentVariable(p: Process, name: string | null, buf: number, size: number, wide: boolean): number {
  if (name === null) { p.lastError = Win32Error.ENVVAR_NOT_FOUND; return 0; }
  const v = p.getEnv(name);
  if (v === undefined) { p.lastError = Win32Error.ENVVAR_NOT_FOUND; return 0; }
  return returnString(p, v, buf, size, wide);
}

function setEnvironmentVariable(p: Process, name: string | null, value: string | null): boolean {
  if (name === null || name === '' || name.includes('=')) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
  p.setEnv(name, value ?? undefined);
  return true;
}

/** Environment block copies handed out by GetEnvironmentStrings (freed with FreeEnvironmentStrings). */
function environmentStrings(p: Process, wide: boolean): number {
  const entries = [...p.env.entries()].map(([k, v]) => `${k}=${v}`);
  const text = entries.join('\0') + '\0\0';
  const bytes = wide ? utf16Bytes(text) : cp1252Encode(text).bytes;
  const a = p.alloc(bytes.length);
  p.mem.writeBytes(a, bytes);
  return a;
}

function moduleFileName(p: Process, hmod: number, buf: number, size: number, wide: boolean): number {
  let name: string;
  if (hmod === 0 || hmod === p.imageBase) name = p.imagePath;
  else {
    const m = moduleName(p, hmod);
    if (!m) { p.lastError = Win32Error.MOD_NOT_FOUND; return 0; }
    name = `C:\\windows\\system32\\${m.toLowerCase()}`;
  }
  if (size === 0) { p.lastError = Win32Error.INSUFFICIENT_BUFFER; return 0; }
  if (size < name.length + 1) {
    // Truncated: copies size-1 characters plus NUL and returns size (Windows XP+ behaviour).
    const cut = name.slice(0, size - 1);
    if (wide) p.mem.writeWString(buf, cut); else p.mem.writeCString(buf, cut);
    p.lastError = Win32Error.INSUFFICIENT_BUFFER;
    return size;
  }
  if (wide) p.mem.writeWString(buf, name); else p.mem.writeBytes(buf, Uint8Array.from([...cp1252Encode(name).bytes, 0]));
  p.lastError = Win32Error.SUCCESS;
  return name.length;
}

/** Expands %NAME% references; returns the size needed including the terminator, as Windows does. */
function expandEnvironment(p: Process, src: string | null, buf: number, size: number, wide: boolean): number {
  const out = (src ?? '').replace(/%([^%]+)%/g, (m, n: string) => p.getEnv(n) ?? m);
  if (size >= out.length + 1) returnString(p, out, buf, size, wide);
  return out.length + 1;
}

/** GetModuleHandle/LoadLibrary: the executable itself or a DLL the runtime implements. */
function getModuleHandle(p: Process, name: string | null): number {
  if (name === null) return p.imageBase;
  const base = name.replace(/\//g, '\\').split('\\').pop()!;
  const exeName = p.imagePath.split('\\').pop()!;
  if (base.toLowerCase() === exeName.toLowerCase()) return p.imageBase;
  const h = moduleHandle(p, /\.[^.]*$/.test(base) ? base : `${base}.dll`);
  if (h === 0) p.lastError = Win32Error.MOD_NOT_FOUND;
  return h;
}

function getProcAddress(p: Process, hmod: number, nameOrOrdinal: number): number {
  const key: string | number = nameOrOrdinal < 0x10000 ? nameOrOrdinal : p.mem.readCString(nameOrOrdinal);
  const addr = procAddress(p, hmod, key);
  if (addr === 0) p.lastError = Win32Error.PROC_NOT_FOUND;
  return addr;
}

function writeStartupInfo(p: Process, at: number, wide: boolean): void {
  void wide;
  p.mem.fill(at, 0, 104);
  p.mem.write32(at, 104);
}

export const processFunctions = {
  GetCommandLineA: fn([], 'ptr', (p) => p.dllState('kernel32.cmdlineA', () => {
    const bytes = cp1252Encode(p.commandLine).bytes;
    const a = p.alloc(bytes.length + 1, true);
    p.mem.writeBytes(a, bytes);
    return a;
  })),
  GetCommandLineW: fn([], 'ptr', (p) => p.dllState('kernel32.cmdlineW', () => {
    const a = p.alloc(2 * p.commandLine.length + 2, true);
    p.mem.writeWString(a, p.commandLine);
    return a;
  })),
  GetEnvironmentVariableA: fn(['str', 'ptr', 'u32'], 'u32', (p, name, buf, size) => getEnvironmentVariable(p, name, buf, size, false)),
  GetEnvironmentVariableW: fn(['wstr', 'ptr', 'u32'], 'u32', (p, name, buf, size) => getEnvironmentVariable(p, name, buf, size, true)),
  SetEnvironmentVariableA: fn(['str', 'str'], 'bool', (p, name, value) => setEnvironmentVariable(p, name, value)),
  SetEnvironmentVariableW: fn(['wstr', 'wstr'], 'bool', (p, name, value) => setEnvironmentVariable(p, name, value)),
  GetEnvironmentStrings: fn([], 'ptr', (p) => environmentStrings(p, false)),
  GetEnvironmentStringsA: fn([], 'ptr', (p) => environmentStrings(p, false)),
  GetEnvironmentStringsW: fn([], 'ptr', (p) => environmentStrings(p, true)),
  FreeEnvironmentStringsA: fn(['ptr'], 'bool', (p, a) => { p.processHeap.free(a); return true; }),
  FreeEnvironmentStringsW: fn(['ptr'], 'bool', (p, a) => { p.processHeap.free(a); return true; }),
  ExpandEnvironmentStringsA: fn(['str', 'ptr', 'u32'], 'u32', (p, src, buf, size) => expandEnvironment(p, src, buf, size, false)),
  ExpandEnvironmentStringsW: fn(['wstr', 'ptr', 'u32'], 'u32', (p, src, buf, size) => expandEnvironment(p, src, buf, size, true)),
  ExitProcess: fn(['u32'], 'void', (p, code) => p.exit(code)),
  TerminateProcess: fn(['handle', 'u32'], 'bool', (p, h, code) => {
    if (h !== -1) { p.lastError = Win32Error.ACCESS_DENIED; return false; }
    return p.exit(code);
  }),
  GetExitCodeProcess: fn(['handle', 'ptr'], 'bool', (p, _h, out) => { p.mem.write32(out, 259); return true; }),
  GetCurrentProcess: fn([], 'handle', () => -1),
  GetCurrentThread: fn([], 'handle', () => -2),
  GetCurrentProcessId: fn([], 'u32', (p) => p.processId),
  GetCurrentThreadId: fn([], 'u32', (p) => p.threadId),
  GetLastError: fn([], 'u32', (p) => p.lastError),
  SetLastError: fn(['u32'], 'void', (p, e) => { p.lastError = e; }),
  GetModuleHandleA: fn(['str'], 'ptr', (p, name) => getModuleHandle(p, name)),
  GetModuleHandleW: fn(['wstr'], 'ptr', (p, name) => getModuleHandle(p, name)),
  GetModuleHandleExW: fn(['u32', 'ptr', 'ptr'], 'bool', (p, flags, name, out) => {
    // GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS: `name` is an address inside the module.
    const h = (flags & 4) ? moduleBaseOf(p, name) : name === 0 ? p.imageBase : getModuleHandle(p, p.mem.readWString(name));
    p.mem.writePtr(out, h);
    if (h === 0) { p.lastError = Win32Error.MOD_NOT_FOUND; return false; }
    return true;
  }),
  GetModuleFileNameA: fn(['ptr', 'ptr', 'u32'], 'u32', (p, h, buf, size) => moduleFileName(p, h, buf, size, false)),
  GetModuleFileNameW: fn(['ptr', 'ptr', 'u32'], 'u32', (p, h, buf, size) => moduleFileName(p, h, buf, size, true)),
  LoadLibraryA: fn(['str'], 'ptr', (p, name) => getModuleHandle(p, name ?? '')),
  LoadLibraryW: fn(['wstr'], 'ptr', (p, name) => getModuleHandle(p, name ?? '')),
  LoadLibraryExA: fn(['str', 'handle', 'u32'], 'ptr', (p, name) => getModuleHandle(p, name ?? '')),
  LoadLibraryExW: fn(['wstr', 'handle', 'u32'], 'ptr', (p, name) => getModuleHandle(p, name ?? '')),
  FreeLibrary: fn(['ptr'], 'bool', () => true),
  GetProcAddress: fn(['ptr', 'ptr'], 'ptr', (p, h, name) => getProcAddress(p, h, name)),
  GetStartupInfoA: fn(['ptr'], 'void', (p, at) => writeStartupInfo(p, at, false)),
  GetStartupInfoW: fn(['ptr'], 'void', (p, at) => writeStartupInfo(p, at, true)),
  IsDebuggerPresent: fn([], 'bool', () => false),
  SetUnhandledExceptionFilter: fn(['ptr'], 'ptr', (p, filter) => {
    const s = p.dllState('kernel32.exceptionFilter', () => ({ filter: 0 }));
    const old = s.filter;
    s.filter = filter;
    return old;
  }),
  UnhandledExceptionFilter: fn(['ptr'], 'i32', () => 0 /* EXCEPTION_CONTINUE_SEARCH */),
  SetErrorMode: fn(['u32'], 'u32', (p, mode) => {
    const s = p.dllState('kernel32.errorMode', () => ({ mode: 0 }));
    const old = s.mode;
    s.mode = mode;
    return old;
  }),
  GetVersion: fn([], 'u32', () => (19045 << 16) | 10),
  GetVersionExA: fn(['ptr'], 'bool', (p, info) => writeVersion(p, info, false)),
  GetVersionExW: fn(['ptr'], 'bool', (p, info) => writeVersion(p, info, true)),
  GetSystemInfo: fn(['ptr'], 'void', (p, at) => writeSystemInfo(p, at)),
  GetNativeSystemInfo: fn(['ptr'], 'void', (p, at) => writeSystemInfo(p, at)),
  IsProcessorFeaturePresent: fn(['u32'], 'bool', (_p, f) => [2, 3, 6, 7, 8, 10, 13, 36].includes(f)),
  GetCurrentThreadStackLimits: fn(['ptr', 'ptr'], 'void', (p, lo, hi) => {
    p.mem.writePtr(lo, p.mem.readPtr(p.teb + TebOff.deallocationStack));
    p.mem.writePtr(hi, p.mem.readPtr(p.teb + TebOff.stackBase));
  }),
};

function writeVersion(p: Process, info: number, wide: boolean): boolean {
  const size = p.mem.read32(info);
  if (size !== (wide ? 276 : 148) && size !== (wide ? 284 : 156)) { p.lastError = Win32Error.INSUFFICIENT_BUFFER; return false; }
  p.mem.write32(info + 4, 10); // major (a manifest-less program sees 6.2 on real Windows; wexe reports 10)
  p.mem.write32(info + 8, 0);
  p.mem.write32(info + 12, 19045);
  p.mem.write32(info + 16, 2); // VER_PLATFORM_WIN32_NT
  p.mem.fill(info + 20, 0, wide ? 256 : 128);
  return true;
}

function writeSystemInfo(p: Process, at: number): void {
  const m = p.mem;
  m.fill(at, 0, 48);
  m.write16(at + 0, 9); // PROCESSOR_ARCHITECTURE_AMD64
  m.write32(at + 4, 0x1000); // page size
  m.writePtr(at + 8, 0x10000);
  m.writePtr(at + 16, 0x7ffeffff);
  m.writePtr(at + 24, 1); // active processor mask
  m.write32(at + 32, 1); // number of processors
  m.write32(at + 36, 8664); // PROCESSOR_AMD_X8664
  m.write32(at + 40, 0x10000); // allocation granularity
  m.write16(at + 44, 6);
  m.write16(at + 46, 0);
}

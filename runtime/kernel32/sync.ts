// KERNEL32 synchronisation, TLS, time and sleeping. wexe runs one guest thread, so
// locks never contend; they still keep the owner and recursion fields real, because
// CRT code reads them.

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { Win32Error } from './errors.js';
import { TebOff, TLS_MINIMUM_AVAILABLE } from '../process-env.js';

const TLS_OUT_OF_INDEXES = 0xffffffff;
const WAIT_OBJECT_0 = 0;
const WAIT_TIMEOUT = 0x102;
const WAIT_FAILED = 0xffffffff;
const FILETIME_EPOCH_DIFF_MS = 11644473600000;

function enterCriticalSection(p: Process, cs: number): void {
  const m = p.mem;
  const owner = m.readPtr(cs + 16);
  if (owner === p.threadId) {
    m.write32(cs + 12, m.read32(cs + 12) + 1);
  } else {
    m.writePtr(cs + 16, p.threadId);
    m.write32(cs + 12, 1);
  }
  m.write32(cs + 8, (m.readI32(cs + 8) + 1) >>> 0);
}

function leaveCriticalSection(p: Process, cs: number): void {
  const m = p.mem;
  const rec = m.readI32(cs + 12) - 1;
  m.write32(cs + 12, Math.max(0, rec));
  if (rec <= 0) m.writePtr(cs + 16, 0);
  m.write32(cs + 8, (m.readI32(cs + 8) - 1) >>> 0);
}

function initCriticalSection(p: Process, cs: number, spin = 0): void {
  p.mem.fill(cs, 0, 40);
  p.mem.write32(cs + 8, 0xffffffff); // LockCount -1: free
  p.mem.writePtr(cs + 32, spin);
}

function tlsSlotAddress(p: Process, i: number): number { return p.teb + TebOff.tlsSlots + 8 * i; }

function waitFor(p: Process, h: number, ms: number): number {
  const o = p.handles.get(h);
  if (!o) { p.lastError = Win32Error.INVALID_HANDLE; return WAIT_FAILED; }
  if (o.kind === 'event') {
    if (o.signaled) { if (!o.manualReset) o.signaled = false; return WAIT_OBJECT_0; }
  } else if (o.kind === 'mutex') {
    o.owned++;
    return WAIT_OBJECT_0;
  } else if (o.kind === 'semaphore') {
    if (o.count > 0) { o.count--; return WAIT_OBJECT_0; }
  } else if (o.kind === 'thread' || o.kind === 'process') {
    return WAIT_OBJECT_0;
  }
  // Nothing else can signal it: with one thread, an infinite wait would hang forever.
  if (ms === 0xffffffff) throw new Error('the guest waits forever on an object no thread can signal (deadlock)');
  p.host.sleep(ms);
  return WAIT_TIMEOUT;
}

function writeFileTime(p: Process, at: number, ms: number): void {
  p.mem.write64(at, BigInt(Math.round((ms + FILETIME_EPOCH_DIFF_MS) * 10000)));
}

function writeSystemTime(p: Process, at: number, ms: number): void {
  const d = new Date(ms);
  const vals = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDay(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()];
  vals.forEach((v, i) => p.mem.write16(at + 2 * i, v));
}

function startMs(p: Process): bigint { return p.dllState('kernel32.bootNs', () => p.host.monotonicNs() - 3_600_000_000_000n); }

export const syncFunctions = {
  InitializeCriticalSection: fn(['ptr'], 'void', (p, cs) => initCriticalSection(p, cs)),
  InitializeCriticalSectionAndSpinCount: fn(['ptr', 'u32'], 'bool', (p, cs, spin) => { initCriticalSection(p, cs, spin); return true; }),
  InitializeCriticalSectionEx: fn(['ptr', 'u32', 'u32'], 'bool', (p, cs, spin) => { initCriticalSection(p, cs, spin); return true; }),
  EnterCriticalSection: fn(['ptr'], 'void', (p, cs) => enterCriticalSection(p, cs)),
  TryEnterCriticalSection: fn(['ptr'], 'bool', (p, cs) => { enterCriticalSection(p, cs); return true; }),
  LeaveCriticalSection: fn(['ptr'], 'void', (p, cs) => leaveCriticalSection(p, cs)),
  DeleteCriticalSection: fn(['ptr'], 'void', (p, cs) => { p.mem.fill(cs, 0, 40); }),
  InitializeSRWLock: fn(['ptr'], 'void', (p, l) => p.mem.writePtr(l, 0)),
  AcquireSRWLockExclusive: fn(['ptr'], 'void', (p, l) => p.mem.writePtr(l, 1)),
  ReleaseSRWLockExclusive: fn(['ptr'], 'void', (p, l) => p.mem.writePtr(l, 0)),
  AcquireSRWLockShared: fn(['ptr'], 'void', (p, l) => p.mem.writePtr(l, p.mem.readPtr(l) + 0x10)),
  ReleaseSRWLockShared: fn(['ptr'], 'void', (p, l) => p.mem.writePtr(l, Math.max(0, p.mem.readPtr(l) - 0x10))),
  TlsAlloc: fn([], 'u32', (p) => {
    const i = p.tlsSlots.indexOf(false);
    if (i < 0 || i >= TLS_MINIMUM_AVAILABLE) { p.lastError = Win32Error.NOT_ENOUGH_MEMORY; return TLS_OUT_OF_INDEXES; }
    p.tlsSlots[i] = true;
    p.mem.writePtr(tlsSlotAddress(p, i), 0);
    return i;
  }),
  TlsFree: fn(['u32'], 'bool', (p, i) => {
    if (i >= TLS_MINIMUM_AVAILABLE || !p.tlsSlots[i]) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
    p.tlsSlots[i] = false;
    return true;
  }),
  TlsGetValue: fn(['u32'], 'ptr', (p, i) => {
    if (i >= TLS_MINIMUM_AVAILABLE) { p.lastError = Win32Error.INVALID_PARAMETER; return 0; }
    p.lastError = Win32Error.SUCCESS; // documented: callers check GetLastError when the value is 0
    return p.mem.readPtr(tlsSlotAddress(p, i));
  }),
  TlsSetValue: fn(['u32', 'ptr'], 'bool', (p, i, v) => {
    if (i >= TLS_MINIMUM_AVAILABLE) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
    p.mem.writePtr(tlsSlotAddress(p, i), v);
    return true;
  }),
  CreateEventA: fn(['ptr', 'bool', 'bool', 'ptr'], 'handle', (p, _sa, manual, initial) => p.handles.add({ kind: 'event', manualReset: !!manual, signaled: !!initial })),
  CreateEventW: fn(['ptr', 'bool', 'bool', 'ptr'], 'handle', (p, _sa, manual, initial) => p.handles.add({ kind: 'event', manualReset: !!manual, signaled: !!initial })),
  SetEvent: fn(['handle'], 'bool', (p, h) => {
    const o = p.handles.get(h);
    if (!o || o.kind !== 'event') { p.lastError = Win32Error.INVALID_HANDLE; return false; }
    o.signaled = true;
    return true;
  }),
  ResetEvent: fn(['handle'], 'bool', (p, h) => {
    const o = p.handles.get(h);
    if (!o || o.kind !== 'event') { p.lastError = Win32Error.INVALID_HANDLE; return false; }
    o.signaled = false;
    return true;
  }),
  CreateMutexA: fn(['ptr', 'bool', 'ptr'], 'handle', (p, _sa, owned) => p.handles.add({ kind: 'mutex', owned: owned ? 1 : 0 })),
  CreateMutexW: fn(['ptr', 'bool', 'ptr'], 'handle', (p, _sa, owned) => p.handles.add({ kind: 'mutex', owned: owned ? 1 : 0 })),
  ReleaseMutex: fn(['handle'], 'bool', (p, h) => {
    const o = p.handles.get(h);
    if (!o || o.kind !== 'mutex' || o.owned === 0) { p.lastError = 288; /* ERROR_NOT_OWNER */ return false; }
    o.owned--;
    return true;
  }),
  CreateSemaphoreA: fn(['ptr', 'i32', 'i32', 'ptr'], 'handle', (p, _sa, init, max) => p.handles.add({ kind: 'semaphore', count: init, max })),
  CreateSemaphoreW: fn(['ptr', 'i32', 'i32', 'ptr'], 'handle', (p, _sa, init, max) => p.handles.add({ kind: 'semaphore', count: init, max })),
  ReleaseSemaphore: fn(['handle', 'i32', 'ptr'], 'bool', (p, h, n, prev) => {
    const o = p.handles.get(h);
    if (!o || o.kind !== 'semaphore' || o.count + n > o.max) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
    if (prev) p.mem.write32(prev, o.count);
    o.count += n;
    return true;
  }),
  WaitForSingleObject: fn(['handle', 'u32'], 'u32', (p, h, ms) => waitFor(p, h, ms)),
  WaitForSingleObjectEx: fn(['handle', 'u32', 'bool'], 'u32', (p, h, ms) => waitFor(p, h, ms)),
  Sleep: fn(['u32'], 'void', (p, ms) => p.host.sleep(ms === 0xffffffff ? 0 : ms)),
  SleepEx: fn(['u32', 'bool'], 'u32', (p, ms) => { p.host.sleep(ms); return 0; }),
  SwitchToThread: fn([], 'bool', () => false),
  GetTickCount: fn([], 'u32', (p) => Number(((p.host.monotonicNs() - startMs(p)) / 1_000_000n) & 0xffffffffn)),
  GetTickCount64: fn([], 'u64', (p) => (p.host.monotonicNs() - startMs(p)) / 1_000_000n),
  QueryPerformanceCounter: fn(['ptr'], 'bool', (p, out) => { p.mem.write64(out, (p.host.monotonicNs() - startMs(p)) / 100n); return true; }),
  QueryPerformanceFrequency: fn(['ptr'], 'bool', (p, out) => { p.mem.write64(out, 10_000_000n); return true; }),
  GetSystemTimeAsFileTime: fn(['ptr'], 'void', (p, out) => writeFileTime(p, out, p.host.now())),
  GetSystemTimePreciseAsFileTime: fn(['ptr'], 'void', (p, out) => writeFileTime(p, out, p.host.now())),
  GetSystemTime: fn(['ptr'], 'void', (p, out) => writeSystemTime(p, out, p.host.now())),
  // wexe's guest time zone is UTC, so local time equals system time.
  GetLocalTime: fn(['ptr'], 'void', (p, out) => writeSystemTime(p, out, p.host.now())),
  FileTimeToSystemTime: fn(['ptr', 'ptr'], 'bool', (p, ft, st) => {
    const v = p.mem.read64(ft);
    writeSystemTime(p, st, Number(v / 10000n) - FILETIME_EPOCH_DIFF_MS);
    return true;
  }),
  FileTimeToLocalFileTime: fn(['ptr', 'ptr'], 'bool', (p, a, b) => { p.mem.write64(b, p.mem.read64(a)); return true; }),
  GetTimeZoneInformation: fn(['ptr'], 'u32', (p, tz) => { p.mem.fill(tz, 0, 172); return 0; /* TIME_ZONE_ID_UNKNOWN: UTC */ }),
};

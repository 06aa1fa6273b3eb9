// msvcrt time.h beyond time()/clock(): gmtime/localtime/mktime (64-bit, 32-bit and the
// unsuffixed x64 exports, which take a 64-bit time_t), asctime/ctime, strftime and
// wcsftime, _tzset and its variables, _ftime, _strdate/_strtime.
//
// The guest's system time zone is UTC (GetTimeZoneInformation reports it, and
// "Coordinated Universal Time" is its name). A TZ variable in the guest environment is
// honoured the way msvcrt parses it, with US daylight-saving rules for its daylight
// zone. As in msvcrt, the time-zone variables start as PST8PDT and are set by the first
// _tzset (explicit, or implicit in localtime, mktime, _ftime and strftime's %Z).

import { fn } from '../../src/abi/api.js';
import type { DataExport } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { crt, Errno } from './state.js';
import type { Tm } from './timecalc.js';
import { asctimeText, fromTm, MAX_TIME64, parseTz, strftimeText, toTm, usDaylight } from './timecalc.js';

const UTC_NAME = 'Coordinated Universal Time';
const TZNAME_SIZE = 64;

interface TimeState {
  timezone: number; // &_timezone (long, seconds west of UTC)
  daylight: number; // &_daylight (int)
  dstbias: number; // &_dstbias (long)
  tzname: number; // &_tzname: two char* to 64-byte buffers
  initialised: boolean;
  /** Shared by gmtime and localtime (one thread), as in msvcrt. */
  tmBuffer: number;
  /** Shared by asctime and ctime. */
  ascBuffer: number;
  wascBuffer: number;
}

function timeState(p: Process): TimeState {
  return p.dllState('msvcrt.time', () => {
    const m = p.mem;
    const vars = p.alloc(16, true);
    const names = p.alloc(16 + 2 * TZNAME_SIZE, true);
    const s: TimeState = {
      timezone: vars, daylight: vars + 4, dstbias: vars + 8, tzname: names, initialised: false,
      tmBuffer: p.alloc(36, true), ascBuffer: p.alloc(32, true), wascBuffer: p.alloc(64, true),
    };
    m.writePtr(names, names + 16);
    m.writePtr(names + 8, names + 16 + TZNAME_SIZE);
    setZone(p, s, 28800, 1, -3600, 'PST', 'PDT'); // msvcrt's values before the first _tzset
    return s;
  });
}

function setZone(p: Process, s: TimeState, timezone: number, daylight: number, dstbias: number, std: string, dst: string): void {
  const m = p.mem;
  m.dv.setInt32(s.timezone, timezone, true);
  m.dv.setInt32(s.daylight, daylight, true);
  m.dv.setInt32(s.dstbias, dstbias, true);
  m.writeCString(m.readPtr(s.tzname), std.slice(0, TZNAME_SIZE - 1));
  m.writeCString(m.readPtr(s.tzname + 8), dst.slice(0, TZNAME_SIZE - 1));
}

export function tzset(p: Process): void {
  const s = timeState(p);
  s.initialised = true;
  const tz = p.getEnv('TZ');
  if (tz !== undefined && tz !== '') {
    const z = parseTz(tz);
    setZone(p, s, z.timezone, z.daylight, -3600, z.std, z.dst);
  } else {
    setZone(p, s, 0, 0, 0, UTC_NAME, UTC_NAME);
  }
}

function zone(p: Process): { timezone: number; daylight: boolean; dstbias: number } {
  const s = timeState(p);
  if (!s.initialised) tzset(p);
  const dv = p.mem.dv;
  return { timezone: dv.getInt32(s.timezone, true), daylight: dv.getInt32(s.daylight, true) !== 0, dstbias: dv.getInt32(s.dstbias, true) };
}

function tzName(p: Process, dst: boolean): string {
  const s = timeState(p);
  if (!s.initialised) tzset(p);
  return p.mem.readCString(p.mem.readPtr(s.tzname + (dst ? 8 : 0)), TZNAME_SIZE);
}

// ---- struct tm in guest memory --------------------------------------------------------

function readTm(p: Process, a: number): Tm {
  const r = (i: number): number => p.mem.readI32(a + 4 * i);
  return { sec: r(0), min: r(1), hour: r(2), mday: r(3), mon: r(4), year: r(5), wday: r(6), yday: r(7), isdst: r(8) };
}

function writeTm(p: Process, a: number, tm: Tm): void {
  const v = [tm.sec, tm.min, tm.hour, tm.mday, tm.mon, tm.year, tm.wday, tm.yday, tm.isdst];
  v.forEach((x, i) => p.mem.write32(a + 4 * i, x >>> 0));
}

// ---- conversions ------------------------------------------------------------------------

/** UTC broken-down time, or undefined (EINVAL) outside 1970..3000. */
function gmtime(p: Process, t: number): Tm | undefined {
  if (!(t >= 0 && t <= MAX_TIME64)) { crt(p).errno = Errno.EINVAL; return undefined; }
  return toTm(t);
}

function isDaylight(p: Process, localStd: number): boolean {
  const z = zone(p);
  return z.daylight && usDaylight(localStd);
}

function localtime(p: Process, t: number): Tm | undefined {
  if (!(t >= 0 && t <= MAX_TIME64)) { crt(p).errno = Errno.EINVAL; return undefined; }
  const z = zone(p);
  const std = t - z.timezone;
  const dst = isDaylight(p, std);
  const local = dst ? std - z.dstbias : std;
  if (local < 0) { crt(p).errno = Errno.EINVAL; return undefined; }
  return toTm(local, dst ? 1 : 0);
}

/** mktime: normalises the fields, converts local time to UTC, and rewrites *tm. */
function mktime(p: Process, a: number, utc: boolean): number {
  const tm = readTm(p, a);
  const local = fromTm(tm);
  let t = local;
  if (!utc) {
    const z = zone(p);
    t = local + z.timezone;
    if (tm.isdst > 0 || (tm.isdst < 0 && isDaylight(p, local))) t += z.dstbias;
  }
  if (!(t >= 0 && t <= MAX_TIME64)) { crt(p).errno = Errno.EINVAL; return -1; }
  const out = utc ? toTm(t) : localtime(p, t);
  if (!out) return -1;
  writeTm(p, a, out);
  return t;
}

function tmResult(p: Process, tm: Tm | undefined): number {
  if (!tm) return 0;
  const s = timeState(p);
  writeTm(p, s.tmBuffer, tm);
  return s.tmBuffer;
}

function timeArg(p: Process, ptr: number, bits: 32 | 64): number | undefined {
  if (ptr === 0) { crt(p).errno = Errno.EINVAL; return undefined; }
  return bits === 64 ? Number(BigInt.asIntN(64, p.mem.read64(ptr))) : p.mem.readI32(ptr);
}

function gmtimeAt(p: Process, ptr: number, bits: 32 | 64): number {
  const t = timeArg(p, ptr, bits);
  return t === undefined ? 0 : tmResult(p, gmtime(p, t));
}

function localtimeAt(p: Process, ptr: number, bits: 32 | 64): number {
  const t = timeArg(p, ptr, bits);
  return t === undefined ? 0 : tmResult(p, localtime(p, t));
}

/** The _s forms: fill the caller's struct; on error it is set to all -1. */
function timeToTmS(p: Process, out: number, ptr: number, bits: 32 | 64, local: boolean): number {
  if (out === 0) { crt(p).errno = Errno.EINVAL; return Errno.EINVAL; }
  const t = timeArg(p, ptr, bits);
  const tm = t === undefined ? undefined : local ? localtime(p, t) : gmtime(p, t);
  if (!tm) {
    writeTm(p, out, { sec: -1, min: -1, hour: -1, mday: -1, mon: -1, year: -1, wday: -1, yday: -1, isdst: -1 });
    crt(p).errno = Errno.EINVAL;
    return Errno.EINVAL;
  }
  writeTm(p, out, tm);
  return 0;
}

function asctime(p: Process, tmPtr: number, wide: boolean): number {
  if (tmPtr === 0) { crt(p).errno = Errno.EINVAL; return 0; }
  return writeAsc(p, asctimeText(readTm(p, tmPtr)), wide);
}

function writeAsc(p: Process, text: string, wide: boolean): number {
  const s = timeState(p);
  if (wide) { p.mem.writeWString(s.wascBuffer, text); return s.wascBuffer; }
  p.mem.writeCString(s.ascBuffer, text);
  return s.ascBuffer;
}

function ctime(p: Process, ptr: number, bits: 32 | 64, wide: boolean): number {
  const t = timeArg(p, ptr, bits);
  const tm = t === undefined ? undefined : localtime(p, t);
  return tm ? writeAsc(p, asctimeText(tm), wide) : 0;
}

/** strftime/wcsftime: the count of characters written without the NUL, 0 when it does not fit. */
function strftime(p: Process, buf: number, max: number, fmtPtr: number, tmPtr: number, wide: boolean): number {
  const c = crt(p);
  if (buf === 0 || max === 0 || fmtPtr === 0 || tmPtr === 0) { c.errno = Errno.EINVAL; if (buf && max) write(''); return 0; }
  const format = wide ? p.mem.readWString(fmtPtr) : p.mem.readCString(fmtPtr);
  const text = strftimeText(format, readTm(p, tmPtr), (dst) => tzName(p, dst));
  if (text === undefined) { c.errno = Errno.EINVAL; write(''); return 0; }
  if (text.length + 1 > max) { c.errno = Errno.ERANGE; write(''); return 0; }
  write(text);
  return text.length;

  function write(s: string): void {
    if (wide) p.mem.writeWString(buf, s); else p.mem.writeCString(buf, s);
  }
}

/** _ftime: struct __timeb64 { time64; u16 millitm; i16 timezone (minutes); i16 dstflag } or the 32-bit one. */
function ftime(p: Process, out: number, bits: 32 | 64): void {
  const now = p.host.now();
  const secs = Math.floor(now / 1000);
  const z = zone(p);
  const dst = isDaylight(p, secs - z.timezone);
  const m = p.mem;
  let at = out;
  if (bits === 64) { m.write64(at, BigInt(secs)); at += 8; } else { m.write32(at, secs >>> 0); at += 4; }
  m.write16(at, Math.floor(now - secs * 1000));
  m.write16(at + 2, (z.timezone / 60) & 0xffff);
  m.write16(at + 4, dst ? 1 : 0);
}

function localNow(p: Process): Tm {
  return localtime(p, Math.floor(p.host.now() / 1000)) ?? toTm(0);
}

const two = (n: number): string => String(n).padStart(2, '0');

function writeText(p: Process, buf: number, text: string, wide: boolean): number {
  if (wide) p.mem.writeWString(buf, text); else p.mem.writeCString(buf, text);
  return buf;
}

function strdate(p: Process, buf: number, wide: boolean): number {
  const tm = localNow(p);
  return writeText(p, buf, `${two(tm.mon + 1)}/${two(tm.mday)}/${two(tm.year % 100)}`, wide);
}

function strtime(p: Process, buf: number, wide: boolean): number {
  const tm = localNow(p);
  return writeText(p, buf, `${two(tm.hour)}:${two(tm.min)}:${two(tm.sec)}`, wide);
}

export const timeData: Record<string, DataExport> = {
  _timezone: (p) => timeState(p).timezone,
  _daylight: (p) => timeState(p).daylight,
  _dstbias: (p) => timeState(p).dstbias,
  _tzname: (p) => timeState(p).tzname,
};

export const timeFunctions = {
  _tzset: fn([], 'void', (p) => tzset(p)),
  __timezone: fn([], 'ptr', (p) => timeState(p).timezone),
  __daylight: fn([], 'ptr', (p) => timeState(p).daylight),
  __dstbias: fn([], 'ptr', (p) => timeState(p).dstbias),
  __tzname: fn([], 'ptr', (p) => timeState(p).tzname),
  _get_timezone: fn(['ptr'], 'i32', (p, out) => { p.mem.write32(out, zone(p).timezone >>> 0); return 0; }),
  _get_daylight: fn(['ptr'], 'i32', (p, out) => { zone(p); p.mem.write32(out, p.mem.read32(timeState(p).daylight)); return 0; }),
  _get_dstbias: fn(['ptr'], 'i32', (p, out) => { p.mem.write32(out, zone(p).dstbias >>> 0); return 0; }),
  gmtime: fn(['ptr'], 'ptr', (p, t) => gmtimeAt(p, t, 64)),
  _gmtime64: fn(['ptr'], 'ptr', (p, t) => gmtimeAt(p, t, 64)),
  _gmtime32: fn(['ptr'], 'ptr', (p, t) => gmtimeAt(p, t, 32)),
  localtime: fn(['ptr'], 'ptr', (p, t) => localtimeAt(p, t, 64)),
  _localtime64: fn(['ptr'], 'ptr', (p, t) => localtimeAt(p, t, 64)),
  _localtime32: fn(['ptr'], 'ptr', (p, t) => localtimeAt(p, t, 32)),
  gmtime_s: fn(['ptr', 'ptr'], 'i32', (p, out, t) => timeToTmS(p, out, t, 64, false)),
  _gmtime64_s: fn(['ptr', 'ptr'], 'i32', (p, out, t) => timeToTmS(p, out, t, 64, false)),
  _gmtime32_s: fn(['ptr', 'ptr'], 'i32', (p, out, t) => timeToTmS(p, out, t, 32, false)),
  localtime_s: fn(['ptr', 'ptr'], 'i32', (p, out, t) => timeToTmS(p, out, t, 64, true)),
  _localtime64_s: fn(['ptr', 'ptr'], 'i32', (p, out, t) => timeToTmS(p, out, t, 64, true)),
  _localtime32_s: fn(['ptr', 'ptr'], 'i32', (p, out, t) => timeToTmS(p, out, t, 32, true)),
  mktime: fn(['ptr'], 'i64', (p, tm) => BigInt(mktime(p, tm, false))),
  _mktime64: fn(['ptr'], 'i64', (p, tm) => BigInt(mktime(p, tm, false))),
  _mktime32: fn(['ptr'], 'i32', (p, tm) => { const t = mktime(p, tm, false); return t > 0x7fffffff ? -1 : t; }),
  _mkgmtime: fn(['ptr'], 'i64', (p, tm) => BigInt(mktime(p, tm, true))),
  _mkgmtime64: fn(['ptr'], 'i64', (p, tm) => BigInt(mktime(p, tm, true))),
  _mkgmtime32: fn(['ptr'], 'i32', (p, tm) => { const t = mktime(p, tm, true); return t > 0x7fffffff ? -1 : t; }),
  asctime: fn(['ptr'], 'ptr', (p, tm) => asctime(p, tm, false)),
  _wasctime: fn(['ptr'], 'ptr', (p, tm) => asctime(p, tm, true)),
  ctime: fn(['ptr'], 'ptr', (p, t) => ctime(p, t, 64, false)),
  _ctime64: fn(['ptr'], 'ptr', (p, t) => ctime(p, t, 64, false)),
  _ctime32: fn(['ptr'], 'ptr', (p, t) => ctime(p, t, 32, false)),
  _wctime: fn(['ptr'], 'ptr', (p, t) => ctime(p, t, 64, true)),
  _wctime64: fn(['ptr'], 'ptr', (p, t) => ctime(p, t, 64, true)),
  _wctime32: fn(['ptr'], 'ptr', (p, t) => ctime(p, t, 32, true)),
  strftime: fn(['ptr', 'u64', 'ptr', 'ptr'], 'u64', (p, buf, max, f, tm) => BigInt(strftime(p, buf, Number(max), f, tm, false))),
  wcsftime: fn(['ptr', 'u64', 'ptr', 'ptr'], 'u64', (p, buf, max, f, tm) => BigInt(strftime(p, buf, Number(max), f, tm, true))),
  _ftime: fn(['ptr'], 'void', (p, out) => ftime(p, out, 64)),
  _ftime64: fn(['ptr'], 'void', (p, out) => ftime(p, out, 64)),
  _ftime32: fn(['ptr'], 'void', (p, out) => ftime(p, out, 32)),
  _strdate: fn(['ptr'], 'ptr', (p, buf) => strdate(p, buf, false)),
  _wstrdate: fn(['ptr'], 'ptr', (p, buf) => strdate(p, buf, true)),
  _strtime: fn(['ptr'], 'ptr', (p, buf) => strtime(p, buf, false)),
  _wstrtime: fn(['ptr'], 'ptr', (p, buf) => strtime(p, buf, true)),
};

// Pure calendar arithmetic and strftime for msvcrt's time.h: broken-down times,
// the "C" locale's names and formats, and the US daylight-saving rules msvcrt applies
// to a zone given by the TZ variable. No guest memory here (see time.ts).

/** struct tm, field for field. */
export interface Tm {
  sec: number; min: number; hour: number; mday: number; mon: number; year: number; wday: number; yday: number; isdst: number;
}

export const DAY = 86400;
/** _MAX__TIME64_T: 3000-12-31 23:59:59 UTC, the last second msvcrt's 64-bit functions accept. */
export const MAX_TIME64 = 32535215999;

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days from 1970-01-01 to year-month(0-based)-01, proleptic Gregorian, any month value. */
export function daysFromCivil(year: number, month: number, day: number): number {
  year += Math.floor(month / 12);
  month = ((month % 12) + 12) % 12;
  const y = month < 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 10) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Seconds since the epoch to a broken-down time (no time zone). */
export function toTm(t: number, isdst = 0): Tm {
  const days = Math.floor(t / DAY);
  let rem = t - days * DAY;
  const hour = Math.floor(rem / 3600);
  rem -= hour * 3600;
  const min = Math.floor(rem / 60);
  const sec = rem - min * 60;
  // civil_from_days
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const mday = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mon = mp < 10 ? mp + 2 : mp - 10;
  const year = yoe + era * 400 + (mon < 2 ? 1 : 0);
  const yday = days - daysFromCivil(year, 0, 1);
  const wday = (((days + 4) % 7) + 7) % 7;
  return { sec, min, hour, mday, mon, year: year - 1900, wday, yday, isdst };
}

/** A (possibly denormal) broken-down time to seconds, fields normalised as mktime does. */
export function fromTm(tm: Tm): number {
  return daysFromCivil(tm.year + 1900, tm.mon, 1) * DAY + (tm.mday - 1) * DAY + tm.hour * 3600 + tm.min * 60 + tm.sec;
}

/** The n-th (1-based; 5 = last) weekday `wday` of month `mon` in `year`, as a day number. */
function nthWeekday(year: number, mon: number, wday: number, n: number): number {
  const first = daysFromCivil(year, mon, 1);
  const firstWday = (((first + 4) % 7) + 7) % 7;
  let day = first + ((wday - firstWday + 7) % 7) + 7 * (n - 1);
  const next = daysFromCivil(year, mon + 1, 1);
  while (day >= next) day -= 7;
  return day;
}

/**
 * Whether a local standard time (seconds, as if UTC) falls in US daylight saving time,
 * the rule msvcrt applies when TZ names a daylight zone: from 2007 the second Sunday of
 * March to the first Sunday of November, before that the first Sunday of April to the
 * last Sunday of October; it starts at 02:00 standard time and ends at 01:00 standard
 * time (02:00 daylight time).
 */
export function usDaylight(localStd: number): boolean {
  const year = toTm(localStd).year + 1900;
  const start = year >= 2007 ? nthWeekday(year, 2, 0, 2) : nthWeekday(year, 3, 0, 1);
  const end = year >= 2007 ? nthWeekday(year, 10, 0, 1) : nthWeekday(year, 9, 0, 5);
  return localStd >= start * DAY + 2 * 3600 && localStd < end * DAY + 3600;
}

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, width: number, noZeros: boolean): string => (noZeros ? String(n) : String(n).padStart(width, '0'));

/** asctime's 24 characters plus newline: "Fri Feb 13 23:31:30 2009\n". */
export function asctimeText(tm: Tm): string {
  const day = (DAY_NAMES[tm.wday] ?? '???').slice(0, 3);
  const mon = (MONTH_NAMES[tm.mon] ?? '???').slice(0, 3);
  return `${day} ${mon} ${pad(tm.mday, 2, false)} ${pad(tm.hour, 2, false)}:${pad(tm.min, 2, false)}:${pad(tm.sec, 2, false)} ${tm.year + 1900}\n`;
}

/**
 * strftime's conversions in the "C" locale, as msvcrt documents them, with the '#'
 * flag (no leading zeros on numbers; long forms of %c and %x). Returns undefined for a
 * conversion msvcrt does not know (it then fails with EINVAL).
 */
export function strftimeText(format: string, tm: Tm, tzName: (dst: boolean) => string): string | undefined {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') { out += ch; continue; }
    let alt = false;
    let c = format[++i];
    if (c === '#') { alt = true; c = format[++i]; }
    const s = conversion(c, tm, alt, tzName);
    if (s === undefined) return undefined;
    out += s;
  }
  return out;
}

function conversion(c: string | undefined, tm: Tm, alt: boolean, tzName: (dst: boolean) => string): string | undefined {
  const year = tm.year + 1900;
  const hour12 = tm.hour % 12 === 0 ? 12 : tm.hour % 12;
  switch (c) {
    case 'a': return (DAY_NAMES[tm.wday] ?? '').slice(0, 3);
    case 'A': return DAY_NAMES[tm.wday] ?? '';
    case 'b': return (MONTH_NAMES[tm.mon] ?? '').slice(0, 3);
    case 'B': return MONTH_NAMES[tm.mon] ?? '';
    case 'c': return alt ? `${longDate(tm)} ${time(tm)}` : `${shortDate(tm)} ${time(tm)}`;
    case 'x': return alt ? longDate(tm) : shortDate(tm);
    case 'X': return time(tm);
    case 'd': return pad(tm.mday, 2, alt);
    case 'H': return pad(tm.hour, 2, alt);
    case 'I': return pad(hour12, 2, alt);
    case 'j': return pad(tm.yday + 1, 3, alt);
    case 'm': return pad(tm.mon + 1, 2, alt);
    case 'M': return pad(tm.min, 2, alt);
    case 'p': return tm.hour < 12 ? 'AM' : 'PM';
    case 'S': return pad(tm.sec, 2, alt);
    case 'U': return pad(Math.floor((tm.yday + 7 - tm.wday) / 7), 2, alt);
    case 'W': return pad(Math.floor((tm.yday + 7 - ((tm.wday + 6) % 7)) / 7), 2, alt);
    case 'w': return String(tm.wday);
    case 'y': return pad(((year % 100) + 100) % 100, 2, alt);
    case 'Y': return String(year);
    case 'z': case 'Z': return tzName(tm.isdst > 0);
    case '%': return '%';
    default: return undefined;
  }
}

const shortDate = (tm: Tm): string => `${pad(tm.mon + 1, 2, false)}/${pad(tm.mday, 2, false)}/${pad((((tm.year + 1900) % 100) + 100) % 100, 2, false)}`;
const longDate = (tm: Tm): string => `${DAY_NAMES[tm.wday] ?? ''}, ${MONTH_NAMES[tm.mon] ?? ''} ${pad(tm.mday, 2, false)}, ${tm.year + 1900}`;
const time = (tm: Tm): string => `${pad(tm.hour, 2, false)}:${pad(tm.min, 2, false)}:${pad(tm.sec, 2, false)}`;

/** The TZ variable in msvcrt's format "tzn[+|-]hh[:mm[:ss]][dzn]", parsed as msvcrt does. */
export function parseTz(tz: string): { std: string; dst: string; timezone: number; daylight: number } {
  const std = tz.slice(0, 3);
  let i = 3;
  let neg = false;
  if (tz[i] === '-') { neg = true; i++; }
  const num = (): number => {
    const m = /^[+-]?\d*/.exec(tz.slice(i))![0];
    i += m.length;
    const v = parseInt(m, 10);
    return Number.isNaN(v) ? 0 : v;
  };
  let seconds = num() * 3600;
  if (tz[i] === ':') {
    i++;
    seconds += num() * 60;
    if (tz[i] === ':') { i++; seconds += num(); }
  }
  if (neg) seconds = -seconds;
  // msvcrt stores the first character of the daylight name as _daylight.
  const daylight = i < tz.length ? tz.charCodeAt(i) & 0xff : 0;
  const dst = daylight ? tz.slice(i, i + 3) : '';
  return { std, dst, timezone: seconds, daylight: daylight > 127 ? daylight - 256 : daylight };
}

export { isLeap };

/* timefn: time.h of msvcrt.dll on fixed timestamps: gmtime/localtime (64- and
   32-bit forms, and the unsuffixed exports found with GetProcAddress), mktime
   normalisation and range limits, _mkgmtime, asctime/ctime, strftime with every
   conversion msvcrt documents (C locale, '#' flag, small buffers), _tzset with
   and without TZ, and _ftime/clock/difftime checked for sanity only (their
   values are never printed). The guest's time zone is UTC when TZ is unset. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <time.h>
#include <sys/timeb.h>
#include <windows.h>

static void show_tm(const char *label, const struct tm *t) {
  if (!t) { printf("%s: NULL\n", label); return; }
  printf("%s: %04d-%02d-%02d %02d:%02d:%02d wday=%d yday=%d isdst=%d\n", label, t->tm_year + 1900, t->tm_mon + 1,
         t->tm_mday, t->tm_hour, t->tm_min, t->tm_sec, t->tm_wday, t->tm_yday, t->tm_isdst);
}

typedef struct tm *(*tm_fn64)(const __time64_t *);
typedef __time64_t (*mk_fn64)(struct tm *);
typedef char *(*ct_fn64)(const __time64_t *);

static void conversions(const struct tm *t) {
  static const char *const convs[] = {
    "%a", "%A", "%b", "%B", "%c", "%d", "%H", "%I", "%j", "%m", "%M", "%p", "%S", "%U", "%w", "%W", "%x", "%X",
    "%y", "%Y", "%%", "%#c", "%#x", "%#d", "%#H", "%#I", "%#j", "%#m", "%#M", "%#S", "%#U", "%#W", "%#y", "%#Y",
    "[%Y-%m-%d %H:%M:%S]", "%A %B %#d, %Y", "", "plain text",
  };
  char buf[128];
  for (size_t i = 0; i < sizeof convs / sizeof convs[0]; i++) {
    size_t n = strftime(buf, sizeof buf, convs[i], t);
    printf("  %-22s -> %u \"%s\"\n", convs[i], (unsigned)n, buf);
  }
}

int main(void) {
  HMODULE crt = GetModuleHandleA("msvcrt.dll");
  tm_fn64 p_gmtime = (tm_fn64)GetProcAddress(crt, "gmtime");
  tm_fn64 p_localtime = (tm_fn64)GetProcAddress(crt, "localtime");
  mk_fn64 p_mktime = (mk_fn64)GetProcAddress(crt, "mktime");
  ct_fn64 p_ctime = (ct_fn64)GetProcAddress(crt, "ctime");

  /* With TZ unset the CRT takes the system time zone: UTC for wexe's guest. */
  _putenv("TZ=");
  _tzset();
  printf("tz: timezone=%ld daylight=%d\n", _timezone, _daylight);

  const __time64_t stamps[] = { 0, 86399, 86400, 951782400, 951868799, 1234567890, 2147483647LL, 2147483648LL,
                                4102444800LL, 32535215999LL };
  for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
    char label[64];
    snprintf(label, sizeof label, "gmtime64(%lld)", (long long)stamps[i]);
    show_tm(label, _gmtime64(&stamps[i]));
  }
  __time64_t bad[] = { -1, -86400 };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char label[64];
    errno = 0;
    snprintf(label, sizeof label, "gmtime64(%lld)", (long long)bad[i]);
    show_tm(label, _gmtime64(&bad[i]));
  }
  __time32_t t32 = 1234567890;
  show_tm("gmtime32(1234567890)", _gmtime32(&t32));
  show_tm("localtime32(1234567890)", _localtime32(&t32));
  t32 = -5;
  errno = 0;
  show_tm("gmtime32(-5)", _gmtime32(&t32));
  __time64_t t = 1234567890;
  show_tm("localtime64(1234567890)", _localtime64(&t));
  show_tm("export gmtime", p_gmtime(&t));
  show_tm("export localtime", p_localtime(&t));
  /* gmtime and localtime share one buffer per thread. */
  struct tm *a = _gmtime64(&t);
  __time64_t t2 = 0;
  struct tm *b = _localtime64(&t2);
  printf("shared buffer: %s, year now %d\n", a == b ? "yes" : "no", a->tm_year);

  /* mktime: normalises every field, fills wday/yday, rejects years before 1970. */
  struct tm m = { 0 };
  m.tm_year = 109; m.tm_mon = 1; m.tm_mday = 13; m.tm_hour = 23; m.tm_min = 31; m.tm_sec = 30; m.tm_isdst = -1;
  printf("mktime64 = %lld\n", (long long)_mktime64(&m));
  show_tm("  after", &m);
  m.tm_mon = 13; m.tm_mday = 0; m.tm_hour = 25; m.tm_min = -5; m.tm_sec = 61; m.tm_isdst = 0;
  printf("mktime64(denormal) = %lld\n", (long long)_mktime64(&m));
  show_tm("  after", &m);
  m = (struct tm){ 0 };
  m.tm_year = 69; m.tm_mon = 11; m.tm_mday = 31; m.tm_hour = 23;
  printf("mktime64(1969) = %lld\n", (long long)_mktime64(&m));
  m = (struct tm){ 0 };
  m.tm_year = 70; m.tm_mday = 1;
  printf("mktime64(epoch) = %lld\n", (long long)_mktime64(&m));
  m = (struct tm){ 0 };
  m.tm_year = 100; m.tm_mon = 2; m.tm_mday = 1;
  printf("export mktime(2000-03-01) = %lld\n", (long long)p_mktime(&m));
  m = (struct tm){ 0 };
  m.tm_year = 120; m.tm_mon = 5; m.tm_mday = 15; m.tm_hour = 12;
  printf("_mkgmtime64(2020-06-15 12:00) = %lld\n", (long long)_mkgmtime64(&m));
  show_tm("  after", &m);

  /* asctime / ctime */
  t = 1234567890;
  printf("asctime: %s", asctime(_gmtime64(&t)));
  printf("ctime64: %s", _ctime64(&t));
  printf("export ctime: %s", p_ctime(&t));
  t = 951782400;
  struct tm leap = *_gmtime64(&t);
  leap.tm_mday = 5; /* asctime prints fields as they are */
  printf("asctime(day 5): %s", asctime(&leap));
  t = -1;
  errno = 0;
  char *ct = _ctime64(&t);
  printf("ctime64(-1): %s\n", ct ? ct : "NULL");

  /* strftime */
  t = 1234567890;
  struct tm fixed = *_gmtime64(&t);
  printf("strftime of 2009-02-13 23:31:30 (Friday):\n");
  conversions(&fixed);
  t = 946684800 + 3600 * 9 + 5; /* 2000-01-01 09:00:05, Saturday */
  struct tm morning = *_gmtime64(&t);
  printf("strftime of 2000-01-01 09:00:05 (Saturday):\n");
  conversions(&morning);
  char small[8];
  size_t n = strftime(small, sizeof small, "%Y-%m-%d", &fixed);
  printf("strftime into 8 bytes: %u\n", (unsigned)n);
  n = strftime(small, sizeof small, "%Y-%m", &fixed);
  printf("strftime exact fit: %u \"%s\"\n", (unsigned)n, small);
  wchar_t wbuf[64];
  n = wcsftime(wbuf, 64, L"%A %d %B %Y", &fixed);
  printf("wcsftime: %u \"%ls\"\n", (unsigned)n, wbuf);

  /* TZ in the environment: name, offset in hours, optional daylight name. */
  _putenv("TZ=EST5EDT");
  _tzset();
  printf("TZ=EST5EDT: timezone=%ld daylight=%d names=%s/%s\n", _timezone, _daylight, _tzname[0], _tzname[1]);
  t = 1232000000; /* 2009-01-15 06:13:20 UTC, winter */
  show_tm("  localtime(winter)", _localtime64(&t));
  t = 1246700000; /* 2009-07-04 09:33:20 UTC, summer */
  show_tm("  localtime(summer)", _localtime64(&t));
  m = *_localtime64(&t);
  m.tm_isdst = -1;
  printf("  mktime(summer local) = %lld\n", (long long)_mktime64(&m));
  strftime(small, sizeof small, "%Z", &m);
  printf("  %%Z summer = %s\n", small);
  _putenv("TZ=ABC-3:30");
  _tzset();
  printf("TZ=ABC-3:30: timezone=%ld daylight=%d name=%s\n", _timezone, _daylight, _tzname[0]);
  t = 0;
  show_tm("  localtime(0)", _localtime64(&t));
  m = (struct tm){ 0 };
  m.tm_year = 70; m.tm_mday = 1; m.tm_hour = 3; m.tm_min = 30;
  printf("  mktime(1970-01-01 03:30 local) = %lld\n", (long long)_mktime64(&m));
  _putenv("TZ=");
  _tzset();
  printf("TZ unset again: timezone=%ld daylight=%d\n", _timezone, _daylight);

  /* Clocks: checked, never printed. */
  struct __timeb64 tb;
  _ftime64(&tb);
  __time64_t now = _time64(NULL);
  printf("_ftime64: sane=%d millitm<1000=%d timezone=%d dstflag=%d\n", tb.time > 1600000000 && tb.time <= now,
         tb.millitm < 1000, tb.timezone, tb.dstflag);
  struct __timeb32 tb32;
  _ftime32(&tb32);
  printf("_ftime32: sane=%d\n", tb32.time > 1600000000 && tb32.millitm < 1000);
  clock_t c = clock();
  printf("clock: non-negative=%d CLOCKS_PER_SEC=%d\n", c >= 0, (int)CLOCKS_PER_SEC);
  printf("difftime: %.1f %.1f\n", difftime(1234567890, 1234567800), _difftime64(0, 3600));
  return 0;
}

/* secure: the bounds-checked "_s" functions msvcrt.dll exports (Windows 7 and
   later) with valid and invalid arguments: strcpy_s, strcat_s, strncpy_s,
   strncat_s, wcscpy_s, wcscat_s, sprintf_s, _snprintf_s, vsprintf_s,
   _vsnprintf_s, memcpy_s, memmove_s, _itoa_s, _i64toa_s, _ultoa_s, strerror_s,
   _strlwr_s/_strupr_s, strtok_s. msvcrt.dll's default invalid
   parameter handler returns to the function, which sets errno and returns its
   documented error. (MinGW's _set_invalid_parameter_handler is a static
   emulation that msvcrt.dll never calls, so it is not exercised.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <errno.h>
#include <wchar.h>
#include <windows.h>

/* MinGW links its own static sprintf_s, vsprintf_s, memcpy_s, memmove_s and
   strerror_s; msvcrt.dll's exports are reached through GetProcAddress. */
static int (*x_sprintf_s)(char *, size_t, const char *, ...);
static int (*x_vsprintf_s)(char *, size_t, const char *, va_list);
static int (*x_memcpy_s)(void *, size_t, const void *, size_t);
static int (*x_memmove_s)(void *, size_t, const void *, size_t);
static int (*x_strerror_s)(char *, size_t, int);

static void show(const char *label, int ret, const char *buf) {
  int e = errno;
  printf("  %-34s ret=%d errno=%d buf=\"%s\"\n", label, ret, e, buf);
  errno = 0;
}

static int vsp(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = x_vsprintf_s(buf, size, fmt, ap);
  va_end(ap);
  return r;
}

static int vsnp(char *buf, size_t size, size_t count, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = _vsnprintf_s(buf, size, count, fmt, ap);
  va_end(ap);
  return r;
}

static void run(void) {
  char b[8];
  errno = 0;
  strcpy(b, "old");
  show("strcpy_s fits", strcpy_s(b, sizeof b, "1234567"), b);
  strcpy(b, "old");
  show("strcpy_s too long", strcpy_s(b, sizeof b, "12345678"), b);
  strcpy(b, "old");
  show("strcpy_s NULL src", strcpy_s(b, sizeof b, NULL), b);
  show("strcpy_s NULL dst", strcpy_s(NULL, 8, "x"), "-");
  strcpy(b, "old");
  show("strcpy_s size 0", strcpy_s(b, 0, "x"), b);

  strcpy(b, "ab");
  show("strcat_s fits", strcat_s(b, sizeof b, "cdefg"), b);
  strcpy(b, "ab");
  show("strcat_s too long", strcat_s(b, sizeof b, "cdefgh"), b);
  memcpy(b, "unterm!!", 8);
  show("strcat_s unterminated dst", strcat_s(b, sizeof b, "x"), b);

  strcpy(b, "old");
  show("strncpy_s count 3", strncpy_s(b, sizeof b, "abcdef", 3), b);
  show("strncpy_s too long", strncpy_s(b, sizeof b, "abcdefghij", 9), b);
  show("strncpy_s _TRUNCATE", strncpy_s(b, sizeof b, "abcdefghij", _TRUNCATE), b);
  show("strncpy_s _TRUNCATE fits", strncpy_s(b, sizeof b, "abc", _TRUNCATE), b);
  show("strncpy_s NULL,0,NULL,0", strncpy_s(NULL, 0, NULL, 0), "-");
  strcpy(b, "ab");
  show("strncat_s count 2", strncat_s(b, sizeof b, "cdef", 2), b);
  show("strncat_s _TRUNCATE", strncat_s(b, sizeof b, "xyzxyz", _TRUNCATE), b);
  strcpy(b, "ab");
  show("strncat_s too long", strncat_s(b, sizeof b, "cdefghij", 7), b);

  wchar_t w[6];
  int r = wcscpy_s(w, 6, L"wide!");
  printf("  %-34s ret=%d len=%u\n", "wcscpy_s fits", r, (unsigned)wcslen(w));
  r = wcscat_s(w, 6, L"x");
  printf("  %-34s ret=%d errno=%d first=%u\n", "wcscat_s too long", r, errno, (unsigned)w[0]);
  errno = 0;

  char p[10];
  show("sprintf_s fits", x_sprintf_s(p, sizeof p, "%d-%s", 42, "abc"), p);
  strcpy(p, "old");
  show("sprintf_s too long", x_sprintf_s(p, sizeof p, "%s", "0123456789"), p);
  show("_snprintf_s count 4", _snprintf_s(p, sizeof p, 4, "%s", "abcdefgh"), p);
  show("_snprintf_s _TRUNCATE", _snprintf_s(p, sizeof p, _TRUNCATE, "%s", "abcdefghijkl"), p);
  show("_snprintf_s _TRUNCATE fits", _snprintf_s(p, sizeof p, _TRUNCATE, "%s", "abc"), p);
  strcpy(p, "old");
  show("_snprintf_s too long", _snprintf_s(p, sizeof p, 20, "%s", "abcdefghijkl"), p);
  show("vsprintf_s", vsp(p, sizeof p, "%05.1f", 3.14159), p);
  strcpy(p, "old");
  show("vsprintf_s too long", vsp(p, sizeof p, "%s%s", "abcde", "fghij"), p);
  show("_vsnprintf_s _TRUNCATE", vsnp(p, sizeof p, _TRUNCATE, "%x", 0xdeadbeefcafeULL), p);
  show("sprintf_s NULL format", x_sprintf_s(p, sizeof p, NULL), p);

  char m[8] = "1234567";
  show("memcpy_s fits", x_memcpy_s(m, sizeof m, "abc", 3), m);
  show("memcpy_s too long", x_memcpy_s(m, 4, "abcdefgh", 8), m + 4);
  printf("    first four bytes zeroed: %d\n", m[0] == 0 && m[1] == 0 && m[2] == 0 && m[3] == 0);
  strcpy(m, "1234567");
  show("memcpy_s NULL src", x_memcpy_s(m, sizeof m, NULL, 3), m);
  show("memcpy_s count 0, NULLs", x_memcpy_s(NULL, 0, NULL, 0), "-");
  strcpy(m, "1234567");
  show("memmove_s overlap", x_memmove_s(m + 1, 7, m, 5), m);
  strcpy(m, "1234567");
  show("memmove_s too long", x_memmove_s(m, 2, "zz", 3), m);

  char n[6];
  show("_itoa_s", _itoa_s(-1234, n, sizeof n, 10), n);
  show("_itoa_s hex", _itoa_s(255, n, sizeof n, 16), n);
  show("_itoa_s too small", _itoa_s(-12345, n, sizeof n, 10), n);
  strcpy(n, "old");
  show("_itoa_s radix 1", _itoa_s(5, n, sizeof n, 1), n);
  char big[70];
  show("_i64toa_s", _i64toa_s(-9223372036854775807LL - 1, big, sizeof big, 10), big);
  show("_ultoa_s base 2", _ultoa_s(10, big, sizeof big, 2), big);

  char e[64];
  show("strerror_s", x_strerror_s(e, sizeof e, ENOENT), e);
  show("strerror_s small", x_strerror_s(e, 8, ENOENT), e);
  show("strerror_s unknown", x_strerror_s(e, sizeof e, 999), e);

  strcpy(b, "MiXeD");
  show("_strlwr_s", _strlwr_s(b, sizeof b), b);
  show("_strupr_s", _strupr_s(b, sizeof b), b);
  show("_strupr_s size too small", _strupr_s(b, 3), b);

  char t[] = "a,b;;c";
  char *ctx = NULL;
  printf("  strtok_s:");
  for (char *tok = strtok_s(t, ",;", &ctx); tok; tok = strtok_s(NULL, ",;", &ctx)) printf(" [%s]", tok);
  printf("\n");
}

int main(void) {
  HMODULE crt = GetModuleHandleA("msvcrt.dll");
  x_sprintf_s = (void *)GetProcAddress(crt, "sprintf_s");
  x_vsprintf_s = (void *)GetProcAddress(crt, "vsprintf_s");
  x_memcpy_s = (void *)GetProcAddress(crt, "memcpy_s");
  x_memmove_s = (void *)GetProcAddress(crt, "memmove_s");
  x_strerror_s = (void *)GetProcAddress(crt, "strerror_s");
  printf("exports found: %d\n", x_sprintf_s && x_vsprintf_s && x_memcpy_s && x_memmove_s && x_strerror_s);
  run();
  return 0;
}

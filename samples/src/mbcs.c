/* mbcs: multibyte/wide conversions of msvcrt.dll in the "C" locale, where
   every byte 0x00-0xFF is one character mapping to U+0000-U+00FF and wide
   characters above U+00FF have no multibyte form: mbstowcs, wcstombs, mbtowc,
   wctomb, mblen, btowc, wctob, _mbstrlen, mbrtowc/wcrtomb/mbrlen,
   mbsrtowcs/wcsrtombs and MB_CUR_MAX. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <wchar.h>
#include <mbstring.h>
#include <locale.h>

static void show_w(const char *label, const wchar_t *w, size_t n) {
  printf("%s:", label);
  for (size_t i = 0; i < n; i++) printf(" %04x", (unsigned)w[i]);
  printf("\n");
}

static void show_b(const char *label, const char *b, size_t n) {
  printf("%s:", label);
  for (size_t i = 0; i < n; i++) printf(" %02x", (unsigned char)b[i]);
  printf("\n");
}

int main(void) {
  printf("locale: %s MB_CUR_MAX=%d\n", setlocale(LC_ALL, NULL), (int)MB_CUR_MAX);
  const char *src = "A\xe9\x80\xff z";
  wchar_t w[16];
  wmemset(w, 0x2222, 16);
  size_t n = mbstowcs(w, src, 16);
  printf("mbstowcs: %u\n", (unsigned)n);
  show_w("  wide", w, n + 2);
  printf("mbstowcs(NULL): %u\n", (unsigned)mbstowcs(NULL, src, 0));
  wmemset(w, 0x2222, 16);
  n = mbstowcs(w, src, 3);
  printf("mbstowcs(n=3): %u\n", (unsigned)n);
  show_w("  wide", w, 4);

  char b[16];
  memset(b, 0x55, sizeof b);
  const wchar_t ws[] = { 'h', 0xe9, 0xff, 0x7f, 0 };
  n = wcstombs(b, ws, sizeof b);
  printf("wcstombs: %u\n", (unsigned)n);
  show_b("  bytes", b, n + 2);
  printf("wcstombs(NULL): %u\n", (unsigned)wcstombs(NULL, ws, 0));
  memset(b, 0x55, sizeof b);
  n = wcstombs(b, ws, 2);
  printf("wcstombs(n=2): %u\n", (unsigned)n);
  show_b("  bytes", b, 3);
  const wchar_t euro[] = { 'a', 0x20ac, 'b', 0 };
  errno = 0;
  memset(b, 0x55, sizeof b);
  n = wcstombs(b, euro, sizeof b);
  printf("wcstombs(U+20AC): %d errno=%d\n", (int)n, errno);
  show_b("  bytes", b, 3);

  wchar_t wc = 0x2222;
  int r = mbtowc(&wc, "\xe9xyz", 4);
  printf("mbtowc(e9): %d -> %04x\n", r, (unsigned)wc);
  r = mbtowc(&wc, "", 1);
  printf("mbtowc(\"\"): %d -> %04x\n", r, (unsigned)wc);
  printf("mbtowc(NULL): %d\n", mbtowc(NULL, NULL, 0));
  wc = 0x2222;
  r = mbtowc(&wc, "q", 0);
  printf("mbtowc(n=0): %d -> %04x\n", r, (unsigned)wc);
  r = mbtowc(NULL, "q", 1);
  printf("mbtowc(no dest): %d\n", r);

  char mb[8] = { 0x55, 0x55, 0x55 };
  r = wctomb(mb, 0xe9);
  printf("wctomb(e9): %d -> %02x\n", r, (unsigned char)mb[0]);
  r = wctomb(mb, 0);
  printf("wctomb(0): %d -> %02x\n", r, (unsigned char)mb[0]);
  errno = 0;
  mb[0] = 0x55;
  r = wctomb(mb, 0x100);
  printf("wctomb(0100): %d errno=%d\n", r, errno);
  printf("wctomb(NULL): %d\n", wctomb(NULL, 'a'));

  printf("mblen: %d %d %d %d\n", mblen("\xe9", 1), mblen("", 1), mblen(NULL, 0), mblen("ab", 0));
  printf("btowc: %04x %04x %04x %04x\n", (unsigned)btowc('a'), (unsigned)btowc(0xe9), (unsigned)btowc(0x80), (unsigned)btowc(EOF));
  printf("wctob: %d %d\n", wctob(L'a'), wctob(WEOF));
  printf("_mbstrlen: %u %u\n", (unsigned)_mbstrlen("abc\xe9\xff"), (unsigned)_mbstrlen(""));

  mbstate_t st;
  memset(&st, 0, sizeof st);
  wc = 0x2222;
  size_t rr = mbrtowc(&wc, "\xfcz", 2, &st);
  printf("mbrtowc: %d -> %04x\n", (int)rr, (unsigned)wc);
  rr = mbrtowc(&wc, "", 1, &st);
  printf("mbrtowc(\"\"): %d -> %04x\n", (int)rr, (unsigned)wc);
  rr = mbrlen("xy", 2, &st);
  printf("mbrlen: %d\n", (int)rr);
  memset(mb, 0x55, sizeof mb);
  rr = wcrtomb(mb, 0xfc, &st);
  printf("wcrtomb: %d -> %02x\n", (int)rr, (unsigned char)mb[0]);
  errno = 0;
  rr = wcrtomb(mb, 0x3a9, &st);
  printf("wcrtomb(03a9): %d errno=%d\n", (int)rr, errno);

  const char *ps = "mb\xe0s";
  memset(&st, 0, sizeof st);
  wmemset(w, 0x2222, 16);
  rr = mbsrtowcs(w, &ps, 16, &st);
  printf("mbsrtowcs: %d src=%s\n", (int)rr, ps ? "set" : "NULL");
  show_w("  wide", w, rr + 1);
  const wchar_t *pw = ws;
  memset(b, 0x55, sizeof b);
  rr = wcsrtombs(b, &pw, sizeof b, &st);
  printf("wcsrtombs: %d src=%s\n", (int)rr, pw ? "set" : "NULL");
  show_b("  bytes", b, rr + 1);
  return 0;
}

/* scanf: sscanf with many conversions, return values (matched counts, EOF),
   scansets, suppression, widths and %n. */
#include <stdio.h>
#include <string.h>

int main(void) {
  int a = 0, b = 0, c = 0, n = 0, r;
  unsigned u = 0; unsigned x = 0, o = 0;
  long long ll = 0; unsigned long long ull = 0;
  short h = 0; char ch = 0;
  char s1[32] = "", s2[32] = "", s3[32] = "";
  double d = 0, e = 0; float f = 0;
  wchar_t ws[16];

  r = sscanf("12 -34 +56", "%d %d %d", &a, &b, &c);
  printf("r=%d a=%d b=%d c=%d\n", r, a, b, c);
  r = sscanf("0x1F 017 42 -17", "%i %i %i %i", &a, &b, &c, &n);
  printf("r=%d %%i: %d %d %d %d\n", r, a, b, c, n);
  r = sscanf("ff 777 4294967295", "%x %o %u", &x, &o, &u);
  printf("r=%d x=%u o=%u u=%u\n", r, x, o, u);
  r = sscanf("-9223372036854775808 18446744073709551615", "%lld %llu", &ll, &ull);
  printf("r=%d ll=%lld ull=%llu\n", r, ll, ull);
  r = sscanf("1234567890123 77", "%I64d %hd", &ll, &h);
  printf("r=%d I64d=%lld hd=%d\n", r, ll, h);
  r = sscanf("3.25 -1e-3 6.5E+2", "%lf %le %f", &d, &e, &f);
  printf("r=%d d=%.17g e=%.17g f=%.9g\n", r, d, e, (double)f);
  r = sscanf("  word1\tword2\nword3", "%s %s %s", s1, s2, s3);
  printf("r=%d [%s][%s][%s]\n", r, s1, s2, s3);
  r = sscanf("abcdef", "%3s%2s", s1, s2);
  printf("r=%d width [%s][%s]\n", r, s1, s2);
  r = sscanf("key=value;rest", "%[^=]=%[^;];%s", s1, s2, s3);
  printf("r=%d scanset [%s][%s][%s]\n", r, s1, s2, s3);
  r = sscanf("aaabbbccc", "%[ab]%n", s1, &n);
  printf("r=%d [%s] n=%d\n", r, s1, n);
  r = sscanf("10 20 30", "%d %*d %d", &a, &b);
  printf("r=%d suppressed a=%d b=%d\n", r, a, b);
  r = sscanf("x", "%c", &ch);
  printf("r=%d c=%c\n", r, ch);
  r = sscanf("  z", " %c", &ch);
  printf("r=%d c=%c\n", r, ch);
  r = sscanf("12abc", "%d%n", &a, &n);
  printf("r=%d a=%d consumed=%d\n", r, a, n);
  r = sscanf("abc", "%d", &a);
  printf("no match r=%d\n", r);
  r = sscanf("", "%d", &a);
  printf("empty r=%d\n", r);
  r = sscanf("   ", "%d", &a);
  printf("blank r=%d\n", r);
  r = sscanf("5 apples", "%d apples", &a);
  printf("literal r=%d a=%d\n", r, a);
  r = sscanf("5 pears", "%d apples%n", &a, &n);
  printf("literal mismatch r=%d\n", r);
  r = sscanf("100%", "%d%%", &a);
  printf("percent r=%d a=%d\n", r, a);
  r = sscanf("2024-01-31 23:59:58", "%d-%d-%d %d:%d:%d", &a, &b, &c, &n, &n, &n);
  printf("date r=%d %d/%d/%d\n", r, a, b, c);
  r = sscanf("wide", "%ls", ws);
  printf("r=%d ls len=%u first=%04x\n", r, (unsigned)wcslen(ws), (unsigned)ws[0]);
  r = sscanf("0x10", "%x", &x);
  printf("0x prefix r=%d x=%u\n", r, x);
  r = sscanf("99999999999", "%d", &a);
  printf("overflow r=%d\n", r);
  return 0;
}

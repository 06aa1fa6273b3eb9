/* longdouble: 80-bit x87 long double arithmetic. msvcrt's printf has no
   80-bit long double, so values are printed after a cast to double, and the
   raw 80-bit pattern is printed in hex. */
#include <stdio.h>
#include <string.h>
#include <math.h>

static void raw(const char *label, long double v) {
  unsigned char b[16] = {0};
  memcpy(b, &v, 10);
  unsigned long long mant; unsigned short se;
  memcpy(&mant, b, 8); memcpy(&se, b + 8, 2);
  printf("%-14s = %.17g  [%04x %016llx]\n", label, (double)v, se, mant);
}

static volatile long double v3 = 3.0L, v2 = 2.0L, v10 = 10.0L, vtenth = 0.1L, vneg = -7.25L;
static volatile double d1 = 1.0, dbig = 1e300;
static volatile long long ll = -1234567890123456789LL;
static volatile unsigned long long ull = 18446744073709551615ULL;

int main(void) {
  printf("sizeof(long double) = %u\n", (unsigned)sizeof(long double));
  raw("1/3", 1.0L / v3);
  raw("2/3", v2 / v3);
  raw("sqrtl(2)", sqrtl(v2));
  raw("sqrtl(10)", sqrtl(v10));
  raw("0.1L", vtenth);
  raw("0.1L*10-1", vtenth * v10 - 1.0L);
  raw("(double)0.1*10-1", (long double)(double)vtenth * v10 - 1.0L);
  raw("-7.25*3", vneg * v3);
  raw("ll->ld", (long double)ll);
  raw("ull->ld", (long double)ull);
  raw("1e300*1e300", (long double)dbig * (long double)dbig);
  raw("that/1e300", (long double)dbig * (long double)dbig / (long double)dbig);
  long double x = 1.0L;
  for (int i = 0; i < 64; i++) x *= v2;
  raw("2^64", x);
  raw("2^64+1", x + 1.0L);
  raw("fabsl(neg)", fabsl(vneg));
  long double sum = 0.0L;
  for (int i = 1; i <= 100; i++) sum += 1.0L / (long double)i;
  raw("H(100)", sum);
  printf("ld->ll: %lld  ld->ull: %llu  ld->int: %d\n", (long long)(vneg * 1e15L), (unsigned long long)(x - 1.0L), (int)(vneg * v3));
  printf("compare: %d %d %d\n", 1.0L / v3 < 0.3333333333333333334L, (long double)d1 == 1.0L, vtenth != (long double)0.1);
  long double frac = vneg - (long double)(long long)vneg;
  raw("frac(-7.25)", frac);
  raw("floorl(-7.25)", floorl(vneg));
  raw("ceill(-7.25)", ceill(vneg));
  return 0;
}

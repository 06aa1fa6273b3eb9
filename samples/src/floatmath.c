/* floatmath: double math library calls and float arithmetic. Inputs are
   volatile so the calls really happen. Results that IEEE 754 defines exactly
   (sqrt, floor, ceil, fmod, fabs, modf, frexp, ldexp, + - * /) are printed
   with %.17g; transcendental functions (sin, exp, pow, ...) with %.15g,
   because libraries may differ in the last bit there, and %.6f. Note: MinGW
   links its own sin/cos/exp/log/pow/sqrt/atan2/fmod/floor/ceil (libmingwex,
   x87 code: fsincos, fpatan, fyl2x, f2xm1, ...); only tan, asin, acos, atan, sinh, cosh,
   tanh and log10 come from msvcrt.dll. */
#include <stdio.h>
#include <math.h>

static volatile double in[] = {0.0, 0.5, 1.0, -1.0, 2.0, 3.14159265358979, 10.0, -2.5, 100.25, 1e-3};

int main(void) {
  int n = (int)(sizeof in / sizeof in[0]);
  for (int i = 0; i < n; i++) {
    double x = in[i];
    printf("x=%.6f sin=%.15g cos=%.15g tan=%.15g\n", x, sin(x), cos(x), tan(x));
    printf("   exp=%.15g atan=%.15g sqrt|x|=%.17g floor=%.1f ceil=%.1f\n", exp(x), atan(x), sqrt(fabs(x)), floor(x), ceil(x));
    if (x > 0) printf("   log=%.15g log10=%.15g pow(x,1.5)=%.15g\n", log(x), log10(x), pow(x, 1.5));
  }
  printf("atan2: %.15g %.15g %.15g %.15g\n", atan2(in[2], in[3]), atan2(in[3], in[3]), atan2(in[0], in[3]), atan2(in[4], in[0]));
  printf("fmod: %.17g %.17g %.17g\n", fmod(in[6], in[4] + 1), fmod(in[7], in[4]), fmod(in[8], in[5]));
  printf("pow: %.15g %.15g %.15g %.15g\n", pow(in[4], 10), pow(in[4], -in[1]), pow(in[3], 3), pow(in[6], 0.5));
  printf("asin/acos: %.15g %.15g  sinh/cosh/tanh: %.15g %.15g %.15g\n", asin(in[1]), acos(in[1]), sinh(in[2]), cosh(in[2]), tanh(in[1]));
  printf("modf/frexp/ldexp: ");
  double ip; double fp = modf(in[8], &ip); int ex; double mant = frexp(in[8], &ex);
  printf("%.6f %.6f %.6f %d %.6f\n", ip, fp, mant, ex, ldexp(in[5], 4));
  printf("fabs/floor/ceil negative: %.6f %.6f %.6f\n", fabs(in[7]), floor(in[7]), ceil(in[7]));
  printf("%%.6f: %.6f %.6f %.6f %.6f\n", sqrt(in[4]), exp(in[2]), log(in[6]), 1.0 / 3.0 * in[2]);

  /* double arithmetic edge cases */
  volatile double tiny = 1e-310, big = 1e308, zero = 0.0;
  printf("denormal*1e10=%.17g big*10>max=%d 1/zero>0=%d -0 sign=%d\n", tiny * 1e10, big * 10 > 1.7976931348623157e308, 1 / zero > 0, signbit(-zero) != 0);
  printf("rounding: (int)2.7=%d (int)-2.7=%d (long long)1e18=%lld (unsigned)3e9=%u\n", (int)in[5], (int)-in[5], (long long)(in[6] * 1e17), (unsigned)(in[6] * 3e8));

  /* float (single precision) arithmetic */
  volatile float f = 0.1f, g = 3.0f;
  float sum = 0.0f;
  for (int i = 0; i < 10; i++) sum += f;
  printf("float: sum(0.1f x10)=%.9g 1/3f=%.9g sqrtf(2)=%.9g f*g=%.9g\n", (double)sum, (double)(1.0f / g), (double)sqrtf(2.0f * (float)in[2]), (double)(f * g));
  float h = 16777216.0f;
  volatile float one = 1.0f;
  printf("float: 2^24+1=%.1f (double)0.1f=%.17g (float)1e40 inf=%d\n", (double)(h + one), (double)f, isinf((float)(big * 1e-268)) != 0);
  double acc = 0;
  for (int i = 1; i <= 1000; i++) acc += 1.0 / ((double)i * i);
  printf("sum 1/i^2 (1000 terms) = %.17g\n", acc);
  return 0;
}

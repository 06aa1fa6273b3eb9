/* vector: loops that gcc -O3 -msse4.1 vectorises (packed integer and float
   arithmetic, pmulld, pminsd/pmaxsd, blends, horizontal reductions). */
#include <stdio.h>
#include <stdint.h>

#define N 1024
static int32_t ia[N], ib[N], ic[N];
static float fa[N], fb[N], fc[N];
static double da[N], db[N];
static uint8_t ba[N], bb[N];
static int16_t sa[N];

__attribute__((noinline)) static int64_t dot_i32(const int32_t *a, const int32_t *b, int n) {
  int64_t s = 0;
  for (int i = 0; i < n; i++) s += (int64_t)a[i] * b[i];
  return s;
}
__attribute__((noinline)) static int32_t dot_i32_wrap(const int32_t *a, const int32_t *b, int n) {
  uint32_t s = 0;
  for (int i = 0; i < n; i++) s += (uint32_t)a[i] * (uint32_t)b[i];
  return (int32_t)s;
}
__attribute__((noinline)) static float dot_f32(const float *a, const float *b, int n) {
  float s = 0;
  for (int i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}
__attribute__((noinline)) static double dot_f64(const double *a, const double *b, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}
__attribute__((noinline)) static void minmax_i32(const int32_t *a, int n, int32_t *mn, int32_t *mx) {
  int32_t lo = a[0], hi = a[0];
  for (int i = 0; i < n; i++) { lo = a[i] < lo ? a[i] : lo; hi = a[i] > hi ? a[i] : hi; }
  *mn = lo; *mx = hi;
}
__attribute__((noinline)) static void minmax_f32(const float *a, int n, float *mn, float *mx) {
  float lo = a[0], hi = a[0];
  for (int i = 0; i < n; i++) { lo = a[i] < lo ? a[i] : lo; hi = a[i] > hi ? a[i] : hi; }
  *mn = lo; *mx = hi;
}
__attribute__((noinline)) static void saxpy(float *y, const float *x, float a, int n) {
  for (int i = 0; i < n; i++) y[i] = a * x[i] + y[i];
}
__attribute__((noinline)) static void mix_i32(int32_t *c, const int32_t *a, const int32_t *b, int n) {
  for (int i = 0; i < n; i++) c[i] = (a[i] > b[i] ? a[i] - b[i] : b[i] * 3) ^ (a[i] >> 3);
}
__attribute__((noinline)) static uint32_t sad_u8(const uint8_t *a, const uint8_t *b, int n) {
  uint32_t s = 0;
  for (int i = 0; i < n; i++) s += (uint32_t)(a[i] > b[i] ? a[i] - b[i] : b[i] - a[i]);
  return s;
}
__attribute__((noinline)) static int32_t sum_i16(const int16_t *a, int n) {
  int32_t s = 0;
  for (int i = 0; i < n; i++) s += a[i];
  return s;
}
__attribute__((noinline)) static void convert(float *f, const int32_t *a, double *d, int n) {
  for (int i = 0; i < n; i++) { f[i] = (float)a[i] * 0.5f; d[i] = (double)f[i] + 0.25; }
}

int main(void) {
  uint32_t seed = 1;
  for (int i = 0; i < N; i++) {
    seed = seed * 1664525u + 1013904223u;
    ia[i] = (int32_t)(seed >> 12) - 500000;
    ib[i] = (int32_t)(seed % 2001) - 1000;
    fa[i] = (float)((int)(seed >> 20) - 2048) / 64.0f;
    fb[i] = (float)(i % 17) * 0.25f - 2.0f;
    da[i] = (double)ia[i] / 1000.0;
    db[i] = (double)ib[i] / 8.0;
    ba[i] = (uint8_t)(seed >> 3);
    bb[i] = (uint8_t)(seed >> 19);
    sa[i] = (int16_t)(seed >> 7);
  }
  printf("dot_i32 = %lld\n", (long long)dot_i32(ia, ib, N));
  printf("dot_i32_wrap = %d\n", dot_i32_wrap(ia, ib, N));
  printf("dot_f32 = %.9g\n", (double)dot_f32(fa, fb, N));
  printf("dot_f64 = %.17g\n", dot_f64(da, db, N));
  int32_t mn, mx;
  minmax_i32(ia, N, &mn, &mx);
  printf("minmax_i32 = %d %d\n", mn, mx);
  float fmn, fmx;
  minmax_f32(fa, N, &fmn, &fmx);
  printf("minmax_f32 = %.9g %.9g\n", (double)fmn, (double)fmx);
  for (int i = 0; i < N; i++) fc[i] = fb[i];
  saxpy(fc, fa, 1.5f, N);
  double fsum = 0;
  for (int i = 0; i < N; i++) fsum += fc[i];
  printf("saxpy sum = %.17g  fc[5]=%.9g\n", fsum, (double)fc[5]);
  mix_i32(ic, ia, ib, N);
  uint32_t h = 0;
  for (int i = 0; i < N; i++) h = h * 33 + (uint32_t)ic[i];
  printf("mix hash = %08x\n", h);
  printf("sad_u8 = %u\n", sad_u8(ba, bb, N));
  printf("sum_i16 = %d\n", sum_i16(sa, N));
  convert(fc, ia, db, N);
  printf("convert: %.9g %.17g %.17g\n", (double)fc[N - 1], db[0], db[N / 2]);
  printf("odd length: dot_i32(1001) = %lld  dot_f32(7) = %.9g\n", (long long)dot_i32(ia + 1, ib + 2, 1001), (double)dot_f32(fa + 3, fb, 7));
  return 0;
}

/* matmul: n x n matrix products, double and int32, with values whose products and sums
   are exact in double (multiples of 1/8), so MXCSR's inexact flag is never raised: the
   float work must be fast without that flag set, too.
   Self-check: the int and double products agree exactly on the same small-integer inputs. */
#include "common.h"

int main(int argc, char **argv) {
  int n = work_size(argc, argv, 200);
  double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n), *c = malloc(sizeof(double) * n * n);
  int32_t *ia = malloc(sizeof(int32_t) * n * n), *ib = malloc(sizeof(int32_t) * n * n), *ic = malloc(sizeof(int32_t) * n * n);
  if (!a || !b || !c || !ia || !ib || !ic) return fail("matmul", "out of memory");
  for (int i = 0; i < n * n; i++) {
    ia[i] = (int32_t)(rng_next() % 17) - 8;
    ib[i] = (int32_t)(rng_next() % 13) - 6;
    a[i] = ia[i] * 0.5;
    b[i] = ib[i] * 0.25;
  }
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      double s = 0;
      int32_t t = 0;
      for (int k = 0; k < n; k++) {
        s += a[i * n + k] * b[k * n + j];
        t += ia[i * n + k] * ib[k * n + j];
      }
      c[i * n + j] = s;
      ic[i * n + j] = t;
    }
  }
  uint32_t checksum = 0;
  double trace = 0;
  for (int i = 0; i < n * n; i++) {
    if (c[i] * 8 != (double)ic[i]) return fail("matmul", "double and int products differ");
    checksum = mix32(checksum, (uint32_t)ic[i]);
  }
  for (int i = 0; i < n; i++) trace += c[i * n + i];
  printf("matmul n=%d trace=%.3f checksum=%08x\n", n, trace, checksum);
  return 0;
}

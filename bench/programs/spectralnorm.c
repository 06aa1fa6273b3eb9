/* spectralnorm: the spectral norm of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2+i+1)
   truncated to argv[1] x argv[1], by 10 power iterations. */
#include "common.h"
#include <math.h>

static double a(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }

static void mul_av(int n, const double *v, double *out) {
  for (int i = 0; i < n; i++) { double s = 0; for (int j = 0; j < n; j++) s += a(i, j) * v[j]; out[i] = s; }
}
static void mul_atv(int n, const double *v, double *out) {
  for (int i = 0; i < n; i++) { double s = 0; for (int j = 0; j < n; j++) s += a(j, i) * v[j]; out[i] = s; }
}
static void mul_atav(int n, const double *v, double *out, double *tmp) { mul_av(n, v, tmp); mul_atv(n, tmp, out); }

int main(int argc, char **argv) {
  int n = work_size(argc, argv, 300);
  double *u = malloc((size_t)n * sizeof(double)), *v = malloc((size_t)n * sizeof(double)), *tmp = malloc((size_t)n * sizeof(double));
  for (int i = 0; i < n; i++) u[i] = 1;
  for (int i = 0; i < 10; i++) { mul_atav(n, u, v, tmp); mul_atav(n, v, u, tmp); }
  double vbv = 0, vv = 0;
  for (int i = 0; i < n; i++) { vbv += u[i] * v[i]; vv += v[i] * v[i]; }
  double norm = sqrt(vbv / vv);
  if (n >= 100 && (norm < 1.2742 || norm > 1.2743)) return fail("spectralnorm", "norm out of range");
  printf("spectralnorm n=%u norm=%.9f\n", (unsigned)n, norm);
  free(u); free(v); free(tmp);
  return 0;
}

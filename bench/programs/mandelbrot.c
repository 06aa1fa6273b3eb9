/* mandelbrot: an argv[1] x argv[1] bitmap of the Mandelbrot set (50 iterations,
   escape radius 2) in double precision; prints the set size and a row checksum. */
#include "common.h"

int main(int argc, char **argv) {
  int n = work_size(argc, argv, 400);
  uint32_t inside = 0, checksum = 0;
  for (int y = 0; y < n; y++) {
    double ci = 2.0 * y / n - 1.0;
    uint32_t row = 0;
    for (int x = 0; x < n; x++) {
      double cr = 2.0 * x / n - 1.5, zr = 0, zi = 0, tr = 0, ti = 0;
      int i = 0;
      for (; i < 50 && tr + ti <= 4.0; i++) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
      }
      if (i == 50) { inside++; row = mix32(row, (uint32_t)x); }
    }
    checksum = mix32(checksum, row);
  }
  /* Self-check: the set's area is about 1.5066; 50 iterations overestimate it slightly (2 x 2 window). */
  if (n >= 64) {
    double area = 4.0 * inside / ((double)n * n);
    if (area < 1.50 || area > 1.65) return fail("mandelbrot", "area out of range");
  }
  printf("mandelbrot n=%u inside=%u checksum=%08x\n", (unsigned)n, inside, checksum);
  return 0;
}

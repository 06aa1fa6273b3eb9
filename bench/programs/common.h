/* Shared helpers for the wexe benchmark programs.
   Every program takes its work size from argv[1], is deterministic, checks itself
   where a known answer exists, and prints one line: "<name> n=<size> ... checksum=<hex>".
   Only 32-bit integer printf conversions (%u, %08x) and %.Nf are used, so the output is
   identical under msvcrt.dll and glibc; 64-bit values are printed as two 32-bit halves. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static inline int work_size(int argc, char **argv, int fallback) {
  int n = argc > 1 ? atoi(argv[1]) : fallback;
  return n > 0 ? n : fallback;
}

/* FNV-1a style mixing of 32-bit words into a running checksum. */
static inline uint32_t mix32(uint32_t h, uint32_t v) {
  h ^= v;
  h *= 0x01000193u;
  h ^= h >> 15;
  return h;
}

/* xorshift32: a small deterministic generator (never seeded with 0). */
static uint32_t rng_state = 2463534242u;
static inline uint32_t rng_next(void) {
  uint32_t x = rng_state;
  x ^= x << 13; x ^= x >> 17; x ^= x << 5;
  return rng_state = x;
}

static inline int fail(const char *name, const char *what) {
  printf("%s FAIL: %s\n", name, what);
  return 1;
}
#endif

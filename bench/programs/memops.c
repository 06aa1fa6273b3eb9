/* memops: memcpy/memset-heavy work, argv[1] rounds over two 256 KiB buffers: each round
   fills with memset at varying lengths and alignments, copies blocks of varying sizes
   and (unaligned) offsets with memcpy, and samples a checksum of the buffer. */
#include "common.h"

static uint32_t fnv(const uint8_t *p, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i += 61) h = (h ^ p[i]) * 16777619u;
  return h;
}

int main(int argc, char **argv) {
  int rounds = work_size(argc, argv, 64);
  uint32_t len = 256u * 1024u;
  uint8_t *a = malloc(len), *b = malloc(len);
  for (uint32_t i = 0; i < len; i++) a[i] = (uint8_t)(i * 7 + (i >> 8));
  memset(b, 0, len);
  /* Self-check: a whole-buffer copy round trip. */
  memcpy(b, a, len);
  for (uint32_t i = 0; i < len; i += 97) if (b[i] != a[i]) return fail("memops", "memcpy round trip");

  static const uint32_t sizes[] = { 1, 3, 8, 15, 16, 31, 64, 100, 255, 256, 1000, 4096, 10000 };
  uint32_t checksum = 0;
  for (uint32_t round = 0; round < (uint32_t)rounds; round++) {
    for (uint32_t op = 0; op < 256; op++) {
      uint32_t size = sizes[(round + op) % (sizeof sizes / sizeof sizes[0])];
      if (size >= len) size = len / 2;
      uint32_t r = rng_next();
      uint32_t src = r % (len - size), dst = (r >> 7) % (len - size);
      if (op & 1) memcpy(b + dst, a + src, size);
      else memset(b + dst, (int)(r >> 24), size);
      if ((op & 15) == 0) memcpy(a + (r >> 11) % (len - size), b + src, size);
    }
    checksum = mix32(checksum, fnv(b, len));
  }
  printf("memops n=%u checksum=%08x\n", (unsigned)rounds, checksum);
  free(a); free(b);
  return 0;
}

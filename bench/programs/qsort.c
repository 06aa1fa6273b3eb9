/* qsort: msvcrt/glibc qsort of argv[1] records with a comparator in guest code
   (under wexe each comparison is a host-to-guest callback). The comparator is a total
   order (ties broken by the original index), so every qsort gives the same result.
   Self-check: the result is sorted and is a permutation. */
#include "common.h"

typedef struct { uint32_t key; uint32_t index; } record;

static uint32_t comparisons;

static int compare_records(const void *pa, const void *pb) {
  const record *a = pa, *b = pb;
  comparisons++;
  /* Sort by the low 16 bits first so there are many ties to break. */
  uint32_t ka = a->key & 0xffff, kb = b->key & 0xffff;
  if (ka != kb) return ka < kb ? -1 : 1;
  if (a->index != b->index) return a->index < b->index ? -1 : 1;
  return 0;
}

int main(int argc, char **argv) {
  int n = work_size(argc, argv, 100000);
  record *r = malloc((size_t)n * sizeof(record));
  uint32_t xor_before = 0;
  for (int i = 0; i < n; i++) { r[i].key = rng_next(); r[i].index = (uint32_t)i; xor_before ^= r[i].key ^ (uint32_t)i; }
  qsort(r, (size_t)n, sizeof(record), compare_records);
  uint32_t xor_after = 0, checksum = 0;
  for (int i = 0; i < n; i++) {
    xor_after ^= r[i].key ^ r[i].index;
    if (i > 0 && compare_records(&r[i - 1], &r[i]) >= 0) return fail("qsort", "not sorted");
    checksum = mix32(checksum, r[i].index);
  }
  if (xor_after != xor_before) return fail("qsort", "not a permutation");
  /* The comparison count depends on the qsort implementation: not printed. */
  printf("qsort n=%u checksum=%08x\n", (unsigned)n, checksum);
  free(r);
  return 0;
}

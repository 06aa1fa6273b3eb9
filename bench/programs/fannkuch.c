/* fannkuch: fannkuch-redux for permutations of argv[1] elements (7..11 sensible):
   the maximum number of pancake flips and the alternating checksum.
   Self-check: n=7 gives checksum 228 and 16 flips. */
#include "common.h"

/* The attribute keeps GCC from turning the small rotation loop below into a memmove
   call: an import call per rotation would measure the API boundary, not the CPU. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
static void fannkuch(int n, int *checksum_out, int *max_flips_out) {
  int perm[16], perm1[16], count[16];
  int max_flips = 0, checksum = 0, perm_count = 0, r = n;
  for (int i = 0; i < n; i++) perm1[i] = i;
  for (;;) {
    while (r != 1) { count[r - 1] = r; r--; }
    for (int i = 0; i < n; i++) perm[i] = perm1[i];
    int flips = 0, k;
    while ((k = perm[0]) != 0) {
      for (int i = 0, j = k; i < j; i++, j--) { int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
      flips++;
    }
    if (flips > max_flips) max_flips = flips;
    checksum += (perm_count % 2 == 0) ? flips : -flips;
    for (;;) {
      if (r == n) { *checksum_out = checksum; *max_flips_out = max_flips; return; }
      int perm0 = perm1[0];
      for (int i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = perm0;
      if (--count[r] > 0) break;
      r++;
    }
    perm_count++;
  }
}

int main(int argc, char **argv) {
  int n = work_size(argc, argv, 9);
  if (n > 12) n = 12;
  if (n < 3) n = 3;
  int checksum, flips;
  fannkuch(7, &checksum, &flips);
  if (checksum != 228 || flips != 16) return fail("fannkuch", "n=7 known answer");
  fannkuch(n, &checksum, &flips);
  printf("fannkuch n=%u checksum=%d maxflips=%d\n", (unsigned)n, checksum, flips);
  return 0;
}

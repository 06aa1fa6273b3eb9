/* sieve: sieve of Eratosthenes up to argv[1] (odd numbers only, one byte each),
   repeated 3 times; counts primes, sums them, and checksums the gaps.
   Self-check: there are 1229 primes below 10000. */
#include "common.h"

static uint32_t sieve(uint8_t *composite, uint32_t n, uint32_t *sum, uint32_t *gaps) {
  /* composite[i] describes 2*i+1 */
  uint32_t half = n / 2 + 1;
  memset(composite, 0, half);
  for (uint32_t i = 1; (2 * i + 1) * (2 * i + 1) <= n; i++) {
    if (composite[i]) continue;
    uint32_t p = 2 * i + 1;
    for (uint32_t j = (p * p) / 2; j < half; j += p) composite[j] = 1;
  }
  uint32_t count = n >= 2 ? 1 : 0, s = n >= 2 ? 2 : 0, g = 0, last = 2;
  for (uint32_t i = 1; i < half; i++) {
    uint32_t v = 2 * i + 1;
    if (v > n) break;
    if (!composite[i]) { count++; s += v; g = mix32(g, v - last); last = v; }
  }
  *sum = s; *gaps = g;
  return count;
}

int main(int argc, char **argv) {
  int n = work_size(argc, argv, 1000000);
  uint8_t *composite = malloc((uint32_t)n / 2 + 2 > 5002 ? (uint32_t)n / 2 + 2 : 5002);
  uint32_t sum, gaps;
  if (sieve(composite, 10000, &sum, &gaps) != 1229) return fail("sieve", "pi(10000) != 1229");
  uint32_t count = 0, checksum = 0;
  for (int rep = 0; rep < 3; rep++) {
    count = sieve(composite, (uint32_t)n, &sum, &gaps);
    checksum = mix32(mix32(checksum, sum), gaps);
  }
  printf("sieve n=%u primes=%u checksum=%08x\n", (unsigned)n, count, checksum);
  free(composite);
  return 0;
}

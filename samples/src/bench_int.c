/* bench_int: a tight integer workload for interpreter/JIT speed measurements:
   a sieve of Eratosthenes up to N (argv[1], default 200000), CRC-32 of the
   sieve, and an xorshift/multiply mixing loop. Prints counts and checksums
   only, so the output is deterministic for a given N. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

static uint32_t crc_table[256];

static void make_crc_table(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

int main(int argc, char **argv) {
  long long n = argc > 1 ? _atoi64(argv[1]) : 200000;
  if (n < 10) n = 10;
  uint8_t *composite = calloc((size_t)n + 1, 1);
  long long primes = 0;
  uint64_t prime_sum = 0;
  for (long long i = 2; i <= n; i++) {
    if (composite[i]) continue;
    primes++;
    prime_sum += (uint64_t)i;
    for (long long j = i * i; j <= n; j += i) composite[j] = 1;
  }
  make_crc_table();
  uint32_t crc = crc32_update(0, composite, (size_t)n + 1);

  uint64_t x = 88172645463325252ULL, mix = 0;
  for (long long i = 0; i < n * 4; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);
    mix += (uint64_t)lo * hi + (lo % 1000003u) + (hi >> (lo & 15));
    mix = (mix << 5) | (mix >> 59);
  }
  printf("n=%lld primes=%lld sum=%llu crc=%08x mix=%016llx\n", n, primes, (unsigned long long)prime_sum, crc, (unsigned long long)mix);
  free(composite);
  return 0;
}

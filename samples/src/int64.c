/* int64: SHA-256 and CRC-32 of fixed data, 64-bit multiply/divide edge
   cases (signed and unsigned), shifts, rotates, and bit-count builtins. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <limits.h>

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};
static uint32_t ror32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256(const unsigned char *msg, size_t len, unsigned char out[32]) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  size_t total = ((len + 9 + 63) / 64) * 64;
  unsigned char block[64];
  for (size_t off = 0; off < total; off += 64) {
    for (int i = 0; i < 64; i++) {
      size_t pos = off + i;
      unsigned char byte = 0;
      if (pos < len) byte = msg[pos];
      else if (pos == len) byte = 0x80;
      else if (pos >= total - 8) byte = (unsigned char)(((uint64_t)len * 8) >> (8 * (total - 1 - pos)));
      block[i] = byte;
    }
    uint32_t w[64];
    for (int i = 0; i < 16; i++) w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
    for (int i = 16; i < 64; i++) {
      uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
      uint32_t t1 = hh + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
      uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  for (int i = 0; i < 8; i++) { out[4 * i] = h[i] >> 24; out[4 * i + 1] = h[i] >> 16; out[4 * i + 2] = h[i] >> 8; out[4 * i + 3] = (unsigned char)h[i]; }
}

static uint32_t crc32(const unsigned char *p, size_t n) {
  uint32_t crc = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

static void print_digest(const char *label, const char *text) {
  unsigned char d[32];
  sha256((const unsigned char *)text, strlen(text), d);
  printf("sha256(%s) = ", label);
  for (int i = 0; i < 32; i++) printf("%02x", d[i]);
  printf("\n");
}

/* volatile operands keep the compiler from folding the arithmetic away */
static volatile int64_t vs[] = {0, 1, -1, 7, -7, INT64_MAX, INT64_MIN, 1000000007, -3, 0x123456789abcdefLL};
static volatile uint64_t vu[] = {0, 1, 3, 0xffffffffULL, 0x100000000ULL, UINT64_MAX, 0x8000000000000000ULL, 0xfedcba9876543210ULL};

int main(void) {
  print_digest("\"\"", "");
  print_digest("\"abc\"", "abc");
  static char big[1000];
  for (int i = 0; i < 1000; i++) big[i] = (char)('a' + i % 26);
  big[999] = 0;
  print_digest("alphabet*999", big);
  printf("crc32(\"123456789\") = %08x\n", crc32((const unsigned char *)"123456789", 9));
  printf("crc32(alphabet*999) = %08x\n", crc32((const unsigned char *)big, 999));

  int ns = (int)(sizeof vs / sizeof vs[0]);
  uint64_t acc = 0;
  for (int i = 0; i < ns; i++)
    for (int j = 0; j < ns; j++) {
      int64_t a = vs[i], b = vs[j];
      int64_t prod = (int64_t)((uint64_t)a * (uint64_t)b);
      acc = acc * 31 + (uint64_t)prod;
      if (b != 0 && !(a == INT64_MIN && b == -1)) {
        int64_t q = a / b, r = a % b;
        if (i % 3 == 0) printf("%lld / %lld = %lld rem %lld\n", (long long)a, (long long)b, (long long)q, (long long)r);
        acc = acc * 31 + (uint64_t)q;
        acc = acc * 31 + (uint64_t)r;
      }
    }
  printf("signed mul/div checksum = %016llx\n", (unsigned long long)acc);
  int nu = (int)(sizeof vu / sizeof vu[0]);
  acc = 0;
  for (int i = 0; i < nu; i++)
    for (int j = 0; j < nu; j++) {
      uint64_t a = vu[i], b = vu[j];
      acc = acc * 31 + a * b;
      unsigned __int128 wide = (unsigned __int128)a * b;
      acc = acc * 31 + (uint64_t)(wide >> 64);
      if (b) { acc = acc * 31 + a / b; acc = acc * 31 + a % b; }
    }
  printf("unsigned mul/div checksum = %016llx\n", (unsigned long long)acc);
  printf("INT64_MIN / 2 = %lld, INT64_MIN %% 3 = %lld, -7 / 2 = %lld, -7 %% 2 = %lld\n",
         (long long)(vs[6] / 2), (long long)(vs[6] % 3), (long long)(vs[4] / 2), (long long)(vs[4] % 2));
  printf("UINT64_MAX / 3 = %llu, high(UINT64_MAX^2) = %016llx\n", (unsigned long long)(vu[5] / 3),
         (unsigned long long)(((unsigned __int128)vu[5] * vu[5]) >> 64));
  int64_t sh = vs[9];
  for (volatile int k = 0; k < 70; k += 13) {
    int s = k & 63;
    uint64_t u = (uint64_t)sh;
    printf("shift %2d: shl=%016llx shr=%016llx sar=%016llx rol=%016llx ror=%016llx\n", s, (unsigned long long)(u << s),
           (unsigned long long)(u >> s), (unsigned long long)((int64_t)(u | 0x8000000000000000ULL) >> s),
           (unsigned long long)((u << s) | (u >> ((64 - s) & 63))), (unsigned long long)((u >> s) | (u << ((64 - s) & 63))));
  }
  for (int i = 0; i < nu; i++) {
    uint64_t x = vu[i];
    printf("bits %016llx: popcount=%d clz=%d ctz=%d parity=%d bswap=%016llx\n", (unsigned long long)x, __builtin_popcountll(x),
           x ? __builtin_clzll(x) : 64, x ? __builtin_ctzll(x) : 64, __builtin_parityll(x), (unsigned long long)__builtin_bswap64(x));
  }
  volatile uint32_t w = 0x80000001u;
  printf("32-bit: popcount=%d clz=%d ctz=%d bswap=%08x  (int32)0x80000000/-1 avoided\n", __builtin_popcount(w), __builtin_clz(w), __builtin_ctz(w), __builtin_bswap32(w));
  volatile int32_t si = -100; volatile uint32_t su = 7;
  printf("mixed: %d %u %d %lld\n", si / 7, (uint32_t)si / su, si % 7, (long long)si * (long long)su);
  return 0;
}

/* crc32: table-driven CRC-32 (IEEE, reflected) of a pseudo-random buffer of argv[1] KiB,
   computed 4 times over rotating slices; the bitwise CRC of the first KiB must agree
   with the table version. Self-check: CRC-32("123456789") = 0xCBF43926. */
#include "common.h"

static uint32_t table[256];

static void make_table(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
}

static uint32_t crc_table(uint32_t crc, const uint8_t *p, uint32_t n) {
  crc = ~crc;
  for (uint32_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static uint32_t crc_bitwise(uint32_t crc, const uint8_t *p, uint32_t n) {
  crc = ~crc;
  for (uint32_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

int main(int argc, char **argv) {
  int kib = work_size(argc, argv, 256);
  make_table();
  if (crc_table(0, (const uint8_t *)"123456789", 9) != 0xCBF43926u) return fail("crc32", "table known answer");
  if (crc_bitwise(0, (const uint8_t *)"123456789", 9) != 0xCBF43926u) return fail("crc32", "bitwise known answer");

  uint32_t len = (uint32_t)kib * 1024u;
  uint8_t *buf = malloc(len);
  for (uint32_t i = 0; i < len; i += 4) {
    uint32_t r = rng_next();
    memcpy(buf + i, &r, 4);
  }
  uint32_t first = len < 1024 ? len : 1024;
  if (crc_table(0, buf, first) != crc_bitwise(0, buf, first)) return fail("crc32", "table and bitwise disagree");
  uint32_t checksum = 0;
  for (uint32_t pass = 0; pass < 4; pass++) {
    uint32_t start = pass * (len / 4);
    uint32_t crc = crc_table(0, buf + start, len - start);
    crc = crc_table(crc, buf, start);
    checksum = mix32(checksum, crc);
  }
  printf("crc32 n=%u checksum=%08x\n", (unsigned)kib, checksum);
  free(buf);
  return 0;
}

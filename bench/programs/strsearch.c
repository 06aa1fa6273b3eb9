/* strsearch: string search and parsing over a generated text of argv[1] KiB:
   "key=value;" records made from a small vocabulary. Counts pattern occurrences with a
   naive search and with Boyer-Moore-Horspool (they must agree), and parses every record
   with a hand-written tokenizer and number parser, summing the values per key. */
#include "common.h"

static const char *const words[] = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu" };
#define NWORDS (sizeof words / sizeof words[0])

static uint32_t count_naive(const char *text, uint32_t n, const char *pat, uint32_t m) {
  uint32_t count = 0;
  for (uint32_t i = 0; i + m <= n; i++) {
    uint32_t j = 0;
    while (j < m && text[i + j] == pat[j]) j++;
    if (j == m) count++;
  }
  return count;
}

static uint32_t count_horspool(const char *text, uint32_t n, const char *pat, uint32_t m) {
  uint32_t shift[256];
  for (int i = 0; i < 256; i++) shift[i] = m;
  for (uint32_t i = 0; i + 1 < m; i++) shift[(uint8_t)pat[i]] = m - 1 - i;
  uint32_t count = 0;
  for (uint32_t i = 0; i + m <= n; i += shift[(uint8_t)text[i + m - 1]]) {
    uint32_t j = m;
    while (j > 0 && text[i + j - 1] == pat[j - 1]) j--;
    if (j == 0) count++;
  }
  return count;
}

static int word_index(const char *s, uint32_t len) {
  for (uint32_t w = 0; w < NWORDS; w++)
    if (strlen(words[w]) == len && memcmp(words[w], s, len) == 0) return (int)w;
  return -1;
}

int main(int argc, char **argv) {
  int kib = work_size(argc, argv, 256);
  uint32_t cap = (uint32_t)kib * 1024u;
  char *text = malloc(cap + 64);
  uint32_t n = 0;
  /* Build records "word=number;" until the buffer is full. */
  while (n + 32 < cap) {
    const char *w = words[rng_next() % NWORDS];
    uint32_t len = (uint32_t)strlen(w);
    memcpy(text + n, w, len); n += len;
    text[n++] = '=';
    uint32_t value = rng_next() % 100000u;
    char digits[12]; int d = 0;
    do { digits[d++] = (char)('0' + value % 10); value /= 10; } while (value);
    while (d) text[n++] = digits[--d];
    text[n++] = ';';
  }
  text[n] = 0;

  uint32_t checksum = 0;
  static const char *const patterns[] = { "eta=", "lambda", "a=1", "mu=9", ";zeta=", "ppa=4" };
  for (uint32_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
    uint32_t m = (uint32_t)strlen(patterns[p]);
    uint32_t a = count_naive(text, n, patterns[p], m), b = count_horspool(text, n, patterns[p], m);
    if (a != b) return fail("strsearch", "naive and Horspool counts disagree");
    checksum = mix32(checksum, a);
  }

  uint32_t sums[NWORDS] = {0}, records = 0;
  const char *s = text;
  while (*s) {
    const char *key = s;
    while (*s && *s != '=') s++;
    int w = word_index(key, (uint32_t)(s - key));
    if (w < 0 || *s != '=') return fail("strsearch", "bad key");
    s++;
    uint32_t value = 0;
    while (*s >= '0' && *s <= '9') value = value * 10 + (uint32_t)(*s++ - '0');
    if (*s++ != ';') return fail("strsearch", "bad terminator");
    sums[w] += value;
    records++;
  }
  for (uint32_t w = 0; w < NWORDS; w++) checksum = mix32(checksum, sums[w]);
  printf("strsearch n=%u records=%u checksum=%08x\n", (unsigned)kib, records, checksum);
  free(text);
  return 0;
}

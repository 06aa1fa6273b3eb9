/* wexert.dll: msvcrt functions that wexe runs as guest x86-64 code instead of as
   TypeScript natives. A comparator called from guest code is an ordinary guest call
   (the JIT compiles it into the sort's code path); called from a native, each one is a
   host-to-guest callback.

   The algorithms are msvcrt's, so comparator call order and the final order of equal
   elements match Windows (samples/qsort_ties checks the latter against a recording).
   Freestanding: no CRT, no libgcc, no imports. Build: make -C runtime/guestlib. */

typedef __SIZE_TYPE__ size_t;
/* Addresses as signed integers: the partition scans step one element past either end
   and compare differences that can be negative, as msvcrt's pointer arithmetic does. */
typedef long long addr;
typedef int (*compare_fn)(const void *, const void *);

#define EXPORT __attribute__((dllexport))
#define CUTOFF 8
/* The larger partition is pushed and the smaller sorted first, so each push at least
   halves the range still being sorted: 64 entries cover any size_t count. */
#define STACK_SIZE 64

/* An unaligned 8-byte access that may alias anything. */
typedef unsigned long long __attribute__((may_alias, aligned(1))) chunk;

/* Exchanges two elements (distinct, so never overlapping): 8 bytes at a time, then bytes. */
static void swap(addr a, addr b, size_t width) {
  if (a == b) return;
  unsigned char *p = (unsigned char *)a, *q = (unsigned char *)b;
  size_t i = 0;
  for (; i + sizeof(chunk) <= width; i += sizeof(chunk)) {
    chunk t = *(chunk *)(p + i); *(chunk *)(p + i) = *(chunk *)(q + i); *(chunk *)(q + i) = t;
  }
  for (; i < width; i++) { unsigned char t = p[i]; p[i] = q[i]; q[i] = t; }
}

static int cmp(compare_fn comp, addr a, addr b) { return comp((const void *)a, (const void *)b); }

/* Selection sort of [lo, hi] (inclusive): the largest goes last, ties keep the first found. */
static void short_sort(addr lo, addr hi, size_t width, compare_fn comp) {
  while (hi > lo) {
    addr max = lo;
    for (addr p = lo + (addr)width; p <= hi; p += (addr)width)
      if (cmp(comp, p, max) > 0) max = p;
    swap(max, hi, width);
    hi -= (addr)width;
  }
}

EXPORT void qsort(void *base, size_t num, size_t width, compare_fn comp) {
  addr lo_stack[STACK_SIZE], hi_stack[STACK_SIZE];
  int depth = 0;
  if (num < 2 || width == 0) return;
  const addr w = (addr)width;
  addr lo = (addr)base;
  addr hi = lo + w * (addr)(num - 1);
  for (;;) {
    size_t size = (size_t)(hi - lo) / width + 1;
    if (size <= CUTOFF) {
      short_sort(lo, hi, width, comp);
    } else {
      /* Median of three: lo, mid, hi sorted among themselves. */
      addr mid = lo + (addr)(size / 2) * w;
      if (cmp(comp, lo, mid) > 0) swap(lo, mid, width);
      if (cmp(comp, lo, hi) > 0) swap(lo, hi, width);
      if (cmp(comp, mid, hi) > 0) swap(mid, hi, width);
      addr loguy = lo, higuy = hi;
      for (;;) {
        if (mid > loguy) { do { loguy += w; } while (loguy < mid && cmp(comp, loguy, mid) <= 0); }
        if (mid <= loguy) { do { loguy += w; } while (loguy <= hi && cmp(comp, loguy, mid) <= 0); }
        do { higuy -= w; } while (higuy > mid && cmp(comp, higuy, mid) > 0);
        if (higuy < loguy) break;
        swap(loguy, higuy, width);
        if (mid == higuy) mid = loguy; /* the partition element moved */
      }
      /* Skip the elements equal to the partition element next to it. */
      higuy += w;
      if (mid < higuy) { do { higuy -= w; } while (higuy > mid && cmp(comp, higuy, mid) == 0); }
      if (mid >= higuy) { do { higuy -= w; } while (higuy > lo && cmp(comp, higuy, mid) == 0); }
      if (higuy - lo >= hi - loguy) {
        if (lo < higuy) { lo_stack[depth] = lo; hi_stack[depth] = higuy; depth++; }
        if (loguy < hi) { lo = loguy; continue; }
      } else {
        if (loguy < hi) { lo_stack[depth] = loguy; hi_stack[depth] = hi; depth++; }
        if (lo < higuy) { hi = higuy; continue; }
      }
    }
    if (depth == 0) return;
    depth--;
    lo = lo_stack[depth];
    hi = hi_stack[depth];
  }
}

EXPORT void *bsearch(const void *key, const void *base, size_t num, size_t width, compare_fn comp) {
  const addr w = (addr)width;
  addr lo = (addr)base;
  addr hi = lo + ((addr)num - 1) * w;
  while (lo <= hi && num > 0) {
    size_t half = num / 2;
    if (half != 0) {
      addr mid = lo + (addr)((num & 1) ? half : half - 1) * w;
      int r = comp(key, (const void *)mid);
      if (r == 0) return (void *)mid;
      if (r < 0) { hi = mid - w; num = (num & 1) ? half : half - 1; }
      else { lo = mid + w; num = half; }
    } else {
      return comp(key, (const void *)lo) == 0 ? (void *)lo : 0;
    }
  }
  return 0;
}

/* String functions: called in the inner loops of parsers and searches, where a call into
   a native costs more than the work. Bytes compare as unsigned char; comparisons return
   -1, 0 or 1 like wexe's msvcrt always has. Each reads exactly the bytes msvcrt's C
   definition reads, except strlen, which reads whole aligned 8-byte words: they never
   cross a page, so it faults exactly where a byte loop would. */

EXPORT size_t strlen(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  for (; ((addr)p & 7) != 0; p++) if (*p == 0) return (size_t)(p - (const unsigned char *)s);
  for (;;) {
    unsigned long long v = *(const unsigned long long *)p;
    /* Nonzero exactly when some byte of v is zero. */
    if (((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull) != 0) break;
    p += 8;
  }
  while (*p != 0) p++;
  return (size_t)(p - (const unsigned char *)s);
}

EXPORT int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++) if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

EXPORT int strcmp(const char *a, const char *b) {
  const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
  for (;; x++, y++) {
    if (*x != *y) return *x < *y ? -1 : 1;
    if (*x == 0) return 0;
  }
}

EXPORT int strncmp(const char *a, const char *b, size_t n) {
  const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
  for (size_t i = 0; i < n; i++) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    if (x[i] == 0) return 0;
  }
  return 0;
}

EXPORT char *strchr(const char *s, int c) {
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char t = (unsigned char)c;
  for (;; p++) {
    if (*p == t) return (char *)p;
    if (*p == 0) return 0;
  }
}

EXPORT void *memchr(const void *s, int c, size_t n) {
  const unsigned char *p = s;
  const unsigned char t = (unsigned char)c;
  for (size_t i = 0; i < n; i++) if (p[i] == t) return (void *)(p + i);
  return 0;
}

/* Block moves and fills: `rep movsb` / `rep stosb`, which the JIT turns into one wasm
   memory.copy / memory.fill when every page of both ranges is plain memory (else the
   interpreter's handler runs them, faulting exactly where a byte loop would). memcpy
   is memmove, as wexe's msvcrt has always made it: programs that copy overlapping
   ranges with memcpy keep working. A destination that starts inside the source can
   not be copied forward (a forward `rep movsb` would replicate bytes), so it is copied
   from the end: in forward runs as long as the distance when that is long, else in
   8-byte words downwards, each read before it is written. */

static void copy_forward(unsigned char *d, const unsigned char *s, size_t n) {
  __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static void copy_backward(unsigned char *d, const unsigned char *s, size_t n) {
  size_t k = (size_t)(d - s); /* 0 < k < n */
  if (k >= 256) {
    /* The last k bytes of the source lie wholly below the last k of the destination. */
    while (n > k) { n -= k; copy_forward(d + n, s + n, k); }
    copy_forward(d, s, n);
    return;
  }
  while (n >= sizeof(chunk)) { n -= sizeof(chunk); *(chunk *)(d + n) = *(const chunk *)(s + n); }
  while (n > 0) { n--; d[n] = s[n]; }
}

EXPORT void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d != s && (size_t)(d - s) < n) copy_backward(d, s, n); else copy_forward(d, s, n);
  return dst;
}

EXPORT void *memcpy(void *dst, const void *src, size_t n) { return memmove(dst, src, n); }

EXPORT void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
  return dst;
}

EXPORT unsigned short *wmemmove(unsigned short *dst, const unsigned short *src, size_t n) {
  return memmove(dst, src, n * sizeof(unsigned short));
}

EXPORT unsigned short *wmemcpy(unsigned short *dst, const unsigned short *src, size_t n) {
  return memmove(dst, src, n * sizeof(unsigned short));
}

EXPORT unsigned short *wmemset(unsigned short *dst, unsigned short c, size_t n) {
  unsigned short *d = dst;
  __asm__ volatile("rep stosw" : "+D"(d), "+c"(n) : "a"(c) : "memory");
  return dst;
}

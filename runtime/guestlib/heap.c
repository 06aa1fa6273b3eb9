/* The process heap as guest code: msvcrt's malloc family and kernel32's Heap*, Local*
   and Global* allocation functions, as msvcrt -> ntdll RtlAllocateHeap are ordinary
   code on Windows. Compiled code calls malloc like any other guest function instead of
   leaving for a TypeScript native; the runtime's own allocations (runtime/heap.ts) call
   the wexe_heap_* exports through Process.callGuest, so there is one allocator.

   A heap lives in one reserved region and its state sits at the region's start, so a
   heap handle is its base address (GetProcessHeap returns the PEB's ProcessHeap, as on
   Windows). The region comes from the map zeroed; nothing here assumes more.

   Blocks are 16-byte granules with a 16-byte header before the caller's memory (as on
   Windows x64): the block size in granules (header included), the size of the block
   before it (a boundary tag, so a freed block finds its predecessor), the size asked
   for, and a tag that says allocated or free and is mixed with the block's address, so
   a pointer into the middle of a block, a wild pointer or a second free is recognised
   rather than taken for a block. Blocks tile [first, top) without gaps; above `top`
   nothing has been handed out, and above `high_water` memory is still zero from the map.

   Two tiers, as Windows' low-fragmentation heap over its back end, or dlmalloc's fastbins:
   - Small requests (up to SMALL_BYTES) come from one singly linked LIFO list per size
     (16-byte steps): malloc pops the head, free checks the header's tag and pushes, with
     no splitting or merging, so both are about 15-20 instructions (inlined into the
     exports). A small block freed this way keeps its header with a "small free" tag (a
     second free is still recognised) and its neighbours do not see it as mergeable.
   - Everything else goes to the general allocator below, which small requests fall back
     to when their list is empty. Its free neighbours are always merged (a free block
     never touches `top`: it is given back to the top instead); its free blocks sit in
     doubly linked lists by size class: one class per exact size up to 4 KiB, then one
     class per power of two, and a bitmap of non-empty classes finds the smallest class
     that can serve a request. realloc grows in place into a free successor or the top.
   - Small free blocks go back to the general allocator in bulk (consolidate(): one walk
     over the heap merging runs of free blocks) when a request cannot be served at all,
     and when the top has grown by half since the last walk, so memory a program freed in
     one size serves other sizes later, at a cost proportional to the heap's growth.

   Corruption (freeing or reallocating what is not an allocated block) calls the heap's
   `report` function, a runtime native that raises STATUS_HEAP_CORRUPTION (0xC0000374)
   as Windows does; see runtime/heap.ts. Freestanding like wexert.c: no CRT, no imports. */

typedef __SIZE_TYPE__ size_t;
typedef unsigned int u32;
typedef unsigned long long u64;

#define EXPORT __attribute__((dllexport))
/* Calls cost as much as the work on these paths (five saved registers each). */
#define INLINE static inline __attribute__((always_inline))
#define NOINLINE static __attribute__((noinline))

#define GRANULE 16
/* Requests up to this many bytes are small: SMALL_BYTES / GRANULE lists, indexed by the
   caller's granules (1..SMALL_LISTS), so a small block is at most SMALL_LISTS + 1 granules. */
#define SMALL_BYTES 1024
#define SMALL_LISTS (SMALL_BYTES / GRANULE)
/* General allocator: blocks up to this many granules (4 KiB, header included) have a list of their exact size. */
#define SMALL 256
#define SMALL_LOG2 8
/* Classes 2..256 are exact sizes; class 257 + k holds sizes in [max(257, 2^(8+k)), 2^(9+k)). */
#define CLASSES (SMALL + 1 + 32 - SMALL_LOG2)
#define WORDS ((CLASSES + 31) / 32)
/* How many blocks of its own class a large request examines before trying larger classes. */
#define OWN_CLASS_PROBES 16
/* A free block holds its list links after its header. */
#define MIN_BLOCK 2
/* The top grows this much at least between two consolidations. */
#define CONSOLIDATE_MIN 0x40000

#define HEAP_MAGIC 0x70616548u /* "Heap" */
/* Block tags (before mixing with the address, whose low 4 bits are 0). Freeing or
   allocating a small block flips TAG_SMALL_FLIP, one xor. */
#define TAG_USED 0x55736560u
#define TAG_FREE 0x46726560u
#define TAG_SMALL 0x536d6160u
#define TAG_SMALL_FLIP 0x0f0f0f00u
#define TAG_SMALL_FREE (TAG_SMALL ^ TAG_SMALL_FLIP)

/* HeapAlloc flags. */
#define HEAP_ZERO_MEMORY 0x8
#define HEAP_REALLOC_IN_PLACE_ONLY 0x10
#define LMEM_ZEROINIT 0x40
#define ENOMEM 12
#define ERROR_INVALID_HANDLE 6

/* What `report` is told went wrong. */
#define REPORT_FREE 1
#define REPORT_REALLOC 2

struct block {
  u32 size;       /* granules, header included */
  u32 prev_size;  /* granules of the block before (0: the first block) */
  u32 requested;  /* bytes asked for (allocated blocks) */
  u32 tag;        /* TAG_* xor the block's address; anything else: no block */
};

struct free_block {
  struct block h;
  struct free_block *next, *prev;
};

struct heap {
  /* small[n]: the memory (not the header) of the last freed small block of n granules
     (header included: 2..SMALL_LISTS + 1), whose first 8 bytes point to the next; 0 ends
     the list. First in the structure, so the fast paths index it without an offset. */
  u64 small[SMALL_LISTS + 2];
  u64 lowest;     /* the first block's memory: no allocated block's memory is below */
  u64 top;        /* everything from here to `limit` is unused */
  u32 magic;
  u32 top_prev;   /* granules of the block that ends at `top` (0: none) */
  u64 first;      /* the first block */
  u64 limit;
  u64 high_water; /* memory from here up is still zero */
  u64 consolidate_at; /* the top growing past this consolidates first */
  void (*report)(u32 what, u64 addr);
  u32 summary;    /* bit w: nonempty[w] != 0 */
  u32 nonempty[WORDS];
  struct free_block *heads[CLASSES];
};

/* errno of the CRT (runtime/msvcrt/state.ts points _errno() here): malloc sets it. */
EXPORT int wexe_errno;
/* The process heap (the PEB's ProcessHeap; set by src/process/create.ts): one load
   instead of two through gs:[0x60]. */
EXPORT struct heap *wexe_process_heap;

static inline struct block *B(u64 a) { return (struct block *)a; }
/* Mixed with the address of the block's memory, which the fast paths have at hand. */
static inline u32 tag(u64 b, u32 kind) { return kind ^ (u32)(b + GRANULE); }

/* Allocating or freeing a small block: one xor in memory (the compiler would rebuild
   the whole tag from the address). */
INLINE void flip_small(u64 p) {
  __asm__("xorl %1, %0" : "+m"(*(u32 *)(p - 4)) : "i"(TAG_SMALL_FLIP));
}
INLINE int is_free(u64 b) { return B(b)->tag == tag(b, TAG_FREE); }
INLINE int is_small_free(u64 b) { return B(b)->tag == tag(b, TAG_SMALL_FREE); }
static inline u64 end_of(u64 b) { return b + (u64)B(b)->size * GRANULE; }

INLINE u32 class_of(u32 n) {
  return n <= SMALL ? n : SMALL + 1 + (31 - (u32)__builtin_clz(n)) - SMALL_LOG2;
}

/* Granules of a block serving `size` bytes (size below 2^32). */
static inline u32 granules(u64 size) {
  return size <= GRANULE ? MIN_BLOCK : (u32)((size + GRANULE - 1) / GRANULE) + 1;
}

static void zero(u64 from, u64 to) {
  /* Both ends are 8-byte aligned except a realloc's old end: bytes up to alignment. */
  while (from < to && (from & 7)) *(volatile unsigned char *)from++ = 0;
  for (; from + 8 <= to; from += 8) *(volatile u64 *)from = 0;
  for (; from < to; from++) *(volatile unsigned char *)from = 0;
}

static void copy(u64 to, u64 from, u64 n) {
  u64 i = 0;
  for (; i + 8 <= n; i += 8) *(volatile u64 *)(to + i) = *(volatile u64 *)(from + i);
  for (; i < n; i++) *(volatile unsigned char *)(to + i) = *(volatile unsigned char *)(from + i);
}

/* Zeroes [from, to) where it may be dirty: below the high-water mark. */
static void zero_dirty(struct heap *h, u64 from, u64 to) {
  if (to > h->high_water) to = h->high_water;
  if (from < to) zero(from, to);
}

/* ---- the small tier ---------------------------------------------------------------- */

/* Pushes allocated small block `b` (validated) on its list. */
INLINE void small_push(struct heap *h, u64 b) {
  u64 p = b + GRANULE;
  u64 n = B(b)->size;
  *(u64 *)p = h->small[n];
  h->small[n] = p;
  flip_small(p);
}

/* ---- the general allocator --------------------------------------------------------- */

INLINE void link_free(struct heap *h, u64 b, u32 n) {
  struct free_block *f = (struct free_block *)b;
  u32 c = class_of(n);
  struct free_block *head = h->heads[c];
  f->h.size = n;
  f->h.requested = 0;
  f->h.tag = tag(b, TAG_FREE);
  f->next = head;
  f->prev = 0;
  if (head) {
    head->prev = f;
  } else {
    h->nonempty[c >> 5] |= 1u << (c & 31);
    h->summary |= 1u << (c >> 5);
  }
  h->heads[c] = f;
}

/* Takes free block `f` off its list; its header stays (the caller rewrites it). */
INLINE void unlink_free(struct heap *h, struct free_block *f) {
  if (f->next) f->next->prev = f->prev;
  if (f->prev) {
    f->prev->next = f->next;
  } else {
    u32 c = class_of(f->h.size);
    h->heads[c] = f->next;
    if (!f->next) {
      u32 w = h->nonempty[c >> 5] & ~(1u << (c & 31));
      h->nonempty[c >> 5] = w;
      if (!w) h->summary &= ~(1u << (c >> 5));
    }
  }
}

/* Free block `old` becomes the free block [b, b + n granules), b == old or not: it keeps
   its list position when its class stays (splitting the front off a large block or
   merging into one, the common cases, then touch no list head or bitmap). */
INLINE void move_free(struct heap *h, struct free_block *old, u64 b, u32 n) {
  if (class_of(n) != class_of(old->h.size)) {
    unlink_free(h, old);
    old->h.tag = 0;
    link_free(h, b, n);
    return;
  }
  struct free_block *f = (struct free_block *)b;
  if (f != old) {
    struct free_block *next = old->next, *prev = old->prev;
    old->h.tag = 0;
    f->next = next;
    f->prev = prev;
    if (next) next->prev = f;
    if (prev) prev->next = f;
    else h->heads[class_of(n)] = f;
    f->h.requested = 0;
    f->h.tag = tag(b, TAG_FREE);
  }
  f->h.size = n;
}

/* The first class at or above `c` with a free block, or -1. */
INLINE int first_class(struct heap *h, u32 c) {
  u32 w = c >> 5;
  if (w >= WORDS) return -1;
  u32 bits = h->nonempty[w] & (~0u << (c & 31));
  if (!bits) {
    u32 words = h->summary & (~1u << w);
    if (!words) return -1;
    w = (u32)__builtin_ctz(words);
    bits = h->nonempty[w];
  }
  return (int)((w << 5) + (u32)__builtin_ctz(bits));
}

/* Takes a free block of at least *n granules, splitting off the rest when that can be a
   block; *n becomes the size taken. Returns 0 when no list can serve. */
static u64 take_free(struct heap *h, u32 *n, u32 probes) {
  u32 want = *n;
  u32 c = class_of(want);
  struct free_block *f = h->heads[c];
  if (want <= SMALL) {
    if (!f) {
      int k = first_class(h, c);
      if (k < 0) return 0;
      f = h->heads[k];
    }
  } else {
    /* Sizes in a large request's own class may be smaller than the request. */
    for (u32 i = 0; f && i < probes && f->h.size < want; i++) f = f->next;
    if (!f || f->h.size < want) {
      int k = first_class(h, c + 1);
      if (k < 0) return 0;
      f = h->heads[k];
    }
  }
  u64 b = (u64)f;
  u32 size = f->h.size;
  if (size - want >= MIN_BLOCK) {
    /* The rest keeps the block's successor, which is not a free block: no merging. */
    u64 rest = b + (u64)want * GRANULE;
    B(rest)->prev_size = want;
    move_free(h, f, rest, size - want);
    B(end_of(rest))->prev_size = size - want;
    *n = want;
  } else {
    unlink_free(h, f);
    *n = size;
  }
  return b;
}

/* Frees granules [b, b + n) whose predecessor is not free: merges with a free successor
   and gives the space back to the top when it reaches it. b's prev_size is valid. */
static void release(struct heap *h, u64 b, u32 n) {
  u64 after = b + (u64)n * GRANULE;
  if (after != h->top && is_free(after)) {
    unlink_free(h, (struct free_block *)after);
    n += B(after)->size;
    B(after)->tag = 0;
    after = b + (u64)n * GRANULE;
  }
  if (after == h->top) {
    h->top = b;
    h->top_prev = B(b)->prev_size;
    B(b)->tag = 0;
    return;
  }
  link_free(h, b, n);
  B(after)->prev_size = n;
}

/* Gives every small free block to the general allocator: one walk over the blocks
   merges each run of free blocks of either tier into one (the last one into the top)
   and rebuilds the general lists. Returns whether there was a small free block. */
static int consolidate(struct heap *h) {
  u32 c = MIN_BLOCK;
  while (c <= SMALL_LISTS + 1 && !h->small[c]) c++;
  if (c > SMALL_LISTS + 1) return 0;
  for (c = 0; c <= SMALL_LISTS + 1; c++) h->small[c] = 0;
  for (c = 0; c < CLASSES; c++) h->heads[c] = 0;
  for (c = 0; c < WORDS; c++) h->nonempty[c] = 0;
  h->summary = 0;
  u64 run = 0;
  u32 run_size = 0;
  for (u64 b = h->first; b < h->top;) {
    u32 n = B(b)->size;
    if (is_free(b) || is_small_free(b)) {
      B(b)->tag = 0;
      if (!run) run = b;
      run_size += n;
    } else if (run) {
      link_free(h, run, run_size);
      B(b)->prev_size = run_size;
      run = 0;
      run_size = 0;
    }
    b += (u64)n * GRANULE;
  }
  if (run) {
    h->top = run;
    h->top_prev = B(run)->prev_size;
  }
  return 1;
}

/* The tag of an allocated block of n granules: the small tier takes it when it can list it. */
static inline u32 used_tag(u64 b, u32 n) { return tag(b, n <= SMALL_LISTS + 1 ? TAG_SMALL : TAG_USED); }

/* Carves n granules from the top, or returns 0 when they do not fit. */
static u64 take_top(struct heap *h, u32 n) {
  u64 b = h->top;
  if ((u64)n * GRANULE > h->limit - b) return 0;
  h->top = b + (u64)n * GRANULE;
  B(b)->prev_size = h->top_prev;
  h->top_prev = n;
  return b;
}

/* Whether `p` is the memory of an allocated block (of either tier) of `h`. */
INLINE int valid_used(struct heap *h, u64 p) {
  if ((p & 15) || p < h->lowest || p >= h->top) return 0;
  u64 b = p - GRANULE;
  u32 n = B(b)->size;
  u32 t = B(b)->tag;
  if (t == tag(b, TAG_SMALL)) return n >= MIN_BLOCK && n <= SMALL_LISTS + 1 && n <= (h->top - b) / GRANULE;
  return t == tag(b, TAG_USED) && n >= MIN_BLOCK && n <= (h->top - b) / GRANULE;
}

/* A request its small list cannot serve: the general lists, the top, and, when the
   top has grown enough or nothing else can serve, small free blocks consolidated. */
NOINLINE u64 heap_alloc_slow(struct heap *h, u64 size, int zeroed) {
  if (size >= h->limit - h->first || size >= 0xffffffe0ull) return 0;
  u32 want = granules(size);
  u32 n = want;
  u64 b = take_free(h, &n, OWN_CLASS_PROBES);
  if (!b) {
    if (h->top + (u64)n * GRANULE > h->consolidate_at) {
      if (consolidate(h)) b = take_free(h, &n, OWN_CLASS_PROBES);
      u64 grown = (h->top - h->first) / 2;
      h->consolidate_at = h->top + (grown > CONSOLIDATE_MIN ? grown : CONSOLIDATE_MIN);
    }
    if (!b) b = take_top(h, n);
    if (!b) {
      b = take_free(h, &n, ~0u);
      if (!b && consolidate(h)) {
        b = take_free(h, &n, ~0u);
        if (!b) b = take_top(h, n);
      }
      if (!b) return 0;
    }
  }
  B(b)->size = n;
  B(b)->requested = (u32)size;
  B(b)->tag = used_tag(b, n);
  u64 end = b + (u64)n * GRANULE;
  if (zeroed) zero_dirty(h, b + GRANULE, b + GRANULE + size);
  if (end > h->high_water) h->high_water = end;
  return b + GRANULE;
}

/* The fast path: a small request whose list has a block (size 0 has no list); 0 if none. */
INLINE u64 small_pop(struct heap *h, u64 size) {
  if (size - 1 >= SMALL_BYTES) return 0;
  u64 n = (size + 2 * GRANULE - 1) / GRANULE; /* granules(size), header included */
  u64 p = h->small[n];
  if (p) {
    h->small[n] = *(u64 *)p;
    B(p - GRANULE)->requested = (u32)size;
    flip_small(p);
  }
  return p;
}

INLINE u64 heap_alloc(struct heap *h, u64 size, int zeroed) {
  u64 p = small_pop(h, size);
  if (!p) return heap_alloc_slow(h, size, zeroed);
  if (zeroed) zero(p, p + size);
  return p;
}

/* Frees the allocated general block `b` (already validated), merging it with free
   neighbours or giving it back to the top. */
NOINLINE void free_block(struct heap *h, u64 b) {
  u32 n = B(b)->size;
  u32 ps = B(b)->prev_size;
  u64 after = b + (u64)n * GRANULE;
  B(b)->tag = 0;
  int next_free = after != h->top && is_free(after);
  u64 before = b - (u64)ps * GRANULE;
  if (ps && is_free(before)) {
    u32 total = ps + n;
    if (next_free) {
      unlink_free(h, (struct free_block *)after);
      B(after)->tag = 0;
      total += B(after)->size;
    }
    u64 end = before + (u64)total * GRANULE;
    if (end == h->top) {
      unlink_free(h, (struct free_block *)before);
      B(before)->tag = 0;
      h->top = before;
      h->top_prev = B(before)->prev_size;
      return;
    }
    move_free(h, (struct free_block *)before, before, total);
    B(end)->prev_size = total;
  } else if (next_free) {
    /* A free block never touches the top, so neither does the merged one. */
    u32 total = n + B(after)->size;
    move_free(h, (struct free_block *)after, b, total);
    B(b + (u64)total * GRANULE)->prev_size = total;
  } else if (after == h->top) {
    h->top = b;
    h->top_prev = ps;
  } else {
    link_free(h, b, n);
  }
}

/* Anything but an allocated small block: a general block, a null pointer (ignored) or
   what is not a block (reported). */
NOINLINE void heap_free_slow(struct heap *h, u64 p) {
  if (!p) return;
  if (valid_used(h, p)) {
    if (B(p - GRANULE)->tag == tag(p - GRANULE, TAG_SMALL)) small_push(h, p - GRANULE);
    else free_block(h, p - GRANULE);
    return;
  }
  h->report(REPORT_FREE, p);
}

/* The fast path inline: an allocated small block (its tag says so; the range checks keep
   a wild pointer from reading unmapped memory). Null takes the slow path. */
INLINE void heap_free(struct heap *h, u64 p) {
  if (!(p & 15) && p >= h->lowest && p < h->top && B(p - GRANULE)->tag == tag(p - GRANULE, TAG_SMALL)) {
    small_push(h, p - GRANULE);
    return;
  }
  heap_free_slow(h, p);
}

static u64 heap_realloc(struct heap *h, u64 p, u64 size, u32 flags) {
  if (!valid_used(h, p)) { h->report(REPORT_REALLOC, p); return 0; }
  if (size >= h->limit - h->first || size >= 0xffffffe0ull) return 0;
  u64 b = p - GRANULE;
  u32 n = B(b)->size;
  u32 want = granules(size);
  u64 old = B(b)->requested;
  int zeroed = (flags & HEAP_ZERO_MEMORY) != 0;
  int small = B(b)->tag == tag(b, TAG_SMALL);
  if (want <= n) {
    /* A small block keeps its size (it must fit its list); a general one gives the rest back. */
    if (!small && n - want >= MIN_BLOCK) {
      u64 rest = b + (u64)want * GRANULE;
      B(b)->size = want;
      B(rest)->prev_size = want;
      release(h, rest, n - want);
    }
    if (zeroed && size > old) zero(p + old, p + size);
    B(b)->requested = (u32)size;
    return p;
  }
  u64 next = b + (u64)n * GRANULE;
  if (next == h->top) {
    if ((u64)want * GRANULE <= h->limit - b) {
      h->top = b + (u64)want * GRANULE;
      h->top_prev = want;
      if (zeroed) zero_dirty(h, p + old, p + size);
      if (h->top > h->high_water) h->high_water = h->top;
      B(b)->size = want;
      B(b)->requested = (u32)size;
      B(b)->tag = used_tag(b, want);
      return p;
    }
  } else if (is_free(next) && n + B(next)->size >= want) {
    u32 total = n + B(next)->size;
    unlink_free(h, (struct free_block *)next);
    B(next)->tag = 0;
    /* The free block did not touch the top, so neither does what is left of it. */
    if (total - want >= MIN_BLOCK) {
      u64 rest = b + (u64)want * GRANULE;
      B(rest)->prev_size = want;
      link_free(h, rest, total - want);
      B(end_of(rest))->prev_size = total - want;
    } else {
      want = total;
      B(b + (u64)total * GRANULE)->prev_size = total;
    }
    if (zeroed) zero(p + old, p + size);
    B(b)->size = want;
    B(b)->requested = (u32)size;
    B(b)->tag = used_tag(b, want);
    return p;
  }
  if (flags & HEAP_REALLOC_IN_PLACE_ONLY) return 0;
  u64 q = heap_alloc(h, size, zeroed);
  if (!q) return 0;
  copy(q, p, old);
  if (small) small_push(h, b);
  else free_block(h, b);
  return q;
}

/* ---- the runtime's interface (runtime/heap.ts) ------------------------------------ */

/* Makes [base, limit) (mapped, zero) a heap; returns its handle, the base. */
EXPORT u64 wexe_heap_init(u64 base, u64 limit, void (*report)(u32, u64)) {
  struct heap *h = (struct heap *)base;
  h->magic = HEAP_MAGIC;
  h->first = base + ((sizeof(struct heap) + GRANULE - 1) & ~(u64)(GRANULE - 1));
  h->lowest = h->first + GRANULE;
  h->top = h->high_water = h->first;
  h->consolidate_at = h->first + CONSOLIDATE_MIN;
  h->limit = limit;
  h->report = report;
  return base;
}

EXPORT u64 wexe_heap_alloc(struct heap *h, u64 size, u32 flags) {
  return heap_alloc(h, size, (flags & HEAP_ZERO_MEMORY) != 0);
}

/* Null is not a block here (free() and HeapFree ignore it before). */
EXPORT void wexe_heap_free(struct heap *h, u64 p) {
  if (!p) h->report(REPORT_FREE, 0);
  else heap_free(h, p);
}

EXPORT u64 wexe_heap_realloc(struct heap *h, u64 p, u64 size, u32 flags) {
  return heap_realloc(h, p, size, flags);
}

/* The size asked for, or (u64)-1 for a pointer that is not an allocated block. */
EXPORT u64 wexe_heap_size(struct heap *h, u64 p) {
  return valid_used(h, p) ? B(p - GRANULE)->requested : ~0ull;
}

/* Bytes handed out: each allocated block's request rounded up to 16 (at least 16),
   headers not counted. A walk (only tests and diagnostics ask), so the fast paths keep
   no count. */
EXPORT u64 wexe_heap_in_use(struct heap *h) {
  u64 in_use = 0;
  for (u64 b = h->first; b < h->top; b = end_of(b)) {
    if (is_free(b) || is_small_free(b)) continue;
    u64 r = B(b)->requested;
    in_use += r <= GRANULE ? GRANULE : (r + GRANULE - 1) & ~(u64)(GRANULE - 1);
  }
  return in_use;
}

/* p != 0: whether p is an allocated block. p == 0: whether the whole heap is consistent
   (every block's tags and boundary tags, merged free neighbours, the free lists). */
EXPORT int wexe_heap_validate(struct heap *h, u64 p) {
  if (!h || ((u64)h & 15) || h->magic != HEAP_MAGIC) return 0;
  if (p) return valid_used(h, p);
  u64 free_blocks = 0, small_free = 0;
  u32 prev = 0;
  int prev_free = 0;
  for (u64 b = h->first; b < h->top; b = end_of(b)) {
    u32 n = B(b)->size;
    u32 t = B(b)->tag;
    int f = is_free(b), sf = is_small_free(b), s = t == tag(b, TAG_SMALL);
    if (!f && !sf && !s && t != tag(b, TAG_USED)) return 0;
    if (n < MIN_BLOCK || n > (h->top - b) / GRANULE || B(b)->prev_size != prev) return 0;
    if ((s || sf) && n > SMALL_LISTS + 1) return 0;
    if (f && (prev_free || end_of(b) == h->top)) return 0;
    free_blocks += f;
    small_free += sf;
    if (!f && !sf && granules(B(b)->requested) > n) return 0;
    prev = n;
    prev_free = f;
  }
  if (prev != h->top_prev || h->high_water < h->top) return 0;
  for (u32 n = 0; n <= SMALL_LISTS + 1; n++) {
    for (u64 q = h->small[n]; q; q = *(u64 *)q) {
      u64 b = q - GRANULE;
      if (q < h->lowest || q >= h->top || (q & 15) || !is_small_free(b) || B(b)->size != n) return 0;
      if (small_free-- == 0) return 0;
    }
  }
  for (u32 c = 0; c < CLASSES; c++) {
    int listed = (h->nonempty[c >> 5] >> (c & 31)) & 1;
    if (listed != (h->heads[c] != 0)) return 0;
    struct free_block *back = 0;
    for (struct free_block *f = h->heads[c]; f; f = f->next) {
      u64 b = (u64)f;
      if (b < h->first || b >= h->top || !is_free(b) || class_of(f->h.size) != c || f->prev != back) return 0;
      if (free_blocks-- == 0) return 0;
      back = f;
    }
  }
  for (u32 w = 0; w < WORDS; w++) if (((h->summary >> w) & 1) != (h->nonempty[w] != 0)) return 0;
  return free_blocks == 0 && small_free == 0;
}

static int valid_heap(struct heap *h) {
  return h && !((u64)h & 15) && h->magic == HEAP_MAGIC;
}

/* ---- msvcrt ------------------------------------------------------------------------ */

static void set_last_error(u32 e) { __asm__ volatile("movl %0, %%gs:0x68" : : "r"(e) : "memory"); }

NOINLINE void *malloc_slow(u64 n, int zeroed) {
  u64 a = heap_alloc_slow(wexe_process_heap, n, zeroed);
  if (!a) wexe_errno = ENOMEM;
  return (void *)a;
}

EXPORT void *malloc(size_t n) {
  u64 p = small_pop(wexe_process_heap, n);
  return p ? (void *)p : malloc_slow(n, 0);
}

EXPORT void *calloc(size_t n, size_t size) {
  if (size && n > 0xffffffffull / size) { wexe_errno = ENOMEM; return 0; }
  u64 a = heap_alloc(wexe_process_heap, n * size, 1);
  if (!a) wexe_errno = ENOMEM;
  return (void *)a;
}

EXPORT void free(void *p) { heap_free(wexe_process_heap, (u64)p); }

EXPORT void *realloc(void *p, size_t n) {
  if (!p) return malloc(n);
  if (!n) { free(p); return 0; }
  u64 a = heap_realloc(wexe_process_heap, (u64)p, n, 0);
  if (!a) wexe_errno = ENOMEM;
  return (void *)a;
}

EXPORT void *_recalloc(void *p, size_t n, size_t size) {
  if (size && n > 0xffffffffull / size) { wexe_errno = ENOMEM; return 0; }
  u64 total = n * size;
  u64 old = p ? wexe_heap_size(wexe_process_heap, (u64)p) : 0;
  if (old == ~0ull) old = 0;
  u64 a = (u64)realloc(p, total);
  if (a && total > old) zero(a + old, a + total);
  return (void *)a;
}

EXPORT size_t _msize(void *p) { return wexe_heap_size(wexe_process_heap, (u64)p); }

/* Resizes in place or fails. */
EXPORT void *_expand(void *p, size_t n) {
  if (!p) return 0;
  return (void *)heap_realloc(wexe_process_heap, (u64)p, n, HEAP_REALLOC_IN_PLACE_ONLY);
}

/* ---- kernel32 ---------------------------------------------------------------------- */

EXPORT void *HeapAlloc(struct heap *h, u32 flags, size_t n) {
  if (!valid_heap(h)) { set_last_error(ERROR_INVALID_HANDLE); return 0; }
  return (void *)heap_alloc(h, n, (flags & HEAP_ZERO_MEMORY) != 0);
}

EXPORT int HeapFree(struct heap *h, u32 flags, void *p) {
  (void)flags;
  if (!valid_heap(h)) { set_last_error(ERROR_INVALID_HANDLE); return 0; }
  heap_free(h, (u64)p);
  return 1;
}

EXPORT void *HeapReAlloc(struct heap *h, u32 flags, void *p, size_t n) {
  if (!valid_heap(h)) { set_last_error(ERROR_INVALID_HANDLE); return 0; }
  return (void *)heap_realloc(h, (u64)p, n, flags);
}

EXPORT size_t HeapSize(struct heap *h, u32 flags, void *p) {
  (void)flags;
  if (!valid_heap(h)) return ~0ull;
  return wexe_heap_size(h, (u64)p);
}

EXPORT int HeapValidate(struct heap *h, u32 flags, void *p) {
  (void)flags;
  return wexe_heap_validate(h, (u64)p);
}

EXPORT void *LocalAlloc(u32 flags, size_t n) {
  return (void *)heap_alloc(wexe_process_heap, n, (flags & LMEM_ZEROINIT) != 0);
}

EXPORT void *LocalFree(void *p) {
  heap_free(wexe_process_heap, (u64)p);
  return 0;
}

EXPORT void *GlobalAlloc(u32 flags, size_t n) { return LocalAlloc(flags, n); }

EXPORT void *GlobalFree(void *p) { return LocalFree(p); }

/* heap: malloc/calloc/realloc/free churn driven by a fixed LCG, with a
   checksum over the contents (addresses are never printed), plus the Win32
   heap functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define SLOTS 64
static unsigned rng_state = 2463534242u;
static unsigned next_random(void) {
  rng_state ^= rng_state << 13; rng_state ^= rng_state >> 17; rng_state ^= rng_state << 5;
  return rng_state;
}

int main(void) {
  unsigned char *slot[SLOTS] = {0};
  size_t size[SLOTS] = {0};
  unsigned long long checksum = 0;
  int mallocs = 0, reallocs = 0, frees = 0, callocs = 0;

  for (int step = 0; step < 4000; step++) {
    unsigned r = next_random();
    int i = (int)(r % SLOTS);
    size_t want = (next_random() % 700) + 1;
    if (step % 1000 == 999) want = 100000 + (r % 50000);   /* occasionally large */
    switch ((r >> 8) % 4) {
    case 0:
      if (slot[i]) { free(slot[i]); frees++; slot[i] = NULL; size[i] = 0; }
      break;
    case 1:
      if (!slot[i]) {
        slot[i] = calloc(want, 1); callocs++;
        for (size_t k = 0; k < want; k++) if (slot[i][k]) { printf("calloc not zeroed\n"); return 1; }
        size[i] = want;
        memset(slot[i], (int)(r & 0xff), want);
      }
      break;
    case 2: {
      if (!slot[i]) break;
      unsigned char *grown = realloc(slot[i], want); reallocs++;
      if (!grown) { printf("realloc failed\n"); return 1; }
      for (size_t k = size[i]; k < want; k++) grown[k] = (unsigned char)(k * 7 + step);
      slot[i] = grown; size[i] = want;
      break;
    }
    default:
      if (!slot[i]) {
        slot[i] = malloc(want); mallocs++;
        for (size_t k = 0; k < want; k++) slot[i][k] = (unsigned char)(k + step);
        size[i] = want;
      }
    }
    if (slot[i]) for (size_t k = 0; k < size[i]; k += 37) checksum = checksum * 1099511628211ULL + slot[i][k];
  }
  size_t live = 0;
  for (int i = 0; i < SLOTS; i++) { live += size[i]; free(slot[i]); }
  printf("malloc=%d calloc=%d realloc=%d free=%d live_at_end=%u checksum=%016llx\n", mallocs, callocs, reallocs, frees, (unsigned)live, checksum);

  void *z = realloc(NULL, 10);
  printf("realloc(NULL) gives memory: %s\n", z ? "yes" : "no");
  free(z);
  free(NULL);
  printf("free(NULL) ok\n");

  HANDLE heap = GetProcessHeap();
  char *a = HeapAlloc(heap, HEAP_ZERO_MEMORY, 256);
  int zero = 1;
  for (int k = 0; k < 256; k++) if (a[k]) zero = 0;
  printf("HeapAlloc zeroed=%d size=%u\n", zero, (unsigned)HeapSize(heap, 0, a));
  strcpy(a, "kept across HeapReAlloc");
  a = HeapReAlloc(heap, 0, a, 4096);
  printf("HeapReAlloc: %s size=%u\n", a, (unsigned)HeapSize(heap, 0, a));
  printf("HeapFree: %d\n", HeapFree(heap, 0, a) != 0);

  HANDLE own = HeapCreate(0, 0x10000, 0);
  unsigned long long sum = 0;
  int *blocks[100];
  for (int i = 0; i < 100; i++) { blocks[i] = HeapAlloc(own, 0, sizeof(int) * (i + 1)); for (int k = 0; k <= i; k++) blocks[i][k] = i * k; }
  for (int i = 0; i < 100; i++) { for (int k = 0; k <= i; k++) sum += (unsigned)blocks[i][k]; HeapFree(own, 0, blocks[i]); }
  printf("HeapCreate blocks sum=%llu destroy=%d\n", sum, HeapDestroy(own) != 0);
  return 0;
}

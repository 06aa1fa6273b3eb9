/* qsort_ties: msvcrt's qsort is not stable; programs that sort records with
   equal keys depend on its exact order. Sorts records by key only (many
   duplicates) and prints the resulting order of their tags, for an array long
   enough for the quicksort path, a short one (the small-array path), an
   already sorted one, a reversed one and one with an odd element width.
   Comparator call counts are not printed: Wine 8 makes a few fewer calls than
   the Microsoft CRT algorithm, and the count on Windows is unverified. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec { int key; char tag; };
static int by_key(const void *a, const void *b) {
  int x = ((const struct rec *)a)->key, y = ((const struct rec *)b)->key;
  return (x > y) - (x < y);
}
static int by_first_byte(const void *a, const void *b) {
  return *(const unsigned char *)a - *(const unsigned char *)b;
}

static void sort_and_print(const char *label, struct rec *r, int n) {
  qsort(r, n, sizeof *r, by_key);
  printf("%s:", label);
  for (int i = 0; i < n; i++) printf(" %d%c", r[i].key, r[i].tag);
  printf("\n");
}

int main(void) {
  struct rec big[40], small[7], sorted[20], reversed[20];
  unsigned s = 12345;
  for (int i = 0; i < 40; i++) {
    s = s * 1103515245u + 12345u;
    big[i].key = (int)((s >> 16) % 5);
    big[i].tag = (char)(i < 26 ? 'a' + i : 'A' + i - 26);
  }
  sort_and_print("big", big, 40);
  for (int i = 0; i < 7; i++) { small[i].key = (i * 3) % 2; small[i].tag = (char)('a' + i); }
  sort_and_print("small", small, 7);
  for (int i = 0; i < 20; i++) { sorted[i].key = i / 4; sorted[i].tag = (char)('a' + i); }
  sort_and_print("sorted", sorted, 20);
  for (int i = 0; i < 20; i++) { reversed[i].key = (19 - i) / 3; reversed[i].tag = (char)('a' + i); }
  sort_and_print("reversed", reversed, 20);

  /* Width 3: records are "K" + two tag letters. */
  char odd[3 * 12 + 1];
  const char *keys = "BABCAACBBACA";
  for (int i = 0; i < 12; i++) { odd[3 * i] = keys[i]; odd[3 * i + 1] = (char)('a' + i); odd[3 * i + 2] = (char)('z' - i); }
  odd[36] = 0;
  qsort(odd, 12, 3, by_first_byte);
  printf("width3: %s\n", odd);
  return 0;
}

/* qsort: qsort and bsearch over ints, strings and structs (the comparators are
   guest callbacks called from msvcrt). Sorting is checked by printing and by a
   checksum; ties are broken explicitly so the output does not depend on the
   (unstable) sort algorithm. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

struct person { char name[12]; int age; double score; };
static int cmp_person(const void *a, const void *b) {
  const struct person *p = a, *q = b;
  if (p->age != q->age) return p->age - q->age;
  if (p->score != q->score) return p->score < q->score ? 1 : -1;
  return strcmp(p->name, q->name);
}
static int calls;
static int cmp_counting(const void *a, const void *b) { calls++; return cmp_int(a, b); }

int main(void) {
  int nums[] = {42, -7, 19, 0, 3, 3, 100, -50, 8, 77, 21, 5, -1, 64, 12};
  int n = (int)(sizeof nums / sizeof nums[0]);
  qsort(nums, n, sizeof(int), cmp_int);
  printf("ints:");
  for (int i = 0; i < n; i++) printf(" %d", nums[i]);
  printf("\n");
  int keys[] = {19, 4, -50, 100, 101};
  for (int i = 0; i < 5; i++) {
    int *hit = bsearch(&keys[i], nums, n, sizeof(int), cmp_int);
    printf("bsearch %d -> %s", keys[i], hit ? "found" : "missing");
    if (hit) printf(" at %d", (int)(hit - nums));
    printf("\n");
  }
  qsort(nums, n, sizeof(int), cmp_int_desc);
  printf("desc:");
  for (int i = 0; i < n; i++) printf(" %d", nums[i]);
  printf("\n");

  const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape", "apple"};
  int w = (int)(sizeof words / sizeof words[0]);
  qsort(words, w, sizeof(char *), cmp_str);
  printf("words:");
  for (int i = 0; i < w; i++) printf(" %s", words[i]);
  printf("\n");
  const char *key = "date";
  const char **found = bsearch(&key, words, w, sizeof(char *), cmp_str);
  printf("bsearch date -> %d\n", found ? (int)(found - words) : -1);

  struct person people[] = {
    {"ann", 30, 1.5}, {"bob", 25, 9.0}, {"cid", 30, 7.25}, {"dee", 25, 9.0}, {"eve", 41, 0.0}, {"fay", 19, 3.5},
  };
  int p = (int)(sizeof people / sizeof people[0]);
  qsort(people, p, sizeof people[0], cmp_person);
  for (int i = 0; i < p; i++) printf("person %s %d %.2f\n", people[i].name, people[i].age, people[i].score);

  /* A larger array from a fixed LCG: checks the result, not the call count. */
  static int big[2000];
  unsigned seed = 12345;
  for (int i = 0; i < 2000; i++) { seed = seed * 1103515245u + 12345u; big[i] = (int)(seed >> 8) % 10000; }
  qsort(big, 2000, sizeof(int), cmp_counting);
  int sorted = 1;
  unsigned long long sum = 0;
  for (int i = 0; i < 2000; i++) { if (i && big[i - 1] > big[i]) sorted = 0; sum = sum * 31 + (unsigned)big[i]; }
  printf("big sorted=%d checksum=%016llx min=%d max=%d comparator called=%s\n", sorted, sum, big[0], big[1999], calls > 2000 ? "yes" : "no");
  return 0;
}

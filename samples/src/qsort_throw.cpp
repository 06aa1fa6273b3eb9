// qsort_throw: C++ exceptions thrown from qsort and bsearch comparators (called by
// msvcrt's qsort/bsearch, not by the program) unwind through the CRT function's frame
// to a catch in the caller: destructors in the comparator run, the caller's values kept
// in non-volatile registers across the call survive, the array stays a permutation.
// Only counts and sums are printed: the partial order at the throw is the algorithm's.
// With the argument "crash" a comparator reads through a null pointer instead: an
// unhandled access violation whose stack holds qsort's frame (for crash reports).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>

static int calls, limit, unwound;

struct Guard {
  ~Guard() { if (std::uncaught_exceptions() > 0) unwound++; }
};

static int compare_ints(const void *pa, const void *pb) {
  Guard g;
  if (++calls == limit) throw std::runtime_error("comparator gave up");
  int a = *static_cast<const int *>(pa), b = *static_cast<const int *>(pb);
  return (a > b) - (a < b);
}

static unsigned rng = 12345;
static int next_value() { rng = rng * 1103515245u + 12345u; return (int)((rng >> 8) % 1000); }

static long long sum_of(const int *v, int n) { long long s = 0; for (int i = 0; i < n; i++) s += v[i]; return s; }

__attribute__((noinline)) static void round_trip(int round, int n, int stop_at) {
  int *v = new int[n];
  for (int i = 0; i < n; i++) v[i] = next_value();
  // Values live across the qsort call (kept in non-volatile registers at -O2).
  long long before = sum_of(v, n);
  int tag = round * 7 + n;
  calls = 0; limit = stop_at; unwound = 0;
  try {
    qsort(v, n, sizeof *v, compare_ints);
    std::printf("round %d: sorted without a throw\n", round);
  } catch (const std::exception &e) {
    std::printf("round %d: caught '%s' at call %d, %d guard unwound, tag %d, permutation %s\n",
                round, e.what(), calls, unwound, tag, sum_of(v, n) == before ? "ok" : "BROKEN");
  }
  // After the catch the sort works again and finishes.
  limit = -1;
  qsort(v, n, sizeof *v, compare_ints);
  bool sorted = true;
  for (int i = 1; i < n; i++) if (v[i - 1] > v[i]) sorted = false;
  std::printf("round %d: resorted %s, sum %s\n", round, sorted ? "ok" : "BROKEN", sum_of(v, n) == before ? "ok" : "BROKEN");

  // bsearch: the throw comes from its first comparison.
  int key = v[n / 3];
  calls = 0; limit = 1; unwound = 0;
  try {
    bsearch(&key, v, n, sizeof *v, compare_ints);
    std::printf("round %d: bsearch returned\n", round);
  } catch (const std::runtime_error &e) {
    std::printf("round %d: bsearch threw '%s', %d guard unwound, tag %d\n", round, e.what(), unwound, tag);
  }
  limit = -1;
  const int *hit = static_cast<const int *>(bsearch(&key, v, n, sizeof *v, compare_ints));
  std::printf("round %d: bsearch found %s\n", round, hit && *hit == key ? "ok" : "BROKEN");
  delete[] v;
}

static int *volatile nowhere;

static int compare_crash(const void *pa, const void *pb) {
  return *static_cast<const int *>(pa) - *static_cast<const int *>(pb) + *nowhere;
}

int main(int argc, char **argv) {
  if (argc > 1 && std::strcmp(argv[1], "crash") == 0) {
    int v[3] = {3, 1, 2};
    std::printf("sorting with a crashing comparator\n");
    std::fflush(stdout);
    qsort(v, 3, sizeof *v, compare_crash);
    std::printf("not reached\n");
    return 1;
  }
  // Each limit is below n - 1, the fewest comparisons any sort of n elements makes.
  round_trip(0, 40, 5);
  round_trip(1, 200, 77);
  round_trip(2, 1000, 640);
  std::printf("done\n");
  return 0;
}

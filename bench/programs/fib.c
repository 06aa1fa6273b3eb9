/* fib: naive doubly recursive Fibonacci and Ackermann-style recursion: calls and
   returns dominate (argv[1] is the Fibonacci index).
   Self-check: fib(20) = 6765. */
#include "common.h"

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

/* Tak (Takeuchi) function: deep non-tail recursion with three arguments. */
static int tak(int x, int y, int z) { return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z; }

int main(int argc, char **argv) {
  int n = work_size(argc, argv, 30);
  if (fib(20) != 6765) return fail("fib", "fib(20) != 6765");
  uint32_t f = fib((uint32_t)n);
  int t = tak(n / 2 + 3, n / 4 + 2, n / 8);
  printf("fib n=%d fib=%u tak=%d checksum=%08x\n", n, f, t, mix32(mix32(0, f), (uint32_t)t));
  return 0;
}

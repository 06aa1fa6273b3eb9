/* crash_stack: unbounded recursion until the stack guard page is exhausted
   (0xC00000FD, stack overflow). No handler. */
#include <stdio.h>

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(volatile char *prev, int depth) {
  volatile char frame[512];
  frame[0] = (char)depth;
  frame[511] = prev ? prev[0] : 0;
  return recurse(frame, depth + 1) + frame[511];
}

int main(void) {
  printf("about to overflow the stack\n");
  fflush(stdout);
  return recurse(NULL, 0);
}

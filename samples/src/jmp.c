/* jmp: setjmp/longjmp (msvcrt's _setjmp with a frame pointer, so longjmp
   unwinds): nested buffers, jumps out of deep recursion, longjmp(env, 0)
   returning 1, and volatile locals kept across the jump. */
#include <stdio.h>
#include <setjmp.h>

static jmp_buf outer, inner;
static int depth_reached;

static void recurse(int depth, int limit) {
  volatile char pad[64];
  pad[0] = (char)depth;
  depth_reached = depth + pad[0] - depth;
  if (depth == limit) longjmp(outer, depth * 10);
  if (depth < 1000) recurse(depth + 1, limit);
  pad[1] = 0;   /* keeps the call from being a tail call */
}

static int nested(int value) {
  volatile int stage = 0;
  int r = setjmp(inner);
  if (r == 0) {
    stage = 1;
    longjmp(inner, value);
  }
  stage += r;
  return stage;
}

static void thrower(int code) { if (code) longjmp(outer, code); printf("thrower(0) returned normally\n"); }

int main(void) {
  volatile int counter = 0;
  int r = setjmp(outer);
  counter++;
  printf("setjmp returned %d, counter=%d\n", r, counter);
  if (r == 0) recurse(0, 25);
  printf("after recursion: depth_reached=%d\n", depth_reached);

  printf("nested(5)=%d nested(0)=%d\n", nested(5), nested(0));

  for (int code = 0; code < 4; code++) {
    int got = setjmp(outer);
    if (got == 0) {
      thrower(code);
      printf("code %d: no jump\n", code);
    } else {
      printf("code %d: caught %d\n", code, got);
    }
  }

  volatile double kept = 1.5;
  volatile long long big = 0x123456789LL;
  if (setjmp(outer) == 0) {
    kept = 2.75; big = -1;
    longjmp(outer, 0);
  }
  printf("volatile after jump: %.2f %lld\n", kept, big);
  return 0;
}

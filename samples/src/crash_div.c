/* crash_div: integer division by zero with a volatile divisor (0xC0000094). */
#include "crash.h"

int main(int argc, char **argv) {
  crash_setup(argc, argv, SIGFPE);
  volatile int divisor = 0;
  volatile int result = 1000 / divisor;
  printf("still running? %d\n", result);
  return 0;
}

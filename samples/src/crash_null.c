/* crash_null: a deliberate write through a null pointer (0xC0000005). */
#include "crash.h"

int main(int argc, char **argv) {
  crash_setup(argc, argv, SIGSEGV);
  volatile int *volatile p = NULL;
  *p = 42;
  printf("still running?\n");
  return 0;
}

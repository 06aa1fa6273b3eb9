/* exitcode: argv[1] picks how the process ends: "return N", "exit N",
   "ExitProcess N", "_exit N", "abort", "atexit" (three handlers, then return
   from main), "exit-atexit N" (handlers, then exit(N)), "raise" (a SIGINT
   handler). stdout is flushed before _exit and ExitProcess because those skip
   msvcrt's stdio clean-up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <windows.h>

static void first(void) { printf("atexit handler registered first\n"); }
static void second(void) { printf("atexit handler registered second\n"); }
static void third(void) { printf("atexit handler registered third\n"); }
static void on_signal(int sig) { printf("signal handler got %d\n", sig); }

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "return";
  int code = argc > 2 ? atoi(argv[2]) : 0;
  printf("mode=%s code=%d\n", mode, code);
  if (strcmp(mode, "return") == 0) return code;
  if (strcmp(mode, "exit") == 0) exit(code);
  if (strcmp(mode, "ExitProcess") == 0) { fflush(stdout); ExitProcess((UINT)code); }
  if (strcmp(mode, "_exit") == 0) { fflush(stdout); _exit(code); }
  if (strcmp(mode, "abort") == 0) { fflush(stdout); abort(); }
  if (strcmp(mode, "atexit") == 0 || strcmp(mode, "exit-atexit") == 0) {
    atexit(first); atexit(second); atexit(third);
    printf("handlers registered\n");
    if (mode[0] == 'e') exit(code);
    return code;
  }
  if (strcmp(mode, "raise") == 0) {
    signal(SIGINT, on_signal);
    int r = raise(SIGINT);
    printf("raise returned %d\n", r);
    return 0;
  }
  printf("unknown mode\n");
  return 100;
}

/* Shared by the crash_* samples: how a fault is observed, picked by argv[1].
   (none)   no handler: the process dies with the exception code as exit code.
   signal   an msvcrt signal() handler, called by MinGW's start-up exception
            filter; it prints and leaves with _exit(7).
   filter   our own SetUnhandledExceptionFilter filter prints the exception
            code and returns EXCEPTION_EXECUTE_HANDLER: the process ends with
            the exception code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <windows.h>

static void crash_on_signal(int sig) {
  printf("signal handler: signal %d\n", sig);
  fflush(stdout);
  _exit(7);
}

static LONG WINAPI crash_filter(EXCEPTION_POINTERS *info) {
  printf("filter: exception code %08lx, %s\n", (unsigned long)info->ExceptionRecord->ExceptionCode,
         info->ExceptionRecord->ExceptionAddress ? "has address" : "no address");
  fflush(stdout);
  return EXCEPTION_EXECUTE_HANDLER;
}

static void crash_setup(int argc, char **argv, int sig) {
  const char *mode = argc > 1 ? argv[1] : "none";
  if (strcmp(mode, "signal") == 0) signal(sig, crash_on_signal);
  if (strcmp(mode, "filter") == 0) SetUnhandledExceptionFilter(crash_filter);
  printf("mode %s: about to fault\n", mode);
  fflush(stdout);
}

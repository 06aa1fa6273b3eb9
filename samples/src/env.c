/* env: the environment through msvcrt (getenv, _putenv, envp, _environ) and
   kernel32 (GetEnvironmentVariableA/W, GetEnvironmentStrings(W)). Only
   variables whose names start with WEXE_ are printed, sorted, so the output
   does not depend on the host environment. The test sets WEXE_TEST=hello
   world, WEXE_EMPTY= (empty) and WEXE_UNICODE=caf<e-acute>. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void print_sorted(const char *label, char **list, int n) {
  qsort(list, n, sizeof(char *), cmp_str);
  for (int i = 0; i < n; i++) printf("%s: %s\n", label, list[i]);
}

int main(int argc, char **argv, char **envp) {
  (void)argc; (void)argv;
  const char *v = getenv("WEXE_TEST");
  printf("getenv(WEXE_TEST) = %s\n", v ? v : "(null)");
  v = getenv("wexe_test");
  printf("getenv(wexe_test) = %s\n", v ? v : "(null)");
  v = getenv("WEXE_EMPTY");
  printf("getenv(WEXE_EMPTY) = %s\n", v ? (*v ? v : "(empty string)") : "(null)");
  v = getenv("WEXE_MISSING");
  printf("getenv(WEXE_MISSING) = %s\n", v ? v : "(null)");

  char buf[64];
  SetLastError(0);
  DWORD n = GetEnvironmentVariableA("WEXE_TEST", buf, sizeof buf);
  printf("GetEnvironmentVariableA = %lu [%s]\n", n, buf);
  n = GetEnvironmentVariableA("WEXE_TEST", buf, 4);
  printf("GetEnvironmentVariableA small buffer = %lu\n", n);
  SetLastError(0);
  n = GetEnvironmentVariableA("WEXE_MISSING", buf, sizeof buf);
  printf("GetEnvironmentVariableA missing = %lu lasterror=%lu\n", n, GetLastError());
  SetLastError(0);
  n = GetEnvironmentVariableA("WEXE_EMPTY", buf, sizeof buf);
  printf("GetEnvironmentVariableA empty = %lu lasterror=%lu\n", n, GetLastError());
  wchar_t wbuf[64];
  n = GetEnvironmentVariableW(L"WEXE_UNICODE", wbuf, 64);
  printf("GetEnvironmentVariableW(WEXE_UNICODE) = %lu:", n);
  for (DWORD i = 0; i < n; i++) printf(" %04x", (unsigned)wbuf[i]);
  printf("\n");

  /* ANSI listings skip WEXE_UNICODE: its bytes depend on the ANSI code page. */
  char *found[32]; int count = 0;
  for (char **e = envp; *e && count < 32; e++)
    if (_strnicmp(*e, "WEXE_", 5) == 0 && _strnicmp(*e, "WEXE_UNICODE=", 13) != 0) found[count++] = *e;
  print_sorted("envp", found, count);

  printf("_putenv: %d\n", _putenv("WEXE_ADDED=from putenv"));
  v = getenv("WEXE_ADDED");
  printf("getenv(WEXE_ADDED) = %s\n", v ? v : "(null)");
  n = GetEnvironmentVariableA("WEXE_ADDED", buf, sizeof buf);
  printf("GetEnvironmentVariableA(WEXE_ADDED) = %lu [%s]\n", n, n ? buf : "");
  _putenv("WEXE_TEST=");
  v = getenv("WEXE_TEST");
  printf("after _putenv(WEXE_TEST=): %s\n", v ? v : "(null)");

  char *block = GetEnvironmentStrings();
  count = 0;
  for (char *e = block; *e && count < 32; e += strlen(e) + 1)
    if (_strnicmp(e, "WEXE_", 5) == 0 && _strnicmp(e, "WEXE_UNICODE=", 13) != 0) found[count++] = e;
  print_sorted("block", found, count);
  FreeEnvironmentStringsA(block);

  wchar_t *wblock = GetEnvironmentStringsW();
  int wcount = 0;
  for (wchar_t *e = wblock; *e; e += wcslen(e) + 1) {
    if (_wcsnicmp(e, L"WEXE_UNICODE=", 13) == 0) {
      printf("wide block: WEXE_UNICODE=");
      for (wchar_t *p = e + 13; *p; p++) printf(" %04x", (unsigned)*p);
      printf("\n");
    }
    if (_wcsnicmp(e, L"WEXE_", 5) == 0) wcount++;
  }
  printf("wide block WEXE_ entries: %d\n", wcount);
  FreeEnvironmentStringsW(wblock);
  return 0;
}

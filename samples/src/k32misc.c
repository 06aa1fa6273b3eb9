/* k32misc: KERNEL32 and ADVAPI32 functions console programs commonly call:
   console screen-buffer queries on a redirected stdout (they fail with
   ERROR_INVALID_HANDLE), GetComputerName and GetUserName (checked for shape:
   the names belong to the machine), the system and Windows directories,
   GetTempFileName, FormatMessage for system error codes, OutputDebugString,
   and RaiseException seen by an unhandled-exception filter (argv[1] "raise":
   the process ends with the exception code; "continue": the filter resumes). */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static LONG WINAPI filter(EXCEPTION_POINTERS *info) {
  EXCEPTION_RECORD *r = info->ExceptionRecord;
  printf("filter: code=%08lx flags=%lx params=%lu", r->ExceptionCode, r->ExceptionFlags, r->NumberParameters);
  for (DWORD i = 0; i < r->NumberParameters; i++) printf(" %llx", (unsigned long long)r->ExceptionInformation[i]);
  printf("\n");
  fflush(stdout);
  return (r->ExceptionFlags & EXCEPTION_NONCONTINUABLE) ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_EXECUTION;
}

static void message(DWORD code) {
  char buf[256];
  DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, buf, sizeof buf, NULL);
  if (n == 0) { printf("  %lu: failed, error %lu\n", code, GetLastError()); return; }
  printf("  %lu (%lu chars): ", code, n);
  for (DWORD i = 0; i < n; i++) {
    if (buf[i] == '\r') printf("\\r"); else if (buf[i] == '\n') printf("\\n"); else putchar(buf[i]);
  }
  printf("\n");
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "raise") == 0 || strcmp(mode, "continue") == 0) {
    SetUnhandledExceptionFilter(filter);
    ULONG_PTR args[3] = { 1, 0x1234, 0xdeadbeefULL };
    if (strcmp(mode, "continue") == 0) {
      RaiseException(0xE0000001, 0, 3, args);
      printf("RaiseException returned after CONTINUE_EXECUTION\n");
      RaiseException(0x40000015, 0, 0, NULL);
      printf("and again\n");
      return 0;
    }
    printf("raising\n");
    fflush(stdout);
    RaiseException(0xE0001234, EXCEPTION_NONCONTINUABLE, 2, args);
    printf("not reached\n");
    return 1;
  }

  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  CONSOLE_SCREEN_BUFFER_INFO info;
  SetLastError(0);
  BOOL ok = GetConsoleScreenBufferInfo(out, &info);
  printf("GetConsoleScreenBufferInfo(stdout pipe): %d error=%lu\n", ok, GetLastError());
  SetLastError(0);
  ok = SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_INTENSITY);
  printf("SetConsoleTextAttribute(stdout pipe): %d error=%lu\n", ok, GetLastError());

  char name[64];
  DWORD size = sizeof name;
  ok = GetComputerNameA(name, &size);
  int upper = 1;
  for (const char *c = name; *c; c++) if (*c >= 'a' && *c <= 'z') upper = 0;
  printf("GetComputerNameA: %d length matches=%d upper=%d\n", ok, size == strlen(name), upper);
  wchar_t wname[64];
  size = 64;
  ok = GetComputerNameW(wname, &size);
  printf("GetComputerNameW: %d length matches=%d\n", ok, size == wcslen(wname));
  size = 1;
  ok = GetComputerNameA(name, &size);
  printf("GetComputerNameA(small): %d error=%lu size=needed:%d\n", ok, GetLastError(), size > 1);

  size = sizeof name;
  ok = GetUserNameA(name, &size);
  printf("GetUserNameA: %d size counts NUL=%d\n", ok, size == strlen(name) + 1);
  size = 64;
  ok = GetUserNameW(wname, &size);
  printf("GetUserNameW: %d size counts NUL=%d\n", ok, size == wcslen(wname) + 1);
  size = 1;
  ok = GetUserNameA(name, &size);
  printf("GetUserNameA(small): %d error=%lu size=needed:%d\n", ok, GetLastError(), size > 1);

  char dir[MAX_PATH];
  UINT n = GetSystemDirectoryA(dir, sizeof dir);
  printf("GetSystemDirectoryA: len ok=%d is C:\\Windows\\system32=%d\n", n == strlen(dir), _stricmp(dir, "C:\\Windows\\system32") == 0);
  UINT need = GetSystemDirectoryA(dir, 3);
  printf("GetSystemDirectoryA(small): returns size with NUL=%d\n", need == n + 1);
  wchar_t wdir[MAX_PATH];
  n = GetSystemDirectoryW(wdir, MAX_PATH);
  printf("GetSystemDirectoryW: len ok=%d\n", n == wcslen(wdir));
  n = GetWindowsDirectoryA(dir, sizeof dir);
  printf("GetWindowsDirectoryA: len ok=%d is C:\\Windows=%d\n", n == strlen(dir), _stricmp(dir, "C:\\Windows") == 0);
  n = GetWindowsDirectoryW(wdir, MAX_PATH);
  printf("GetWindowsDirectoryW: len ok=%d\n", n == wcslen(wdir));

  char tmp[MAX_PATH];
  n = GetTempFileNameA(".", "wexe", 0x1a2b, tmp);
  printf("GetTempFileNameA(unique 0x1a2b): %u %s exists=%d\n", n, tmp, GetFileAttributesA(tmp) != INVALID_FILE_ATTRIBUTES);
  n = GetTempFileNameA(".", "ab", 0, tmp);
  DWORD attrs = GetFileAttributesA(tmp);
  printf("GetTempFileNameA(unique 0): nonzero=%d prefix=%d suffix=%d created=%d\n", n != 0, strncmp(tmp, ".\\ab", 4) == 0,
         _stricmp(tmp + strlen(tmp) - 4, ".tmp") == 0, attrs != INVALID_FILE_ATTRIBUTES);
  DeleteFileA(tmp);
  wchar_t wtmp[MAX_PATH];
  n = GetTempFileNameW(L".", L"xyzw", 0xffff1, wtmp);
  printf("GetTempFileNameW(unique 0xffff1): %x %ls\n", n, wtmp);
  n = GetTempFileNameA("no-such-dir", "x", 0, tmp);
  printf("GetTempFileNameA(missing dir): %u\n", n);

  printf("FormatMessageA FROM_SYSTEM:\n");
  const DWORD codes[] = { 0, 1, 2, 3, 4, 5, 6, 8, 14, 18, 32, 38, 50, 80, 87, 109, 120, 122, 123, 126, 127, 145, 183, 203, 234 };
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) message(codes[i]);
  message(0x12345);
  wchar_t wmsg[128];
  n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, 5, 0, wmsg, 128, NULL);
  printf("FormatMessageW(5): %u \"%.*ls\"\n", n, n >= 2 ? (int)n - 2 : 0, wmsg);
  char *alloc = NULL;
  n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_ALLOCATE_BUFFER, NULL, 2, 0,
                     (LPSTR)&alloc, 0, NULL);
  printf("FormatMessageA(ALLOCATE_BUFFER): %u allocated=%d same=%d\n", n, alloc != NULL, alloc && strncmp(alloc, "The system cannot", 17) == 0);
  LocalFree(alloc);
  n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, 2, 0, tmp, 10, NULL);
  printf("FormatMessageA(small buffer): %u error=%lu\n", n, GetLastError());

  OutputDebugStringA("wexe k32misc: OutputDebugStringA\n");
  OutputDebugStringW(L"wexe k32misc: OutputDebugStringW\n");
  printf("OutputDebugString: returned\n");
  return 0;
}

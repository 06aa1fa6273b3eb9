/* win32file: kernel32 file handles: CreateFile dispositions, ReadFile,
   WriteFile, SetFilePointer(Ex), GetFileSize(Ex), DeleteFile, and the
   GetLastError codes of the usual failures. Writes to the std handles too. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void report(const char *what, BOOL ok) {
  DWORD err = GetLastError();
  printf("%-34s ok=%d lasterror=%lu\n", what, ok ? 1 : 0, ok ? 0 : err);
}

int main(void) {
  const char *path = "wexe_win32file.tmp";
  DeleteFileA(path);

  SetLastError(12345);
  printf("SetLastError/GetLastError: %lu\n", GetLastError());

  HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
  report("CreateFileA CREATE_NEW", h != INVALID_HANDLE_VALUE);
  DWORD written = 0;
  const char msg[] = "0123456789abcdefghij";
  BOOL ok = WriteFile(h, msg, 20, &written, NULL);
  printf("WriteFile ok=%d written=%lu\n", ok, written);
  printf("GetFileSize = %lu\n", GetFileSize(h, NULL));
  DWORD pos = SetFilePointer(h, 5, NULL, FILE_BEGIN);
  char buf[64] = {0};
  DWORD got = 0;
  ok = ReadFile(h, buf, 4, &got, NULL);
  printf("SetFilePointer(5)=%lu ReadFile ok=%d got=%lu [%.*s]\n", pos, ok, got, (int)got, buf);
  pos = SetFilePointer(h, -3, NULL, FILE_CURRENT);
  printf("SetFilePointer(-3, CURRENT)=%lu\n", pos);
  pos = SetFilePointer(h, -2, NULL, FILE_END);
  ok = ReadFile(h, buf, 10, &got, NULL);
  printf("SetFilePointer(-2, END)=%lu read got=%lu [%.*s]\n", pos, got, (int)got, buf);
  ok = ReadFile(h, buf, 10, &got, NULL);
  printf("ReadFile at EOF ok=%d got=%lu\n", ok, got);
  SetLastError(0);
  pos = SetFilePointer(h, -100, NULL, FILE_BEGIN);
  printf("SetFilePointer(-100) = %08lx lasterror=%lu\n", pos, GetLastError());
  LARGE_INTEGER li, newpos;
  li.QuadPart = 30;
  ok = SetFilePointerEx(h, li, &newpos, FILE_BEGIN);
  printf("SetFilePointerEx(30) ok=%d new=%lld\n", ok, newpos.QuadPart);
  WriteFile(h, "END", 3, &written, NULL);
  LARGE_INTEGER size;
  ok = GetFileSizeEx(h, &size);
  printf("GetFileSizeEx after write past end ok=%d size=%lld\n", ok, size.QuadPart);
  SetFilePointer(h, 18, NULL, FILE_BEGIN);
  ok = ReadFile(h, buf, 15, &got, NULL);
  printf("gap bytes:");
  for (DWORD i = 0; i < got; i++) printf(" %02x", (unsigned char)buf[i]);
  printf("\n");
  DWORD high = 99;
  DWORD low = GetFileSize(h, &high);
  printf("GetFileSize with high: %lu high=%lu\n", low, high);

  HANDLE h2 = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  report("open while unshared", h2 != INVALID_HANDLE_VALUE);
  report("CloseHandle", CloseHandle(h));

  h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, CREATE_NEW, 0, NULL);
  report("CreateFileA CREATE_NEW existing", h != INVALID_HANDLE_VALUE);
  SetLastError(0);
  h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_ALWAYS, 0, NULL);
  printf("OPEN_ALWAYS existing: valid=%d lasterror=%lu\n", h != INVALID_HANDLE_VALUE, GetLastError());
  ok = WriteFile(h, "x", 1, &written, NULL);
  report("WriteFile on read-only handle", ok);
  CloseHandle(h);
  SetLastError(0);
  h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  DWORD created_error = GetLastError();
  printf("CREATE_ALWAYS existing: valid=%d lasterror=%lu size=%lu\n", h != INVALID_HANDLE_VALUE, created_error, GetFileSize(h, NULL));
  ok = ReadFile(h, buf, 1, &got, NULL);
  report("ReadFile on write-only handle", ok);
  CloseHandle(h);
  h = CreateFileA(path, GENERIC_WRITE, 0, NULL, TRUNCATE_EXISTING, 0, NULL);
  report("TRUNCATE_EXISTING", h != INVALID_HANDLE_VALUE);
  printf("truncated size=%lu\n", GetFileSize(h, NULL));
  CloseHandle(h);
  report("DeleteFileA", DeleteFileA(path));
  report("DeleteFileA again", DeleteFileA(path));

  h = CreateFileA("wexe_no_such_file.tmp", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
  report("open missing file", h != INVALID_HANDLE_VALUE);
  h = CreateFileA("wexe_no_such_dir\\file.tmp", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
  report("open in missing directory", h != INVALID_HANDLE_VALUE);
  h = CreateFileA("wexe_no_such_dir\\file.tmp", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  report("create in missing directory", h != INVALID_HANDLE_VALUE);

  const wchar_t *wpath = L"wexe_w\x00e9ide.tmp";
  h = CreateFileW(wpath, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  report("CreateFileW non-ASCII name", h != INVALID_HANDLE_VALUE);
  WriteFile(h, "wide", 4, &written, NULL);
  CloseHandle(h);
  h = CreateFileW(wpath, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
  ok = ReadFile(h, buf, sizeof buf, &got, NULL);
  printf("CreateFileW reopen read got=%lu [%.*s]\n", got, (int)got, buf);
  CloseHandle(h);
  report("DeleteFileW", DeleteFileW(wpath));
  report("DeleteFileW again", DeleteFileW(wpath));

  fflush(stdout);
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  const char direct[] = "WriteFile to STD_OUTPUT_HANDLE\r\n";
  ok = WriteFile(out, direct, (DWORD)strlen(direct), &written, NULL);
  printf("std output write ok=%d written=%lu\n", ok, written);
  HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
  ok = WriteFile(err, "to stderr\r\n", 11, &written, NULL);
  printf("std error write ok=%d written=%lu distinct handles=%d\n", ok, written, out != err);
  return 0;
}

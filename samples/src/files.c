/* files: msvcrt's file and directory functions and their KERNEL32 relatives:
   _access, the _stat/_fstat family (including the unsuffixed msvcrt exports,
   reached with GetProcAddress to check the x64 struct layouts), _chmod,
   _utime, _mkdir/_rmdir/_chdir/_getcwd/_wgetcwd/_getdcwd, _findfirst/_findnext,
   _fullpath, _splitpath/_makepath, GetFileAttributesEx,
   GetFileInformationByHandle, FindFirstFileEx, CopyFile, GetDiskFreeSpaceEx and
   GetDriveType. Paths are printed relative to the starting directory, never
   as host paths. Everything is created in the current directory and removed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <io.h>
#include <direct.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utime.h>
#include <fcntl.h>
#include <windows.h>

/* msvcrt.dll x64's own structs for the unsuffixed exports. */
struct crt_stat { unsigned int dev; unsigned short ino, mode; short nlink, uid, gid; unsigned int rdev; long size; long long atime, mtime, ctime; };
struct crt_stati64 { unsigned int dev; unsigned short ino, mode; short nlink, uid, gid; unsigned int rdev; long long size; long long atime, mtime, ctime; };

static char start[MAX_PATH];

static const char *rel(const char *path) {
  size_t n = strlen(start);
  if (_strnicmp(path, start, n) == 0) return path[n] == '\\' ? path + n + 1 : path[n] ? path + n : "<start>";
  return path;
}

static void show_stat(const char *path) {
  struct _stat64 s;
  errno = 0;
  int r = _stat64(path, &s);
  if (r != 0) { printf("  _stat64(%s) = %d errno=%d\n", path, r, errno); return; }
  int dir = (s.st_mode & _S_IFDIR) != 0; /* a directory's times are the real clock's: not printed */
  printf("  _stat64(%s): mode=%06o nlink=%d size=%lld ino=%d uid=%d gid=%d dev=rdev:%d mtime=%lld atime=%lld\n", path, s.st_mode,
         s.st_nlink, (long long)s.st_size, s.st_ino, s.st_uid, s.st_gid, s.st_dev == s.st_rdev, dir ? 0LL : (long long)s.st_mtime,
         dir ? 0LL : (long long)s.st_atime);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *pattern) {
  struct __finddata64_t fd;
  char *names[16];
  int count = 0;
  intptr_t h = _findfirst64(pattern, &fd);
  if (h == -1) { printf("  _findfirst64(%s): -1 errno=%d\n", pattern, errno); return; }
  do {
    char buf[300];
    snprintf(buf, sizeof buf, "%s attrib=%02x size=%lld write=%lld", fd.name, fd.attrib, (long long)fd.size,
             (fd.attrib & _A_SUBDIR) ? 0LL : (long long)fd.time_write);
    names[count++] = _strdup(buf);
  } while (count < 16 && _findnext64(h, &fd) == 0);
  errno = 0;
  int more = _findnext64(h, &fd);
  printf("  _findfirst64(%s): %d entries, then %d errno=%d, close=%d\n", pattern, count, more, errno, _findclose(h));
  qsort(names, count, sizeof names[0], by_name);
  for (int i = 0; i < count; i++) { printf("    %s\n", names[i]); free(names[i]); }
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  fputs(text, f);
  fclose(f);
}

static unsigned long long ft64(FILETIME t) { return ((unsigned long long)t.dwHighDateTime << 32) | t.dwLowDateTime; }

int main(void) {
  _getcwd(start, sizeof start);
  printf("getcwd: absolute=%d drive=%d\n", start[1] == ':' && start[2] == '\\', _getdrive() == (start[0] & 0x1f));

  /* Files with known content and times. */
  _mkdir("wexe_dir");
  int r = _mkdir("wexe_dir");
  printf("_mkdir again: %d errno=%d\n", r, errno);
  write_file("wexe_dir\\a.txt", "hello, world\n");
  write_file("wexe_dir\\b.txt", "0123456789");
  write_file("wexe_dir\\tool.exe", "MZ");
  write_file("wexe_dir\\c.dat", "");
  _mkdir("wexe_dir\\sub");
  struct _utimbuf ut = { 1000000000, 1234567890 };
  printf("_utime: %d\n", _utime("wexe_dir\\a.txt", &ut));
  ut.actime = 1500000000; ut.modtime = 1500000000;
  _utime("wexe_dir\\b.txt", &ut);
  _utime("wexe_dir\\tool.exe", &ut);
  _utime("wexe_dir\\c.dat", &ut);

  printf("stat:\n");
  show_stat("wexe_dir\\a.txt");
  show_stat("wexe_dir\\tool.exe");
  show_stat("wexe_dir\\sub");
  show_stat("wexe_dir\\missing.txt");
  show_stat("wexe_dir\\*.txt");
  printf("_chmod read-only: %d\n", _chmod("wexe_dir\\b.txt", _S_IREAD));
  show_stat("wexe_dir\\b.txt");
  int a0 = _access("wexe_dir\\b.txt", 0), a4 = _access("wexe_dir\\b.txt", 4), a2 = _access("wexe_dir\\b.txt", 2);
  printf("_access: exists=%d read=%d write(ro)=%d errno=%d\n", a0, a4, a2, errno);
  errno = 0;
  a0 = _access("wexe_dir\\nope", 0);
  printf("_access missing: %d errno=%d", a0, errno);
  printf("; dir: %d\n", _access("wexe_dir\\sub", 6));
  errno = 0;
  r = remove("wexe_dir\\b.txt");
  printf("remove read-only: %d errno=%d\n", r, errno);
  printf("_chmod writable: %d\n", _chmod("wexe_dir\\b.txt", _S_IREAD | _S_IWRITE));
  show_stat("wexe_dir\\b.txt");
  printf("remove: %d\n", remove("wexe_dir\\b.txt"));

  /* Layouts of the unsuffixed exports: fill with 0xAA, call, see how far they wrote. */
  HMODULE crt = GetModuleHandleA("msvcrt.dll");
  int (*p_stat)(const char *, void *) = (int (*)(const char *, void *))GetProcAddress(crt, "_stat");
  int (*p_stati64)(const char *, void *) = (int (*)(const char *, void *))GetProcAddress(crt, "_stati64");
  int (*p_fstat)(int, void *) = (int (*)(int, void *))GetProcAddress(crt, "_fstat");
  int (*p_fstati64)(int, void *) = (int (*)(int, void *))GetProcAddress(crt, "_fstati64");
  int (*p_wstat)(const wchar_t *, void *) = (int (*)(const wchar_t *, void *))GetProcAddress(crt, "_wstat");
  unsigned char raw[80];
  struct crt_stat cs;
  struct crt_stati64 cs64;
  memset(raw, 0xaa, sizeof raw);
  p_stat("wexe_dir\\a.txt", raw);
  int last = 0;
  for (int i = 0; i < 80; i++) if (raw[i] != 0xaa) last = i;
  memcpy(&cs, raw, sizeof cs);
  printf("_stat: sizeof=%u wrote up to %d mode=%06o size=%ld mtime=%lld atime=%lld\n", (unsigned)sizeof cs, last, cs.mode, cs.size, cs.mtime, cs.atime);
  memset(raw, 0xaa, sizeof raw);
  p_stati64("wexe_dir\\a.txt", raw);
  for (int i = 0; i < 80; i++) if (raw[i] != 0xaa) last = i;
  memcpy(&cs64, raw, sizeof cs64);
  printf("_stati64: sizeof=%u wrote up to %d mode=%06o size=%lld mtime=%lld\n", (unsigned)sizeof cs64, last, cs64.mode, cs64.size, cs64.mtime);
  memset(raw, 0xaa, sizeof raw);
  p_wstat(L"wexe_dir\\a.txt", raw);
  memcpy(&cs, raw, sizeof cs);
  printf("_wstat: mode=%06o size=%ld mtime=%lld\n", cs.mode, cs.size, cs.mtime);
  int fd = _open("wexe_dir\\a.txt", _O_RDONLY | _O_BINARY);
  memset(raw, 0xaa, sizeof raw);
  p_fstat(fd, raw);
  memcpy(&cs, raw, sizeof cs);
  printf("_fstat: mode=%06o size=%ld mtime=%lld nlink=%d\n", cs.mode, cs.size, cs.mtime, cs.nlink);
  p_fstati64(fd, raw);
  memcpy(&cs64, raw, sizeof cs64);
  printf("_fstati64: mode=%06o size=%lld\n", cs64.mode, cs64.size);
  struct _stat64 s64;
  _fstat64(fd, &s64);
  printf("_fstat64: mode=%06o size=%lld mtime=%lld\n", s64.st_mode, (long long)s64.st_size, (long long)s64.st_mtime);
  _close(fd);
  _fstat64(1, &s64);
  printf("_fstat64(stdout pipe): mode=%06o\n", s64.st_mode);
  errno = 0;
  r = _fstat64(99, &s64);
  printf("_fstat64(bad fd): %d errno=%d\n", r, errno);

  printf("find:\n");
  list("wexe_dir\\*");
  list("wexe_dir\\*.txt");
  list("wexe_dir\\?.dat");
  errno = 0;
  list("wexe_dir\\*.none");
  list("wexe_nodir\\*");
  struct _finddata_t fd32;
  intptr_t h = _findfirst("wexe_dir\\a.*", &fd32);
  printf("  _findfirst (64i32): %s size=%lu write=%lld\n", fd32.name, fd32.size, (long long)fd32.time_write);
  _findclose(h);

  /* Directories. */
  printf("dirs:\n");
  printf("  _chdir: %d\n", _chdir("wexe_dir\\sub"));
  char cwd[MAX_PATH];
  _getcwd(cwd, sizeof cwd);
  printf("  getcwd: %s\n", rel(cwd));
  wchar_t wcwd[MAX_PATH];
  _wgetcwd(wcwd, MAX_PATH);
  printf("  _wgetcwd same: %d\n", (int)wcslen(wcwd) == (int)strlen(cwd));
  char dcwd[MAX_PATH];
  _getdcwd(0, dcwd, sizeof dcwd);
  printf("  _getdcwd(0) same: %d\n", strcmp(dcwd, cwd) == 0);
  char *dyn = _getcwd(NULL, 0);
  printf("  _getcwd(NULL): %s\n", rel(dyn));
  free(dyn);
  errno = 0;
  char tiny[4];
  char *got = _getcwd(tiny, sizeof tiny);
  printf("  _getcwd(small): %s errno=%d\n", got ? "buffer" : "NULL", errno);
  printf("  _chdir(..\\..): %d\n", _chdir("..\\.."));
  _getcwd(cwd, sizeof cwd);
  printf("  back: %s\n", rel(cwd));
  errno = 0;
  r = _chdir("wexe_missing");
  printf("  _chdir(missing): %d errno=%d\n", r, errno);
  errno = 0;
  r = _rmdir("wexe_dir");
  printf("  _rmdir(not empty): %d errno=%d\n", r, errno);
  errno = 0;
  r = _rmdir("wexe_missing");
  printf("  _rmdir(missing): %d errno=%d\n", r, errno);

  /* _fullpath, _splitpath, _makepath. */
  printf("paths:\n");
  char full[MAX_PATH];
  const char *inputs[] = { "x.txt", "wexe_dir\\..\\y.txt", ".\\a\\.\\b\\..\\c", "wexe_dir\\sub\\", "\\abs\\p.txt", "C:\\one\\two\\..\\three" };
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    char *r = _fullpath(full, inputs[i], sizeof full);
    printf("  _fullpath(%s) = %s\n", inputs[i], r ? (inputs[i][0] == '\\' || inputs[i][1] == ':' ? r + 2 : rel(r)) : "NULL");
  }
  char *fp = _fullpath(NULL, "q", 0);
  printf("  _fullpath(NULL buffer): %s\n", rel(fp));
  free(fp);
  printf("  _fullpath(tiny): %s\n", _fullpath(tiny, "abcdef", sizeof tiny) ? "buffer" : "NULL");
  const char *splits[] = { "C:\\dir\\sub\\file.name.ext", "file", "dir/file.c", "\\\\server\\share\\x.y", "C:", ".profile", "a.b\\c", "" };
  for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
    char drive[_MAX_DRIVE], dir[_MAX_DIR], fname[_MAX_FNAME], ext[_MAX_EXT];
    _splitpath(splits[i], drive, dir, fname, ext);
    printf("  _splitpath(%s): [%s] [%s] [%s] [%s]\n", splits[i], drive, dir, fname, ext);
  }
  char made[MAX_PATH];
  _makepath(made, "C", "dir", "file", "txt");
  printf("  _makepath: %s\n", made);
  _makepath(made, "D:", "\\dir\\", "file", ".txt");
  printf("  _makepath: %s\n", made);
  _makepath(made, NULL, "dir/", "f", NULL);
  printf("  _makepath: %s\n", made);
  _makepath(made, "", "", "f", "");
  printf("  _makepath: %s\n", made);

  /* KERNEL32 */
  printf("kernel32:\n");
  WIN32_FILE_ATTRIBUTE_DATA ad;
  BOOL ok = GetFileAttributesExA("wexe_dir\\a.txt", GetFileExInfoStandard, &ad);
  printf("  GetFileAttributesEx: %d attrs=%lx size=%lu:%lu write=%llu\n", ok, ad.dwFileAttributes, ad.nFileSizeHigh, ad.nFileSizeLow, ft64(ad.ftLastWriteTime));
  ok = GetFileAttributesExA("wexe_dir\\sub", GetFileExInfoStandard, &ad);
  printf("  GetFileAttributesEx(dir): %d attrs=%lx\n", ok, ad.dwFileAttributes);
  ok = GetFileAttributesExA("wexe_dir\\none", GetFileExInfoStandard, &ad);
  printf("  GetFileAttributesEx(missing): %d error=%lu\n", ok, GetLastError());
  HANDLE fh = CreateFileA("wexe_dir\\a.txt", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  BY_HANDLE_FILE_INFORMATION bi;
  ok = GetFileInformationByHandle(fh, &bi);
  printf("  GetFileInformationByHandle: %d attrs=%lx size=%lu links=%lu write=%llu\n", ok, bi.dwFileAttributes, bi.nFileSizeLow, bi.nNumberOfLinks, ft64(bi.ftLastWriteTime));
  CloseHandle(fh);
  ok = GetFileInformationByHandle(GetStdHandle(STD_OUTPUT_HANDLE), &bi);
  printf("  GetFileInformationByHandle(pipe): %d\n", ok);
  WIN32_FIND_DATAA fdata;
  HANDLE fx = FindFirstFileExA("wexe_dir\\a.t?t", FindExInfoBasic, &fdata, FindExSearchNameMatch, NULL, 0);
  printf("  FindFirstFileEx: %s attrs=%lx size=%lu alt=\"%s\"\n", fx != INVALID_HANDLE_VALUE ? fdata.cFileName : "-", fdata.dwFileAttributes, fdata.nFileSizeLow, fdata.cAlternateFileName);
  ok = FindNextFileA(fx, &fdata);
  printf("  FindNextFile: %d error=%lu\n", ok, GetLastError());
  FindClose(fx);
  ok = CopyFileA("wexe_dir\\a.txt", "wexe_dir\\copy.txt", TRUE);
  printf("  CopyFileA: %d\n", ok);
  GetFileAttributesExA("wexe_dir\\copy.txt", GetFileExInfoStandard, &ad);
  printf("  copy: size=%lu write=%llu attrs=%lx\n", ad.nFileSizeLow, ft64(ad.ftLastWriteTime), ad.dwFileAttributes);
  ok = CopyFileA("wexe_dir\\a.txt", "wexe_dir\\copy.txt", TRUE);
  printf("  CopyFileA(exists, fail): %d error=%lu\n", ok, GetLastError());
  ok = CopyFileW(L"wexe_dir\\c.dat", L"wexe_dir\\copy.txt", FALSE);
  GetFileAttributesExA("wexe_dir\\copy.txt", GetFileExInfoStandard, &ad);
  printf("  CopyFileW(overwrite): %d size=%lu\n", ok, ad.nFileSizeLow);
  ok = CopyFileA("wexe_dir\\none", "wexe_dir\\copy2.txt", FALSE);
  printf("  CopyFileA(missing): %d error=%lu\n", ok, GetLastError());
  ULARGE_INTEGER avail, total, free_;
  ok = GetDiskFreeSpaceExA(NULL, &avail, &total, &free_);
  printf("  GetDiskFreeSpaceEx: %d sane=%d\n", ok, avail.QuadPart > 0 && total.QuadPart >= free_.QuadPart && free_.QuadPart >= avail.QuadPart);
  printf("  GetDriveType(NULL)=%u (Q:\\)=%u\n", GetDriveTypeA(NULL), GetDriveTypeA("Q:\\"));

  remove("wexe_dir\\a.txt"); remove("wexe_dir\\tool.exe"); remove("wexe_dir\\c.dat"); remove("wexe_dir\\copy.txt");
  _rmdir("wexe_dir\\sub");
  printf("cleanup: %d\n", _rmdir("wexe_dir"));
  return 0;
}

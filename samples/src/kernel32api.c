/* kernel32api: exact results of kernel32 calls whose edge cases programs rely
   on: VirtualAlloc/VirtualQuery/VirtualProtect/VirtualFree through reserve,
   commit, protect, decommit and release (every MEMORY_BASIC_INFORMATION field,
   addresses printed relative to the allocation); environment variables
   (size queries, too-small buffers, deletion, case-insensitive names,
   ExpandEnvironmentStrings); MultiByteToWideChar/WideCharToMultiByte size
   queries, exact-fit and too-small buffers, explicit lengths without a
   terminator, and the default character; GetLastError after each.
   Not covered: best-fit mappings (WideCharToMultiByte turns U+0100 into 'A'
   for code page 1252), which wexe does not implement. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

static char *base;

static void query(const char *label, void *addr) {
  MEMORY_BASIC_INFORMATION m;
  memset(&m, 0xcc, sizeof m);
  SIZE_T n = VirtualQuery(addr, &m, sizeof m);
  /* The size of a free region depends on the address space around it: not printed. */
  char size[32];
  if (m.State == MEM_FREE) strcpy(size, "(free)");
  else sprintf(size, "%#llx", (unsigned long long)m.RegionSize);
  printf("%-22s n=%u base=+%#llx allocbase=%s allocprot=%#lx size=%s state=%#lx prot=%#lx type=%#lx\n", label,
         (unsigned)n, (unsigned long long)((char *)m.BaseAddress - base),
         m.AllocationBase == base ? "base" : m.AllocationBase == NULL ? "NULL" : "other",
         m.AllocationProtect, size, m.State, m.Protect, m.Type);
}

static void memory(void) {
  base = VirtualAlloc(NULL, 0x30000, MEM_RESERVE, PAGE_READWRITE);
  printf("reserve: aligned64k=%d\n", ((ULONG_PTR)base & 0xffff) == 0);
  query("reserved", base);
  char *c = VirtualAlloc(base + 0x1800, 0x1000, MEM_COMMIT, PAGE_READWRITE);
  printf("commit at +0x1800: returned +%#llx\n", (unsigned long long)(c - base));
  query("below commit", base);
  query("committed", base + 0x1000);
  query("above commit", base + 0x3000);
  printf("committed reads zero: %d\n", c[0] == 0 && base[0x1000] == 0 && base[0x2fff] == 0);
  base[0x1000] = 42;
  DWORD old = 0;
  BOOL ok = VirtualProtect(base + 0x1000, 0x1000, PAGE_READONLY, &old);
  printf("protect readonly: ok=%d old=%#lx\n", ok, old);
  query("readonly", base + 0x1000);
  ok = VirtualProtect(base + 0x2000, 0x1000, PAGE_EXECUTE_READ | PAGE_GUARD, &old);
  printf("protect guard: ok=%d old=%#lx\n", ok, old);
  query("guard", base + 0x2000);
  SetLastError(0);
  ok = VirtualProtect(base + 0x10000, 0x1000, PAGE_READWRITE, &old);
  printf("protect reserved page: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  ok = VirtualAlloc(base + 0x1000, 0x1000, MEM_COMMIT, PAGE_READWRITE) != NULL;
  printf("recommit keeps data: ok=%d value=%d\n", ok, base[0x1000]);
  ok = VirtualFree(base + 0x1000, 0x1000, MEM_DECOMMIT);
  printf("decommit: ok=%d\n", ok);
  query("decommitted", base + 0x1000);
  SetLastError(0);
  ok = VirtualFree(base, 0x1000, MEM_RELEASE);
  printf("release with size: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  SetLastError(0);
  ok = VirtualFree(base + 0x1000, 0, MEM_RELEASE);
  printf("release inside: ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  ok = VirtualFree(base, 0, MEM_RELEASE);
  printf("release: ok=%d\n", ok);
  query("released", base);
  SetLastError(0);
  void *z = VirtualAlloc(NULL, 0, MEM_COMMIT, PAGE_READWRITE);
  printf("alloc size 0: %s err=%lu\n", z ? "non-NULL" : "NULL", GetLastError());
  SetLastError(0);
  z = VirtualAlloc(NULL, 0x1000, MEM_COMMIT, 0x3);
  printf("alloc bad protect: %s err=%lu\n", z ? "non-NULL" : "NULL", GetLastError());
  char *rw = VirtualAlloc(NULL, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE);
  base = rw;
  query("commit|reserve rwx", rw);
  query("past the end", rw + 0x1000);
  VirtualFree(rw, 0, MEM_RELEASE);
}

static void environment(void) {
  char buf[16];
  SetEnvironmentVariableA("WEXE_K32", "12345");
  SetLastError(0);
  DWORD n = GetEnvironmentVariableA("WEXE_K32", NULL, 0);
  printf("env size query: %lu err=%lu\n", n, GetLastError());
  memset(buf, 'x', sizeof buf);
  n = GetEnvironmentVariableA("WEXE_K32", buf, 5);
  printf("env buffer 5: %lu buf[0]=%c\n", n, buf[0]);
  n = GetEnvironmentVariableA("wexe_k32", buf, 6);
  printf("env buffer 6, lower-case name: %lu [%s]\n", n, buf);
  SetEnvironmentVariableA("WEXE_K32", "");
  SetLastError(0);
  n = GetEnvironmentVariableA("WEXE_K32", buf, sizeof buf);
  printf("env empty value: %lu err=%lu\n", n, GetLastError());
  SetEnvironmentVariableA("WEXE_K32", NULL);
  SetLastError(0);
  n = GetEnvironmentVariableA("WEXE_K32", buf, sizeof buf);
  printf("env deleted: %lu err=%lu\n", n, GetLastError());
  SetLastError(0);
  BOOL ok = SetEnvironmentVariableA("WEXE=BAD", "x");
  printf("env name with '=': ok=%d err=%lu\n", ok, ok ? 0 : GetLastError());
  SetEnvironmentVariableA("WEXE_K32", "val");
  char out[64];
  n = ExpandEnvironmentStringsA("a%WEXE_K32%b%WEXE_NOPE%c%%d", out, sizeof out);
  printf("expand: %lu [%s]\n", n, out);
  n = ExpandEnvironmentStringsA("a%WEXE_K32%b", out, 3);
  printf("expand small: %lu\n", n);
  n = ExpandEnvironmentStringsA("a%WEXE_K32%b", NULL, 0);
  printf("expand query: %lu\n", n);
  wchar_t w[16];
  n = GetEnvironmentVariableW(L"WEXE_K32", w, 16);
  printf("env W: %lu [%ls]\n", n, w);
  n = GetEnvironmentVariableW(L"WEXE_K32", w, 3);
  printf("env W small: %lu\n", n);
}

static void units(const wchar_t *w, int n) {
  for (int i = 0; i < n; i++) printf(" %04x", (unsigned)w[i]);
  printf("\n");
}

static void conversions(void) {
  wchar_t w[16];
  char b[16];
  SetLastError(0);
  int n = MultiByteToWideChar(CP_ACP, 0, "abc", -1, NULL, 0);
  printf("MB2WC query -1: %d\n", n);
  n = MultiByteToWideChar(CP_ACP, 0, "abc", 3, NULL, 0);
  printf("MB2WC query len 3: %d\n", n);
  wmemset(w, 0x2222, 16);
  n = MultiByteToWideChar(CP_ACP, 0, "abc", 3, w, 16);
  printf("MB2WC len 3 into 16: %d w[3]=%04x\n", n, (unsigned)w[3]);
  n = MultiByteToWideChar(CP_ACP, 0, "abc", -1, w, 4);
  printf("MB2WC exact fit: %d\n", n);
  SetLastError(0);
  wmemset(w, 0x2222, 16);
  n = MultiByteToWideChar(CP_ACP, 0, "abcdef", -1, w, 3);
  printf("MB2WC too small: %d err=%lu w[0]=%04x\n", n, GetLastError(), (unsigned)w[0]);
  n = MultiByteToWideChar(1252, 0, "\x80\x81\x8d\x9f\xa0\xff", 6, w, 16);
  printf("MB2WC cp1252 high:");
  units(w, n);
  SetLastError(0);
  n = MultiByteToWideChar(CP_ACP, 0, "abc", 0, w, 16);
  printf("MB2WC len 0: %d err=%lu\n", n, GetLastError());
  SetLastError(0);
  n = MultiByteToWideChar(12345, 0, "abc", -1, w, 16);
  printf("MB2WC bad code page: %d err=%lu\n", n, GetLastError());
  SetLastError(0);
  n = MultiByteToWideChar(CP_ACP, 0, NULL, -1, w, 16);
  printf("MB2WC NULL source: %d err=%lu\n", n, GetLastError());
  SetLastError(0);
  n = MultiByteToWideChar(CP_ACP, 0, "abc", -1, w, -1);
  printf("MB2WC negative size: %d err=%lu\n", n, GetLastError());

  n = WideCharToMultiByte(CP_ACP, 0, L"abc", -1, NULL, 0, NULL, NULL);
  printf("WC2MB query: %d\n", n);
  SetLastError(0);
  memset(b, 'x', sizeof b);
  n = WideCharToMultiByte(CP_ACP, 0, L"abcdef", -1, b, 3, NULL, NULL);
  printf("WC2MB too small: %d err=%lu b[0]=%c\n", n, GetLastError(), b[0]);
  BOOL used = 7;
  memset(b, 0, sizeof b);
  /* U+3042 has no best-fit mapping in code page 1252 (U+0100 would become 'A'). */
  n = WideCharToMultiByte(CP_ACP, 0, L"a\x20ac\x3042z", -1, b, 16, NULL, &used);
  printf("WC2MB unmappable: %d used=%d [%s]\n", n, used, b);
  used = 7;
  memset(b, 0, sizeof b);
  n = WideCharToMultiByte(CP_ACP, 0, L"a\x4e2d?", -1, b, 16, "#", &used);
  printf("WC2MB default char: %d used=%d [%s]\n", n, used, b);
  used = 7;
  n = WideCharToMultiByte(CP_ACP, 0, L"plain", -1, b, 16, NULL, &used);
  printf("WC2MB mappable: %d used=%d\n", n, used);
  SetLastError(0);
  n = WideCharToMultiByte(CP_UTF8, 0, L"a\x20ac", -1, b, 16, NULL, &used);
  printf("WC2MB utf8 with usedDefault: %d err=%lu\n", n, GetLastError());
  n = WideCharToMultiByte(CP_UTF8, 0, L"\xd800x", 2, b, 16, NULL, NULL);
  printf("WC2MB lone surrogate:");
  for (int i = 0; i < n; i++) printf(" %02x", (unsigned char)b[i]);
  printf("\n");
}

int main(void) {
  memory();
  environment();
  conversions();
  return 0;
}

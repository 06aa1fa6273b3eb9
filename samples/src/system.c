/* system: the rest of the kernel32 surface the samples rely on: virtual
   memory (VirtualAlloc/Protect/Query/Free), module handles and
   GetProcAddress, critical sections, and clocks (GetTickCount,
   QueryPerformanceCounter/Frequency, GetSystemTimeAsFileTime, Sleep).
   Clock values are never printed, only checked. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void query(const char *label, void *addr) {
  MEMORY_BASIC_INFORMATION mbi;
  SIZE_T n = VirtualQuery(addr, &mbi, sizeof mbi);
  printf("%-22s query=%d base_ok=%d alloc_base_ok=%d size=%#llx state=%#lx protect=%#lx type=%#lx\n", label, n == sizeof mbi,
         mbi.BaseAddress == (void *)((ULONG_PTR)addr & ~(ULONG_PTR)0xfff), mbi.AllocationBase != NULL, (unsigned long long)mbi.RegionSize,
         mbi.State, mbi.Protect, mbi.Type);
}

typedef DWORD (WINAPI *tick_fn)(void);

int main(void) {
  /* virtual memory */
  char *region = VirtualAlloc(NULL, 0x10000, MEM_RESERVE, PAGE_NOACCESS);
  printf("reserve ok=%d aligned64k=%d\n", region != NULL, ((ULONG_PTR)region & 0xffff) == 0);
  query("reserved", region);
  char *page = VirtualAlloc(region + 0x2000, 0x3000, MEM_COMMIT, PAGE_READWRITE);
  printf("commit inside ok=%d same address=%d\n", page != NULL, page == region + 0x2000);
  query("committed", page);
  query("still reserved", region);
  int zero = 1;
  for (int i = 0; i < 0x3000; i++) if (page[i]) zero = 0;
  printf("committed memory zeroed=%d\n", zero);
  strcpy(page, "data in committed page");
  DWORD old = 0;
  BOOL ok = VirtualProtect(page, 0x1000, PAGE_READONLY, &old);
  printf("VirtualProtect ok=%d old=%#lx\n", ok, old);
  query("after protect", page);
  query("next page", page + 0x1000);
  printf("still readable: %s\n", page);
  printf("decommit ok=%d\n", VirtualFree(page + 0x1000, 0x1000, MEM_DECOMMIT));
  query("decommitted", page + 0x1000);
  printf("release ok=%d\n", VirtualFree(region, 0, MEM_RELEASE));
  SetLastError(0);
  ok = VirtualFree(region, 0, MEM_RELEASE);
  printf("release again ok=%d lasterror=%lu\n", ok, GetLastError());
  char *direct = VirtualAlloc(NULL, 100, MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE);
  query("commit+reserve 100", direct);
  VirtualFree(direct, 0, MEM_RELEASE);

  /* modules */
  HMODULE self = GetModuleHandleA(NULL);
  printf("own module: MZ=%d PE=%d\n", self && memcmp(self, "MZ", 2) == 0,
         self && memcmp((char *)self + *(LONG *)((char *)self + 0x3c), "PE\0\0", 4) == 0);
  printf("GetModuleHandleW(NULL) same: %d\n", GetModuleHandleW(NULL) == self);
  HMODULE k32 = GetModuleHandleA("kernel32.dll"), k32w = GetModuleHandleW(L"KERNEL32.DLL");
  printf("kernel32 handle: %d, A==W: %d\n", k32 != NULL, k32 == k32w);
  tick_fn tick = (tick_fn)GetProcAddress(k32, "GetTickCount");
  printf("GetProcAddress(GetTickCount) found=%d same as import=%d\n", tick != NULL, tick == GetTickCount);
  SetLastError(0);
  FARPROC none = GetProcAddress(k32, "NoSuchFunctionAnywhere");
  printf("GetProcAddress(missing)=%p lasterror=%lu\n", (void *)none, GetLastError());
  SetLastError(0);
  HMODULE missing = GetModuleHandleA("no_such_module.dll");
  printf("GetModuleHandleA(missing)=%p lasterror=%lu\n", (void *)missing, GetLastError());

  /* critical sections (single thread: recursion counts) */
  CRITICAL_SECTION cs;
  InitializeCriticalSection(&cs);
  EnterCriticalSection(&cs);
  EnterCriticalSection(&cs);
  printf("critical section recursion=%ld\n", cs.RecursionCount);
  LeaveCriticalSection(&cs);
  LeaveCriticalSection(&cs);
  printf("after leave recursion=%ld\n", cs.RecursionCount);
  DeleteCriticalSection(&cs);

  /* clocks */
  LARGE_INTEGER freq, a, b;
  QueryPerformanceFrequency(&freq);
  QueryPerformanceCounter(&a);
  DWORD t0 = GetTickCount();
  FILETIME ft0, ft1;
  GetSystemTimeAsFileTime(&ft0);
  Sleep(50);
  QueryPerformanceCounter(&b);
  DWORD t1 = GetTickCount();
  GetSystemTimeAsFileTime(&ft1);
  double ms = (double)(b.QuadPart - a.QuadPart) * 1000.0 / (double)freq.QuadPart;
  ULONGLONG f0 = ((ULONGLONG)ft0.dwHighDateTime << 32) | ft0.dwLowDateTime, f1 = ((ULONGLONG)ft1.dwHighDateTime << 32) | ft1.dwLowDateTime;
  printf("QPC frequency positive=%d\n", freq.QuadPart > 0);
  printf("Sleep(50): QPC advanced 40..5000 ms=%d tick advanced=%d filetime advanced=%d\n", ms >= 40 && ms < 5000, t1 - t0 >= 30, f1 > f0);
  printf("filetime after 2020-01-01=%d\n", f0 > 132223104000000000ULL);
  Sleep(0);
  printf("Sleep(0) returned\n");
  return 0;
}

/* tls: __thread variables (gcc's emulated TLS on MinGW) and the kernel32 TLS
   slot API (TlsAlloc/TlsSetValue/TlsGetValue/TlsFree). Single-threaded. */
#include <stdio.h>
#include <windows.h>

static __thread int counter = 41;
static __thread char name[16] = "tls-init";
static __thread long long big;

static int bump(void) { return ++counter; }

int main(void) {
  printf("__thread initial: counter=%d name=%s big=%lld\n", counter, name, big);
  bump(); bump();
  big = -5;
  name[0] = 'T';
  printf("__thread after: counter=%d name=%s big=%lld\n", counter, name, big);
  printf("__thread distinct addresses: %d\n", (void *)&counter != (void *)&big && (void *)name != (void *)&big);

  DWORD slots[3];
  for (int i = 0; i < 3; i++) slots[i] = TlsAlloc();
  printf("TlsAlloc distinct valid: %d\n", slots[0] != TLS_OUT_OF_INDEXES && slots[0] != slots[1] && slots[1] != slots[2] && slots[0] != slots[2]);
  SetLastError(77);
  void *v = TlsGetValue(slots[1]);
  printf("fresh slot value NULL: %d lasterror=%lu\n", v == NULL, GetLastError());
  for (int i = 0; i < 3; i++) TlsSetValue(slots[i], (void *)(ULONG_PTR)(0x1000 * (i + 1)));
  for (int i = 0; i < 3; i++) printf("slot %d value=%#llx\n", i, (unsigned long long)(ULONG_PTR)TlsGetValue(slots[i]));
  printf("TlsFree: %d\n", TlsFree(slots[1]));
  DWORD again = TlsAlloc();
  printf("reallocated slot value NULL: %d\n", TlsGetValue(again) == NULL);
  TlsFree(again); TlsFree(slots[0]); TlsFree(slots[2]);
  return 0;
}

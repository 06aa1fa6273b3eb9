/* Software exceptions through KERNEL32's RaiseException, seen by vectored handlers
   (AddVectoredExceptionHandler: order, removal, CONTINUE_SEARCH vs
   CONTINUE_EXECUTION, parameters (at most 15 are kept), a handler redirecting RIP to
   recover from a null read) and by the top-level filter, picked by argv[1]:
   (none)     vectored handlers
   filter     SetUnhandledExceptionFilter: one exception continued, the next ends
              the process with its code (EXCEPTION_EXECUTE_HANDLER)
   unhandled  no handler of ours: MinGW's start-up filter lets it through, the
              process ends with the exception code */
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <windows.h>

static jmp_buf recover_point;
static int calls_a, calls_b;

static LONG CALLBACK handler_a(EXCEPTION_POINTERS *info) {
  EXCEPTION_RECORD *r = info->ExceptionRecord;
  calls_a++;
  printf("  handler A: code %08lx flags %lu params %lu", (unsigned long)r->ExceptionCode,
         (unsigned long)r->ExceptionFlags, (unsigned long)r->NumberParameters);
  for (DWORD i = 0; i < r->NumberParameters && i < 3; i++) printf(" [%llu]", (unsigned long long)r->ExceptionInformation[i]);
  printf("\n");
  if (r->ExceptionCode == 0xE0000001) return EXCEPTION_CONTINUE_EXECUTION;
  return EXCEPTION_CONTINUE_SEARCH;
}

static LONG CALLBACK handler_b(EXCEPTION_POINTERS *info) {
  calls_b++;
  printf("  handler B: code %08lx\n", (unsigned long)info->ExceptionRecord->ExceptionCode);
  if (info->ExceptionRecord->ExceptionCode == 0xE0000002) return EXCEPTION_CONTINUE_EXECUTION;
  return EXCEPTION_CONTINUE_SEARCH;
}

static void recover(void) {
  printf("  recover: redirected here by the handler\n");
  longjmp(recover_point, 1);
}

/* Redirects access violations to recover(), as if it had been called. */
static LONG CALLBACK redirect(EXCEPTION_POINTERS *info) {
  EXCEPTION_RECORD *r = info->ExceptionRecord;
  if (r->ExceptionCode == EXCEPTION_ACCESS_VIOLATION) {
    printf("  redirect: access violation, %s address %llx\n", r->ExceptionInformation[0] ? "writing" : "reading",
           (unsigned long long)r->ExceptionInformation[1]);
  } else {
    return EXCEPTION_CONTINUE_SEARCH;
  }
  info->ContextRecord->Rsp = (info->ContextRecord->Rsp & ~(DWORD64)15) - 8;
  info->ContextRecord->Rip = (DWORD64)(ULONG_PTR)recover;
  return EXCEPTION_CONTINUE_EXECUTION;
}

static volatile int *volatile null_pointer;

static void vectored(void) {
  ULONG_PTR params[20];
  for (int i = 0; i < 20; i++) params[i] = 100 + i;

  printf("one handler\n");
  PVOID a = AddVectoredExceptionHandler(0, handler_a);
  RaiseException(0xE0000001, 0, 2, params);
  printf(" RaiseException returned, handler A ran %d time(s)\n", calls_a);

  printf("two handlers, B first\n");
  PVOID b = AddVectoredExceptionHandler(1, handler_b);
  RaiseException(0xE0000001, 0, 0, NULL);
  RaiseException(0xE0000002, 0, 1, params);
  printf(" A ran %d, B ran %d\n", calls_a, calls_b);

  printf("too many parameters\n");
  RaiseException(0xE0000001, 0, 20, params);

  ULONG removed = RemoveVectoredExceptionHandler(b);
  ULONG again = RemoveVectoredExceptionHandler(b);
  printf("B removed: %lu, removed again: %lu\n", removed, again);
  RaiseException(0xE0000001, 0, 0, NULL);
  printf(" A ran %d, B ran %d\n", calls_a, calls_b);
  RemoveVectoredExceptionHandler(a);

  PVOID r = AddVectoredExceptionHandler(1, redirect);
  printf("null read\n");
  if (setjmp(recover_point) == 0) {
    int v = *null_pointer;
    printf(" not reached %d\n", v);
  } else {
    printf(" back in vectored() after the fault\n");
  }

  RemoveVectoredExceptionHandler(r);
}

static int filter_calls;

static LONG WINAPI top_filter(EXCEPTION_POINTERS *info) {
  EXCEPTION_RECORD *r = info->ExceptionRecord;
  filter_calls++;
  printf("  top-level filter: code %08lx params %lu first %llu\n", (unsigned long)r->ExceptionCode,
         (unsigned long)r->NumberParameters, r->NumberParameters ? (unsigned long long)r->ExceptionInformation[0] : 0ull);
  fflush(stdout);
  return filter_calls == 1 ? EXCEPTION_CONTINUE_EXECUTION : EXCEPTION_EXECUTE_HANDLER;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "vectored";
  if (strcmp(mode, "filter") == 0) {
    ULONG_PTR p = 77;
    SetUnhandledExceptionFilter(top_filter);
    RaiseException(0xE0001234, 0, 1, &p);
    printf("RaiseException returned after the filter continued\n");
    fflush(stdout);
    RaiseException(0xE0001235, 0, 0, NULL);
    printf("not reached\n");
    return 0;
  }
  if (strcmp(mode, "unhandled") == 0) {
    printf("raising 0xE0004321 with no handler\n");
    fflush(stdout);
    RaiseException(0xE0004321, 0, 0, NULL);
    printf("not reached\n");
    return 0;
  }
  vectored();
  printf("done\n");
  return 0;
}

/* __try/__except/__finally (built with clang, whose x64 SEH uses msvcrt's
   __C_specific_handler and scope tables like MSVC): a null write and an integer
   divide by zero caught by __except, filters choosing by exception code,
   GetExceptionInformation, nested scopes where the inner filter keeps searching,
   EXCEPTION_CONTINUE_EXECUTION resuming after RaiseException, a noncontinuable
   exception turning into STATUS_NONCONTINUABLE_EXCEPTION, __finally on normal exit,
   on __leave and during an unwind (AbnormalTermination), and the order of filter,
   __finally and handler across frames. Each case is its own function so no two
   scopes share an address range boundary. GetExceptionCode() is only used in filters:
   in a handler body it reads EAX, which Windows sets to the code and Wine 8 to 0.
   Built with (MinGW's libgcc for clang's runtime calls):
     clang --target=x86_64-w64-windows-gnu -fms-extensions -O2 -fuse-ld=lld
       -D__USE_MINGW_ANSI_STDIO=0 -L/usr/lib/gcc/x86_64-w64-mingw32/12-win32
       -Wl,--no-insert-timestamp -o seh_try.exe src/seh_try.c */
#include <stdio.h>
#include <windows.h>

#define NOINLINE __attribute__((noinline))

static volatile int zero = 0;
static int *volatile null_pointer;
static DWORD last_code;

static int report(EXCEPTION_POINTERS *info, int verdict) {
  EXCEPTION_RECORD *r = info->ExceptionRecord;
  last_code = r->ExceptionCode;
  printf("  filter: code %08lx", (unsigned long)r->ExceptionCode);
  if (r->ExceptionCode == EXCEPTION_ACCESS_VIOLATION)
    printf(", %s %llx", r->ExceptionInformation[0] ? "write to" : "read of", (unsigned long long)r->ExceptionInformation[1]);
  printf(", noncontinuable %d -> %d\n", (int)(r->ExceptionFlags & EXCEPTION_NONCONTINUABLE), verdict);
  return verdict;
}

NOINLINE static void write_null(void) { *null_pointer = 5; }
NOINLINE static int divide(int a, int b) { return a / b; }

NOINLINE static void null_write(void) {
  printf("null write\n");
  __try {
    write_null();
    printf("  not reached\n");
  } __except (report(GetExceptionInformation(), EXCEPTION_EXECUTE_HANDLER)) {
    printf("  handler: code %08lx\n", (unsigned long)last_code);
  }
}

NOINLINE static void divide_by_zero(void) {
  printf("divide by zero\n");
  __try {
    printf("  %d\n", divide(7, zero));
  } __except (GetExceptionCode() == EXCEPTION_INT_DIVIDE_BY_ZERO ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH) {
    printf("  handler: integer divide by zero\n");
  }
}

NOINLINE static void inner_searches(void) {
  __try {
    RaiseException(0xE0000010, 0, 0, NULL);
  } __except (report(GetExceptionInformation(), EXCEPTION_CONTINUE_SEARCH)) {
    printf("  inner handler: not reached\n");
  }
}

NOINLINE static void nested(void) {
  printf("nested scopes\n");
  __try {
    inner_searches();
  } __except (report(GetExceptionInformation(), EXCEPTION_EXECUTE_HANDLER)) {
    printf("  outer handler: code %08lx\n", (unsigned long)last_code);
  }
}

NOINLINE static void continue_execution(void) {
  printf("continue execution\n");
  __try {
    RaiseException(0xE0000020, 0, 0, NULL);
    printf("  RaiseException returned\n");
  } __except (report(GetExceptionInformation(), EXCEPTION_CONTINUE_EXECUTION)) {
    printf("  handler: not reached\n");
  }
}

NOINLINE static void raise_noncontinuable(void) {
  __try {
    RaiseException(0xE0000030, EXCEPTION_NONCONTINUABLE, 0, NULL);
    printf("  not reached\n");
  } __except (report(GetExceptionInformation(),
                     GetExceptionCode() == 0xE0000030 ? EXCEPTION_CONTINUE_EXECUTION : EXCEPTION_CONTINUE_SEARCH)) {
    printf("  inner handler: not reached\n");
  }
}

NOINLINE static void noncontinuable(void) {
  printf("noncontinuable\n");
  __try {
    raise_noncontinuable();
  } __except (report(GetExceptionInformation(), EXCEPTION_EXECUTE_HANDLER)) {
    printf("  outer handler: code %08lx\n", (unsigned long)last_code);
  }
}

NOINLINE static void finally_normal(void) {
  printf("finally, normal exit\n");
  __try {
    printf("  body\n");
  } __finally {
    printf("  finally: abnormal %d\n", AbnormalTermination());
  }
}

NOINLINE static void finally_leave(int leave) {
  printf("finally, __leave\n");
  __try {
    if (leave) __leave;
    printf("  not reached\n");
  } __finally {
    printf("  finally: abnormal %d\n", AbnormalTermination());
  }
}

NOINLINE static void faulting_with_finally(void) {
  __try {
    printf("  about to divide by zero\n");
    printf("  %d\n", divide(1, zero));
  } __finally {
    printf("  finally in the faulting frame: abnormal %d\n", AbnormalTermination());
  }
}

NOINLINE static void middle_with_finally(void) {
  __try {
    faulting_with_finally();
  } __finally {
    printf("  finally in the middle frame: abnormal %d\n", AbnormalTermination());
  }
}

NOINLINE static void finally_unwind(void) {
  printf("finally during an unwind\n");
  __try {
    middle_with_finally();
  } __except (report(GetExceptionInformation(), EXCEPTION_EXECUTE_HANDLER)) {
    printf("  handler runs after both finally blocks\n");
  }
}

NOINLINE static void raise_in_handler_inner(void) {
  __try {
    write_null();
  } __except (report(GetExceptionInformation(), EXCEPTION_EXECUTE_HANDLER)) {
    printf("  inner handler raises 0xE0000040\n");
    RaiseException(0xE0000040, 0, 0, NULL);
  }
}

NOINLINE static void raise_in_handler(void) {
  printf("raise from a handler\n");
  __try {
    raise_in_handler_inner();
  } __except (report(GetExceptionInformation(), EXCEPTION_EXECUTE_HANDLER)) {
    printf("  outer handler: code %08lx\n", (unsigned long)last_code);
  }
}

int main(void) {
  null_write();
  divide_by_zero();
  nested();
  continue_execution();
  noncontinuable();
  finally_normal();
  finally_leave(1);
  finally_unwind();
  raise_in_handler();
  printf("done\n");
  return 0;
}

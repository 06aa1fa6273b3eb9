/* unimplemented: prints a line, then calls KERNEL32's Beep, which wexe's
   runtime does not implement: wexe must stop with "KERNEL32.dll!Beep is not
   implemented (called from 0x...)" and exit status 121, after flushing the
   line already printed. (On Windows the call beeps and the program prints
   "after Beep".) */
#include <stdio.h>
#include <windows.h>

int main(void) {
  printf("before Beep\n");
  BOOL ok = Beep(440, 10);
  printf("after Beep: %d\n", ok ? 1 : 0);
  return 0;
}

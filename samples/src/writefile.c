/* writefile: writes "written by writefile\n" (text mode, so CR LF on disk) to
   C:\out.txt and prints nothing. The CLI tests run it with --root to check
   that C:\ is the directory they chose. Exit code 0 on success, 1 if fopen
   fails, 2 if a write or close fails. */
#include <stdio.h>

int main(void) {
  FILE *f = fopen("C:\\out.txt", "w");
  if (!f) return 1;
  if (fputs("written by writefile\n", f) < 0) return 2;
  return fclose(f) == 0 ? 0 : 2;
}

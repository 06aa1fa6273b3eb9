/* sandbox: tries to open each path given on the command line, through msvcrt
   (fopen) and kernel32 (CreateFileA), and prints what each call returned:
     <path>: fopen ok | fopen errno=<n>; CreateFileA ok | CreateFileA error=<n>
   "r" as the first argument opens for reading (OPEN_EXISTING); "w" creates
   (fopen "w", CreateFileA CREATE_ALWAYS) and leaves the files behind, so a
   test can look for where they landed. The CLI tests pass paths that try to
   leave wexe's sandbox (..\..\etc\passwd, /etc/passwd, UNC, other drives). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

int main(int argc, char **argv) {
  if (argc < 3 || (strcmp(argv[1], "r") != 0 && strcmp(argv[1], "w") != 0)) {
    fprintf(stderr, "usage: sandbox r|w PATH...\n");
    return 2;
  }
  int writing = argv[1][0] == 'w';
  for (int i = 2; i < argc; i++) {
    const char *path = argv[i];
    printf("%s: ", path);
    errno = 0;
    FILE *f = fopen(path, writing ? "w" : "r");
    if (f) { printf("fopen ok"); fclose(f); }
    else printf("fopen errno=%d", errno);
    SetLastError(0);
    HANDLE h = CreateFileA(path, writing ? GENERIC_WRITE : GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           writing ? CREATE_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h != INVALID_HANDLE_VALUE) { printf("; CreateFileA ok\n"); CloseHandle(h); }
    else printf("; CreateFileA error=%lu\n", GetLastError());
  }
  return 0;
}

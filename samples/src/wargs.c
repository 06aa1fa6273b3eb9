/* wargs: a wmain program (-municode). Prints every argument as UTF-16 code
   units in hex and as UTF-8 bytes via WideCharToMultiByte, so non-ASCII and
   non-BMP arguments are visible without depending on the console code page. */
#include <stdio.h>
#include <wchar.h>
#include <windows.h>

int wmain(int argc, wchar_t **argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; i++) {
    printf("arg %d: %u units:", i, (unsigned)wcslen(argv[i]));
    for (const wchar_t *p = argv[i]; *p; p++) printf(" %04x", (unsigned)*p);
    char utf8[256];
    int n = WideCharToMultiByte(CP_UTF8, 0, argv[i], -1, utf8, sizeof utf8, NULL, NULL);
    printf(" | utf8 %d bytes:", n - 1);
    for (int k = 0; k < n - 1; k++) printf(" %02x", (unsigned char)utf8[k]);
    printf("\n");
  }
  const wchar_t *base = argv[0];
  for (const wchar_t *p = argv[0]; *p; p++) if (*p == L'\\' || *p == L'/') base = p + 1;
  printf("argv0 base: %ls\n", base);
  return 0;
}

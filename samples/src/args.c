/* args: argv as main sees it, parsed by msvcrt from the command line
   (quotes, backslashes, empty arguments). argv[0] is printed as its base
   name only, so the output does not depend on where the .exe lives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *base = argv[0];
  for (const char *p = argv[0]; *p; p++) if (*p == '\\' || *p == '/') base = p + 1;
  printf("argc=%d argv0=%s\n", argc, base);
  for (int i = 1; i < argc; i++) {
    printf("argv[%d] len=%u <%s>", i, (unsigned)strlen(argv[i]), argv[i]);
    for (const unsigned char *p = (const unsigned char *)argv[i]; *p; p++) if (*p < 0x20 || *p > 0x7e) printf(" nonprint:%02x", *p);
    printf("\n");
  }
  printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
  int same = __argc == argc;
  for (int i = 0; same && i < argc; i++) same = strcmp(__argv[i], argv[i]) == 0;
  printf("__argc=%d __argv matches argv: %d\n", __argc, same);
  return argc - 1;
}

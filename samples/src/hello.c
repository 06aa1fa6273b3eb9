/* hello: the quick-start sample. Prints a greeting, argc and every argument.
   argv[0] is printed as its base name only, so the output does not depend on
   where the .exe lives. */
#include <stdio.h>
#include <string.h>

static const char *base_name(const char *path) {
  const char *base = path;
  for (const char *p = path; *p; p++)
    if (*p == '\\' || *p == '/') base = p + 1;
  return base;
}

int main(int argc, char **argv) {
  printf("Hello from a Windows x86-64 program!\n");
  printf("argc = %d\n", argc);
  printf("argv[0] (base name) = %s\n", base_name(argv[0]));
  for (int i = 1; i < argc; i++) printf("argv[%d] = \"%s\" (%u chars)\n", i, argv[i], (unsigned)strlen(argv[i]));
  return 0;
}

/* strings: string.h, ctype.h, strtol/strtoul/strtod/atoi family, mem*. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <ctype.h>
#include <errno.h>

static void show_bytes(const char *label, const unsigned char *p, size_t n) {
  printf("%s:", label);
  for (size_t i = 0; i < n; i++) printf(" %02x", p[i]);
  printf("\n");
}

int main(void) {
  char buf[128];
  char *end;

  strcpy(buf, "Hello");
  strcat(buf, ", ");
  const char *tail = "world!!!";
  strncat(buf, tail, 6);
  printf("strcat: \"%s\" len=%u\n", buf, (unsigned)strlen(buf));
  printf("strcmp: %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("same", "same"));
  printf("strncmp: %d  _stricmp: %d  _strnicmp: %d\n", strncmp("abcX", "abcY", 3), _stricmp("HeLLo", "hello"), _strnicmp("ABCdef", "abcXYZ", 3));
  printf("strchr: %s  strrchr: %s\n", strchr("a/b/c", '/'), strrchr("a/b/c", '/'));
  printf("strstr: %s  missing: %p\n", strstr("needle in haystack", "in"), (void *)strstr("abc", "xyz"));
  printf("strspn: %u  strcspn: %u  strpbrk: %s\n", (unsigned)strspn("aabbcd", "ab"), (unsigned)strcspn("hello, world", ", "), strpbrk("key=value", "=:"));
  strncpy(buf, "abc", 6);
  show_bytes("strncpy pads", (unsigned char *)buf, 6);

  char text[] = "  split, these;words  ,here ";
  int count = 0;
  for (char *tok = strtok(text, " ,;"); tok; tok = strtok(NULL, " ,;"))
    printf("token %d: [%s]\n", ++count, tok);

  char *dup = _strdup("Duplicate Me");
  printf("_strdup: %s  _strupr: %s  ", dup, _strupr(dup));
  printf("_strlwr: %s\n", _strlwr(dup));
  free(dup);
  char rev[] = "reverse";
  printf("_strrev: %s\n", _strrev(rev));

  unsigned char mem[16];
  for (int i = 0; i < 16; i++) mem[i] = (unsigned char)i;
  memmove(mem + 2, mem, 8);
  show_bytes("memmove up", mem, 16);
  memmove(mem, mem + 4, 8);
  show_bytes("memmove down", mem, 16);
  memset(mem + 10, 0xAB, 4);
  show_bytes("memset", mem, 16);
  memcpy(buf, "0123456789", 11);
  printf("memcpy: %s  memcmp: %d %d  memchr: %s\n", buf, memcmp("abc", "abd", 3) < 0, memcmp("xyz", "xyz", 3), (char *)memchr(buf, '5', 10));

  printf("ctype:");
  const char probe[] = "aZ5 \t_!\x7f";
  for (const char *p = probe; *p; p++)
    printf(" [%02x %c%c%c%c%c%c%c%c]", (unsigned char)*p, isalpha(*p) ? 'A' : '-', isdigit(*p) ? 'D' : '-',
           isspace(*p) ? 'S' : '-', isupper(*p) ? 'U' : '-', islower(*p) ? 'L' : '-', ispunct(*p) ? 'P' : '-',
           isxdigit(*p) ? 'X' : '-', iscntrl(*p) ? 'C' : '-');
  printf("\n");
  char mixed[] = "MiXeD 123 case!";
  for (char *p = mixed; *p; p++) *p = (char)toupper((unsigned char)*p);
  printf("toupper: %s  ", mixed);
  for (char *p = mixed; *p; p++) *p = (char)tolower((unsigned char)*p);
  printf("tolower: %s\n", mixed);

  printf("atoi: %d %d %d  atol: %ld  _atoi64: %lld\n", atoi("123abc"), atoi("  -77"), atoi("x"), atol("2147483647"), _atoi64("-9000000000"));
  long v = strtol("  -0x1fZ", &end, 0);
  printf("strtol base0 hex: %ld rest=[%s]\n", v, end);
  v = strtol("0777", &end, 0);
  printf("strtol base0 oct: %ld\n", v);
  v = strtol("zz", &end, 36);
  printf("strtol base36: %ld\n", v);
  v = strtol("101102", &end, 2);
  printf("strtol base2: %ld rest=[%s]\n", v, end);
  errno = 0;
  v = strtol("99999999999", &end, 10);
  printf("strtol overflow: %ld errno=%d(ERANGE=%d)\n", v, errno, ERANGE);
  errno = 0;
  unsigned long uv = strtoul("4294967295", &end, 10);
  printf("strtoul: %lu errno=%d\n", uv, errno);
  uv = strtoul("-1", &end, 10);
  printf("strtoul(-1): %lu\n", uv);
  long long ll = _strtoi64("-123456789012345", &end, 10);
  unsigned long long ull = _strtoui64("ffffffffffffffff", &end, 16);
  printf("_strtoi64: %lld  _strtoui64: %llx\n", ll, ull);
  double d = strtod("  3.5e2xyz", &end);
  printf("strtod: %.17g rest=[%s]\n", d, end);
  d = strtod("-.125", &end);
  printf("strtod: %.17g\n", d);
  d = strtod("0.1", &end);
  printf("strtod 0.1: %.17g\n", d);
  d = strtod("1e400", &end);
  printf("strtod huge: errno=%d %s\n", errno, d > 1e308 ? "inf" : "finite");
  d = strtod("nothing", &end);
  printf("strtod none: %g consumed=%d\n", d, (int)(end - "nothing"));
  printf("atof: %.6f\n", atof("2.718281828"));
  char num[40];
  printf("_itoa: %s ", _itoa(-255, num, 16));
  printf("%s ", _itoa(255, num, 2));
  printf("_ltoa: %s ", _ltoa(123456, num, 10));
  printf("_ui64toa: %s\n", _ui64toa(18446744073709551615ULL, num, 10));
  printf("strerror(ENOENT): %s\n", strerror(ENOENT));
  return 0;
}

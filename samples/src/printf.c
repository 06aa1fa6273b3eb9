/* printf: msvcrt's printf family. Sections can be picked by name on the
   command line; with no argument every section runs except "hexfloat" (%a)
   and "zu" (%zu), whose behaviour on Windows' msvcrt.dll is not verified
   (see WINDOWS-VS-WINE.md). msvcrt.dll prints three exponent digits
   (1.0e+000) and spells infinities and NaNs 1.#INF00, 1.#QNAN0, -1.#IND00. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <math.h>

static void integers(void) {
  printf("[integers]\n");
  printf("|%d|%i|%u|%x|%X|%o|\n", 42, -42, 3000000000u, 0xbeefu, 0xbeefu, 8u);
  printf("|%5d|%-5d|%05d|%+d|% d|%+05d|\n", 42, 42, 42, 42, 42, -42);
  printf("|%.3d|%8.3d|%-8.3d|%.0d|%#x|%#o|%#X|\n", 7, 7, -7, 0, 255u, 8u, 255u);
  printf("|%hd|%hu|%hhd|%ld|%lu|\n", (short)-2, (unsigned short)65535, (signed char)-3, -2147483647L - 1, 4294967295UL);
  printf("|%I64d|%I64u|%I64x|%lld|%llu|%llx|\n", -9223372036854775807LL - 1, 18446744073709551615ULL,
         0x123456789abcdefULL, 1234567890123LL, 9876543210ULL, 0xfedcba9876543210ULL);
  printf("|%Id|%Iu|%I32d|%I32x|\n", (long long)-5, (unsigned long long)5, -1, 0xffffffffu);
  printf("|%*d|%-*d|%.*d|%*.*d|\n", 6, 1, 6, 2, 4, 3, 7, 5, 4);
  printf("|%c|%3c|%-3c|%%|\n", 'A', 'b', 'c');
}

static void strings(void) {
  printf("[strings]\n");
  printf("|%s|%10s|%-10s|%.3s|%10.2s|\n", "hello", "right", "left", "truncate", "ab");
  printf("|%ls|%5ls|%-6ls|%.2ls|\n", L"wide", L"w", L"ws", L"wxyz");
  printf("|%S|\n", L"capital S is wide in printf");
  printf("|%hs|%ws|\n", "h-narrow", L"w-wide");
  printf("|%s|\n", (char *)0);
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%s-%d", "snprintf", 12345);
  printf("snprintf -> %d \"%s\"\n", n, buf);
  n = _snprintf(buf, 8, "%s", "0123456789abc");
  buf[8] = 0;
  printf("_snprintf overflow -> %d \"%s\"\n", n, buf);
  n = sprintf(buf, "%08.3f|%x", 3.14159, 0xabcu);
  printf("sprintf -> %d \"%s\"\n", n, buf);
}

static void floats(void) {
  printf("[floats]\n");
  printf("|%f|%.0f|%.1f|%.10f|%10.3f|%-10.3f|%+.2f|%010.2f|\n", 3.14159265358979, 2.5, 0.05, 1.0 / 3, -2.5, 2.5, 1.0, -3.75);
  printf("|%f|%f|%f|%.2f|%.3f|\n", 0.0, -0.0, 1e20, 123456789.125, 0.0005);
  printf("|%.17g|%.15g|%g|%g|%g|%G|\n", 0.1, 2.0 / 3, 100000.0, 1234567.0, 0.0001, 0.00001234);
  printf("|%#g|%#.3g|%#.0f|%#x|\n", 1.0, 2.0, 3.0, 0u);
  printf("|%.3g|%.10g|%g|%g|\n", 1234.5678, 1.0 / 7, 1e-5 * 3, 5e300);
  printf("|%5.1f|%-8.2f|%08.3f|% f|\n", 9.96, 1.005, -1.5, 2.0);
  printf("|%.*f|%*.*f|\n", 2, 1.23456, 9, 4, 6.02214076);
}

static void pointers_and_n(void) {
  printf("[pointers]\n");
  printf("|%p|%p|\n", (void *)0x1234, (void *)0xdeadbeefcafeULL);
  int count1 = 0, count2 = 0;
  printf("abc%ndefgh%n|\n", &count1, &count2);
  printf("counts %d %d\n", count1, count2);
}

static void exponents(void) {
  printf("[exp]\n");
  printf("|%e|%E|%.2e|%12.4e|%-12.1e|%+e|\n", 12345.678, 0.000123, 1.0, -98765.4321, 5.5, 0.0);
  printf("|%g|%g|%G|%.3e|%e|\n", 1e-10, 1.5e100, 2.5e-300, 1e300, 123.0);
}

static void special(void) {
  volatile double zero = 0.0;
  double inf = 1.0 / zero, ninf = -1.0 / zero, ind = zero / zero;
  double qnan = NAN;
  printf("[special]\n");
  printf("|%f|%f|%f|%f|\n", inf, ninf, qnan, ind);
  printf("|%e|%e|\n", inf, qnan);
  printf("|%g|%g|%g|%g|\n", inf, ninf, qnan, ind);
}

static void hexfloat(void) {
  printf("[hexfloat]\n");
  printf("|%a|%a|%A|%.2a|\n", 1.0, -0.5, 255.5, 3.14159);
}

static void zu(void) {
  printf("[zu]\n");
  printf("|%zu|%zd|\n", (size_t)123456789012ULL, (size_t)-1);
}

struct section { const char *name; void (*run)(void); int portable; };
static const struct section sections[] = {
  {"integers", integers, 1}, {"strings", strings, 1}, {"floats", floats, 1},
  {"pointers", pointers_and_n, 1}, {"exp", exponents, 1}, {"special", special, 1},
  {"hexfloat", hexfloat, 0}, {"zu", zu, 0},
};

int main(int argc, char **argv) {
  int count = (int)(sizeof sections / sizeof sections[0]);
  for (int i = 0; i < count; i++) {
    int wanted = argc < 2 ? sections[i].portable : 0;
    for (int a = 1; a < argc; a++)
      if (strcmp(argv[a], sections[i].name) == 0) wanted = 1;
    if (wanted) sections[i].run();
  }
  int n = printf("done\n");
  printf("printf returned %d\n", n);
  fprintf(stderr, "stderr line\n");
  return 0;
}

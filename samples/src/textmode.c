/* textmode: msvcrt stdio text-mode details beyond fileio: ftell at every line
   while reading CR LF text, fseek back to a remembered ftell position, a CR LF
   pair split across the 4096-byte read buffer, lone CRs, Ctrl-Z in the middle
   of a file (and reading past it in binary mode), fread counts in text mode,
   ungetc and ftell, "a+" (append) writes in text mode, and fgetc/feof at the
   end. Creates and removes one file in the current directory. */
#include <stdio.h>
#include <string.h>

static const char *path = "wexe_textmode.tmp";

static void write_raw(const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  fwrite(data, 1, n, f);
  fclose(f);
}

static void show(const char *label, const char *s) {
  printf("%s [", label);
  for (; *s; s++) {
    if (*s == '\r') printf("\\r");
    else if (*s == '\n') printf("\\n");
    else if ((unsigned char)*s < 32) printf("\\x%02x", (unsigned char)*s);
    else putchar(*s);
  }
  printf("]\n");
}

int main(void) {
  char line[64];

  /* ftell after every fgets over CR LF lines. */
  write_raw("one\r\ntwo\r\n\r\nthree\rfour\r\nlast", 29);
  FILE *f = fopen(path, "r");
  long marks[8];
  int n = 0;
  marks[n] = ftell(f);
  while (fgets(line, sizeof line, f)) {
    show("line", line);
    marks[++n] = ftell(f);
    printf("  ftell=%ld\n", marks[n]);
  }
  printf("lines=%d feof=%d\n", n, feof(f) != 0);
  /* Back to the third line's start and read again. */
  printf("fseek(marks[2])=%d\n", fseek(f, marks[2], SEEK_SET));
  fgets(line, sizeof line, f);
  show("again", line);
  printf("ftell=%ld\n", ftell(f));
  /* ungetc moves ftell back by one. */
  int c = fgetc(f);
  printf("fgetc=%d ftell=%ld\n", c, ftell(f));
  ungetc(c, f);
  printf("after ungetc ftell=%ld\n", ftell(f));
  fclose(f);

  /* A CR LF pair split across the 4096-byte buffer: 4095 'x', CR, LF, 'y'. */
  static char big[5000];
  memset(big, 'x', 4095);
  big[4095] = '\r'; big[4096] = '\n'; big[4097] = 'y';
  write_raw(big, 4098);
  f = fopen(path, "r");
  static char got[5000];
  size_t r = fread(got, 1, sizeof got, f);
  printf("split: fread=%u last3=%d,%d,%d feof=%d\n", (unsigned)r, got[r - 3], got[r - 2], got[r - 1], feof(f) != 0);
  fclose(f);

  /* Lone CRs and CR CR LF. */
  write_raw("a\rb\r\r\nc\r", 8);
  f = fopen(path, "r");
  r = fread(got, 1, sizeof got, f);
  got[r] = 0;
  printf("lone CR: fread=%u ", (unsigned)r);
  show("", got);
  fclose(f);

  /* Ctrl-Z in the middle ends a text-mode read; binary mode reads past it. */
  write_raw("abc\x1a" "def\r\n", 9);
  f = fopen(path, "r");
  r = fread(got, 1, sizeof got, f);
  printf("ctrl-z text: fread=%u feof=%d ftell=%ld\n", (unsigned)r, feof(f) != 0, ftell(f));
  clearerr(f);
  printf("fgetc after clearerr=%d\n", fgetc(f));
  fclose(f);
  f = fopen(path, "rb");
  r = fread(got, 1, sizeof got, f);
  printf("ctrl-z binary: fread=%u\n", (unsigned)r);
  fclose(f);

  /* fread counts elements of size 2 in text mode: 5 bytes after translation. */
  write_raw("ab\r\ncd\r\n", 8);
  f = fopen(path, "r");
  r = fread(got, 2, 10, f);
  printf("fread size 2: %u elements\n", (unsigned)r);
  fclose(f);

  /* Text-mode writes: "w" then "a+" appends, then ftell and raw bytes. */
  f = fopen(path, "w");
  fputs("x\ny\n", f);
  printf("w ftell=%ld\n", ftell(f));
  fclose(f);
  f = fopen(path, "a+");
  fputs("z\n", f);
  printf("a+ ftell=%ld\n", ftell(f));
  fseek(f, 0, SEEK_SET);
  r = fread(got, 1, sizeof got, f);
  got[r] = 0;
  printf("a+ reread %u: ", (unsigned)r);
  show("", got);
  fclose(f);
  f = fopen(path, "rb");
  r = fread(got, 1, sizeof got, f);
  printf("raw:");
  for (size_t i = 0; i < r; i++) printf(" %02x", (unsigned char)got[i]);
  printf("\n");
  printf("fgetc at end=%d feof=%d\n", fgetc(f), feof(f) != 0);
  fclose(f);

  printf("remove=%d\n", remove(path));
  return 0;
}

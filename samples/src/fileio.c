/* fileio: stdio files in text mode (CRLF translation, Ctrl-Z as end of file)
   and binary mode, fseek/ftell, fgets/fputs/fprintf/fscanf, ungetc, append,
   rename and remove, and errno for a missing file. Files are created in the
   current directory and removed at the end. */
#include <stdio.h>
#include <string.h>
#include <errno.h>

static void dump_raw(const char *path) {
  FILE *f = fopen(path, "rb");
  unsigned char buf[256];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  printf("raw %u bytes:", (unsigned)n);
  for (size_t i = 0; i < n; i++) printf(" %02x", buf[i]);
  printf("\n");
}

int main(void) {
  const char *text = "wexe_fileio_text.tmp", *bin = "wexe_fileio_bin.tmp", *moved = "wexe_fileio_moved.tmp";
  remove(text); remove(bin); remove(moved);

  FILE *f = fopen(text, "w");
  fprintf(f, "first line\nsecond %d\n", 2);
  fputs("third\n", f);
  fputc('X', f);
  fputc('\n', f);
  printf("text ftell after writing: %ld\n", ftell(f));
  fclose(f);
  dump_raw(text);

  f = fopen(text, "r");
  char line[64];
  int no = 0;
  while (fgets(line, sizeof line, f)) printf("fgets %d: len=%u [%.*s]\n", ++no, (unsigned)strlen(line), (int)strcspn(line, "\n"), line);
  printf("feof=%d ferror=%d\n", feof(f) != 0, ferror(f) != 0);
  rewind(f);
  int c1 = fgetc(f);
  ungetc('Q', f);
  int c2 = fgetc(f);
  printf("fgetc=%c after ungetc=%c\n", c1, c2);
  fseek(f, 0, SEEK_END);
  printf("text size via fseek/ftell: %ld\n", ftell(f));
  fclose(f);

  f = fopen(text, "a");
  fprintf(f, "appended %s\n", "line");
  fclose(f);
  f = fopen(text, "r");
  char word[32]; int num = 0;
  int r = fscanf(f, "%s %s", word, line);
  printf("fscanf r=%d [%s] [%s]\n", r, word, line);
  r = fscanf(f, "%s %d", word, &num);
  printf("fscanf r=%d [%s] %d\n", r, word, num);
  fclose(f);

  /* Text-mode reads: a lone CR stays, CRLF becomes LF, Ctrl-Z ends the file. */
  f = fopen(bin, "wb");
  fwrite("a\r\nb\rc\n\x1a" "after ctrl-z\n", 1, 20, f);
  fclose(f);
  f = fopen(bin, "r");
  printf("text read:");
  int ch;
  while ((ch = fgetc(f)) != EOF) printf(" %02x", ch);
  printf(" <EOF>\n");
  fclose(f);
  f = fopen(bin, "rb");
  printf("binary read:");
  while ((ch = fgetc(f)) != EOF) printf(" %02x", ch);
  printf(" <EOF>\n");
  fclose(f);

  /* Binary records with fseek/ftell. */
  f = fopen(bin, "w+b");
  for (int i = 0; i < 100; i++) { int rec[2] = {i, i * i}; fwrite(rec, sizeof rec, 1, f); }
  printf("binary size: %ld\n", ftell(f));
  fseek(f, 8 * 42, SEEK_SET);
  int rec[2];
  size_t got = fread(rec, sizeof rec, 1, f);
  printf("record 42: got=%u %d %d pos=%ld\n", (unsigned)got, rec[0], rec[1], ftell(f));
  fseek(f, -8, SEEK_END);
  got = fread(rec, sizeof rec, 1, f);
  printf("last record: %d %d\n", rec[0], rec[1]);
  got = fread(rec, sizeof rec, 1, f);
  printf("read past end: got=%u feof=%d\n", (unsigned)got, feof(f) != 0);
  fseek(f, 8, SEEK_SET);
  int patch[2] = {-1, -2};
  fwrite(patch, sizeof patch, 1, f);
  fseek(f, -16, SEEK_CUR);
  fread(rec, sizeof rec, 1, f);
  printf("after patch, record 0: %d %d\n", rec[0], rec[1]);
  fread(rec, sizeof rec, 1, f);
  printf("after patch, record 1: %d %d\n", rec[0], rec[1]);
  fclose(f);

  printf("rename: %d\n", rename(bin, moved));
  errno = 0;
  f = fopen(bin, "rb");
  printf("open renamed-away file: %s errno=%d (ENOENT=%d)\n", f ? "opened" : "NULL", errno, ENOENT);
  f = fopen(moved, "rb");
  fseek(f, 0, SEEK_END);
  printf("moved file size: %ld\n", ftell(f));
  fclose(f);
  printf("remove: %d %d\n", remove(moved), remove(text));
  errno = 0;
  int removed = remove(moved);
  printf("remove missing: %d errno=%d\n", removed, errno);
  return 0;
}

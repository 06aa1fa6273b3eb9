/* stdin: reads standard input. Default mode: line by line with fgets (text
   mode, so CRLF arrives as LF), counting lines, words and characters and
   echoing each line reversed word by word in upper case. "binary": switches
   stdin to _O_BINARY and counts raw bytes, CRs included. "sum": scanf("%d")
   until end of input. */
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <fcntl.h>
#include <io.h>

static int run_lines(void) {
  char line[512];
  int lines = 0, words = 0, chars = 0, longest = 0;
  while (fgets(line, sizeof line, stdin)) {
    size_t len = strlen(line);
    int had_newline = len && line[len - 1] == '\n';
    if (had_newline) line[--len] = 0;
    lines++;
    chars += (int)len;
    if ((int)len > longest) longest = (int)len;
    char *word[64]; int nw = 0;
    for (char *tok = strtok(line, " \t"); tok && nw < 64; tok = strtok(NULL, " \t")) word[nw++] = tok;
    words += nw;
    printf("%3d%c", lines, had_newline ? ':' : '$');
    for (int i = nw - 1; i >= 0; i--) {
      for (char *p = word[i]; *p; p++) *p = (char)toupper((unsigned char)*p);
      printf(" %s", word[i]);
    }
    printf("\n");
  }
  printf("lines=%d words=%d chars=%d longest=%d eof=%d\n", lines, words, chars, longest, feof(stdin) != 0);
  return lines == 0 ? 1 : 0;
}

static int run_binary(void) {
  _setmode(_fileno(stdin), _O_BINARY);
  int counts[256] = {0}, total = 0, c;
  while ((c = getchar()) != EOF) { counts[c]++; total++; }
  printf("bytes=%d CR=%d LF=%d space=%d ctrl-z=%d\n", total, counts['\r'], counts['\n'], counts[' '], counts[0x1a]);
  return 0;
}

static int run_sum(void) {
  long long sum = 0; int n = 0, v, r;
  while ((r = scanf("%d", &v)) == 1) { sum += v; n++; }
  printf("numbers=%d sum=%lld last scanf=%d\n", n, sum, r);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "binary") == 0) return run_binary();
  if (argc > 1 && strcmp(argv[1], "sum") == 0) return run_sum();
  return run_lines();
}

/* stdio2: stdio beyond the basics: perror (stderr), gets on stdin, the wide
   character stream functions on text and binary streams (fgetws, fputws,
   getwc, putwc, fgetwc, ungetwc), _getw/_putw, tmpnam and _tempnam (checked
   for shape only: their names depend on the process), _fsopen/_wfsopen with
   sharing modes, and _popen failing on bad arguments. Files are created in
   the current directory and removed at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <wchar.h>
#include <share.h>
#include <io.h>
#include <direct.h>

static void dump_raw(const char *path) {
  FILE *f = fopen(path, "rb");
  unsigned char buf[128];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  printf("  raw %u bytes:", (unsigned)n);
  for (size_t i = 0; i < n; i++) printf(" %02x", buf[i]);
  printf("\n");
}

int main(void) {
  const char *wt = "wexe_stdio2_wide.tmp", *wb = "wexe_stdio2_wbin.tmp", *iw = "wexe_stdio2_getw.tmp", *sh = "wexe_stdio2_share.tmp";

  /* perror: "<prefix>: <strerror(errno)>\n" on stderr; without prefix just the message. */
  errno = ENOENT;
  perror("perror test");
  errno = EACCES;
  perror(NULL);
  errno = EINVAL;
  perror("");
  printf("perror done\n");

  /* gets: strips the newline; NULL at end of input. */
  char line[128];
  int n = 0;
  while (gets(line)) printf("gets %d: \"%s\" (%u)\n", ++n, line, (unsigned)strlen(line));
  printf("gets at end: feof=%d\n", feof(stdin) != 0);

  /* Wide functions on a text-mode stream: one byte per character in the C locale. */
  FILE *f = fopen(wt, "w");
  printf("fputws: %d\n", fputws(L"wide line\n\xe9t\xe9\n", f));
  printf("putwc: %04x\n", (unsigned)putwc(L'Z', f));
  printf("fputwc: %04x\n", (unsigned)fputwc(L'\n', f));
  errno = 0;
  wint_t bad = fputwc(0x20ac, f);
  printf("fputwc(U+20AC) text: %04x errno=%d\n", (unsigned)bad, errno);
  fclose(f);
  dump_raw(wt);
  f = fopen(wt, "r");
  wchar_t wl[64];
  while (fgetws(wl, 64, f)) {
    printf("  fgetws:");
    for (size_t i = 0; wl[i]; i++) printf(" %04x", (unsigned)wl[i]);
    printf("\n");
  }
  rewind(f);
  wint_t c1 = fgetwc(f), c2 = getwc(f);
  printf("  fgetwc/getwc: %04x %04x\n", (unsigned)c1, (unsigned)c2);
  wint_t pushed = ungetwc(L'Q', f);
  printf("  ungetwc: %04x then %04x\n", (unsigned)pushed, (unsigned)fgetwc(f));
  fgetws(wl, 3, f);
  printf("  fgetws(n=3): %u chars\n", (unsigned)wcslen(wl));
  fclose(f);

  /* Binary streams: wide characters are written and read as two raw bytes. */
  f = fopen(wb, "wb");
  fputws(L"A\n\x20ac", f);
  fputwc(L'z', f);
  fclose(f);
  dump_raw(wb);
  f = fopen(wb, "rb");
  wint_t w;
  printf("  binary fgetwc:");
  while ((w = fgetwc(f)) != WEOF) printf(" %04x", (unsigned)w);
  printf(" (WEOF, feof=%d)\n", feof(f) != 0);
  fclose(f);

  /* _putw/_getw: an int as four bytes, EOF detection through feof. */
  f = fopen(iw, "w+b");
  int p1 = _putw(0x12345678, f);
  int p2 = _putw(-1, f);
  printf("_putw: %d %d ferror=%d\n", p1, p2, ferror(f) != 0);
  rewind(f);
  int a = _getw(f), b = _getw(f), c = _getw(f);
  printf("_getw: %08x %d %d feof=%d\n", a, b, c, feof(f) != 0);
  fclose(f);
  dump_raw(iw);

  /* tmpnam: "\\s" style names relative to the drive root, different each call. */
  char t1[L_tmpnam], t2[L_tmpnam];
  char *r1 = tmpnam(t1), *r2 = tmpnam(t2);
  printf("tmpnam: returns buffer=%d root-relative=%d has dot=%d differ=%d short=%d\n", r1 == t1 && r2 == t2,
         t1[0] == '\\', strchr(t1, '.') != NULL, strcmp(t1, t2) != 0, strlen(t1) < L_tmpnam);
  char *s = tmpnam(NULL);
  printf("tmpnam(NULL): static=%d\n", s != NULL && s != t1 && s[0] == '\\');

  /* _tempnam: TMP (when it exists) wins over the directory argument. */
  _mkdir("wexe_tn");
  _putenv("TMP=C:\\wexe-no-such-dir\\x");
  char *tn = _tempnam("wexe_tn", "pfx");
  printf("_tempnam: in dir with prefix=%d exists=%d\n", tn && strncmp(tn, "wexe_tn\\pfx", 11) == 0, tn && _access(tn, 0) == 0);
  free(tn);
  _rmdir("wexe_tn");

  /* _fsopen: sharing modes are enforced against later opens. */
  f = _fsopen(sh, "w", _SH_DENYWR);
  printf("_fsopen DENYWR: %s\n", f ? "open" : "failed");
  fputs("shared\n", f);
  fflush(f);
  errno = 0;
  FILE *g = fopen(sh, "a");
  printf("  second writer: %s errno=%d\n", g ? "open" : "refused", errno);
  if (g) fclose(g);
  g = _fsopen(sh, "r", _SH_DENYNO);
  printf("  reader: %s\n", g ? "open" : "refused");
  if (g) { fgets(line, sizeof line, g); printf("  read: %s", line); fclose(g); }
  fclose(f);
  f = _wfsopen(L"wexe_stdio2_share.tmp", L"r", _SH_DENYRW);
  printf("_wfsopen DENYRW: %s\n", f ? "open" : "failed");
  errno = 0;
  g = fopen(sh, "r");
  printf("  second reader: %s errno=%d\n", g ? "open" : "refused", errno);
  if (g) fclose(g);
  fclose(f);

  /* _popen with bad arguments. */
  errno = 0;
  FILE *pp = _popen(NULL, "r");
  printf("_popen(NULL): %s\n", pp ? "stream" : "NULL");
  errno = 0;
  pp = _popen("dir", NULL);
  printf("_popen(mode NULL): %s\n", pp ? "stream" : "NULL");

  remove(wt); remove(wb); remove(iw); remove(sh);
  return 0;
}

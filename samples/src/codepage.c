/* codepage: MultiByteToWideChar / WideCharToMultiByte with CP_UTF8 (size
   queries, surrogate pairs, invalid input with and without
   MB_ERR_INVALID_CHARS, too-small buffers) and ASCII through CP_ACP. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void units(const wchar_t *w, int n) {
  for (int i = 0; i < n; i++) printf(" %04x", (unsigned)w[i]);
  printf("\n");
}

int main(void) {
  const char utf8[] = "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";  /* A é € 😀 z */
  int need = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
  wchar_t w[32];
  int got = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, 32);
  printf("utf8->utf16 need=%d got=%d:", need, got);
  units(w, got);
  int bytes = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
  char back[64];
  int wrote = WideCharToMultiByte(CP_UTF8, 0, w, -1, back, sizeof back, NULL, NULL);
  printf("utf16->utf8 need=%d wrote=%d roundtrip=%d\n", bytes, wrote, wrote == (int)sizeof utf8 && memcmp(back, utf8, sizeof utf8) == 0);
  got = MultiByteToWideChar(CP_UTF8, 0, utf8, 3, w, 32);
  printf("explicit length 3 (no terminator): got=%d:", got);
  units(w, got);

  SetLastError(0);
  got = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, 3);
  printf("too small buffer: got=%d lasterror=%lu\n", got, GetLastError());
  const char bad[] = "x\xff" "y\xc3";
  SetLastError(0);
  got = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, bad, -1, w, 32);
  printf("invalid with MB_ERR_INVALID_CHARS: got=%d lasterror=%lu\n", got, GetLastError());
  got = MultiByteToWideChar(CP_UTF8, 0, bad, -1, w, 32);
  printf("invalid replaced: got=%d:", got);
  units(w, got);
  const wchar_t lone[] = {0x61, 0xd800, 0x62, 0};
  wrote = WideCharToMultiByte(CP_UTF8, 0, lone, -1, back, sizeof back, NULL, NULL);
  printf("lone surrogate to utf8: wrote=%d:", wrote);
  for (int i = 0; i < wrote; i++) printf(" %02x", (unsigned char)back[i]);
  printf("\n");

  got = MultiByteToWideChar(CP_ACP, 0, "plain ascii", -1, w, 32);
  printf("CP_ACP ascii: got=%d first=%04x last=%04x\n", got, (unsigned)w[0], (unsigned)w[got - 2]);
  wrote = WideCharToMultiByte(CP_ACP, 0, L"ascii back", -1, back, sizeof back, NULL, NULL);
  printf("CP_ACP back: wrote=%d [%s]\n", wrote, back);
  got = MultiByteToWideChar(CP_UTF8, 0, "", -1, w, 32);
  printf("empty string: got=%d w[0]=%04x\n", got, (unsigned)w[0]);
  SetLastError(0);
  got = MultiByteToWideChar(CP_UTF8, 0, "abc", 0, w, 32);
  printf("zero length: got=%d lasterror=%lu\n", got, GetLastError());
  return 0;
}

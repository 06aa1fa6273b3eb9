// Multibyte <-> wide conversions of msvcrt in its "C" locale (the only locale wexe's CRT
// has): every byte 0x00-0xFF is one character and maps to U+0000-U+00FF; a wide
// character above U+00FF has no multibyte form (EILSEQ). The encoding has no shift
// state, so the mbstate_t arguments are never used.

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { crt, Errno } from './state.js';

const WEOF = 0xffff;
const EOF = -1;
/** (size_t)-1 and (size_t)-2, the restartable functions' error results. */
const SIZE_ERROR = 0xffffffffffffffffn;
const SIZE_INCOMPLETE = 0xfffffffffffffffen;

function mbstowcs(p: Process, dst: number, src: number, n: number): number {
  const m = p.mem;
  if (src === 0) { crt(p).errno = Errno.EINVAL; return -1; }
  if (dst === 0) return m.strlen(src);
  for (let i = 0; i < n; i++) {
    const b = m.read8(src + i);
    m.write16(dst + 2 * i, b);
    if (b === 0) return i;
  }
  return n;
}

/** Returns the byte count, or -1 with EILSEQ (bytes converted before the bad character stay written). */
function wcstombs(p: Process, dst: number, src: number, n: number): number {
  const m = p.mem;
  if (src === 0) { crt(p).errno = Errno.EINVAL; return -1; }
  for (let i = 0; dst === 0 || i < n; i++) {
    const c = m.read16(src + 2 * i);
    if (c > 0xff) { crt(p).errno = Errno.EILSEQ; return -1; }
    if (dst !== 0) m.write8(dst + i, c);
    if (c === 0) return i;
  }
  return n;
}

function mbtowc(p: Process, pwc: number, s: number, n: number): number {
  if (s === 0 || n === 0) return 0;
  const b = p.mem.read8(s);
  if (pwc !== 0) p.mem.write16(pwc, b);
  return b === 0 ? 0 : 1;
}

function wctomb(p: Process, s: number, wc: number): number {
  if (s === 0) return 0;
  if (wc > 0xff) { crt(p).errno = Errno.EILSEQ; return -1; }
  p.mem.write8(s, wc);
  return 1;
}

function mbrtowc(p: Process, pwc: number, s: number, n: bigint): bigint {
  if (s === 0) return 0n;
  if (n === 0n) return SIZE_INCOMPLETE;
  return BigInt(mbtowc(p, pwc, s, 1));
}

function wcrtomb(p: Process, s: number, wc: number): bigint {
  if (s === 0) return 1n;
  return wctomb(p, s, wc) < 0 ? SIZE_ERROR : 1n;
}

/** mbsrtowcs: converts from *srcp, advancing it (NULL once the terminator is converted). */
function mbsrtowcs(p: Process, dst: number, srcp: number, n: number): bigint {
  const m = p.mem;
  const src = m.readPtr(srcp);
  if (src === 0) return 0n;
  if (dst === 0) return BigInt(m.strlen(src));
  for (let i = 0; i < n; i++) {
    const b = m.read8(src + i);
    m.write16(dst + 2 * i, b);
    if (b === 0) { m.writePtr(srcp, 0); return BigInt(i); }
  }
  m.writePtr(srcp, src + n);
  return BigInt(n);
}

function wcsrtombs(p: Process, dst: number, srcp: number, n: number): bigint {
  const m = p.mem;
  const src = m.readPtr(srcp);
  if (src === 0) return 0n;
  for (let i = 0; dst === 0 || i < n; i++) {
    const c = m.read16(src + 2 * i);
    if (c > 0xff) {
      crt(p).errno = Errno.EILSEQ;
      if (dst !== 0) m.writePtr(srcp, src + 2 * i);
      return SIZE_ERROR;
    }
    if (dst !== 0) m.write8(dst + i, c);
    if (c === 0) { if (dst !== 0) m.writePtr(srcp, 0); return BigInt(i); }
  }
  m.writePtr(srcp, src + 2 * n);
  return BigInt(n);
}

const size = (v: number): bigint => (v < 0 ? SIZE_ERROR : BigInt(v));

export const mbcsFunctions = {
  mbstowcs: fn(['ptr', 'ptr', 'u64'], 'u64', (p, d, s, n) => size(mbstowcs(p, d, s, Number(n)))),
  wcstombs: fn(['ptr', 'ptr', 'u64'], 'u64', (p, d, s, n) => size(wcstombs(p, d, s, Number(n)))),
  mbtowc: fn(['ptr', 'ptr', 'u64'], 'i32', (p, pwc, s, n) => mbtowc(p, pwc, s, Number(n))),
  wctomb: fn(['ptr', 'u32'], 'i32', (p, s, wc) => wctomb(p, s, wc & 0xffff)),
  mblen: fn(['ptr', 'u64'], 'i32', (p, s, n) => (s === 0 || n === 0n || p.mem.read8(s) === 0 ? 0 : 1)),
  btowc: fn(['i32'], 'u32', (_p, c) => (c === EOF ? WEOF : c & 0xff)),
  wctob: fn(['u32'], 'i32', (_p, wc) => ((wc & 0xffff) <= 0xff ? wc & 0xff : EOF)),
  mbrtowc: fn(['ptr', 'ptr', 'u64', 'ptr'], 'u64', (p, pwc, s, n) => mbrtowc(p, pwc, s, n)),
  mbrlen: fn(['ptr', 'u64', 'ptr'], 'u64', (p, s, n) => mbrtowc(p, 0, s, n)),
  wcrtomb: fn(['ptr', 'u32', 'ptr'], 'u64', (p, s, wc) => wcrtomb(p, s, wc & 0xffff)),
  mbsrtowcs: fn(['ptr', 'ptr', 'u64', 'ptr'], 'u64', (p, d, sp, n) => mbsrtowcs(p, d, sp, Number(n))),
  wcsrtombs: fn(['ptr', 'ptr', 'u64', 'ptr'], 'u64', (p, d, sp, n) => wcsrtombs(p, d, sp, Number(n))),
  _mbstrlen: fn(['ptr'], 'u64', (p, s) => BigInt(p.mem.strlen(s))),
  _mbstrnlen: fn(['ptr', 'u64'], 'u64', (p, s, n) => BigInt(p.mem.strlen(s, Number(n)))),
  _mbslen: fn(['ptr'], 'u64', (p, s) => BigInt(p.mem.strlen(s))),
};

// The printf family engine of msvcrt.dll (the system DLL that MinGW links against, Windows 10
// behaviour), independent of guest memory: the caller supplies the format as code units and a
// PrintfArgs that fetches vararg slots and reads strings. See README.md for the behaviour table.

import { msvcrtMantissa } from './decimal.js';
import { formatFixed, formatGeneral, formatHex, formatScientific } from './float-format.js';

/** Win64 varargs: every argument occupies one 8-byte slot, doubles as their bit pattern. */
export interface PrintfArgs {
  /** The next vararg slot, raw. Integers, pointers and doubles (as bits) all come through here,
   * so NaN payloads survive (msvcrt prints -1.#IND and 1.#QNAN differently). */
  nextInt(): bigint;
  /** Reads a C string from guest memory: bytes as char codes 0..255 when !wide, UTF-16 units
   * when wide. Stops at the terminator or after maxChars units (printf's precision: msvcrt does
   * not read past it, so unterminated buffers are fine). */
  readString(ptr: bigint, wide: boolean, maxChars?: number): string;
  /** %n: store `value` as a `size`-byte integer (2 with 'h', otherwise 4) at ptr. */
  writeInt(ptr: bigint, size: number, value: number): void;
}

export interface PrintfResult {
  /** The produced output: for a narrow printf, char codes 0..255 (bytes); for a wide printf,
   * UTF-16 code units. When `failed`, the text up to the failing conversion. */
  text: string;
  /** A conversion failed (a %ls character that has no single-byte form in the C locale):
   * msvcrt stops and the function returns -1. */
  failed: boolean;
}

interface Spec {
  left: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  alternate: boolean;
  width: number;
  precision: number; // -1: not given
  short: boolean;
  long: boolean; // 'l': 32-bit integers, wide strings/chars
  int64: boolean;
  wideFlag: boolean; // 'w'
}

const INTEGER_CONVERSIONS = 'diouxX';

function unitsOf(format: Uint8Array | Uint16Array): number[] {
  const units: number[] = [];
  for (const u of format) {
    if (u === 0) break;
    units.push(u);
  }
  return units;
}

/** Formats like msvcrt's vsprintf / vswprintf. `wide` selects the wchar_t flavour (swprintf,
 * wprintf): format units are UTF-16 and %s takes a wide string. */
export function formatPrintf(format: Uint8Array | Uint16Array, args: PrintfArgs, wide: boolean): PrintfResult {
  const f = unitsOf(format);
  const out: string[] = [];
  let length = 0;
  const emit = (s: string) => { out.push(s); length += s.length; };
  const at = (i: number) => (i < f.length ? f[i] : 0);
  const isIntConv = (u: number) => u !== 0 && INTEGER_CONVERSIONS.includes(String.fromCharCode(u));
  const lowInt = () => Number(BigInt.asIntN(32, args.nextInt()));

  let p = 0;
  while (p < f.length) {
    if (f[p] !== 0x25 /* % */) {
      let q = p;
      while (q < f.length && f[q] !== 0x25) q++;
      emit(String.fromCharCode(...f.slice(p, q)));
      p = q;
      continue;
    }
    p++;
    if (at(p) === 0x25) { emit('%'); p++; continue; }

    const spec: Spec = { left: false, plus: false, space: false, zero: false, alternate: false, width: 0, precision: -1, short: false, long: false, int64: false, wideFlag: false };
    for (;; p++) {
      const c = at(p);
      if (c === 0x2b) spec.plus = true;
      else if (c === 0x20) spec.space = true;
      else if (c === 0x2d) spec.left = true;
      else if (c === 0x30) spec.zero = true;
      else if (c === 0x23) spec.alternate = true;
      else break;
    }
    if (at(p) === 0x2a /* * */) {
      p++;
      const w = lowInt();
      if (w < 0) { spec.left = true; spec.width = -w; } else spec.width = w;
    }
    // msvcrt keeps accumulating digits after a '*' width: "%*1d" with 1 has width 11.
    while (at(p) >= 0x30 && at(p) <= 0x39) spec.width = spec.width * 10 + (f[p++] - 0x30);
    if (at(p) === 0x2e /* . */) {
      p++;
      spec.precision = 0;
      if (at(p) === 0x2a) {
        p++;
        const v = lowInt();
        spec.precision = v < 0 ? -1 : v;
      } else {
        while (at(p) >= 0x30 && at(p) <= 0x39) spec.precision = spec.precision * 10 + (f[p++] - 0x30);
      }
    }
    // Size modifiers, in any number and order.
    for (;;) {
      const c = at(p);
      if (c === 0x6c /* l */) {
        if (at(p + 1) === 0x6c) { spec.int64 = true; p += 2; continue; }
        spec.long = true;
      } else if (c === 0x68 /* h */) spec.short = true;
      else if (c === 0x49 /* I */) {
        if (at(p + 1) === 0x36 && at(p + 2) === 0x34) { spec.int64 = true; p += 3; continue; }
        if (at(p + 1) === 0x33 && at(p + 2) === 0x32) { spec.int64 = false; p += 3; continue; }
        if (isIntConv(at(p + 1))) spec.int64 = true; // size_t-sized: 64-bit on Win64
        else break;
      } else if (c === 0x77 /* w */) spec.wideFlag = true;
      else if (c === 0x7a /* z */ || c === 0x74 /* t */) {
        if (isIntConv(at(p + 1))) spec.int64 = true;
        else break;
      } else if (c === 0x6a /* j */) spec.int64 = true;
      else if (c !== 0x4c /* L */ && c !== 0x46 /* F */ && c !== 0x4e /* N */) break;
      p++;
    }

    const conv = String.fromCharCode(at(p));
    if (conv === '\0') break;
    let piece: Piece | null;
    switch (conv) {
      case 'd': case 'i': case 'o': case 'u': case 'x': case 'X':
        piece = integerPiece(conv, spec, args.nextInt());
        break;
      case 'p':
        piece = integerPiece('X', { ...spec, int64: true, short: false, zero: false, precision: 16 }, args.nextInt());
        break;
      case 'e': case 'E': case 'f': case 'g': case 'G': case 'a': case 'A':
        piece = floatPiece(conv, spec, args.nextInt());
        break;
      case 'c': case 'C':
        piece = charPiece(conv, spec, lowInt(), wide);
        break;
      case 's': case 'S': {
        const r = stringPiece(conv, spec, args, wide);
        if (r.failedAfter !== undefined) {
          emit(r.piece.before + r.failedAfter);
          return { text: out.join(''), failed: true };
        }
        piece = r.piece;
        break;
      }
      case 'n':
        args.writeInt(args.nextInt(), spec.short ? 2 : 4, length);
        piece = null;
        break;
      default:
        // Not a conversion: msvcrt drops the '%' and what it parsed, and prints the rest as text.
        continue;
    }
    p++;
    if (piece) emit(layout(piece, spec));
  }
  return { text: out.join(''), failed: false };
}

/** A converted field before padding: sign/prefix go before any zero padding. */
interface Piece {
  sign: string;
  prefix: string;
  body: string;
  zeroPad: boolean;
  before: string; // used only for failure reporting of strings
}

function layout(piece: Piece, spec: Spec): string {
  const core = piece.sign.length + piece.prefix.length + piece.body.length;
  const pad = Math.max(spec.width - core, 0);
  if (spec.left) return piece.sign + piece.prefix + piece.body + ' '.repeat(pad);
  if (piece.zeroPad) return piece.sign + piece.prefix + '0'.repeat(pad) + piece.body;
  return ' '.repeat(pad) + piece.sign + piece.prefix + piece.body;
}

function integerPiece(conv: string, spec: Spec, slot: bigint): Piece {
  const signed = conv === 'd' || conv === 'i';
  let value: bigint;
  if (spec.int64) value = signed ? BigInt.asIntN(64, slot) : BigInt.asUintN(64, slot);
  else if (spec.short) value = signed ? BigInt.asIntN(16, slot) : BigInt.asUintN(16, slot);
  else value = signed ? BigInt.asIntN(32, slot) : BigInt.asUintN(32, slot);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const base = conv === 'o' ? 8 : conv === 'x' || conv === 'X' ? 16 : 10;
  let digits = spec.precision === 0 && magnitude === 0n ? '' : magnitude.toString(base);
  if (conv === 'X') digits = digits.toUpperCase();
  if (spec.precision > digits.length) digits = digits.padStart(spec.precision, '0');
  let prefix = '';
  // '#': 0x for non-zero hex values; octal forces a leading 0 (even for %#.0o of 0).
  if (spec.alternate && base === 16 && magnitude !== 0n) prefix = conv === 'X' ? '0X' : '0x';
  if (spec.alternate && base === 8 && digits[0] !== '0') digits = '0' + digits;
  const sign = !signed ? '' : negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  // A precision turns the 0 flag off (ANSI), as msvcrt does.
  return { sign, prefix, body: digits, zeroPad: spec.zero && spec.precision < 0 && !spec.left, before: '' };
}

function floatPiece(conv: string, spec: Spec, bits: bigint): Piece {
  const negative = (bits >> 63n) !== 0n;
  const sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  const zeroPad = spec.zero && !spec.left;
  const upper = conv === 'E' || conv === 'G' || conv === 'A';
  if (conv === 'a' || conv === 'A') {
    const hex = formatHex(bits, spec.precision, spec.alternate, upper);
    return { sign, prefix: hex.prefix, body: hex.body, zeroPad, before: '' };
  }
  const precision = spec.precision < 0 ? 6 : spec.precision;
  const m = msvcrtMantissa(bits);
  let body: string;
  if (conv === 'f') body = formatFixed(m, precision, spec.alternate);
  else if (conv === 'e' || conv === 'E') body = formatScientific(m, precision, spec.alternate, upper);
  else body = formatGeneral(m, precision, spec.alternate, upper);
  return { sign, prefix: '', body, zeroPad, before: '' };
}

/** %c / %C. A wide character with no single-byte form prints nothing at all, not even padding. */
function charPiece(conv: string, spec: Spec, value: number, wide: boolean): Piece | null {
  let unit: number;
  if (!wide) {
    const wideArg = spec.long || spec.wideFlag || (conv === 'C' && !spec.short);
    if (wideArg) {
      unit = value & 0xffff;
      if (unit > 0xff) return null;
    } else unit = value & 0xff;
  } else {
    const narrowArg = spec.short || (conv === 'C' && !spec.long && !spec.wideFlag);
    unit = narrowArg ? value & 0xff : value & 0xffff;
  }
  return { sign: '', prefix: '', body: String.fromCharCode(unit), zeroPad: spec.zero && !spec.left, before: '' };
}

function stringPiece(conv: string, spec: Spec, args: PrintfArgs, wide: boolean): { piece: Piece; failedAfter?: string } {
  const ptr = args.nextInt();
  let argWide: boolean;
  if (!wide) argWide = spec.long || spec.wideFlag || (conv === 'S' && !spec.short);
  else argWide = !(spec.short || (conv === 'S' && !spec.long && !spec.wideFlag));
  const max = spec.precision >= 0 ? spec.precision : undefined;
  let text = ptr === 0n ? '(null)' : args.readString(ptr, argWide, max);
  if (max !== undefined && text.length > max) text = text.slice(0, max);
  const piece: Piece = { sign: '', prefix: '', body: text, zeroPad: spec.zero && !spec.left, before: '' };
  if (!wide && argWide) {
    // wctomb in the C locale: only U+0000..U+00FF have a single-byte form. msvcrt writes the
    // characters before the bad one and the call returns -1.
    let badUnit = 0;
    while (badUnit < text.length && text.charCodeAt(badUnit) <= 0xff) badUnit++;
    if (badUnit < text.length) {
      const padded = layout(piece, spec);
      const start = spec.left ? 0 : padded.length - text.length;
      return { piece: { ...piece, before: padded.slice(0, start) }, failedAfter: text.slice(0, badUnit) };
    }
  }
  return { piece };
}

/** _snprintf / _vsnprintf / _snwprintf semantics of msvcrt.dll (there is no C99 snprintf in
 * msvcrt.dll): given the full output and the buffer size in units, what to store and return.
 * Fits with room to spare: text plus terminator, returns the length. Exactly fills the buffer:
 * no terminator, returns the length. Longer: the first `count` units, no terminator, returns -1. */
export function snprintfTruncate(result: PrintfResult, count: number): { store: string; terminate: boolean; returns: number } {
  if (result.failed) return { store: result.text.slice(0, count), terminate: result.text.length < count, returns: -1 };
  const len = result.text.length;
  if (len < count) return { store: result.text, terminate: true, returns: len };
  if (len === count) return { store: result.text, terminate: false, returns: len };
  return { store: result.text.slice(0, count), terminate: false, returns: -1 };
}

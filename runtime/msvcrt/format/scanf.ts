// The scanf family engine of msvcrt.dll (sscanf, fscanf, scanf, swscanf ...), independent of
// guest memory and of where the characters come from. See README.md for the behaviour table.

import { isCSpace, digitValue } from './ctype.js';
import { scanDecimal, decimalValue } from './strtod.js';

/** The character source: a string or a FILE stream. peek() looks at the next unit without
 * consuming it (ungetc-style lookahead of one), next() consumes it. Both return -1 at EOF.
 * Narrow input yields bytes 0..255, wide input UTF-16 units. */
export interface ScanInput {
  peek(): number;
  next(): number;
}

/** How a conversion stores its value. 'str'/'wstr' write the characters and a terminator;
 * 'char'/'wchar' (%c) write the characters only. Integers arrive as bigint (already reduced to
 * the store size), floats as numbers (f32 values already rounded to single precision), strings
 * as JS strings of bytes (narrow) or UTF-16 units (wide). */
export type ScanStoreKind = 'i16' | 'i32' | 'i64' | 'f32' | 'f64' | 'str' | 'wstr' | 'char' | 'wchar';

export interface ScanOutput {
  /** The next vararg slot: the pointer the next non-suppressed conversion stores through. */
  nextPtr(): bigint;
  store(ptr: bigint, kind: ScanStoreKind, value: number | bigint | string): void;
}

export const SCAN_EOF = -1;

interface Modifiers {
  suppress: boolean;
  width: number; // -1: none
  h: number;
  l: boolean;
  int64: boolean;
  w: boolean;
  L: boolean;
}

class Reader {
  consumed = 0;
  /** Count of consumed characters that were not white space (to tell an empty item). */
  private nonSpace = 0;
  constructor(private input: ScanInput) {}
  itemChars(since: number): number { return this.nonSpace - since; }
  mark(): number { return this.nonSpace; }
  peek(): number { return this.input.peek(); }
  next(): number {
    const c = this.input.next();
    if (c >= 0) { this.consumed++; if (!isCSpace(c)) this.nonSpace++; }
    return c;
  }
  skipSpace(): void { while (isSpaceUnit(this.peek())) this.next(); }
}

function isSpaceUnit(c: number): boolean {
  return c >= 0 && isCSpace(c);
}

/** Runs the scan. Returns the number of assigned fields, or -1 (EOF) when the input ended
 * before the first conversion succeeded (msvcrt: an empty input returns EOF at once). */
export function scanFormat(format: Uint8Array | Uint16Array, input: ScanInput, out: ScanOutput, wide: boolean): number {
  const f: number[] = [];
  for (const u of format) { if (u === 0) break; f.push(u); }
  if (f.length === 0) return 0;
  const r = new Reader(input);
  if (r.peek() < 0) return SCAN_EOF;

  let assigned = 0;
  let converted = false;
  let p = 0;
  const at = (i: number) => (i < f.length ? f[i] : 0);

  // EOF only when the input ran out before the first conversion and the failing directive
  // found nothing but white space ("-" or "0x" are matching failures and return 0).
  let itemStart = 0;
  const finish = () => (assigned === 0 && !converted && r.peek() < 0 && r.itemChars(itemStart) === 0 ? SCAN_EOF : assigned);

  while (p < f.length) {
    const c = f[p];
    if (isCSpace(c)) {
      r.skipSpace();
      p++;
      continue;
    }
    itemStart = r.mark();
    if (c !== 0x25) {
      if (r.peek() !== c) return finish();
      r.next();
      p++;
      continue;
    }
    p++;
    const mod: Modifiers = { suppress: false, width: 0, h: 0, l: false, int64: false, w: false, L: false };
    if (at(p) === 0x2a) { mod.suppress = true; p++; }
    for (let done = false; !done;) {
      while (at(p) >= 0x30 && at(p) <= 0x39) mod.width = mod.width * 10 + (f[p++] - 0x30);
      switch (at(p)) {
        case 0x68: mod.h++; break; // h
        case 0x6c: // l, ll
          if (at(p + 1) === 0x6c) { mod.int64 = true; p++; }
          mod.l = true;
          break;
        case 0x77: mod.w = true; break; // w
        case 0x4c: mod.L = true; break; // L
        case 0x49: // I64, I32, I (pointer-sized)
          if (at(p + 1) === 0x36 && at(p + 2) === 0x34) { mod.int64 = true; p += 2; } else if (at(p + 1) === 0x33 && at(p + 2) === 0x32) p += 2;
          else mod.int64 = true;
          break;
        case 0x7a: case 0x6a: case 0x74: mod.int64 = true; break; // z j t (Windows 10 1709 and later)
        default: done = true; continue;
      }
      p++;
    }
    if (mod.width === 0) mod.width = -1;
    const conv = at(p);
    const ok = convert(String.fromCharCode(conv), mod, r, out, wide, f, p, (np) => { p = np; });
    if (!ok) return finish();
    converted = true;
    if (ok === 'assigned') assigned++;
    p++;
  }
  return assigned;
}

type Outcome = false | 'assigned' | 'matched';

function convert(conv: string, mod: Modifiers, r: Reader, out: ScanOutput, wide: boolean, f: number[], p: number, setP: (p: number) => void): Outcome {
  let budget = mod.width;
  const take = () => { if (budget > 0) budget--; return r.next(); };
  const room = () => budget !== 0;
  const result = (kind: ScanStoreKind, value: number | bigint | string): Outcome => {
    if (mod.suppress) return 'matched';
    out.store(out.nextPtr(), kind, value);
    return 'assigned';
  };

  switch (conv) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'p': case 'P': {
      let base = conv === 'o' ? 8 : conv === 'd' || conv === 'u' ? 10 : conv === 'i' ? 0 : 16;
      const pointer = conv === 'p' || conv === 'P';
      r.skipSpace();
      let negative = false;
      let seen = false;
      if (r.peek() === 0x2d || r.peek() === 0x2b) negative = take() === 0x2d;
      if (room() && r.peek() === 0x30 && !pointer) {
        take();
        seen = true;
        if (room() && (r.peek() === 0x78 || r.peek() === 0x58)) {
          if (base === 0) base = 16;
          if (base === 16) { take(); seen = false; }
        } else if (base === 0) base = 8;
      }
      if (base === 0) base = 10;
      let value = 0n;
      while (room() && r.peek() >= 0 && digitValue(r.peek()) < base) {
        value = BigInt.asUintN(64, value * BigInt(base) + BigInt(digitValue(take())));
        seen = true;
      }
      if (!seen) return false;
      if (negative) value = BigInt.asUintN(64, -value);
      if (pointer || mod.int64) return result('i64', value);
      if (mod.l || mod.h !== 1) return result('i32', BigInt.asUintN(32, value));
      return result('i16', BigInt.asUintN(16, value));
    }
    case 'e': case 'E': case 'f': case 'g': case 'G': {
      r.skipSpace();
      // Collect what the CRT collects: sign, digits, point, digits, and an exponent part only
      // after a digit. Every collected character is consumed even if the number is incomplete.
      let text = '';
      const isDigitNext = () => r.peek() >= 0x30 && r.peek() <= 0x39;
      if (room() && (r.peek() === 0x2d || r.peek() === 0x2b)) text += String.fromCharCode(take());
      let digits = 0;
      while (room() && isDigitNext()) { text += String.fromCharCode(take()); digits++; }
      if (room() && r.peek() === 0x2e) {
        text += String.fromCharCode(take());
        while (room() && isDigitNext()) { text += String.fromCharCode(take()); digits++; }
      }
      if (digits > 0 && room() && (r.peek() === 0x65 || r.peek() === 0x45)) {
        text += String.fromCharCode(take());
        if (room() && (r.peek() === 0x2d || r.peek() === 0x2b)) text += String.fromCharCode(take());
        while (room() && isDigitNext()) text += String.fromCharCode(take());
      }
      const scanned = digits > 0 ? scanDecimal(text, 0, false) : null;
      if (!scanned) return false;
      const value = decimalValue(scanned).value;
      return mod.l || mod.L ? result('f64', value) : result('f32', Math.fround(value));
    }
    case 's': case 'S': {
      const wideStore = mod.w || mod.l ? true : mod.h ? false : (conv === 's') === wide;
      r.skipSpace();
      let text = '';
      while (room() && r.peek() >= 0 && !isSpaceUnit(r.peek())) text += String.fromCharCode(take());
      if (text.length === 0) return false;
      return result(wideStore ? 'wstr' : 'str', wideStore ? text : narrowText(text));
    }
    case 'c': case 'C': {
      const wideStore = mod.w || mod.l ? true : mod.h ? false : (conv === 'c') === wide;
      if (budget < 0) budget = 1;
      let text = '';
      while (budget > 0 && r.peek() >= 0) text += String.fromCharCode(take());
      if (text.length === 0) return false;
      return result(wideStore ? 'wchar' : 'char', wideStore ? text : narrowText(text));
    }
    case '[': {
      const wideStore = mod.w || mod.l ? true : mod.h ? false : wide;
      let q = p + 1;
      let invert = false;
      if (f[q] === 0x5e) { invert = true; q++; }
      const members = new Set<number>();
      const ranges: [number, number][] = [];
      if (f[q] === 0x5d) { members.add(0x5d); q++; }
      while (q < f.length && f[q] !== 0x5d) {
        if (f[q + 1] === 0x2d && q + 2 < f.length && f[q + 2] !== 0x5d) {
          ranges.push([Math.min(f[q], f[q + 2]), Math.max(f[q], f[q + 2])]);
          q += 3;
        } else members.add(f[q++]);
      }
      setP(q); // the closing ']' (or the end of the format)
      const inSet = (ch: number) => members.has(ch) || ranges.some(([a, b]) => ch >= a && ch <= b);
      let text = '';
      while (room() && r.peek() >= 0 && inSet(r.peek()) !== invert) text += String.fromCharCode(take());
      if (text.length === 0) return false;
      return result(wideStore ? 'wstr' : 'str', wideStore ? text : narrowText(text));
    }
    case 'n':
      if (!mod.suppress) out.store(out.nextPtr(), mod.h === 1 ? 'i16' : 'i32', BigInt(r.consumed));
      return 'matched';
    default: {
      // '%%' and '%' followed by a non-conversion character match that character literally,
      // after skipping white space in the input.
      if (conv === '\0') return false;
      r.skipSpace();
      if (r.peek() !== conv.charCodeAt(0)) return false;
      r.next();
      return 'matched';
    }
  }
}

/** Wide input stored into a char buffer: the C locale has single bytes only for U+0000..U+00FF. */
function narrowText(text: string): string {
  let outText = '';
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    outText += u > 0xff ? '?' : text[i];
  }
  return outText;
}

// Text conversions between the guest's code pages and JavaScript strings.
// The ANSI code page is Windows-1252 (what Windows and Wine use for en-US); the OEM
// code page (console) is 437 on Windows, but console output bytes pass through
// untouched, so only 1252, UTF-8 and UTF-16 need tables.

export const CP_ACP = 0;
export const CP_OEMCP = 1;
export const CP_UTF8 = 65001;
export const ANSI_CODE_PAGE = 1252;

// Windows-1252 differs from Latin-1 only in 0x80..0x9F.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];
const CP1252_REVERSE = new Map<number, number>(CP1252_HIGH.map((u, i) => [u, 0x80 + i]));

export function cp1252Decode(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : b);
  return s;
}

/** Encodes to 1252; characters with no mapping become '?', as WideCharToMultiByte's default. */
export function cp1252Encode(s: string): { bytes: Uint8Array; lossy: boolean } {
  const out = new Uint8Array(s.length);
  let lossy = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80 || (c >= 0xa0 && c < 0x100)) out[i] = c;
    else {
      const m = CP1252_REVERSE.get(c);
      if (m !== undefined) out[i] = m;
      else if (c >= 0x80 && c < 0xa0 && [0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(c)) out[i] = c;
      else { out[i] = 0x3f; lossy = true; }
    }
  }
  return { bytes: out, lossy };
}

export function utf8Decode(bytes: Uint8Array): string { return new TextDecoder('utf-8').decode(bytes); }
export function utf8Encode(s: string): Uint8Array { return new TextEncoder().encode(s); }

export function decodeCodePage(cp: number, bytes: Uint8Array): string {
  if (cp === CP_UTF8) return utf8Decode(bytes);
  return cp1252Decode(bytes);
}

export function encodeCodePage(cp: number, s: string): { bytes: Uint8Array; lossy: boolean } {
  if (cp === CP_UTF8) return { bytes: utf8Encode(s), lossy: false };
  return cp1252Encode(s);
}

/** A JS string to UTF-16LE bytes. */
export function utf16Bytes(s: string): Uint8Array {
  const out = new Uint8Array(2 * s.length);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < s.length; i++) dv.setUint16(2 * i, s.charCodeAt(i), true);
  return out;
}

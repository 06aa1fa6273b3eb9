// KERNEL32 code page conversions and string helpers.

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { Win32Error } from './errors.js';
import { ANSI_CODE_PAGE, CP_UTF8, decodeCodePage, encodeCodePage } from '../text.js';

const MB_ERR_INVALID_CHARS = 0x8;

function knownCodePage(cp: number): boolean {
  return cp === 0 || cp === 1 || cp === 2 || cp === 3 || cp === ANSI_CODE_PAGE || cp === 437 || cp === 20127 || cp === 28591 || cp === CP_UTF8;
}

function multiByteToWideChar(p: Process, cp: number, flags: number, src: number, srcLen: number, dst: number, dstLen: number): number {
  if (!knownCodePage(cp) || src === 0 || srcLen === 0 || dstLen < 0) { p.lastError = Win32Error.INVALID_PARAMETER; return 0; }
  const n = srcLen < 0 ? p.mem.strlen(src) + 1 : srcLen;
  const bytes = p.mem.readBytes(src, n);
  if (cp === CP_UTF8 && (flags & MB_ERR_INVALID_CHARS)) {
    try { new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { p.lastError = Win32Error.NO_UNICODE_TRANSLATION; return 0; }
  }
  const s = decodeCodePage(cp === CP_UTF8 ? CP_UTF8 : ANSI_CODE_PAGE, bytes);
  if (dstLen === 0) return s.length;
  // Too small: Windows fills the buffer with what fits, then fails.
  for (let i = 0; i < Math.min(s.length, dstLen); i++) p.mem.write16(dst + 2 * i, s.charCodeAt(i));
  if (dstLen < s.length) { p.lastError = Win32Error.INSUFFICIENT_BUFFER; return 0; }
  return s.length;
}

function wideCharToMultiByte(p: Process, cp: number, _flags: number, src: number, srcLen: number, dst: number, dstLen: number, defChar: number, usedDef: number): number {
  if (!knownCodePage(cp) || src === 0 || srcLen === 0 || dstLen < 0) { p.lastError = Win32Error.INVALID_PARAMETER; return 0; }
  const units = srcLen < 0 ? p.mem.wcslen(src) + 1 : srcLen;
  let s = '';
  for (let i = 0; i < units; i++) s += String.fromCharCode(p.mem.read16(src + 2 * i));
  const enc = encodeCodePage(cp === CP_UTF8 ? CP_UTF8 : ANSI_CODE_PAGE, s);
  let bytes = enc.bytes;
  if (enc.lossy && defChar && cp !== CP_UTF8) {
    const d = p.mem.read8(defChar);
    bytes = bytes.map((b, i) => (b === 0x3f && s[i] !== '?' ? d : b));
  }
  if (usedDef) p.mem.write32(usedDef, enc.lossy ? 1 : 0);
  if (dstLen === 0) return bytes.length;
  // Too small: Windows fills the buffer with what fits, then fails.
  p.mem.writeBytes(dst, bytes.subarray(0, dstLen));
  if (dstLen < bytes.length) { p.lastError = Win32Error.INSUFFICIENT_BUFFER; return 0; }
  return bytes.length;
}

export const stringFunctions = {
  MultiByteToWideChar: fn(['u32', 'u32', 'ptr', 'i32', 'ptr', 'i32'], 'i32', (p, cp, flags, src, srcLen, dst, dstLen) =>
    multiByteToWideChar(p, cp, flags, src, srcLen, dst, dstLen)),
  WideCharToMultiByte: fn(['u32', 'u32', 'ptr', 'i32', 'ptr', 'i32', 'ptr', 'ptr'], 'i32', (p, cp, flags, src, srcLen, dst, dstLen, def, used) =>
    wideCharToMultiByte(p, cp, flags, src, srcLen, dst, dstLen, def, used)),
  GetACP: fn([], 'u32', () => ANSI_CODE_PAGE),
  GetOEMCP: fn([], 'u32', () => 437),
  IsValidCodePage: fn(['u32'], 'bool', (_p, cp) => knownCodePage(cp)),
  GetCPInfo: fn(['u32', 'ptr'], 'bool', (p, cp, info) => {
    if (!knownCodePage(cp)) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
    p.mem.fill(info, 0, 20);
    p.mem.write32(info, cp === CP_UTF8 ? 4 : 1); // MaxCharSize
    p.mem.write8(info + 4, 0x3f); // DefaultChar '?'
    return true;
  }),
  IsDBCSLeadByte: fn(['u32'], 'bool', () => false),
  IsDBCSLeadByteEx: fn(['u32', 'u32'], 'bool', () => false),
  lstrlenA: fn(['ptr'], 'i32', (p, s) => (s ? p.mem.strlen(s) : 0)),
  lstrlenW: fn(['ptr'], 'i32', (p, s) => (s ? p.mem.wcslen(s) : 0)),
  GetStringTypeW: fn(['u32', 'ptr', 'i32', 'ptr'], 'bool', (p, type, src, n, out) => {
    const len = n < 0 ? p.mem.wcslen(src) + 1 : n;
    for (let i = 0; i < len; i++) {
      const c = String.fromCharCode(p.mem.read16(src + 2 * i));
      let bits = 0;
      if (type === 1) { // CT_CTYPE1
        if (/\p{Lu}/u.test(c)) bits |= 0x1;
        if (/\p{Ll}/u.test(c)) bits |= 0x2;
        if (/[0-9]/.test(c)) bits |= 0x4;
        if (/\s/.test(c)) bits |= 0x8;
        if (/\p{P}|\p{S}/u.test(c)) bits |= 0x10;
        if (/[\x00-\x1f\x7f]/.test(c)) bits |= 0x20;
        if (c === ' ' || c === '\t') bits |= 0x40;
        if (/[0-9a-fA-F]/.test(c)) bits |= 0x80;
        if (/\p{L}/u.test(c)) bits |= 0x100;
      }
      p.mem.write16(out + 2 * i, bits);
    }
    return true;
  }),
};

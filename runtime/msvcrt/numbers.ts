// msvcrt number parsing and printing: strto*, ato*, _itoa family, over guest strings.

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { atof, atoInteger, integerToText, strtod, strtoInteger, doubleToBits, ecvt, fcvt } from './format/index.js';
import type { CvtResult, IntegerKind } from './format/index.js';
import { crt, Errno } from './state.js';

function strtoi(p: Process, s: number, end: number, base: number, kind: IntegerKind, wide: boolean): bigint {
  const text = wide ? p.mem.readWString(s) : p.mem.readCString(s);
  const r = strtoInteger(text, base, kind);
  if (r.errno) crt(p).errno = r.errno;
  if (end) p.mem.writePtr(end, s + (wide ? 2 : 1) * r.end);
  return r.value;
}

function strtodGuest(p: Process, s: number, end: number, wide: boolean): bigint {
  const text = wide ? p.mem.readWString(s) : p.mem.readCString(s);
  const r = strtod(text);
  if (r.errno) crt(p).errno = r.errno;
  if (end) p.mem.writePtr(end, s + (wide ? 2 : 1) * r.end);
  return doubleToBits(r.value);
}

function itoa(p: Process, value: bigint, buf: number, radix: number, bits: 32 | 64, signed: boolean, wide: boolean): number {
  if (radix < 2 || radix > 36) { crt(p).errno = Errno.EINVAL; if (buf) p.mem.write8(buf, 0); return buf; }
  const text = integerToText(value, radix, bits, signed);
  if (wide) p.mem.writeWString(buf, text); else p.mem.writeCString(buf, text);
  return buf;
}

/** _ecvt/_fcvt return a pointer to a per-thread buffer. */
function cvtResult(p: Process, r: CvtResult, decpt: number, sign: number): number {
  const buf = p.dllState('msvcrt.cvtbuf', () => p.alloc(352, true));
  p.mem.writeCString(buf, r.digits.slice(0, 348));
  p.mem.write32(decpt, r.decpt >>> 0);
  p.mem.write32(sign, r.negative ? 1 : 0);
  return buf;
}

export const numberFunctions = {
  strtol: fn(['ptr', 'ptr', 'i32'], 'i32', (p, s, e, b) => Number(BigInt.asIntN(32, strtoi(p, s, e, b, 'long', false)))),
  strtoul: fn(['ptr', 'ptr', 'i32'], 'u32', (p, s, e, b) => Number(BigInt.asUintN(32, strtoi(p, s, e, b, 'ulong', false)))),
  _strtoi64: fn(['ptr', 'ptr', 'i32'], 'i64', (p, s, e, b) => strtoi(p, s, e, b, 'int64', false)),
  _strtoui64: fn(['ptr', 'ptr', 'i32'], 'u64', (p, s, e, b) => strtoi(p, s, e, b, 'uint64', false)),
  wcstol: fn(['ptr', 'ptr', 'i32'], 'i32', (p, s, e, b) => Number(BigInt.asIntN(32, strtoi(p, s, e, b, 'long', true)))),
  wcstoul: fn(['ptr', 'ptr', 'i32'], 'u32', (p, s, e, b) => Number(BigInt.asUintN(32, strtoi(p, s, e, b, 'ulong', true)))),
  _wcstoi64: fn(['ptr', 'ptr', 'i32'], 'i64', (p, s, e, b) => strtoi(p, s, e, b, 'int64', true)),
  _wcstoui64: fn(['ptr', 'ptr', 'i32'], 'u64', (p, s, e, b) => strtoi(p, s, e, b, 'uint64', true)),
  strtod: fn(['ptr', 'ptr'], 'f64bits', (p, s, e) => strtodGuest(p, s, e, false)),
  wcstod: fn(['ptr', 'ptr'], 'f64bits', (p, s, e) => strtodGuest(p, s, e, true)),
  atoi: fn(['ptr'], 'i32', (p, s) => Number(BigInt.asIntN(32, atoInteger(p.mem.readCString(s), 32)))),
  atol: fn(['ptr'], 'i32', (p, s) => Number(BigInt.asIntN(32, atoInteger(p.mem.readCString(s), 32)))),
  _atoi64: fn(['ptr'], 'i64', (p, s) => BigInt.asIntN(64, atoInteger(p.mem.readCString(s), 64))),
  _wtoi: fn(['ptr'], 'i32', (p, s) => Number(BigInt.asIntN(32, atoInteger(p.mem.readWString(s), 32)))),
  _wtol: fn(['ptr'], 'i32', (p, s) => Number(BigInt.asIntN(32, atoInteger(p.mem.readWString(s), 32)))),
  _wtoi64: fn(['ptr'], 'i64', (p, s) => BigInt.asIntN(64, atoInteger(p.mem.readWString(s), 64))),
  atof: fn(['ptr'], 'f64bits', (p, s) => {
    const r = atof(p.mem.readCString(s));
    if (r.errno) crt(p).errno = r.errno;
    return doubleToBits(r.value);
  }),
  _itoa: fn(['i32', 'ptr', 'i32'], 'ptr', (p, v, b, r) => itoa(p, BigInt(v), b, r, 32, true, false)),
  _ltoa: fn(['i32', 'ptr', 'i32'], 'ptr', (p, v, b, r) => itoa(p, BigInt(v), b, r, 32, true, false)),
  _ultoa: fn(['u32', 'ptr', 'i32'], 'ptr', (p, v, b, r) => itoa(p, BigInt(v), b, r, 32, false, false)),
  _i64toa: fn(['i64', 'ptr', 'i32'], 'ptr', (p, v, b, r) => itoa(p, v, b, r, 64, true, false)),
  _ui64toa: fn(['u64', 'ptr', 'i32'], 'ptr', (p, v, b, r) => itoa(p, v, b, r, 64, false, false)),
  _itow: fn(['i32', 'ptr', 'i32'], 'ptr', (p, v, b, r) => itoa(p, BigInt(v), b, r, 32, true, true)),
  _ltow: fn(['i32', 'ptr', 'i32'], 'ptr', (p, v, b, r) => itoa(p, BigInt(v), b, r, 32, true, true)),
  _i64tow: fn(['i64', 'ptr', 'i32'], 'ptr', (p, v, b, r) => itoa(p, v, b, r, 64, true, true)),
  _ui64tow: fn(['u64', 'ptr', 'i32'], 'ptr', (p, v, b, r) => itoa(p, v, b, r, 64, false, true)),
  _ecvt: fn(['f64bits', 'i32', 'ptr', 'ptr'], 'ptr', (p, x, n, d, s) => cvtResult(p, ecvt(x, n), d, s)),
  _fcvt: fn(['f64bits', 'i32', 'ptr', 'ptr'], 'ptr', (p, x, n, d, s) => cvtResult(p, fcvt(x, n), d, s)),
};

// msvcrt locale functions. wexe's CRT is always in the "C" locale; setlocale accepts
// "C" and "" (which on Windows would pick the user's locale: wexe reports "C" and says so
// by returning "C" rather than pretending to be another locale).

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';

/** struct lconv for the C locale: "." as decimal point, everything else empty / CHAR_MAX. */
function lconv(p: Process): number {
  return p.dllState('msvcrt.lconv', () => {
    const dot = p.alloc(2, true);
    p.mem.writeCString(dot, '.');
    const empty = p.alloc(1, true);
    const l = p.alloc(0x58, true);
    p.mem.writePtr(l + 0x00, dot); // decimal_point
    for (let off = 0x08; off <= 0x48; off += 8) p.mem.writePtr(l + off, empty);
    p.mem.writePtr(l + 0x00, dot);
    // char fields after the ten pointers: int_frac_digits .. n_sign_posn = CHAR_MAX (127)
    for (let i = 0; i < 8; i++) p.mem.write8(l + 0x50 + i, 127);
    return l;
  });
}

function setlocale(p: Process, category: number, locale: number): number {
  const c = p.dllState('msvcrt.localeName', () => {
    const a = p.alloc(2, true);
    p.mem.writeCString(a, 'C');
    return a;
  });
  if (category < 0 || category > 5) return 0;
  if (locale === 0) return c;
  const name = p.mem.readCString(locale);
  return name === 'C' || name === '' || name === 'POSIX' ? c : 0;
}

export const localeFunctions = {
  localeconv: fn([], 'ptr', (p) => lconv(p)),
  setlocale: fn(['i32', 'ptr'], 'ptr', (p, cat, loc) => setlocale(p, cat, loc)),
  ___lc_codepage_func: fn([], 'u32', () => 0),
  ___lc_handle_func: fn([], 'ptr', (p) => p.dllState('msvcrt.lchandle', () => p.alloc(48, true))),
};

// SSSE3: PSHUFB, PALIGNR, horizontal add/subtract, PABS, PSIGN, PMADDUBSW, PMULHRSW.

import type { Handler, HandlerTable } from '../machine.js';
import { xmmOp } from './forms.js';
import { imm8 } from './operands.js';
import { sat16s } from './integer.js';
import { vR, type Vec } from './vec.js';

/** PHADD/PHSUB: pairs of a's lanes then pairs of b's lanes. */
const horizontal = (t: 'i16' | 'i32', f: (x: number, y: number) => number): Handler => xmmOp((a, b) => {
  const half = t === 'i16' ? 4 : 2;
  const out = vR[t];
  const x = a[t], y = b[t];
  for (let i = 0; i < half; i++) {
    out[i] = f(x[2 * i]!, x[2 * i + 1]!);
    out[half + i] = f(y[2 * i]!, y[2 * i + 1]!);
  }
  return vR;
});

const abs = (t: 'i8' | 'i16' | 'i32'): Handler => xmmOp((a, b) => {
  const x = b[t], out = a[t];
  for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]!); // 2^(n-1) wraps to itself, read back unsigned
  return a;
});

const sign = (t: 'i8' | 'i16' | 'i32'): Handler => xmmOp((a, b) => {
  const x = a[t], y = b[t];
  for (let i = 0; i < x.length; i++) x[i] = y[i]! < 0 ? -x[i]! : y[i] === 0 ? 0 : x[i]!;
  return a;
});

function pshufb(a: Vec, b: Vec): Vec {
  for (let i = 0; i < 16; i++) {
    const idx = b.u8[i]!;
    vR.u8[i] = idx & 0x80 ? 0 : a.u8[idx & 15]!;
  }
  return vR;
}

/** PALIGNR: the 32-byte concatenation a:b shifted right by imm8 bytes, low 16 bytes kept. */
function palignr(a: Vec, b: Vec, insn: Parameters<typeof imm8>[0]): Vec {
  const n = imm8(insn);
  for (let i = 0; i < 16; i++) {
    const k = i + n;
    vR.u8[i] = k < 16 ? b.u8[k]! : k < 32 ? a.u8[k - 16]! : 0;
  }
  return vR;
}

export const ssse3Handlers: HandlerTable = {
  Pshufb: xmmOp(pshufb),
  Palignr: xmmOp(palignr),
  Phaddw: horizontal('i16', (x, y) => x + y), Phaddd: horizontal('i32', (x, y) => x + y),
  Phaddsw: horizontal('i16', (x, y) => sat16s(x + y)),
  Phsubw: horizontal('i16', (x, y) => x - y), Phsubd: horizontal('i32', (x, y) => x - y),
  Phsubsw: horizontal('i16', (x, y) => sat16s(x - y)),
  Pabsb: abs('i8'), Pabsw: abs('i16'), Pabsd: abs('i32'),
  Psignb: sign('i8'), Psignw: sign('i16'), Psignd: sign('i32'),
  Pmaddubsw: xmmOp((a, b) => {
    for (let i = 0; i < 8; i++) vR.i16[i] = sat16s(a.u8[2 * i]! * b.i8[2 * i]! + a.u8[2 * i + 1]! * b.i8[2 * i + 1]!);
    return vR;
  }),
  Pmulhrsw: xmmOp((a, b) => {
    for (let i = 0; i < 8; i++) a.i16[i] = (((a.i16[i]! * b.i16[i]!) >> 14) + 1) >> 1;
    return a;
  }),
};

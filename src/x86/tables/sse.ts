// SSE, SSE2 and SSE3 instructions in the two-byte map (0F xx). Only the XMM forms are
// listed: the integer instructions without a 66 prefix address MMX registers and decode
// as INVALID, as do the MMX-only conversions (CVTPI2PS and friends).
import type { Row } from './row.js';

/** Arithmetic with all four forms: NP ps, 66 pd, F3 ss, F2 sd. */
function fourForms(op: string, name: string): Row[] {
  return [
    [`NP 0F ${op} /r`, `${name}ps`, 'V,ps W,ps'],
    [`66 0F ${op} /r`, `${name}pd`, 'V,pd W,pd'],
    [`F3 0F ${op} /r`, `${name}ss`, 'V,ss W,ss'],
    [`F2 0F ${op} /r`, `${name}sd`, 'V,sd W,sd'],
  ];
}

/** Packed-only single/double pairs: NP ps, 66 pd. */
function packedPair(op: string, name: string, extra = ''): Row[] {
  return [
    [`NP 0F ${op} /r`, `${name}ps`, `V,ps W,ps${extra}`],
    [`66 0F ${op} /r`, `${name}pd`, `V,pd W,pd${extra}`],
  ];
}

/** SSE2 integer instructions: 66 0F op /r, V,x W,x. */
const PACKED_INT: readonly (readonly [string, string])[] = [
  ['60', 'Punpcklbw'], ['61', 'Punpcklwd'], ['62', 'Punpckldq'], ['63', 'Packsswb'],
  ['64', 'Pcmpgtb'], ['65', 'Pcmpgtw'], ['66', 'Pcmpgtd'], ['67', 'Packuswb'],
  ['68', 'Punpckhbw'], ['69', 'Punpckhwd'], ['6A', 'Punpckhdq'], ['6B', 'Packssdw'],
  ['6C', 'Punpcklqdq'], ['6D', 'Punpckhqdq'],
  ['74', 'Pcmpeqb'], ['75', 'Pcmpeqw'], ['76', 'Pcmpeqd'],
  ['D1', 'Psrlw'], ['D2', 'Psrld'], ['D3', 'Psrlq'], ['D4', 'Paddq'], ['D5', 'Pmullw'],
  ['D8', 'Psubusb'], ['D9', 'Psubusw'], ['DA', 'Pminub'], ['DB', 'Pand'],
  ['DC', 'Paddusb'], ['DD', 'Paddusw'], ['DE', 'Pmaxub'], ['DF', 'Pandn'],
  ['E0', 'Pavgb'], ['E1', 'Psraw'], ['E2', 'Psrad'], ['E3', 'Pavgw'], ['E4', 'Pmulhuw'], ['E5', 'Pmulhw'],
  ['E8', 'Psubsb'], ['E9', 'Psubsw'], ['EA', 'Pminsw'], ['EB', 'Por'],
  ['EC', 'Paddsb'], ['ED', 'Paddsw'], ['EE', 'Pmaxsw'], ['EF', 'Pxor'],
  ['F1', 'Psllw'], ['F2', 'Pslld'], ['F3', 'Psllq'], ['F4', 'Pmuludq'], ['F5', 'Pmaddwd'], ['F6', 'Psadbw'],
  ['F8', 'Psubb'], ['F9', 'Psubw'], ['FA', 'Psubd'], ['FB', 'Psubq'],
  ['FC', 'Paddb'], ['FD', 'Paddw'], ['FE', 'Paddd'],
];

/** Shift-by-immediate groups 12-14 (66 0F 71/72/73 /n ib), register forms only. */
const SHIFT_IMM: readonly (readonly [string, string])[] = [
  ['71 /2', 'Psrlw'], ['71 /4', 'Psraw'], ['71 /6', 'Psllw'],
  ['72 /2', 'Psrld'], ['72 /4', 'Psrad'], ['72 /6', 'Pslld'],
  ['73 /2', 'Psrlq'], ['73 /3', 'Psrldq'], ['73 /6', 'Psllq'], ['73 /7', 'Pslldq'],
];

export const SSE: readonly Row[] = [
  ['NP 0F 10 /r', 'Movups', 'V,ps W,ps'],
  ['66 0F 10 /r', 'Movupd', 'V,pd W,pd'],
  ['F3 0F 10 /r', 'Movss', 'V,ss W,ss'],
  ['F2 0F 10 /r', 'Movsd', 'V,sd W,sd'],
  ['NP 0F 11 /r', 'Movups', 'W,ps V,ps'],
  ['66 0F 11 /r', 'Movupd', 'W,pd V,pd'],
  ['F3 0F 11 /r', 'Movss', 'W,ss V,ss'],
  ['F2 0F 11 /r', 'Movsd', 'W,sd V,sd'],
  ['NP 0F 12 /r', 'Movlps', 'V,q M,q'],
  ['NP 0F 12 /r', 'Movhlps', 'V,q U,q'],
  ['66 0F 12 /r', 'Movlpd', 'V,q M,q'],
  ['F3 0F 12 /r', 'Movsldup', 'V,ps W,ps'],
  ['F2 0F 12 /r', 'Movddup', 'V,q W,q'],
  ['NP 0F 13 /r', 'Movlps', 'M,q V,q'],
  ['66 0F 13 /r', 'Movlpd', 'M,q V,q'],
  ...packedPair('14', 'Unpckl'),
  ...packedPair('15', 'Unpckh'),
  ['NP 0F 16 /r', 'Movhps', 'V,q M,q'],
  ['NP 0F 16 /r', 'Movlhps', 'V,q U,q'],
  ['66 0F 16 /r', 'Movhpd', 'V,q M,q'],
  ['F3 0F 16 /r', 'Movshdup', 'V,ps W,ps'],
  ['NP 0F 17 /r', 'Movhps', 'M,q V,q'],
  ['66 0F 17 /r', 'Movhpd', 'M,q V,q'],
  ['NP 0F 28 /r', 'Movaps', 'V,ps W,ps'],
  ['66 0F 28 /r', 'Movapd', 'V,pd W,pd'],
  ['NP 0F 29 /r', 'Movaps', 'W,ps V,ps'],
  ['66 0F 29 /r', 'Movapd', 'W,pd V,pd'],
  ['F3 0F 2A /r', 'Cvtsi2ss', 'V,ss E,y'],
  ['F2 0F 2A /r', 'Cvtsi2sd', 'V,sd E,y'],
  ['NP 0F 2B /r', 'Movntps', 'M,ps V,ps'],
  ['66 0F 2B /r', 'Movntpd', 'M,pd V,pd'],
  ['F3 0F 2C /r', 'Cvttss2si', 'G,y W,ss'],
  ['F2 0F 2C /r', 'Cvttsd2si', 'G,y W,sd'],
  ['F3 0F 2D /r', 'Cvtss2si', 'G,y W,ss'],
  ['F2 0F 2D /r', 'Cvtsd2si', 'G,y W,sd'],
  ['NP 0F 2E /r', 'Ucomiss', 'V,ss W,ss'],
  ['66 0F 2E /r', 'Ucomisd', 'V,sd W,sd'],
  ['NP 0F 2F /r', 'Comiss', 'V,ss W,ss'],
  ['66 0F 2F /r', 'Comisd', 'V,sd W,sd'],

  ['NP 0F 50 /r', 'Movmskps', 'G,y U,ps'],
  ['66 0F 50 /r', 'Movmskpd', 'G,y U,pd'],
  ...fourForms('51', 'Sqrt'),
  ['NP 0F 52 /r', 'Rsqrtps', 'V,ps W,ps'],
  ['F3 0F 52 /r', 'Rsqrtss', 'V,ss W,ss'],
  ['NP 0F 53 /r', 'Rcpps', 'V,ps W,ps'],
  ['F3 0F 53 /r', 'Rcpss', 'V,ss W,ss'],
  ...packedPair('54', 'And'),
  ...packedPair('55', 'Andn'),
  ...packedPair('56', 'Or'),
  ...packedPair('57', 'Xor'),
  ...fourForms('58', 'Add'),
  ...fourForms('59', 'Mul'),
  ['NP 0F 5A /r', 'Cvtps2pd', 'V,pd W,q'],
  ['66 0F 5A /r', 'Cvtpd2ps', 'V,ps W,pd'],
  ['F3 0F 5A /r', 'Cvtss2sd', 'V,sd W,ss'],
  ['F2 0F 5A /r', 'Cvtsd2ss', 'V,ss W,sd'],
  ['NP 0F 5B /r', 'Cvtdq2ps', 'V,ps W,x'],
  ['66 0F 5B /r', 'Cvtps2dq', 'V,x W,ps'],
  ['F3 0F 5B /r', 'Cvttps2dq', 'V,x W,ps'],
  ...fourForms('5C', 'Sub'),
  ...fourForms('5D', 'Min'),
  ...fourForms('5E', 'Div'),
  ...fourForms('5F', 'Max'),

  ...PACKED_INT.map(([op, mn]): Row => [`66 0F ${op} /r`, mn, 'V,x W,x']),
  ['66 0F 6E /r', 'Movd', 'V,x E,d', 'W0'],
  ['66 0F 6E /r', 'Movq', 'V,x E,q', 'W1'],
  ['66 0F 6F /r', 'Movdqa', 'V,x W,x'],
  ['F3 0F 6F /r', 'Movdqu', 'V,x W,x'],
  ['66 0F 70 /r', 'Pshufd', 'V,x W,x I,b'],
  ['F3 0F 70 /r', 'Pshufhw', 'V,x W,x I,b'],
  ['F2 0F 70 /r', 'Pshuflw', 'V,x W,x I,b'],
  ...SHIFT_IMM.map(([op, mn]): Row => [`66 0F ${op}`, mn, 'U,x I,b']),
  ['66 0F 7C /r', 'Haddpd', 'V,pd W,pd'],
  ['F2 0F 7C /r', 'Haddps', 'V,ps W,ps'],
  ['66 0F 7D /r', 'Hsubpd', 'V,pd W,pd'],
  ['F2 0F 7D /r', 'Hsubps', 'V,ps W,ps'],
  ['66 0F 7E /r', 'Movd', 'E,d V,x', 'W0'],
  ['66 0F 7E /r', 'Movq', 'E,q V,x', 'W1'],
  ['F3 0F 7E /r', 'Movq', 'V,x W,q'],
  ['66 0F 7F /r', 'Movdqa', 'W,x V,x'],
  ['F3 0F 7F /r', 'Movdqu', 'W,x V,x'],

  ['NP 0F C2 /r', 'Cmpps', 'V,ps W,ps I,b'],
  ['66 0F C2 /r', 'Cmppd', 'V,pd W,pd I,b'],
  ['F3 0F C2 /r', 'Cmpss', 'V,ss W,ss I,b'],
  ['F2 0F C2 /r', 'Cmpsd', 'V,sd W,sd I,b'],
  ['66 0F C4 /r', 'Pinsrw', 'V,x R,y/M,w I,b'],
  ['66 0F C5 /r', 'Pextrw', 'G,y U,x I,b'],
  ['NP 0F C6 /r', 'Shufps', 'V,ps W,ps I,b'],
  ['66 0F C6 /r', 'Shufpd', 'V,pd W,pd I,b'],
  ['66 0F D0 /r', 'Addsubpd', 'V,pd W,pd'],
  ['F2 0F D0 /r', 'Addsubps', 'V,ps W,ps'],
  ['66 0F D6 /r', 'Movq', 'W,q V,x'],
  ['66 0F D7 /r', 'Pmovmskb', 'G,y U,x'],
  ['66 0F E6 /r', 'Cvttpd2dq', 'V,x W,pd'],
  ['F3 0F E6 /r', 'Cvtdq2pd', 'V,pd W,q'],
  ['F2 0F E6 /r', 'Cvtpd2dq', 'V,x W,pd'],
  ['66 0F E7 /r', 'Movntdq', 'M,x V,x'],
  ['F2 0F F0 /r', 'Lddqu', 'V,x M,x'],
];

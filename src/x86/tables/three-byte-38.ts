// The three-byte map 0F 38 (SDM Vol. 2 Table A-4): SSSE3 and SSE4.1/4.2 XMM forms, all
// with the mandatory 66 prefix (the unprefixed forms address MMX registers: INVALID).
import type { Row } from './row.js';

const PACKED: readonly (readonly [string, string])[] = [
  ['00', 'Pshufb'], ['01', 'Phaddw'], ['02', 'Phaddd'], ['03', 'Phaddsw'], ['04', 'Pmaddubsw'],
  ['05', 'Phsubw'], ['06', 'Phsubd'], ['07', 'Phsubsw'], ['08', 'Psignb'], ['09', 'Psignw'],
  ['0A', 'Psignd'], ['0B', 'Pmulhrsw'],
  // 10, 14, 15 read XMM0 as an implicit third operand that iced does not list.
  ['10', 'Pblendvb'], ['14', 'Blendvps'], ['15', 'Blendvpd'], ['17', 'Ptest'],
  ['1C', 'Pabsb'], ['1D', 'Pabsw'], ['1E', 'Pabsd'],
  ['28', 'Pmuldq'], ['29', 'Pcmpeqq'], ['2B', 'Packusdw'], ['37', 'Pcmpgtq'],
  ['38', 'Pminsb'], ['39', 'Pminsd'], ['3A', 'Pminuw'], ['3B', 'Pminud'],
  ['3C', 'Pmaxsb'], ['3D', 'Pmaxsd'], ['3E', 'Pmaxuw'], ['3F', 'Pmaxud'],
  ['40', 'Pmulld'], ['41', 'Phminposuw'],
];

/** PMOVSX/PMOVZX: the memory form reads only as many bytes as the result needs. */
const EXTEND: readonly (readonly [string, string, string])[] = [
  ['0', 'bw', 'q'], ['1', 'bd', 'd'], ['2', 'bq', 'w'], ['3', 'wd', 'q'], ['4', 'wq', 'd'], ['5', 'dq', 'q'],
];

export const THREE_BYTE_38: readonly Row[] = [
  ...PACKED.map(([op, mn]): Row => [`66 0F 38 ${op} /r`, mn, 'V,x W,x']),
  ...EXTEND.map(([lo, kind, size]): Row => [`66 0F 38 2${lo} /r`, `Pmovsx${kind}`, `V,x W,${size}`]),
  ...EXTEND.map(([lo, kind, size]): Row => [`66 0F 38 3${lo} /r`, `Pmovzx${kind}`, `V,x W,${size}`]),
  ['66 0F 38 2A /r', 'Movntdqa', 'V,x M,x'],
];

// Every SSE instruction form under test, one row each: encoding (prefixes and opcode
// bytes, hex), operand shape and the kind of data worth feeding it.
//
// Operand shape: `reg` is what the ModRM reg field names (x: XMM, g: general
// register, or a /digit for group opcodes), `rm` what the r/m field may name
// (x: XMM only, m: memory only, xm: XMM or memory, g: GPR only, gm: GPR or memory).
// `mem` is the memory operand's size in bytes.

export type Data = 'f32' | 'f64' | 'int' | 'i32src' | 'i64src' | 'shift' | 'mxcsr';

export interface Form {
  name: string;
  /** Legacy prefix (0x66, 0xF2, 0xF3) or 0. */
  pfx: number;
  /** Opcode bytes after any prefix and REX (starting with 0x0F). */
  op: number[];
  reg: 'x' | 'g' | number;
  rm: 'x' | 'm' | 'xm' | 'g' | 'gm';
  imm: boolean;
  /** REX.W. */
  w: boolean;
  mem: number;
  data: Data;
}

function F(name: string, bytes: string, shape: string, mem: number, data: Data, flags = ''): Form {
  const b = bytes.split(' ').map((x) => parseInt(x, 16));
  const pfx = b[0] === 0x66 || b[0] === 0xf2 || b[0] === 0xf3 ? b.shift()! : 0;
  const [reg, rm] = shape.split(' ') as [string, Form['rm']];
  return {
    name, pfx, op: b, reg: /^\d$/.test(reg) ? Number(reg) : (reg as 'x' | 'g'), rm,
    imm: flags.includes('i'), w: flags.includes('w'), mem, data,
  };
}

const arith = (n: string, op: string, data32: Data = 'f32', data64: Data = 'f64'): Form[] => [
  F(`${n}ps`, `0f ${op}`, 'x xm', 16, data32),
  F(`${n}ss`, `f3 0f ${op}`, 'x xm', 4, data32),
  F(`${n}pd`, `66 0f ${op}`, 'x xm', 16, data64),
  F(`${n}sd`, `f2 0f ${op}`, 'x xm', 8, data64),
];

const sse2int = (list: string): Form[] => list.trim().split(/\s+/).map((e) => {
  const [n, op] = e.split(':') as [string, string];
  return F(n, `66 0f ${op}`, 'x xm', 16, /^ps(ll|rl|ra)/.test(n) ? 'shift' : 'int');
});

const op38 = (list: string): Form[] => list.trim().split(/\s+/).map((e) => {
  const [n, op, mem] = e.split(':') as [string, string, string?];
  return F(n, `66 0f 38 ${op}`, 'x xm', mem ? Number(mem) : 16, 'int');
});

export const FORMS: Form[] = [
  // ---- moves
  F('movups load', '0f 10', 'x xm', 16, 'f32'), F('movups store', '0f 11', 'x xm', 16, 'f32'),
  F('movaps load', '0f 28', 'x xm', 16, 'f32'), F('movaps store', '0f 29', 'x xm', 16, 'f32'),
  F('movupd load', '66 0f 10', 'x xm', 16, 'f64'), F('movupd store', '66 0f 11', 'x xm', 16, 'f64'),
  F('movapd load', '66 0f 28', 'x xm', 16, 'f64'), F('movapd store', '66 0f 29', 'x xm', 16, 'f64'),
  F('movdqa load', '66 0f 6f', 'x xm', 16, 'int'), F('movdqa store', '66 0f 7f', 'x xm', 16, 'int'),
  F('movdqu load', 'f3 0f 6f', 'x xm', 16, 'int'), F('movdqu store', 'f3 0f 7f', 'x xm', 16, 'int'),
  F('lddqu', 'f2 0f f0', 'x m', 16, 'int'),
  F('movntps', '0f 2b', 'x m', 16, 'f32'), F('movntpd', '66 0f 2b', 'x m', 16, 'f64'),
  F('movntdq', '66 0f e7', 'x m', 16, 'int'), F('movntdqa', '66 0f 38 2a', 'x m', 16, 'int'),
  F('movss load', 'f3 0f 10', 'x xm', 4, 'f32'), F('movss store', 'f3 0f 11', 'x xm', 4, 'f32'),
  F('movsd load', 'f2 0f 10', 'x xm', 8, 'f64'), F('movsd store', 'f2 0f 11', 'x xm', 8, 'f64'),
  F('movlps load', '0f 12', 'x m', 8, 'f32'), F('movlps store', '0f 13', 'x m', 8, 'f32'),
  F('movhps load', '0f 16', 'x m', 8, 'f32'), F('movhps store', '0f 17', 'x m', 8, 'f32'),
  F('movlpd load', '66 0f 12', 'x m', 8, 'f64'), F('movlpd store', '66 0f 13', 'x m', 8, 'f64'),
  F('movhpd load', '66 0f 16', 'x m', 8, 'f64'), F('movhpd store', '66 0f 17', 'x m', 8, 'f64'),
  F('movhlps', '0f 12', 'x x', 0, 'f32'), F('movlhps', '0f 16', 'x x', 0, 'f32'),
  F('movd to xmm', '66 0f 6e', 'x gm', 4, 'int'), F('movd from xmm', '66 0f 7e', 'x gm', 4, 'int'),
  F('movq to xmm', '66 0f 6e', 'x gm', 8, 'int', 'w'), F('movq from xmm', '66 0f 7e', 'x gm', 8, 'int', 'w'),
  F('movq xmm load', 'f3 0f 7e', 'x xm', 8, 'int'), F('movq xmm store', '66 0f d6', 'x xm', 8, 'int'),
  F('movnti 32', '0f c3', 'g m', 4, 'int'), F('movnti 64', '0f c3', 'g m', 8, 'int', 'w'),
  F('ldmxcsr', '0f ae', '2 m', 4, 'mxcsr'), F('stmxcsr', '0f ae', '3 m', 4, 'mxcsr'),
  F('movddup', 'f2 0f 12', 'x xm', 8, 'f64'), F('movshdup', 'f3 0f 16', 'x xm', 16, 'f32'),
  F('movsldup', 'f3 0f 12', 'x xm', 16, 'f32'),
  // ---- floating-point arithmetic
  ...arith('add', '58'), ...arith('sub', '5c'), ...arith('mul', '59'), ...arith('div', '5e'),
  ...arith('min', '5d'), ...arith('max', '5f'), ...arith('sqrt', '51'),
  F('rcpps', '0f 53', 'x xm', 16, 'f32'), F('rcpss', 'f3 0f 53', 'x xm', 4, 'f32'),
  F('rsqrtps', '0f 52', 'x xm', 16, 'f32'), F('rsqrtss', 'f3 0f 52', 'x xm', 4, 'f32'),
  F('andps', '0f 54', 'x xm', 16, 'f32'), F('andnps', '0f 55', 'x xm', 16, 'f32'),
  F('orps', '0f 56', 'x xm', 16, 'f32'), F('xorps', '0f 57', 'x xm', 16, 'f32'),
  F('andpd', '66 0f 54', 'x xm', 16, 'f64'), F('andnpd', '66 0f 55', 'x xm', 16, 'f64'),
  F('orpd', '66 0f 56', 'x xm', 16, 'f64'), F('xorpd', '66 0f 57', 'x xm', 16, 'f64'),
  F('cmpps', '0f c2', 'x xm', 16, 'f32', 'i'), F('cmpss', 'f3 0f c2', 'x xm', 4, 'f32', 'i'),
  F('cmppd', '66 0f c2', 'x xm', 16, 'f64', 'i'), F('cmpsd', 'f2 0f c2', 'x xm', 8, 'f64', 'i'),
  F('comiss', '0f 2f', 'x xm', 4, 'f32'), F('ucomiss', '0f 2e', 'x xm', 4, 'f32'),
  F('comisd', '66 0f 2f', 'x xm', 8, 'f64'), F('ucomisd', '66 0f 2e', 'x xm', 8, 'f64'),
  F('haddps', 'f2 0f 7c', 'x xm', 16, 'f32'), F('hsubps', 'f2 0f 7d', 'x xm', 16, 'f32'),
  F('haddpd', '66 0f 7c', 'x xm', 16, 'f64'), F('hsubpd', '66 0f 7d', 'x xm', 16, 'f64'),
  F('addsubps', 'f2 0f d0', 'x xm', 16, 'f32'), F('addsubpd', '66 0f d0', 'x xm', 16, 'f64'),
  F('dpps', '66 0f 3a 40', 'x xm', 16, 'f32', 'i'), F('dppd', '66 0f 3a 41', 'x xm', 16, 'f64', 'i'),
  F('roundps', '66 0f 3a 08', 'x xm', 16, 'f32', 'i'), F('roundpd', '66 0f 3a 09', 'x xm', 16, 'f64', 'i'),
  F('roundss', '66 0f 3a 0a', 'x xm', 4, 'f32', 'i'), F('roundsd', '66 0f 3a 0b', 'x xm', 8, 'f64', 'i'),
  // ---- conversions
  F('cvtsi2ss r32', 'f3 0f 2a', 'x gm', 4, 'i32src'), F('cvtsi2ss r64', 'f3 0f 2a', 'x gm', 8, 'i64src', 'w'),
  F('cvtsi2sd r32', 'f2 0f 2a', 'x gm', 4, 'i32src'), F('cvtsi2sd r64', 'f2 0f 2a', 'x gm', 8, 'i64src', 'w'),
  F('cvttss2si r32', 'f3 0f 2c', 'g xm', 4, 'f32'), F('cvttss2si r64', 'f3 0f 2c', 'g xm', 4, 'f32', 'w'),
  F('cvtss2si r32', 'f3 0f 2d', 'g xm', 4, 'f32'), F('cvtss2si r64', 'f3 0f 2d', 'g xm', 4, 'f32', 'w'),
  F('cvttsd2si r32', 'f2 0f 2c', 'g xm', 8, 'f64'), F('cvttsd2si r64', 'f2 0f 2c', 'g xm', 8, 'f64', 'w'),
  F('cvtsd2si r32', 'f2 0f 2d', 'g xm', 8, 'f64'), F('cvtsd2si r64', 'f2 0f 2d', 'g xm', 8, 'f64', 'w'),
  F('cvtps2pd', '0f 5a', 'x xm', 8, 'f32'), F('cvtpd2ps', '66 0f 5a', 'x xm', 16, 'f64'),
  F('cvtss2sd', 'f3 0f 5a', 'x xm', 4, 'f32'), F('cvtsd2ss', 'f2 0f 5a', 'x xm', 8, 'f64'),
  F('cvtdq2ps', '0f 5b', 'x xm', 16, 'int'), F('cvtps2dq', '66 0f 5b', 'x xm', 16, 'f32'),
  F('cvttps2dq', 'f3 0f 5b', 'x xm', 16, 'f32'), F('cvtdq2pd', 'f3 0f e6', 'x xm', 8, 'int'),
  F('cvtpd2dq', 'f2 0f e6', 'x xm', 16, 'f64'), F('cvttpd2dq', '66 0f e6', 'x xm', 16, 'f64'),
  // ---- shuffles and masks
  F('shufps', '0f c6', 'x xm', 16, 'f32', 'i'), F('shufpd', '66 0f c6', 'x xm', 16, 'f64', 'i'),
  F('unpcklps', '0f 14', 'x xm', 16, 'f32'), F('unpckhps', '0f 15', 'x xm', 16, 'f32'),
  F('unpcklpd', '66 0f 14', 'x xm', 16, 'f64'), F('unpckhpd', '66 0f 15', 'x xm', 16, 'f64'),
  F('movmskps', '0f 50', 'g x', 0, 'f32'), F('movmskpd', '66 0f 50', 'g x', 0, 'f64'),
  F('pmovmskb', '66 0f d7', 'g x', 0, 'int'),
  // ---- SSE2 integer
  ...sse2int(`paddb:fc paddw:fd paddd:fe paddq:d4 psubb:f8 psubw:f9 psubd:fa psubq:fb paddsb:ec paddsw:ed
    paddusb:dc paddusw:dd psubsb:e8 psubsw:e9 psubusb:d8 psubusw:d9 pmullw:d5 pmulhw:e5 pmulhuw:e4 pmuludq:f4
    pmaddwd:f5 pavgb:e0 pavgw:e3 pminub:da pmaxub:de pminsw:ea pmaxsw:ee psadbw:f6 pcmpeqb:74 pcmpeqw:75
    pcmpeqd:76 pcmpgtb:64 pcmpgtw:65 pcmpgtd:66 pand:db pandn:df por:eb pxor:ef psllw:f1 pslld:f2 psllq:f3
    psrlw:d1 psrld:d2 psrlq:d3 psraw:e1 psrad:e2 packsswb:63 packssdw:6b packuswb:67 punpcklbw:60 punpcklwd:61
    punpckldq:62 punpcklqdq:6c punpckhbw:68 punpckhwd:69 punpckhdq:6a punpckhqdq:6d`),
  F('pshufd', '66 0f 70', 'x xm', 16, 'int', 'i'), F('pshufhw', 'f3 0f 70', 'x xm', 16, 'int', 'i'),
  F('pshuflw', 'f2 0f 70', 'x xm', 16, 'int', 'i'),
  F('psllw imm', '66 0f 71', '6 x', 0, 'int', 'i'), F('psrlw imm', '66 0f 71', '2 x', 0, 'int', 'i'),
  F('psraw imm', '66 0f 71', '4 x', 0, 'int', 'i'), F('pslld imm', '66 0f 72', '6 x', 0, 'int', 'i'),
  F('psrld imm', '66 0f 72', '2 x', 0, 'int', 'i'), F('psrad imm', '66 0f 72', '4 x', 0, 'int', 'i'),
  F('psllq imm', '66 0f 73', '6 x', 0, 'int', 'i'), F('psrlq imm', '66 0f 73', '2 x', 0, 'int', 'i'),
  F('pslldq', '66 0f 73', '7 x', 0, 'int', 'i'), F('psrldq', '66 0f 73', '3 x', 0, 'int', 'i'),
  F('pinsrw', '66 0f c4', 'x gm', 2, 'int', 'i'), F('pextrw', '66 0f c5', 'g x', 0, 'int', 'i'),
  F('pextrw sse4', '66 0f 3a 15', 'x gm', 2, 'int', 'i'),
  // ---- SSSE3
  ...op38(`pshufb:00 phaddw:01 phaddd:02 phaddsw:03 pmaddubsw:04 phsubw:05 phsubd:06 phsubsw:07 psignb:08
    psignw:09 psignd:0a pmulhrsw:0b pabsb:1c pabsw:1d pabsd:1e`),
  F('palignr', '66 0f 3a 0f', 'x xm', 16, 'int', 'i'),
  // ---- SSE4.1 / 4.2
  ...op38(`pblendvb:10 ptest:17 pmovsxbw:20:8 pmovsxbd:21:4 pmovsxbq:22:2 pmovsxwd:23:8 pmovsxwq:24:4
    pmovsxdq:25:8 pmuldq:28 pcmpeqq:29 packusdw:2b pmovzxbw:30:8 pmovzxbd:31:4 pmovzxbq:32:2 pmovzxwd:33:8
    pmovzxwq:34:4 pmovzxdq:35:8 pcmpgtq:37 pminsb:38 pminsd:39 pminuw:3a pminud:3b pmaxsb:3c pmaxsd:3d
    pmaxuw:3e pmaxud:3f pmulld:40 phminposuw:41`),
  F('blendvps', '66 0f 38 14', 'x xm', 16, 'f32'), F('blendvpd', '66 0f 38 15', 'x xm', 16, 'f64'),
  F('blendps', '66 0f 3a 0c', 'x xm', 16, 'f32', 'i'), F('blendpd', '66 0f 3a 0d', 'x xm', 16, 'f64', 'i'),
  F('pblendw', '66 0f 3a 0e', 'x xm', 16, 'int', 'i'),
  F('pextrb', '66 0f 3a 14', 'x gm', 1, 'int', 'i'), F('pextrd', '66 0f 3a 16', 'x gm', 4, 'int', 'i'),
  F('pextrq', '66 0f 3a 16', 'x gm', 8, 'int', 'iw'), F('extractps', '66 0f 3a 17', 'x gm', 4, 'f32', 'i'),
  F('pinsrb', '66 0f 3a 20', 'x gm', 1, 'int', 'i'), F('pinsrd', '66 0f 3a 22', 'x gm', 4, 'int', 'i'),
  F('pinsrq', '66 0f 3a 22', 'x gm', 8, 'int', 'iw'), F('insertps', '66 0f 3a 21', 'x xm', 4, 'f32', 'i'),
];

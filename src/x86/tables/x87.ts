// x87 FPU instructions (D8-DF, SDM Vol. 2 Tables ). Memory forms are selected
// by ModRM.reg; register forms by the whole ModRM byte (mod=3), "C0+i" naming ST(i).
import type { Row } from './row.js';

/** D8/DC (float operand) and DA/DE (integer operand) share this /0../7 memory layout. */
const ARITH = ['add', 'mul', 'com', 'comp', 'sub', 'subr', 'div', 'divr'] as const;

function arithMemoryRows(): Row[] {
  return ARITH.flatMap((op, n): Row[] => [
    [`D8 /${n}`, `F${op}`, 'M,d'],
    [`DC /${n}`, `F${op}`, 'M,q'],
    [`DA /${n}`, `Fi${op}`, 'M,d'],
    [`DE /${n}`, `Fi${op}`, 'M,w'],
  ]);
}

/** D9 E0..FF: operand-less instructions named by the whole ModRM byte. */
const D9_SPECIALS: readonly (readonly [string, string])[] = [
  ['E0', 'Fchs'], ['E1', 'Fabs'], ['E4', 'Ftst'], ['E5', 'Fxam'],
  ['E8', 'Fld1'], ['E9', 'Fldl2t'], ['EA', 'Fldl2e'], ['EB', 'Fldpi'], ['EC', 'Fldlg2'], ['ED', 'Fldln2'], ['EE', 'Fldz'],
  ['F0', 'F2xm1'], ['F1', 'Fyl2x'], ['F2', 'Fptan'], ['F3', 'Fpatan'], ['F4', 'Fxtract'], ['F5', 'Fprem1'],
  ['F6', 'Fdecstp'], ['F7', 'Fincstp'], ['F8', 'Fprem'], ['F9', 'Fyl2xp1'], ['FA', 'Fsqrt'], ['FB', 'Fsincos'],
  ['FC', 'Frndint'], ['FD', 'Fscale'], ['FE', 'Fsin'], ['FF', 'Fcos'],
];

export const X87: readonly Row[] = [
  ...arithMemoryRows(),
  ['D8 C0+i', 'Fadd', 'ST0 ST(i)'],
  ['D8 C8+i', 'Fmul', 'ST0 ST(i)'],
  ['D8 D0+i', 'Fcom', 'ST0 ST(i)'],
  ['D8 D8+i', 'Fcomp', 'ST0 ST(i)'],
  ['D8 E0+i', 'Fsub', 'ST0 ST(i)'],
  ['D8 E8+i', 'Fsubr', 'ST0 ST(i)'],
  ['D8 F0+i', 'Fdiv', 'ST0 ST(i)'],
  ['D8 F8+i', 'Fdivr', 'ST0 ST(i)'],

  ['D9 /0', 'Fld', 'M,d'],
  ['D9 /2', 'Fst', 'M,d'],
  ['D9 /3', 'Fstp', 'M,d'],
  ['D9 /4', 'Fldenv', 'M,e'],
  ['D9 /4', 'Fldenv', 'M,e14', 'o16'],
  ['D9 /5', 'Fldcw', 'M,w'],
  ['D9 /6', 'Fnstenv', 'M,e'],
  ['D9 /6', 'Fnstenv', 'M,e14', 'o16'],
  ['D9 /7', 'Fnstcw', 'M,w'],
  ['D9 C0+i', 'Fld', 'ST(i)'],
  ['D9 C8+i', 'Fxch', 'ST0 ST(i)'],
  ['D9 D0', 'Fnop'],
  ...D9_SPECIALS.map(([modrm, mn]): Row => [`D9 ${modrm}`, mn]),

  ['DA C0+i', 'Fcmovb', 'ST0 ST(i)'],
  ['DA C8+i', 'Fcmove', 'ST0 ST(i)'],
  ['DA D0+i', 'Fcmovbe', 'ST0 ST(i)'],
  ['DA D8+i', 'Fcmovu', 'ST0 ST(i)'],
  ['DA E9', 'Fucompp'],

  ['DB /0', 'Fild', 'M,d'],
  ['DB /1', 'Fisttp', 'M,d'],
  ['DB /2', 'Fist', 'M,d'],
  ['DB /3', 'Fistp', 'M,d'],
  ['DB /5', 'Fld', 'M,t'],
  ['DB /7', 'Fstp', 'M,t'],
  ['DB C0+i', 'Fcmovnb', 'ST0 ST(i)'],
  ['DB C8+i', 'Fcmovne', 'ST0 ST(i)'],
  ['DB D0+i', 'Fcmovnbe', 'ST0 ST(i)'],
  ['DB D8+i', 'Fcmovnu', 'ST0 ST(i)'],
  ['DB E2', 'Fnclex'],
  ['DB E3', 'Fninit'],
  ['DB E8+i', 'Fucomi', 'ST0 ST(i)'],
  ['DB F0+i', 'Fcomi', 'ST0 ST(i)'],

  ['DC C0+i', 'Fadd', 'ST(i) ST0'],
  ['DC C8+i', 'Fmul', 'ST(i) ST0'],
  ['DC D0+i', 'Fcom', 'ST0 ST(i)'],
  ['DC D8+i', 'Fcomp', 'ST0 ST(i)'],
  ['DC E0+i', 'Fsubr', 'ST(i) ST0'],
  ['DC E8+i', 'Fsub', 'ST(i) ST0'],
  ['DC F0+i', 'Fdivr', 'ST(i) ST0'],
  ['DC F8+i', 'Fdiv', 'ST(i) ST0'],

  ['DD /0', 'Fld', 'M,q'],
  ['DD /1', 'Fisttp', 'M,q'],
  ['DD /2', 'Fst', 'M,q'],
  ['DD /3', 'Fstp', 'M,q'],
  ['DD /4', 'Frstor', 'M,fs'],
  ['DD /4', 'Frstor', 'M,fs94', 'o16'],
  ['DD /6', 'Fnsave', 'M,fs'],
  ['DD /6', 'Fnsave', 'M,fs94', 'o16'],
  ['DD /7', 'Fnstsw', 'M,w'],
  ['DD C0+i', 'Ffree', 'ST(i)'],
  ['DD C8+i', 'Fxch', 'ST0 ST(i)'],
  ['DD D0+i', 'Fst', 'ST(i)'],
  ['DD D8+i', 'Fstp', 'ST(i)'],
  ['DD E0+i', 'Fucom', 'ST0 ST(i)'],
  ['DD E8+i', 'Fucomp', 'ST0 ST(i)'],

  ['DE C0+i', 'Faddp', 'ST(i) ST0'],
  ['DE C8+i', 'Fmulp', 'ST(i) ST0'],
  ['DE D0+i', 'Fcomp', 'ST0 ST(i)'],
  ['DE D9', 'Fcompp'],
  ['DE E0+i', 'Fsubrp', 'ST(i) ST0'],
  ['DE E8+i', 'Fsubp', 'ST(i) ST0'],
  ['DE F0+i', 'Fdivrp', 'ST(i) ST0'],
  ['DE F8+i', 'Fdivp', 'ST(i) ST0'],

  ['DF /0', 'Fild', 'M,w'],
  ['DF /1', 'Fisttp', 'M,w'],
  ['DF /2', 'Fist', 'M,w'],
  ['DF /3', 'Fistp', 'M,w'],
  ['DF /5', 'Fild', 'M,q'],
  ['DF /7', 'Fistp', 'M,q'],
  ['DF C8+i', 'Fxch', 'ST0 ST(i)'],
  ['DF D0+i', 'Fstp', 'ST(i)'],
  ['DF D8+i', 'Fstp', 'ST(i)'],
  ['DF E0', 'Fnstsw', 'AX'],
  ['DF E8+i', 'Fucomip', 'ST0 ST(i)'],
  ['DF F0+i', 'Fcomip', 'ST0 ST(i)'],
];

// The one-byte opcode map (SDM Vol. 2 Table A-2), general-purpose instructions only.
// x87 (D8-DF) lives in x87.ts. Opcodes not listed decode as INVALID.
import type { Row } from './row.js';

/** The eight classic ALU operations share one layout at 00-3F and in group 1 (80-83). */
const ALU = ['Add', 'Or', 'Adc', 'Sbb', 'And', 'Sub', 'Xor', 'Cmp'] as const;

function aluRows(): Row[] {
  const rows: Row[] = [];
  ALU.forEach((mn, n) => {
    const base = n * 8;
    const lock = mn === 'Cmp' ? '' : 'lock';
    const hex = (k: number): string => (base + k).toString(16).toUpperCase().padStart(2, '0');
    rows.push(
      [`${hex(0)} /r`, mn, 'E,b G,b', lock],
      [`${hex(1)} /r`, mn, 'E,v G,v', lock],
      [`${hex(2)} /r`, mn, 'G,b E,b'],
      [`${hex(3)} /r`, mn, 'G,v E,v'],
      [hex(4), mn, 'AL I,b'],
      [hex(5), mn, 'rAX I,z'],
      [`80 /${n}`, mn, 'E,b I,b', lock],
      [`81 /${n}`, mn, 'E,v I,z', lock],
      [`83 /${n}`, mn, 'E,v Is,b', lock],
    );
  });
  return rows;
}

/** Group 2 shifts and rotates: C0/C1 by imm8, D0/D1 by 1, D2/D3 by CL. */
const SHIFT: readonly (readonly [number, string])[] = [[0, 'Rol'], [1, 'Ror'], [2, 'Rcl'], [3, 'Rcr'], [4, 'Shl'], [5, 'Shr'], [7, 'Sar']];

function shiftRows(): Row[] {
  return SHIFT.flatMap(([n, mn]): Row[] => [
    [`C0 /${n}`, mn, 'E,b I,b'],
    [`C1 /${n}`, mn, 'E,v I,b'],
    [`D0 /${n}`, mn, 'E,b 1'],
    [`D1 /${n}`, mn, 'E,v 1'],
    [`D2 /${n}`, mn, 'E,b CL'],
    [`D3 /${n}`, mn, 'E,v CL'],
  ]);
}

export const ONE_BYTE: readonly Row[] = [
  ...aluRows(),
  ...shiftRows(),

  ['50+r', 'Push', 'Z,v', 'd64'],
  ['58+r', 'Pop', 'Z,v', 'd64'],
  ['63 /r', 'Movsxd', 'G,v E,z'],
  ['68', 'Push', 'I,z', 'd64'],
  ['69 /r', 'Imul', 'G,v E,v I,z'],
  ['6A', 'Push', 'Is,b', 'd64'],
  ['6B /r', 'Imul', 'G,v E,v Is,b'],
  ['70+cc', 'J{cc}', 'J,b', 'f64'],

  ['84 /r', 'Test', 'E,b G,b'],
  ['85 /r', 'Test', 'E,v G,v'],
  ['86 /r', 'Xchg', 'E,b G,b', 'lock'],
  ['87 /r', 'Xchg', 'E,v G,v', 'lock'],
  ['88 /r', 'Mov', 'E,b G,b'],
  ['89 /r', 'Mov', 'E,v G,v'],
  ['8A /r', 'Mov', 'G,b E,b'],
  ['8B /r', 'Mov', 'G,v E,v'],
  ['8D /r', 'Lea', 'G,v M'],
  ['8F /0', 'Pop', 'E,v', 'd64'],

  ['90', 'Nop', '', 'B0 osz'],
  ['90+r', 'Xchg', 'Z,v rAX'],
  ['F3 90', 'Pause', '', 'B0'],
  ['98', 'Cbw', '', 'o16'],
  ['98', 'Cwde', '', 'o32'],
  ['98', 'Cdqe', '', 'o64'],
  ['99', 'Cwd', '', 'o16'],
  ['99', 'Cdq', '', 'o32'],
  ['99', 'Cqo', '', 'o64'],
  ['9B', 'Wait'],
  ['9C', 'Pushf', '', 'd64 o16'],
  ['9C', 'Pushfq', '', 'd64 o64'],
  ['9D', 'Popf', '', 'd64 o16'],
  ['9D', 'Popfq', '', 'd64 o64'],
  ['9E', 'Sahf'],
  ['9F', 'Lahf'],

  ['A0', 'Mov', 'AL O,b'],
  ['A1', 'Mov', 'rAX O,v'],
  ['A2', 'Mov', 'O,b AL'],
  ['A3', 'Mov', 'O,v rAX'],
  ['A4', 'Movsb', '', 'sz1'],
  ['A5', 'Movsw', '', 'o16'],
  ['A5', 'Movsd', '', 'o32'],
  ['A5', 'Movsq', '', 'o64'],
  ['A6', 'Cmpsb', '', 'sz1'],
  ['A7', 'Cmpsw', '', 'o16'],
  ['A7', 'Cmpsd', '', 'o32'],
  ['A7', 'Cmpsq', '', 'o64'],
  ['A8', 'Test', 'AL I,b'],
  ['A9', 'Test', 'rAX I,z'],
  ['AA', 'Stosb', 'AL'],
  ['AB', 'Stosw', 'rAX', 'o16'],
  ['AB', 'Stosd', 'rAX', 'o32'],
  ['AB', 'Stosq', 'rAX', 'o64'],
  ['AC', 'Lodsb', 'AL'],
  ['AD', 'Lodsw', 'rAX', 'o16'],
  ['AD', 'Lodsd', 'rAX', 'o32'],
  ['AD', 'Lodsq', 'rAX', 'o64'],
  ['AE', 'Scasb', 'AL'],
  ['AF', 'Scasw', 'rAX', 'o16'],
  ['AF', 'Scasd', 'rAX', 'o32'],
  ['AF', 'Scasq', 'rAX', 'o64'],
  ['B0+r', 'Mov', 'Z,b I,b'],
  ['B8+r', 'Mov', 'Z,v I,v'],

  ['C2', 'Ret', 'I,w', 'f64'],
  ['C3', 'Ret', '', 'f64'],
  ['C6 /0', 'Mov', 'E,b I,b'],
  ['C7 /0', 'Mov', 'E,v I,z'],
  ['C8', 'Enter', 'I,w I,b', 'd64'],
  ['C9', 'Leave', '', 'd64'],
  ['CC', 'Int3'],
  ['CD', 'Int', 'I,b'],
  ['D7', 'Xlatb', '[rBX+AL]'],

  ['E0', 'Loopne', 'J,b', 'f64'],
  ['E1', 'Loope', 'J,b', 'f64'],
  ['E2', 'Loop', 'J,b', 'f64'],
  ['E3', 'Jrcxz', 'J,b', 'f64 a64'],
  ['E3', 'Jecxz', 'J,b', 'f64 a32'],
  ['E8', 'Call', 'J,z', 'f64'],
  ['E9', 'Jmp', 'J,z', 'f64'],
  ['EB', 'Jmp', 'J,b', 'f64'],

  ['F4', 'Hlt'],
  ['F5', 'Cmc'],
  ['F6 /0', 'Test', 'E,b I,b'],
  ['F6 /1', 'Test', 'E,b I,b'],
  ['F6 /2', 'Not', 'E,b', 'lock'],
  ['F6 /3', 'Neg', 'E,b', 'lock'],
  ['F6 /4', 'Mul', 'E,b'],
  ['F6 /5', 'Imul', 'E,b'],
  ['F6 /6', 'Div', 'E,b'],
  ['F6 /7', 'Idiv', 'E,b'],
  ['F7 /0', 'Test', 'E,v I,z'],
  ['F7 /1', 'Test', 'E,v I,z'],
  ['F7 /2', 'Not', 'E,v', 'lock'],
  ['F7 /3', 'Neg', 'E,v', 'lock'],
  ['F7 /4', 'Mul', 'E,v'],
  ['F7 /5', 'Imul', 'E,v'],
  ['F7 /6', 'Div', 'E,v'],
  ['F7 /7', 'Idiv', 'E,v'],
  ['F8', 'Clc'],
  ['F9', 'Stc'],
  ['FC', 'Cld'],
  ['FD', 'Std'],
  ['FE /0', 'Inc', 'E,b', 'lock'],
  ['FE /1', 'Dec', 'E,b', 'lock'],
  ['FF /0', 'Inc', 'E,v', 'lock'],
  ['FF /1', 'Dec', 'E,v', 'lock'],
  ['FF /2', 'Call', 'E,v', 'f64'],
  ['FF /4', 'Jmp', 'E,v', 'f64'],
  ['FF /6', 'Push', 'E,v', 'd64'],
];

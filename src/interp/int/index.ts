// Every integer instruction compiler, by iced-x86 mnemonic.

import type { CompilerTable } from './types.js';
import { aluCompilers } from './alu.js';
import { moveCompilers } from './move.js';
import { controlCompilers } from './control.js';
import { mulDivCompilers } from './muldiv.js';
import { shiftCompilers } from './shift.js';
import { bitCompilers } from './bits.js';
import { atomicCompilers } from './atomic.js';
import { stringCompilers } from './string.js';
import { systemCompilers } from './system.js';

export const integerCompilers: CompilerTable = {
  ...aluCompilers, ...moveCompilers, ...controlCompilers, ...mulDivCompilers, ...shiftCompilers,
  ...bitCompilers, ...atomicCompilers, ...stringCompilers, ...systemCompilers,
};

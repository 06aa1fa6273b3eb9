// msvcrt.dll as MinGW programs see it.
import { dll } from '../../src/abi/api.js';
import { startupData, startupFunctions } from './startup.js';
import { stdioFunctions } from './stdio.js';
import { lowioFunctions } from './lowio.js';
import { stringData, stringFunctions } from './string.js';
import { stdlibFunctions } from './stdlib.js';
import { crt } from './state.js';
import { formattedFunctions } from './formatted.js';
import { mathFunctions } from './math.js';
import { numberFunctions } from './numbers.js';
import { localeFunctions } from './locale.js';
import { timeData, timeFunctions } from './time.js';
import { stdioExtraFunctions } from './stdio-extra.js';
import { crtFileFunctions } from './files.js';
import { mbcsFunctions } from './mbcs.js';
import { secureFunctions } from './secure.js';

export const MSVCRT = dll('msvcrt.dll', {
  ...startupFunctions,
  ...stdioFunctions,
  ...lowioFunctions,
  ...stringFunctions,
  ...stdlibFunctions,
  ...formattedFunctions,
  ...mathFunctions,
  ...numberFunctions,
  ...localeFunctions,
  ...timeFunctions,
  ...stdioExtraFunctions,
  ...crtFileFunctions,
  ...mbcsFunctions,
  ...secureFunctions,
}, {
  data: {
    ...startupData,
    ...stringData,
    ...timeData,
    _iob: (p) => crt(p).iob,
  },
  // Guest code in wexert.dll: the sorts so that their comparator calls are guest-to-guest
  // calls, the string scans because a call into a native costs more than their work, the
  // block moves and fills as `rep movsb` / `rep stosb`, which compiled code runs as wasm
  // memory.copy / memory.fill, the heap (heap.c) because allocation-heavy programs call it
  // constantly.
  guest: ['qsort', 'bsearch', 'strlen', 'memcmp', 'strcmp', 'strncmp', 'strchr', 'memchr',
    'memcpy', 'memmove', 'memset', 'wmemcpy', 'wmemmove', 'wmemset',
    'malloc', 'calloc', 'realloc', 'free', '_msize', '_expand', '_recalloc'],
});

// KERNEL32.dll as the guest sees it.
import { dll } from '../../src/abi/api.js';
import { fileFunctions } from './file.js';
import { memoryFunctions } from './memory.js';
import { processFunctions } from './process.js';
import { syncFunctions } from './sync.js';
import { stringFunctions } from './strings.js';
import { fileInfoFunctions } from './fileinfo.js';

export const KERNEL32 = dll('KERNEL32.dll', {
  ...fileFunctions,
  ...memoryFunctions,
  ...processFunctions,
  ...syncFunctions,
  ...stringFunctions,
  ...fileInfoFunctions,
});

// KERNEL32.dll as the guest sees it.
import { dll } from '../../src/abi/api.js';
import { exceptionFunctions } from './exceptions.js';
import { fileFunctions } from './file.js';
import { memoryFunctions } from './memory.js';
import { processFunctions } from './process.js';
import { syncFunctions } from './sync.js';
import { stringFunctions } from './strings.js';
import { fileInfoFunctions } from './fileinfo.js';
import { systemFunctions } from './system.js';
import { messageFunctions } from './messages.js';

export const KERNEL32 = dll('KERNEL32.dll', {
  ...fileFunctions,
  ...memoryFunctions,
  ...processFunctions,
  ...syncFunctions,
  ...stringFunctions,
  ...fileInfoFunctions,
  ...systemFunctions,
  ...messageFunctions,
  ...exceptionFunctions,
}, {
  // Guest code in wexert.dll (runtime/guestlib/heap.c): the heap, as ntdll's
  // RtlAllocateHeap is code on Windows, so compiled code never leaves for it.
  guest: ['HeapAlloc', 'HeapFree', 'HeapReAlloc', 'HeapSize', 'HeapValidate',
    'LocalAlloc', 'LocalFree', 'GlobalAlloc', 'GlobalFree'],
});

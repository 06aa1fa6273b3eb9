// NTDLL.dll as the guest sees it: the exception-handling part of the Rtl API.
import { dll } from '../../src/abi/api.js';
import { ntdllExceptionFunctions } from './exceptions.js';

export const NTDLL = dll('ntdll.dll', {
  ...ntdllExceptionFunctions,
});

// KERNEL32 exception APIs: RaiseException, vectored handlers, and the Rtl* unwinding
// functions KERNEL32 forwards to NTDLL (MinGW's libgcc imports them from KERNEL32).
import { fn } from '../../src/abi/api.js';
import { raiseException, rtlExceptionFunctions, vectoredFunctions } from '../ntdll/exceptions.js';

export const exceptionFunctions = {
  RaiseException: fn(['u32', 'u32', 'u32', 'ptr'], 'void', (p, code, flags, n, args) => raiseException(p, code, flags, n, args)),
  ...vectoredFunctions,
  ...rtlExceptionFunctions,
};

// ADVAPI32.dll as console programs use it: the user name. The guest's user is "wexe".

import { dll, fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { Win32Error } from '../kernel32/errors.js';

export const USER_NAME = 'wexe';

/** GetUserName counts the terminator in *size, on success and in the size it asks for. */
function userName(p: Process, buf: number, sizePtr: number, wide: boolean): boolean {
  if (sizePtr === 0) { p.lastError = Win32Error.INVALID_PARAMETER; return false; }
  const need = USER_NAME.length + 1;
  if (buf === 0 || p.mem.read32(sizePtr) < need) {
    p.mem.write32(sizePtr, need);
    p.lastError = Win32Error.INSUFFICIENT_BUFFER;
    return false;
  }
  if (wide) p.mem.writeWString(buf, USER_NAME); else p.mem.writeCString(buf, USER_NAME);
  p.mem.write32(sizePtr, need);
  return true;
}

export const ADVAPI32 = dll('ADVAPI32.dll', {
  GetUserNameA: fn(['ptr', 'ptr'], 'bool', (p, buf, size) => userName(p, buf, size, false)),
  GetUserNameW: fn(['ptr', 'ptr'], 'bool', (p, buf, size) => userName(p, buf, size, true)),
});

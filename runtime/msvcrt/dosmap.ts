// msvcrt's _dosmaperr: the Win32 error -> errno table of the Microsoft CRT, with its
// ranges (write-protect errors give EACCES, exec-format errors ENOEXEC) and EINVAL for
// everything else. Sets both errno and _doserrno, as the CRT does.

import type { Process } from '../process.js';
import { crt } from './state.js';

const ENOENT = 2, E2BIG = 7, ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EEXIST = 17;
const EXDEV = 18, EINVAL = 22, EMFILE = 24, ENOSPC = 28, EPIPE = 32, ENOTEMPTY = 41;

const TABLE: ReadonlyMap<number, number> = new Map([
  [1, EINVAL], [2, ENOENT], [3, ENOENT], [4, EMFILE], [5, EACCES], [6, EBADF], [7, ENOMEM], [8, ENOMEM], [9, ENOMEM],
  [10, E2BIG], [11, ENOEXEC], [12, EINVAL], [13, EINVAL], [15, ENOENT], [16, EACCES], [17, EXDEV], [18, ENOENT],
  [33, EACCES], [53, ENOENT], [65, EACCES], [67, ENOENT], [80, EEXIST], [82, EACCES], [83, EACCES], [87, EINVAL],
  [89, EAGAIN], [108, EACCES], [109, EPIPE], [112, ENOSPC], [114, EBADF], [128, ECHILD], [129, ECHILD], [130, EBADF],
  [131, EINVAL], [132, EACCES], [145, ENOTEMPTY], [158, EACCES], [161, ENOENT], [164, EAGAIN], [167, EACCES],
  [183, EEXIST], [206, ENOENT], [215, EAGAIN], [1816, ENOMEM],
]);

export function errnoOfWin32(win32: number): number {
  const e = TABLE.get(win32);
  if (e !== undefined) return e;
  if (win32 >= 19 && win32 <= 36) return EACCES; // ERROR_WRITE_PROTECT .. ERROR_SHARING_BUFFER_EXCEEDED
  if (win32 >= 188 && win32 <= 202) return ENOEXEC; // ERROR_INVALID_STARTING_CODESEG .. ERROR_INFLOOP_IN_RELOC_CHAIN
  return EINVAL;
}

/** Records a failed system call as msvcrt does: _doserrno = the Win32 code, errno = its mapping. */
export function dosmaperr(p: Process, win32: number): void {
  const c = crt(p);
  p.mem.write32(c.doserrnoAddr, win32);
  c.errno = errnoOfWin32(win32);
}

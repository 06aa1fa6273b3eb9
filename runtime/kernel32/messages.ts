// FormatMessage: the English system message table for the common Win32 error codes (the
// texts of Windows 10, each ending in CR LF as the system table stores them), and
// FORMAT_MESSAGE_FROM_STRING / inserts (%1..%99 with an optional !printf format!).

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { Win32Error } from './errors.js';
import { formatPrintf } from '../msvcrt/format/index.js';
import { cp1252Encode } from '../text.js';

export const SYSTEM_MESSAGES: ReadonlyMap<number, string> = new Map([
  [0, 'The operation completed successfully.'],
  [1, 'Incorrect function.'],
  [2, 'The system cannot find the file specified.'],
  [3, 'The system cannot find the path specified.'],
  [4, 'The system cannot open the file.'],
  [5, 'Access is denied.'],
  [6, 'The handle is invalid.'],
  [8, 'Not enough memory resources are available to process this command.'],
  [12, 'The access code is invalid.'],
  [13, 'The data is invalid.'],
  [14, 'Not enough memory resources are available to complete this operation.'],
  [15, 'The system cannot find the drive specified.'],
  [16, 'The directory cannot be removed.'],
  [17, 'The system cannot move the file to a different disk drive.'],
  [18, 'There are no more files.'],
  [19, 'The media is write protected.'],
  [21, 'The device is not ready.'],
  [32, 'The process cannot access the file because it is being used by another process.'],
  [33, 'The process cannot access the file because another process has locked a portion of the file.'],
  [38, 'Reached the end of the file.'],
  [39, 'The disk is full.'],
  [50, 'The request is not supported.'],
  [80, 'The file exists.'],
  [82, 'The directory or file cannot be created.'],
  [87, 'The parameter is incorrect.'],
  [109, 'The pipe has been ended.'],
  [110, 'The system cannot open the device or file specified.'],
  [111, 'The file name is too long.'],
  [112, 'There is not enough space on the disk.'],
  [120, 'This function is not supported on this system.'],
  [122, 'The data area passed to a system call is too small.'],
  [123, 'The filename, directory name, or volume label syntax is incorrect.'],
  [126, 'The specified module could not be found.'],
  [127, 'The specified procedure could not be found.'],
  [131, 'An attempt was made to move the file pointer before the beginning of the file.'],
  [145, 'The directory is not empty.'],
  [161, 'The specified path is invalid.'],
  [183, 'Cannot create a file when that file already exists.'],
  [203, 'The system could not find the environment option that was entered.'],
  [206, 'The filename or extension is too long.'],
  [234, 'More data is available.'],
  [259, 'No more data is available.'],
  [267, 'The directory name is invalid.'],
  [317, 'The system cannot find message text for message number 0x%1 in the message file for %2.'],
  [487, 'Attempt to access invalid address.'],
  [995, 'The I/O operation has been aborted because of either a thread exit or an application request.'],
  [997, 'Overlapped I/O operation is in progress.'],
  [998, 'Invalid access to memory location.'],
  [1004, 'Invalid flags.'],
  [1113, 'No mapping for the Unicode character exists in the target multi-byte code page.'],
  [1168, 'Element not found.'],
  [1223, 'The operation was canceled by the user.'],
  [1392, 'The file or directory is corrupted and unreadable.'],
]);

const FORMAT_MESSAGE_ALLOCATE_BUFFER = 0x100;
const FORMAT_MESSAGE_IGNORE_INSERTS = 0x200;
const FORMAT_MESSAGE_FROM_STRING = 0x400;
const FORMAT_MESSAGE_FROM_HMODULE = 0x800;
const FORMAT_MESSAGE_FROM_SYSTEM = 0x1000;
const FORMAT_MESSAGE_ARGUMENT_ARRAY = 0x2000;
const FORMAT_MESSAGE_MAX_WIDTH_MASK = 0xff;
const ERROR_MR_MID_NOT_FOUND = 317;

/** Reads insert n (1-based) as a 64-bit slot: from an array, or from a va_list pointer. */
type InsertReader = (n: number) => bigint;

/**
 * Expands inserts: %1..%99 (optionally %n!fmt!, default !s!), %0 ends the message without
 * a line break, %n %r %t %space %. %! %% are escapes. With a nonzero max width (not 0xFF)
 * hard line breaks are kept; 0xFF drops them (the message then ends without CR LF).
 */
function expand(p: Process, text: string, flags: number, insert: InsertReader | undefined, wide: boolean): string {
  const maxWidth = flags & FORMAT_MESSAGE_MAX_WIDTH_MASK;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (maxWidth === 0xff && (c === '\r' || c === '\n')) {
      if (c === '\n' || text[i + 1] !== '\n') out += ' ';
      continue;
    }
    if (c !== '%') { out += c; continue; }
    const next = text[i + 1];
    if (next === undefined) break;
    if (/[1-9]/.test(next)) {
      const m = /^([1-9][0-9]?)(![^!]*!)?/.exec(text.slice(i + 1))!;
      i += m[0].length;
      if (insert === undefined) { out += `%${m[0]}`; continue; }
      const spec = m[2] ? m[2].slice(1, -1) : 's';
      out += formatInsert(p, spec, insert(Number(m[1])), wide);
      continue;
    }
    i++;
    switch (next) {
      case '0': return out;
      case 'n': out += '\r\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      default: out += next; // %% %. %! %space
    }
  }
  return out;
}

function formatInsert(p: Process, spec: string, value: bigint, wide: boolean): string {
  const fmt = `%${spec}`;
  const units = wide ? Uint16Array.from(fmt, (ch) => ch.charCodeAt(0)) : Uint8Array.from(fmt, (ch) => ch.charCodeAt(0));
  let used = false;
  const r = formatPrintf(units, {
    nextInt: () => { if (used) return 0n; used = true; return value; },
    readString: (ptr, w, max) => (w ? p.mem.readWString(Number(ptr), max) : p.mem.readCString(Number(ptr), max)),
    writeInt: () => undefined,
  }, wide);
  return r.text;
}

function messageText(p: Process, flags: number, source: number, id: number, args: number, wide: boolean): string | undefined {
  let text: string | undefined;
  if (flags & FORMAT_MESSAGE_FROM_STRING) {
    text = source === 0 ? undefined : wide ? p.mem.readWString(source) : p.mem.readCString(source);
    if (text === undefined) { p.lastError = Win32Error.INVALID_PARAMETER; return undefined; }
  } else if (flags & (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_FROM_HMODULE)) {
    const msg = SYSTEM_MESSAGES.get(id);
    if (msg === undefined) { p.lastError = ERROR_MR_MID_NOT_FOUND; return undefined; }
    text = `${msg}\r\n`;
  } else {
    p.lastError = Win32Error.INVALID_PARAMETER;
    return undefined;
  }
  let insert: InsertReader | undefined;
  if (!(flags & FORMAT_MESSAGE_IGNORE_INSERTS)) {
    if (args === 0) { p.lastError = Win32Error.INVALID_PARAMETER; return undefined; }
    insert = (flags & FORMAT_MESSAGE_ARGUMENT_ARRAY)
      ? (n) => p.mem.read64(args + 8 * (n - 1))
      : (n) => p.mem.read64(p.mem.readPtr(args) + 8 * (n - 1)); // va_list*: slots in call order
  }
  return expand(p, text, flags, insert, wide);
}

/** FormatMessageA/W: the count of characters stored, without the terminator; 0 on failure. */
function formatMessage(p: Process, flags: number, source: number, id: number, buf: number, size: number, args: number, wide: boolean): number {
  const text = messageText(p, flags, source, id, args, wide);
  if (text === undefined) return 0;
  const bytes = wide ? Uint8Array.from(text.split('').flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8]))
    : cp1252Encode(text).bytes;
  const unit = wide ? 2 : 1;
  let dst = buf;
  if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
    const a = p.processHeap.alloc(Math.max(size, text.length + 1) * unit, true);
    if (a === undefined) { p.lastError = Win32Error.NOT_ENOUGH_MEMORY; return 0; }
    p.mem.writePtr(buf, a);
    dst = a;
  } else if (size < text.length + 1) {
    p.lastError = Win32Error.INSUFFICIENT_BUFFER;
    return 0;
  }
  p.mem.writeBytes(dst, bytes);
  p.mem.writeBytes(dst + bytes.length, new Uint8Array(unit));
  return text.length;
}

export const messageFunctions = {
  FormatMessageA: fn(['u32', 'ptr', 'u32', 'u32', 'ptr', 'u32', 'ptr'], 'u32',
    (p, flags, src, id, _lang, buf, size, args) => formatMessage(p, flags, src, id, buf, size, args, false)),
  FormatMessageW: fn(['u32', 'ptr', 'u32', 'u32', 'ptr', 'u32', 'ptr'], 'u32',
    (p, flags, src, id, _lang, buf, size, args) => formatMessage(p, flags, src, id, buf, size, args, true)),
};

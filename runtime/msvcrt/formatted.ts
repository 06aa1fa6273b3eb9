// The printf and scanf families: guest memory, varargs and streams around the pure
// format engines in ./format.

import { fn } from '../../src/abi/api.js';
import type { VarArgs } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { formatPrintf, scanFormat } from './format/index.js';
import type { PrintfArgs, ScanInput, ScanOutput, ScanStoreKind } from './format/index.js';
import { crt, Errno } from './state.js';
import { getByte, streamOf, ungetByte, writeStream, EOF } from './stdio.js';
import { cp1252Encode } from '../text.js';

/** Arguments of a `...` function: the thunk's slot reader. */
export function argsFromVarArgs(p: Process, va: VarArgs): PrintfArgs {
  return {
    nextInt: () => va.nextU64(),
    readString: (ptr, wide, max) => readGuestString(p, ptr, wide, max),
    writeInt: (ptr, size, value) => writeGuestInt(p, ptr, size, value),
  };
}

/** Arguments of a `v...` function: a va_list is a pointer to consecutive 8-byte slots. */
export function argsFromVaList(p: Process, list: number): PrintfArgs {
  let at = list;
  return {
    nextInt: () => { const v = p.mem.read64(at); at += 8; return v; },
    readString: (ptr, wide, max) => readGuestString(p, ptr, wide, max),
    writeInt: (ptr, size, value) => writeGuestInt(p, ptr, size, value),
  };
}

function readGuestString(p: Process, ptr: bigint, wide: boolean, max?: number): string {
  const a = Number(ptr);
  return wide ? p.mem.readWString(a, max) : p.mem.readCString(a, max);
}

function writeGuestInt(p: Process, ptr: bigint, size: number, value: number): void {
  const a = Number(ptr);
  if (size === 2) p.mem.write16(a, value & 0xffff);
  else if (size === 8) p.mem.write64(a, BigInt(value));
  else p.mem.write32(a, value >>> 0);
}

function formatUnits(p: Process, fmtPtr: number, wide: boolean): Uint8Array | Uint16Array {
  if (wide) {
    const n = p.mem.wcslen(fmtPtr);
    const out = new Uint16Array(n);
    for (let i = 0; i < n; i++) out[i] = p.mem.read16(fmtPtr + 2 * i);
    return out;
  }
  return p.mem.readBytes(fmtPtr, p.mem.strlen(fmtPtr));
}

/** Output text (char codes 0..255 for narrow) to bytes. */
function narrowBytes(text: string): Uint8Array {
  const b = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i) & 0xff;
  return b;
}

export function format(p: Process, fmtPtr: number, args: PrintfArgs, wide: boolean): { text: string; failed: boolean } {
  if (fmtPtr === 0) { crt(p).errno = Errno.EINVAL; return { text: '', failed: true }; }
  return formatPrintf(formatUnits(p, fmtPtr, wide), args, wide);
}

function printTo(p: Process, stream: number, fmtPtr: number, args: PrintfArgs, wide: boolean): number {
  const s = streamOf(p, stream);
  if (!s) { crt(p).errno = Errno.EINVAL; return -1; }
  const r = format(p, fmtPtr, args, wide);
  const bytes = wide ? cp1252Encode(r.text).bytes : narrowBytes(r.text);
  const n = writeStream(p, s, bytes);
  if (r.failed || n < bytes.length) return -1;
  return r.text.length;
}

/** sprintf-style into a buffer; `count` undefined means unbounded. */
function printToBuffer(p: Process, buf: number, count: number | undefined, fmtPtr: number, args: PrintfArgs, wide: boolean, truncateStyle: 'msvcrt' | 'c99'): number {
  const r = format(p, fmtPtr, args, wide);
  if (r.failed) return -1;
  const text = r.text;
  const write = (s: string, terminate: boolean): void => {
    const units = terminate ? `${s}\0` : s;
    if (wide) { for (let i = 0; i < units.length; i++) p.mem.write16(buf + 2 * i, units.charCodeAt(i)); }
    else p.mem.writeBytes(buf, narrowBytes(units));
  };
  if (count === undefined) { write(text, true); return text.length; }
  if (truncateStyle === 'c99') {
    // snprintf: always terminates (when count > 0), returns the full length.
    if (count > 0) write(text.slice(0, count - 1), true);
    return text.length;
  }
  // _snprintf: terminates only when there is room; returns -1 when truncated.
  if (text.length < count) { write(text, true); return text.length; }
  if (text.length === count) { write(text, false); return text.length; }
  write(text.slice(0, count), false);
  return -1;
}

// ---- scanf -----------------------------------------------------------------------------

function storeScanned(p: Process, ptr: bigint, kind: ScanStoreKind, value: number | bigint | string): void {
  const a = Number(ptr);
  const m = p.mem;
  switch (kind) {
    case 'i16': m.write16(a, Number(BigInt.asUintN(16, BigInt(value as bigint)))); return;
    case 'i32': m.write32(a, Number(BigInt.asUintN(32, BigInt(value as bigint)))); return;
    case 'i64': m.write64(a, BigInt.asUintN(64, BigInt(value as bigint))); return;
    case 'f32': m.writeF32(a, value as number); return;
    case 'f64': m.writeF64(a, value as number); return;
    case 'str': m.writeBytes(a, narrowBytes(`${value as string}\0`)); return;
    case 'char': m.writeBytes(a, narrowBytes(value as string)); return;
    case 'wstr': m.writeWString(a, value as string); return;
    case 'wchar': { const s = value as string; for (let i = 0; i < s.length; i++) m.write16(a + 2 * i, s.charCodeAt(i)); return; }
  }
}

function scanOutVarArgs(p: Process, va: VarArgs): ScanOutput {
  return { nextPtr: () => va.nextU64(), store: (ptr, kind, v) => storeScanned(p, ptr, kind, v) };
}

function scanOutVaList(p: Process, list: number): ScanOutput {
  let at = list;
  return { nextPtr: () => { const v = p.mem.read64(at); at += 8; return v; }, store: (ptr, kind, v) => storeScanned(p, ptr, kind, v) };
}

function stringInput(p: Process, s: number, wide: boolean): ScanInput {
  let at = s;
  const read = (): number => (wide ? p.mem.read16(at) : p.mem.read8(at));
  return {
    peek: () => { const c = read(); return c === 0 ? -1 : c; },
    next: () => { const c = read(); if (c === 0) return -1; at += wide ? 2 : 1; return c; },
  };
}

function streamInput(p: Process, addr: number): ScanInput | undefined {
  const s = streamOf(p, addr);
  if (!s) return undefined;
  return {
    peek: () => { const c = getByte(p, s); if (c !== EOF) ungetByte(p, s, c); return c; },
    next: () => getByte(p, s),
  };
}

function scanStream(p: Process, addr: number, fmtPtr: number, out: ScanOutput, wide: boolean): number {
  const input = streamInput(p, addr);
  if (!input || fmtPtr === 0) { crt(p).errno = Errno.EINVAL; return -1; }
  return scanFormat(formatUnits(p, fmtPtr, wide), input, out, wide);
}

const STDIN = (p: Process): number => crt(p).iob;
const STDOUT = (p: Process): number => crt(p).iob + 48;

export const formattedFunctions = {
  printf: fn(['ptr', 'va'], 'i32', (p, f, va) => printTo(p, STDOUT(p), f, argsFromVarArgs(p, va), false)),
  wprintf: fn(['ptr', 'va'], 'i32', (p, f, va) => printTo(p, STDOUT(p), f, argsFromVarArgs(p, va), true)),
  fprintf: fn(['ptr', 'ptr', 'va'], 'i32', (p, s, f, va) => printTo(p, s, f, argsFromVarArgs(p, va), false)),
  fwprintf: fn(['ptr', 'ptr', 'va'], 'i32', (p, s, f, va) => printTo(p, s, f, argsFromVarArgs(p, va), true)),
  vprintf: fn(['ptr', 'ptr'], 'i32', (p, f, l) => printTo(p, STDOUT(p), f, argsFromVaList(p, l), false)),
  vwprintf: fn(['ptr', 'ptr'], 'i32', (p, f, l) => printTo(p, STDOUT(p), f, argsFromVaList(p, l), true)),
  vfprintf: fn(['ptr', 'ptr', 'ptr'], 'i32', (p, s, f, l) => printTo(p, s, f, argsFromVaList(p, l), false)),
  vfwprintf: fn(['ptr', 'ptr', 'ptr'], 'i32', (p, s, f, l) => printTo(p, s, f, argsFromVaList(p, l), true)),
  sprintf: fn(['ptr', 'ptr', 'va'], 'i32', (p, b, f, va) => printToBuffer(p, b, undefined, f, argsFromVarArgs(p, va), false, 'msvcrt')),
  vsprintf: fn(['ptr', 'ptr', 'ptr'], 'i32', (p, b, f, l) => printToBuffer(p, b, undefined, f, argsFromVaList(p, l), false, 'msvcrt')),
  _snprintf: fn(['ptr', 'u64', 'ptr', 'va'], 'i32', (p, b, n, f, va) => printToBuffer(p, b, Number(n), f, argsFromVarArgs(p, va), false, 'msvcrt')),
  _vsnprintf: fn(['ptr', 'u64', 'ptr', 'ptr'], 'i32', (p, b, n, f, l) => printToBuffer(p, b, Number(n), f, argsFromVaList(p, l), false, 'msvcrt')),
  // msvcrt.dll's swprintf is the old two-argument form (no count).
  swprintf: fn(['ptr', 'ptr', 'va'], 'i32', (p, b, f, va) => printToBuffer(p, b, undefined, f, argsFromVarArgs(p, va), true, 'msvcrt')),
  vswprintf: fn(['ptr', 'ptr', 'ptr'], 'i32', (p, b, f, l) => printToBuffer(p, b, undefined, f, argsFromVaList(p, l), true, 'msvcrt')),
  _snwprintf: fn(['ptr', 'u64', 'ptr', 'va'], 'i32', (p, b, n, f, va) => printToBuffer(p, b, Number(n), f, argsFromVarArgs(p, va), true, 'msvcrt')),
  _vsnwprintf: fn(['ptr', 'u64', 'ptr', 'ptr'], 'i32', (p, b, n, f, l) => printToBuffer(p, b, Number(n), f, argsFromVaList(p, l), true, 'msvcrt')),
  _scprintf: fn(['ptr', 'va'], 'i32', (p, f, va) => { const r = format(p, f, argsFromVarArgs(p, va), false); return r.failed ? -1 : r.text.length; }),
  _vscprintf: fn(['ptr', 'ptr'], 'i32', (p, f, l) => { const r = format(p, f, argsFromVaList(p, l), false); return r.failed ? -1 : r.text.length; }),
  _scwprintf: fn(['ptr', 'va'], 'i32', (p, f, va) => { const r = format(p, f, argsFromVarArgs(p, va), true); return r.failed ? -1 : r.text.length; }),
  _vscwprintf: fn(['ptr', 'ptr'], 'i32', (p, f, l) => { const r = format(p, f, argsFromVaList(p, l), true); return r.failed ? -1 : r.text.length; }),
  scanf: fn(['ptr', 'va'], 'i32', (p, f, va) => scanStream(p, STDIN(p), f, scanOutVarArgs(p, va), false)),
  wscanf: fn(['ptr', 'va'], 'i32', (p, f, va) => scanStream(p, STDIN(p), f, scanOutVarArgs(p, va), true)),
  fscanf: fn(['ptr', 'ptr', 'va'], 'i32', (p, s, f, va) => scanStream(p, s, f, scanOutVarArgs(p, va), false)),
  fwscanf: fn(['ptr', 'ptr', 'va'], 'i32', (p, s, f, va) => scanStream(p, s, f, scanOutVarArgs(p, va), true)),
  sscanf: fn(['ptr', 'ptr', 'va'], 'i32', (p, s, f, va) => scanFormat(formatUnits(p, f, false), stringInput(p, s, false), scanOutVarArgs(p, va), false)),
  swscanf: fn(['ptr', 'ptr', 'va'], 'i32', (p, s, f, va) => scanFormat(formatUnits(p, f, true), stringInput(p, s, true), scanOutVarArgs(p, va), true)),
  vscanf: fn(['ptr', 'ptr'], 'i32', (p, f, l) => scanStream(p, STDIN(p), f, scanOutVaList(p, l), false)),
  vfscanf: fn(['ptr', 'ptr', 'ptr'], 'i32', (p, s, f, l) => scanStream(p, s, f, scanOutVaList(p, l), false)),
  vsscanf: fn(['ptr', 'ptr', 'ptr'], 'i32', (p, s, f, l) => scanFormat(formatUnits(p, f, false), stringInput(p, s, false), scanOutVaList(p, l), false)),
};

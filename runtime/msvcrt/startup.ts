// msvcrt start-up and shutdown as MinGW's crt0 uses them: __getmainargs, _initterm,
// _onexit/atexit, exit/_exit/abort, signal, and setjmp/longjmp.

import { fn } from '../../src/abi/api.js';
import type { DataExport } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { Reg } from '../../src/cpu/state.js';
import { crt, Errno } from './state.js';
import { flushAll, writeStream, streamOf } from './stdio.js';
import { parseCommandLine } from './cmdline.js';
import { cp1252Encode } from '../text.js';
import { writeHandle } from '../io.js';
import { stdHandles } from '../kernel32/file.js';
import { cSpecificHandler } from '../../src/seh/c-specific-handler.js';

/**
 * argv and envp, narrow or wide, each built once per process when first asked for: a
 * MinGW program uses one kind, and each string is a heap allocation (guest code).
 */
type MainArray = 'argv' | 'envp' | 'wargv' | 'wenvp';

function mainArgc(p: Process): number {
  return p.dllState('msvcrt.argc', () => parseCommandLine(p.commandLine).length);
}

function mainArray(p: Process, which: MainArray): number {
  return p.dllState(`msvcrt.mainargs.${which}`, () => {
    const list = which === 'argv' || which === 'wargv' ? parseCommandLine(p.commandLine)
      : [...p.env.entries()].map(([k, v]) => `${k}=${v}`);
    const wide = which === 'wargv' || which === 'wenvp';
    const arr = p.alloc(8 * (list.length + 1), true);
    list.forEach((s, i) => {
      let a: number;
      if (wide) { a = p.alloc(2 * s.length + 2, true); p.mem.writeWString(a, s); }
      else { const bytes = cp1252Encode(s).bytes; a = p.alloc(bytes.length + 1, true); p.mem.writeBytes(a, bytes); }
      p.mem.writePtr(arr + 8 * i, a);
    });
    return arr;
  });
}

/** A pointer-sized guest variable, allocated once (for data exports and __p__ accessors). */
function variable(p: Process, key: string, init: (addr: number) => void, size = 8): number {
  return p.dllState(`msvcrt.var.${key}`, () => {
    const a = p.alloc(size, true);
    init(a);
    return a;
  });
}

const argcVar = (p: Process): number => variable(p, 'argc', (a) => p.mem.write32(a, mainArgc(p)), 4);
const argvVar = (p: Process): number => variable(p, 'argv', (a) => p.mem.writePtr(a, mainArray(p, 'argv')));
const wargvVar = (p: Process): number => variable(p, 'wargv', (a) => p.mem.writePtr(a, mainArray(p, 'wargv')));
const environVar = (p: Process): number => variable(p, 'environ', (a) => p.mem.writePtr(a, mainArray(p, 'envp')));
const wenvironVar = (p: Process): number => variable(p, 'wenviron', (a) => p.mem.writePtr(a, mainArray(p, 'wenvp')));
const fmodeVar = (p: Process): number => variable(p, 'fmode', () => undefined, 4);
const commodeVar = (p: Process): number => variable(p, 'commode', () => undefined, 4);
const acmdlnVar = (p: Process): number => variable(p, 'acmdln', (a) => {
  const bytes = cp1252Encode(p.commandLine).bytes;
  const s = p.alloc(bytes.length + 1, true);
  p.mem.writeBytes(s, bytes);
  p.mem.writePtr(a, s);
});
const wcmdlnVar = (p: Process): number => variable(p, 'wcmdln', (a) => {
  const s = p.alloc(2 * p.commandLine.length + 2, true);
  p.mem.writeWString(s, p.commandLine);
  p.mem.writePtr(a, s);
});
const mbCurMaxVar = (p: Process): number => variable(p, 'mb_cur_max', (a) => p.mem.write32(a, 1), 4);

function getMainArgs(p: Process, argcPtr: number, argvPtr: number, envPtr: number, wide: boolean): number {
  p.mem.write32(argcPtr, mainArgc(p));
  p.mem.writePtr(argvPtr, mainArray(p, wide ? 'wargv' : 'argv'));
  p.mem.writePtr(envPtr, mainArray(p, wide ? 'wenvp' : 'envp'));
  return 0;
}

/** Calls each non-null function pointer in [start, end). */
function initterm(p: Process, start: number, end: number, checkResult: boolean): number {
  for (let a = start; a < end; a += 8) {
    const f = p.mem.readPtr(a);
    if (f === 0) continue;
    const r = p.callGuestInt(f);
    if (checkResult && r !== 0) return r;
  }
  return 0;
}

/** Runs the atexit/_onexit table (last registered first), flushes streams, then ends the process. */
export function runExit(p: Process, code: number, runHandlers: boolean): never {
  const c = crt(p);
  if (runHandlers && !c.exiting) {
    c.exiting = true;
    while (c.onexit.length > 0) p.callGuest(c.onexit.pop()!);
  }
  flushAll(p);
  return p.exit(code);
}

const ABORT_MESSAGE = '\r\nThis application has requested the Runtime to terminate it in an unusual way.\n'
  + 'Please contact the application\'s support team for more information.\r\n';

const SIGINT = 2;
const SIGILL = 4;
const SIGFPE = 8;
const SIGSEGV = 11;
const SIGTERM = 15;
const SIGBREAK = 21;
const SIGABRT = 22;
const SIG_DFL = 0;
const SIG_IGN = 1;
const SIG_ERR = -1;

function signals(p: Process): Map<number, number> { return p.dllState('msvcrt.signals', () => new Map()); }

function abort(p: Process): never {
  const handler = signals(p).get(SIGABRT) ?? SIG_DFL;
  if (handler !== SIG_DFL && handler !== SIG_IGN) {
    signals(p).set(SIGABRT, SIG_DFL);
    p.callGuest(handler, [SIGABRT]);
  }
  // msvcrt.dll writes its runtime message straight to the stderr handle (no text-mode
  // translation: the line ends are as in the message) and exits with 3 without running
  // atexit handlers.
  flushAll(p);
  writeHandle(p, stdHandles(p)[2]!, cp1252Encode(ABORT_MESSAGE).bytes);
  return p.exit(3);
}

function raise(p: Process, sig: number): number {
  const h = signals(p).get(sig) ?? SIG_DFL;
  if (h === SIG_IGN) return 0;
  if (h === SIG_DFL) {
    if (sig === SIGABRT) return abort(p);
    flushAll(p);
    return p.exit(3);
  }
  signals(p).set(sig, SIG_DFL);
  p.callGuest(h, [sig]);
  return 0;
}

// ---- setjmp/longjmp ------------------------------------------------------------------
// _JUMP_BUFFER (x64): Frame, Rbx, Rsp, Rbp, Rsi, Rdi, R12-R15, Rip, MxCsr, FpCsr, Spare, Xmm6-15.

const JB_REGS: [number, number][] = [[8, Reg.RBX], [24, Reg.RBP], [32, Reg.RSI], [40, Reg.RDI], [48, Reg.R12], [56, Reg.R13], [64, Reg.R14], [72, Reg.R15]];

function setjmp(p: Process, buf: number, frame: number): number {
  const { st, mem } = p;
  const rsp = st.getNum(Reg.RSP);
  mem.writePtr(buf, frame);
  for (const [off, r] of JB_REGS) mem.write64Parts(buf + off, st.lo(r), st.hi(r));
  mem.writePtr(buf + 16, rsp + 8); // the caller's RSP after this call returns
  mem.writePtr(buf + 80, mem.readPtr(rsp)); // return address
  mem.write32(buf + 88, st.mxcsr);
  mem.write16(buf + 92, mem.dv.getUint16(st.u8.byteOffset + 0xa4, true));
  mem.write16(buf + 94, 0);
  for (let i = 0; i < 10; i++) mem.writeBytes(buf + 96 + 16 * i, mem.u8.slice(st.xmmAddr(6 + i), st.xmmAddr(6 + i) + 16));
  return 0;
}

function longjmp(p: Process, buf: number, value: number): void {
  const { st, mem } = p;
  for (const [off, r] of JB_REGS) st.set64(r, mem.read32(buf + off), mem.read32(buf + off + 4));
  st.mxcsr = mem.read32(buf + 88);
  for (let i = 0; i < 10; i++) mem.u8.set(mem.readBytes(buf + 96 + 16 * i, 16), st.xmmAddr(6 + i));
  st.set64(Reg.RAX, value === 0 ? 1 : value >>> 0, 0);
  p.jumpTo(mem.readPtr(buf + 80), mem.readPtr(buf + 16));
}

const dataVar = (f: (p: Process) => number): DataExport => f;

export const startupData: Record<string, DataExport> = {
  __argc: dataVar(argcVar),
  __argv: dataVar(argvVar),
  __wargv: dataVar(wargvVar),
  _environ: dataVar(environVar),
  _wenviron: dataVar(wenvironVar),
  __initenv: dataVar(environVar),
  __winitenv: dataVar(wenvironVar),
  _fmode: dataVar(fmodeVar),
  _commode: dataVar(commodeVar),
  _acmdln: dataVar(acmdlnVar),
  _wcmdln: dataVar(wcmdlnVar),
  __mb_cur_max: dataVar(mbCurMaxVar),
};

export const startupFunctions = {
  __set_app_type: fn(['i32'], 'void', () => undefined),
  __getmainargs: fn(['ptr', 'ptr', 'ptr', 'i32', 'ptr'], 'i32', (p, argc, argv, env) => getMainArgs(p, argc, argv, env, false)),
  __wgetmainargs: fn(['ptr', 'ptr', 'ptr', 'i32', 'ptr'], 'i32', (p, argc, argv, env) => getMainArgs(p, argc, argv, env, true)),
  __p___argc: fn([], 'ptr', (p) => argcVar(p)),
  __p___argv: fn([], 'ptr', (p) => argvVar(p)),
  __p___wargv: fn([], 'ptr', (p) => wargvVar(p)),
  __p__environ: fn([], 'ptr', (p) => environVar(p)),
  __p__wenviron: fn([], 'ptr', (p) => wenvironVar(p)),
  __p__fmode: fn([], 'ptr', (p) => fmodeVar(p)),
  __p__commode: fn([], 'ptr', (p) => commodeVar(p)),
  __p__acmdln: fn([], 'ptr', (p) => acmdlnVar(p)),
  __p__wcmdln: fn([], 'ptr', (p) => wcmdlnVar(p)),
  ___mb_cur_max_func: fn([], 'i32', () => 1),
  __setusermatherr: fn(['ptr'], 'void', (p, f) => { p.dllState('msvcrt.matherr', () => ({ fn: 0 })).fn = f; }),
  _initterm: fn(['ptr', 'ptr'], 'void', (p, a, b) => { initterm(p, a, b, false); }),
  _initterm_e: fn(['ptr', 'ptr'], 'i32', (p, a, b) => initterm(p, a, b, true)),
  _onexit: fn(['ptr'], 'ptr', (p, f) => { crt(p).onexit.push(f); return f; }),
  atexit: fn(['ptr'], 'i32', (p, f) => { crt(p).onexit.push(f); return 0; }),
  __dllonexit: fn(['ptr', 'ptr', 'ptr'], 'ptr', (p, f) => { crt(p).onexit.push(f); return f; }),
  _cexit: fn([], 'void', (p) => {
    const c = crt(p);
    if (!c.exiting) { c.exiting = true; while (c.onexit.length > 0) p.callGuest(c.onexit.pop()!); }
    flushAll(p);
  }),
  _c_exit: fn([], 'void', (p) => { flushAll(p); }),
  exit: fn(['i32'], 'void', (p, code) => runExit(p, code, true)),
  _exit: fn(['i32'], 'void', (p, code) => p.exit(code)),
  _Exit: fn(['i32'], 'void', (p, code) => p.exit(code)),
  abort: fn([], 'void', (p) => abort(p)),
  _amsg_exit: fn(['i32'], 'void', (p, n) => {
    const err = streamOf(p, crt(p).iob + 96);
    if (err) writeStream(p, err, cp1252Encode(`\nruntime error R60${String(n).padStart(2, '0')}\n`).bytes);
    flushAll(p);
    p.exit(255);
  }),
  signal: fn(['i32', 'ptr'], 'ptr', (p, sig, handler) => {
    if (![SIGINT, SIGILL, SIGFPE, SIGSEGV, SIGTERM, SIGBREAK, SIGABRT].includes(sig)) { crt(p).errno = Errno.EINVAL; return SIG_ERR; }
    const old = signals(p).get(sig) ?? SIG_DFL;
    signals(p).set(sig, handler);
    return old;
  }),
  raise: fn(['i32'], 'i32', (p, sig) => raise(p, sig)),
  _setjmp: fn(['ptr', 'ptr'], 'i32', (p, buf, frame) => setjmp(p, buf, frame)),
  setjmp: fn(['ptr'], 'i32', (p, buf) => setjmp(p, buf, 0)),
  _setjmpex: fn(['ptr', 'ptr'], 'i32', (p, buf, frame) => setjmp(p, buf, frame)),
  longjmp: fn(['ptr', 'i32'], 'void', (p, buf, v) => longjmp(p, buf, v)),
  _XcptFilter: fn(['u32', 'ptr'], 'i32', () => 0),
  // The scope-table handler of __try/__except/__finally (src/seh/c-specific-handler.ts).
  __C_specific_handler: fn(['ptr', 'ptr', 'ptr', 'ptr'], 'i32', (p, rec, frame, ctx, dc) => cSpecificHandler(p, rec, frame, ctx, dc)),
  _lock: fn(['i32'], 'void', () => undefined),
  _unlock: fn(['i32'], 'void', () => undefined),
  _set_invalid_parameter_handler: fn(['ptr'], 'ptr', () => 0),
  _configthreadlocale: fn(['i32'], 'i32', () => 2),
  _set_error_mode: fn(['i32'], 'i32', () => 0),
  __lconv_init: fn([], 'i32', () => 0),
  _controlfp: fn(['u32', 'u32'], 'u32', (p, v, mask) => controlfp(p, v, mask)),
  _controlfp_s: fn(['ptr', 'u32', 'u32'], 'i32', (p, out, v, mask) => { const r = controlfp(p, v, mask); if (out) p.mem.write32(out, r); return 0; }),
  _fpreset: fn([], 'void', (p) => { p.st.mxcsr = 0x1f80; p.mem.dv.setUint16(p.st.u8.byteOffset + 0xa4, 0x27f, true); }),
  _errno: fn([], 'ptr', (p) => crt(p).errnoAddr),
  __doserrno: fn([], 'ptr', (p) => crt(p).doserrnoAddr),
  _get_errno: fn(['ptr'], 'i32', (p, out) => { p.mem.write32(out, crt(p).errno); return 0; }),
  _set_errno: fn(['i32'], 'i32', (p, v) => { crt(p).errno = v; return 0; }),
};

/**
 * _controlfp: the portable control word over MXCSR (what x64 msvcrt uses).
 * Bits: _EM_INVALID 0x10, _EM_DENORMAL 0x80000, _EM_ZERODIVIDE 0x8, _EM_OVERFLOW 0x4,
 * _EM_UNDERFLOW 0x2, _EM_INEXACT 0x1, _RC_* in 0x300, _DN_* in 0x3000000.
 */
function controlfp(p: Process, value: number, mask: number): number {
  const mx = p.st.mxcsr;
  const pairs: [number, number][] = [[0x10, 0x80], [0x80000, 0x100], [0x8, 0x200], [0x4, 0x400], [0x2, 0x800], [0x1, 0x1000]];
  let cw = 0;
  for (const [c, m] of pairs) if (mx & m) cw |= c;
  const rc = (mx >> 13) & 3;
  cw |= [0x0, 0x100, 0x200, 0x300][rc]!;
  if (mx & 0x8040) cw |= (mx & 0x8000 ? 0x1000000 : 0) | (mx & 0x40 ? 0x2000000 : 0);
  const next = (cw & ~mask) | (value & mask);
  let nmx = mx & ~0xffc0;
  for (const [c, m] of pairs) if (next & c) nmx |= m;
  nmx |= ([0, 1, 2, 3][(next >> 8) & 3]!) << 13;
  if (next & 0x1000000) nmx |= 0x8000;
  if (next & 0x2000000) nmx |= 0x40;
  p.st.mxcsr = nmx;
  return next;
}

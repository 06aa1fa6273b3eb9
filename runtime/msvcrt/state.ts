// Per-process state of msvcrt.dll: errno, the low-level file descriptor table, the
// stdio streams, the exit-time function table and the random generator.

import type { Process } from '../process.js';
import { stdHandles } from '../kernel32/file.js';
import { guestLibraryExport } from '../guestlib/index.js';

export const O_RDONLY = 0x0;
export const O_WRONLY = 0x1;
export const O_RDWR = 0x2;
export const O_APPEND = 0x8;
export const O_CREAT = 0x100;
export const O_TRUNC = 0x200;
export const O_EXCL = 0x400;
export const O_TEXT = 0x4000;
export const O_BINARY = 0x8000;
export const O_WTEXT = 0x10000;
export const O_U16TEXT = 0x20000;
export const O_U8TEXT = 0x40000;

/** msvcrt errno values. */
export const Errno = {
  EPERM: 1, ENOENT: 2, EIO: 5, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EEXIST: 17, ENOTDIR: 20, EISDIR: 21,
  EINVAL: 22, EMFILE: 24, ENOSPC: 28, ESPIPE: 29, EPIPE: 32, EDOM: 33, ERANGE: 34, EILSEQ: 42,
} as const;

export interface FdEntry {
  handle: number;
  text: boolean;
  append: boolean;
  /** A CR at the end of the last text-mode read, held back to see whether LF follows. */
  pendingCR: boolean;
  eof: boolean;
  isDevice: boolean;
}

/** The C-level state of one FILE (the guest-visible struct only mirrors a few fields). */
export interface Stream {
  addr: number;
  fd: number;
  canRead: boolean;
  canWrite: boolean;
  /** Bytes written but not yet passed to the fd layer. */
  out: number[];
  /** Bytes read ahead from the fd layer. */
  inBuf: Uint8Array;
  inPos: number;
  /** ungetc pushes, consumed before inBuf (last pushed first). */
  pushback: number[];
  eof: boolean;
  error: boolean;
  /** 0 full, 1 line (msvcrt treats _IOLBF as full), 2 none. */
  bufMode: 0 | 1 | 2;
  bufSize: number;
  /** The last operation, for the read/write switching rules. */
  lastOp: 'none' | 'read' | 'write';
  tmpPath?: string;
}

export const FILE_SIZE = 48;
export const IOB_ENTRIES = 20;
export const _IOREAD = 0x1;
export const _IOWRT = 0x2;
export const _IOEOF = 0x10;
export const _IOERR = 0x20;
export const _IORW = 0x80;

export interface OnExitEntry { fn: number }

export class CrtState {
  readonly fds: (FdEntry | undefined)[] = [];
  readonly streams = new Map<number, Stream>();
  /** _iob[0..19]: the first three are stdin, stdout, stderr. */
  readonly iob: number;
  errnoAddr: number;
  doserrnoAddr: number;
  /** atexit/_onexit table, run in reverse order by exit(). */
  readonly onexit: number[] = [];
  randState = 1;
  exiting = false;
  /** strtok's position, per thread (one thread). */
  strtokNext = 0;
  wcstokNext = 0;
  fmode = O_TEXT;

  constructor(private p: Process) {
    this.iob = p.alloc(FILE_SIZE * IOB_ENTRIES, true);
    // errno lives in the guest library, whose malloc sets it.
    this.errnoAddr = guestLibraryExport(p, 'wexe_errno');
    this.doserrnoAddr = p.alloc(4, true);
    const handles = stdHandles(p);
    for (let fd = 0; fd < 3; fd++) {
      this.fds[fd] = { handle: handles[fd]!, text: true, append: false, pendingCR: false, eof: false, isDevice: true };
      const stream = this.makeStream(this.iob + FILE_SIZE * fd, fd, fd === 0, fd !== 0);
      // stderr is unbuffered; stdout to a terminal flushes at the end of each call.
      if (fd === 2) stream.bufMode = 2;
      else if (fd === 1 && p.host.isTerminal(1)) stream.bufMode = 2;
    }
  }

  get errno(): number { return this.p.mem.dv.getInt32(this.errnoAddr, true); }
  set errno(v: number) { this.p.mem.dv.setInt32(this.errnoAddr, v, true); }

  makeStream(addr: number, fd: number, canRead: boolean, canWrite: boolean): Stream {
    const s: Stream = {
      addr, fd, canRead, canWrite, out: [], inBuf: new Uint8Array(0), inPos: 0, pushback: [], eof: false, error: false,
      bufMode: 0, bufSize: 4096, lastOp: 'none',
    };
    this.streams.set(addr, s);
    this.syncStruct(s);
    return s;
  }

  /** Keeps the guest-visible FILE fields that programs may read (_flag, _file) current. */
  syncStruct(s: Stream): void {
    const m = this.p.mem;
    let flag = (s.canRead && s.canWrite ? _IORW : s.canRead ? _IOREAD : _IOWRT);
    if (s.eof) flag |= _IOEOF;
    if (s.error) flag |= _IOERR;
    m.dv.setInt32(s.addr + 24, flag, true);
    m.dv.setInt32(s.addr + 28, s.fd, true);
  }

  allocFd(e: FdEntry): number {
    for (let i = 3; i < 2048; i++) if (!this.fds[i]) { this.fds[i] = e; return i; }
    return -1;
  }

  /** A free FILE slot: one of _iob[3..19], else a heap-allocated FILE. */
  allocFileStruct(): number {
    for (let i = 3; i < IOB_ENTRIES; i++) {
      const a = this.iob + FILE_SIZE * i;
      if (!this.streams.has(a)) return a;
    }
    return this.p.alloc(FILE_SIZE, true);
  }
}

export function crt(p: Process): CrtState {
  return p.dllState('msvcrt', () => new CrtState(p));
}

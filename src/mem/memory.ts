// Guest address space: one 4 GiB WebAssembly.Memory, guest address == memory offset.
//
// Every image with relocations is rebased below 4 GiB (see src/pe/loader.ts), and the
// stack, heaps and VirtualAlloc regions are all placed there too, so a guest pointer
// whose upper 32 bits are not zero is simply unmapped: an access violation.
// Page protections are tracked per 4 KiB page and enforced on every interpreter access.

import { GuestFault, ExceptionCode } from './fault.js';
import { GUEST_MEMORY_PAGES, takePresetMemory } from './preset.js';

export const PAGE_SIZE = 0x1000;
export const PAGE_SHIFT = 12;
export const ADDRESS_LIMIT = 0x1_0000_0000;
/** Windows never maps the first 64 KiB; wexe keeps the CPU state there. */
export const NULL_REGION_END = 0x10000;

/** Protection bits per page. */
export const enum Prot {
  None = 0,
  R = 1,
  W = 2,
  X = 4,
  RW = 3,
  RX = 5,
  RWX = 7,
  /** First touch raises STATUS_GUARD_PAGE_VIOLATION (used for the stack guard). */
  Guard = 8,
  /** Reserved or committed (distinguishes MEM_FREE from MEM_RESERVE with no access). */
  Allocated = 16,
}

export const enum Access { Read = 0, Write = 1, Execute = 8 }

export type CodeWriteListener = (page: number) => void;

export class GuestMemory {
  readonly memory: WebAssembly.Memory;
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  /** One byte of Prot bits per 4 KiB page. */
  readonly prot = new Uint8Array(ADDRESS_LIMIT / PAGE_SIZE);
  /** The same bytes, four pages a word, for fast scans of free space. */
  private readonly prot32 = new Uint32Array(this.prot.buffer);
  /** Pages holding decoded or translated code; writes to them must invalidate caches. */
  readonly codePages = new Uint8Array(ADDRESS_LIMIT / PAGE_SIZE);
  /** The highest page ever mapped, -1 before the first map (bounds scans of `prot`). */
  highestMappedPage = -1;
  private codeWriteListeners: CodeWriteListener[] = [];

  constructor() {
    this.memory = takePresetMemory() ?? new WebAssembly.Memory({ initial: GUEST_MEMORY_PAGES, maximum: GUEST_MEMORY_PAGES });
    this.buffer = this.memory.buffer;
    this.u8 = new Uint8Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }

  onCodeWrite(listener: CodeWriteListener): void { this.codeWriteListeners.push(listener); }

  markCode(addr: number): void { this.codePages[addr >>> PAGE_SHIFT] = 1; }

  private codeWritten(addr: number, len: number): void {
    const first = addr >>> PAGE_SHIFT;
    const last = (addr + len - 1) >>> PAGE_SHIFT;
    // indexOf scans natively: a write or protection change over a large range (a 256 MiB
    // heap reservation) with no code in it costs microseconds instead of a JS loop.
    const range = this.codePages.subarray(first, last + 1);
    for (let i = range.indexOf(1); i >= 0; i = range.indexOf(1, i + 1)) {
      range[i] = 0;
      for (const l of this.codeWriteListeners) l(first + i);
    }
  }

  // ---- mapping -------------------------------------------------------------------

  /** Marks [addr, addr+size) as allocated with the given protection (page granular). */
  map(addr: number, size: number, prot: number): void {
    this.checkRange(addr, size);
    const first = addr >>> PAGE_SHIFT;
    const last = (addr + size - 1) >>> PAGE_SHIFT;
    this.prot.fill(prot | Prot.Allocated, first, last + 1);
    if (last > this.highestMappedPage) this.highestMappedPage = last;
  }

  /** Frees pages and zeroes them, as a fresh commit would see them. */
  unmap(addr: number, size: number): void {
    this.checkRange(addr, size);
    const first = addr >>> PAGE_SHIFT;
    const last = (addr + size - 1) >>> PAGE_SHIFT;
    this.prot.fill(0, first, last + 1);
    this.u8.fill(0, first << PAGE_SHIFT, (last + 1) * PAGE_SIZE);
    this.codeWritten(first * PAGE_SIZE, (last - first + 1) * PAGE_SIZE);
  }

  /** Changes protection; returns the old protection of the first page. */
  protect(addr: number, size: number, prot: number): number {
    this.checkRange(addr, size);
    const first = addr >>> PAGE_SHIFT;
    const last = (addr + size - 1) >>> PAGE_SHIFT;
    const old = this.prot[first]!;
    this.prot.fill(prot | Prot.Allocated, first, last + 1);
    // Code may be rewritten after a protection change; drop what was decoded from it.
    this.codeWritten(first * PAGE_SIZE, (last - first + 1) * PAGE_SIZE);
    return old;
  }

  isFree(addr: number, size: number): boolean {
    if (addr < NULL_REGION_END || addr + size > ADDRESS_LIMIT) return false;
    const first = addr >>> PAGE_SHIFT;
    const last = (addr + size - 1) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) if (this.prot[p] !== 0) return false;
    return true;
  }

  /** Finds a free, aligned range of `size` bytes at or above `from`. */
  findFree(size: number, align: number, from: number, to = ADDRESS_LIMIT): number | undefined {
    const pages = Math.ceil(size / PAGE_SIZE);
    const step = Math.max(align, PAGE_SIZE);
    for (let a = Math.ceil(from / step) * step; a + pages * PAGE_SIZE <= to; a += step) {
      const first = a >>> PAGE_SHIFT;
      const used = this.firstUsedPage(first, first + pages);
      if (used < 0) return a;
      a = Math.floor((used * PAGE_SIZE) / step) * step;
    }
    return undefined;
  }

  /** The first page in [first, end) with any protection bits, or -1. Four pages a step. */
  private firstUsedPage(first: number, end: number): number {
    let p = first;
    for (; p < end && (p & 3) !== 0; p++) if (this.prot[p] !== 0) return p;
    const words = this.prot32;
    for (; p + 4 <= end; p += 4) if (words[p >>> 2] !== 0) break;
    for (; p < end; p++) if (this.prot[p] !== 0) return p;
    return -1;
  }

  private checkRange(addr: number, size: number): void {
    if (!(addr >= 0 && size > 0 && addr + size <= ADDRESS_LIMIT)) {
      throw new RangeError(`guest range 0x${addr.toString(16)}+0x${size.toString(16)} is outside the address space`);
    }
  }

  // ---- checks --------------------------------------------------------------------

  /** Throws an access violation unless every byte of [addr, addr+len) allows `need`. */
  check(addr: number, len: number, need: Prot, access: Access): void {
    if (!(addr >= 0 && addr + len <= ADDRESS_LIMIT)) throw GuestFault.accessViolation(addr, access);
    const p = addr >>> PAGE_SHIFT;
    const bits = this.prot[p]!;
    if ((bits & need) === 0 || (bits & Prot.Guard) !== 0) this.fault(p * PAGE_SIZE > addr ? addr : addr, p, access);
    const q = (addr + len - 1) >>> PAGE_SHIFT;
    if (q !== p) {
      for (let i = p + 1; i <= q; i++) {
        const b = this.prot[i]!;
        if ((b & need) === 0 || (b & Prot.Guard) !== 0) this.fault(i * PAGE_SIZE, i, access);
      }
    }
  }

  private fault(addr: number, page: number, access: Access): never {
    const bits = this.prot[page]!;
    if (bits & Prot.Guard) {
      // Guard pages fire once, as on Windows; the stack-growth logic sees the code.
      this.prot[page] = bits & ~Prot.Guard;
      throw new GuestFault(ExceptionCode.GuardPage, addr, access);
    }
    throw GuestFault.accessViolation(addr, access);
  }

  // ---- guest-checked accessors ------------------------------------------------------

  read8(a: number): number { this.check(a, 1, Prot.R, Access.Read); return this.u8[a]!; }
  read16(a: number): number { this.check(a, 2, Prot.R, Access.Read); return this.dv.getUint16(a, true); }
  read32(a: number): number { this.check(a, 4, Prot.R, Access.Read); return this.dv.getUint32(a, true); }
  readI32(a: number): number { this.check(a, 4, Prot.R, Access.Read); return this.dv.getInt32(a, true); }
  read64(a: number): bigint { this.check(a, 8, Prot.R, Access.Read); return this.dv.getBigUint64(a, true); }
  /** Reads a 64-bit pointer as a number; values at or above 2^53 lose precision (never valid addresses). */
  readPtr(a: number): number {
    // Inside one readable page (every API call's return address): no call to check(),
    // which keeps this small enough for V8 to inline into the API call path.
    if (!(a >= 0 && a <= ADDRESS_LIMIT - 8 && (a & (PAGE_SIZE - 1)) <= PAGE_SIZE - 8
      && (this.prot[a >>> PAGE_SHIFT]! & (Prot.R | Prot.Guard)) === Prot.R)) this.check(a, 8, Prot.R, Access.Read);
    return this.dv.getUint32(a, true) + this.dv.getUint32(a + 4, true) * 0x100000000;
  }
  readF32(a: number): number { this.check(a, 4, Prot.R, Access.Read); return this.dv.getFloat32(a, true); }
  readF64(a: number): number { this.check(a, 8, Prot.R, Access.Read); return this.dv.getFloat64(a, true); }

  write8(a: number, v: number): void {
    this.check(a, 1, Prot.W, Access.Write);
    if (this.codePages[a >>> PAGE_SHIFT]) this.codeWritten(a, 1);
    this.u8[a] = v;
  }
  write16(a: number, v: number): void {
    this.check(a, 2, Prot.W, Access.Write);
    if (this.codePages[a >>> PAGE_SHIFT] || this.codePages[(a + 1) >>> PAGE_SHIFT]) this.codeWritten(a, 2);
    this.dv.setUint16(a, v, true);
  }
  write32(a: number, v: number): void {
    this.check(a, 4, Prot.W, Access.Write);
    if (this.codePages[a >>> PAGE_SHIFT] || this.codePages[(a + 3) >>> PAGE_SHIFT]) this.codeWritten(a, 4);
    this.dv.setUint32(a, v, true);
  }
  write64(a: number, v: bigint): void {
    this.check(a, 8, Prot.W, Access.Write);
    if (this.codePages[a >>> PAGE_SHIFT] || this.codePages[(a + 7) >>> PAGE_SHIFT]) this.codeWritten(a, 8);
    this.dv.setBigUint64(a, BigInt.asUintN(64, v), true);
  }
  /** Writes a 64-bit value given as two 32-bit halves. */
  write64Parts(a: number, lo: number, hi: number): void {
    this.check(a, 8, Prot.W, Access.Write);
    if (this.codePages[a >>> PAGE_SHIFT] || this.codePages[(a + 7) >>> PAGE_SHIFT]) this.codeWritten(a, 8);
    this.dv.setUint32(a, lo, true);
    this.dv.setUint32(a + 4, hi, true);
  }
  writePtr(a: number, v: number): void { this.write64Parts(a, v >>> 0, Math.floor(v / 0x100000000) >>> 0); }
  writeF32(a: number, v: number): void { this.check(a, 4, Prot.W, Access.Write); this.codeCheck(a, 4); this.dv.setFloat32(a, v, true); }
  writeF64(a: number, v: number): void { this.check(a, 8, Prot.W, Access.Write); this.codeCheck(a, 8); this.dv.setFloat64(a, v, true); }

  private codeCheck(a: number, len: number): void {
    const first = a >>> PAGE_SHIFT, last = (a + len - 1) >>> PAGE_SHIFT;
    // A write spanning three or more pages: codeWritten scans the pages between natively.
    if (this.codePages[first] || this.codePages[last] || last - first > 1) this.codeWritten(a, len);
  }

  readBytes(a: number, len: number): Uint8Array {
    if (len === 0) return new Uint8Array(0);
    this.check(a, len, Prot.R, Access.Read);
    return this.u8.slice(a, a + len);
  }
  writeBytes(a: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.check(a, bytes.length, Prot.W, Access.Write);
    this.codeCheck(a, bytes.length);
    this.u8.set(bytes, a);
  }
  fill(a: number, value: number, len: number): void {
    if (len === 0) return;
    this.check(a, len, Prot.W, Access.Write);
    this.codeCheck(a, len);
    this.u8.fill(value, a, a + len);
  }
  /**
   * memmove: copies `len` bytes from `src` to `dst` (the ranges may overlap) without a
   * temporary copy. The source is checked for reading before the destination for
   * writing, so a fault names the same address as reading then writing would.
   */
  copyWithin(dst: number, src: number, len: number): void {
    if (len === 0) return;
    this.check(src, len, Prot.R, Access.Read);
    this.check(dst, len, Prot.W, Access.Write);
    this.codeCheck(dst, len);
    this.u8.copyWithin(dst, src, src + len);
  }

  /** Length of the NUL-terminated byte string at `a` (checked page by page). */
  strlen(a: number, max = ADDRESS_LIMIT): number {
    let n = 0;
    for (;;) {
      if (n >= max) return n;
      if (n === 0 || ((a + n) & (PAGE_SIZE - 1)) === 0) this.check(a + n, 1, Prot.R, Access.Read);
      if (this.u8[a + n] === 0) return n;
      n++;
    }
  }
  /** Number of UTF-16 units before the NUL terminator at `a`. */
  wcslen(a: number, max = ADDRESS_LIMIT): number {
    let n = 0;
    for (;;) {
      if (n >= max) return n;
      this.check(a + 2 * n, 2, Prot.R, Access.Read);
      if (this.dv.getUint16(a + 2 * n, true) === 0) return n;
      n++;
    }
  }

  /** Reads a NUL-terminated string of bytes, each byte one char (Latin-1; the ANSI code page is 1252-like). */
  readCString(a: number, max?: number): string {
    const n = this.strlen(a, max);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.u8[a + i]!);
    return s;
  }
  readWString(a: number, max?: number): string {
    const n = this.wcslen(a, max);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.dv.getUint16(a + 2 * i, true));
    return s;
  }
  /** Writes `s` (chars < 256) plus a NUL. */
  writeCString(a: number, s: string): void {
    const bytes = new Uint8Array(s.length + 1);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i) & 0xff;
    this.writeBytes(a, bytes);
  }
  writeWString(a: number, s: string): void {
    const bytes = new Uint8Array(2 * s.length + 2);
    const dv = new DataView(bytes.buffer);
    for (let i = 0; i < s.length; i++) dv.setUint16(2 * i, s.charCodeAt(i), true);
    this.writeBytes(a, bytes);
  }

  // ---- loader/runtime accessors that ignore protection ------------------------------
  // Used to build images and process structures before the guest runs, the way the
  // kernel writes into pages the process itself may not write.

  poke(a: number, bytes: Uint8Array): void { this.codeCheck(a, Math.max(1, bytes.length)); this.u8.set(bytes, a); }
  poke32(a: number, v: number): void { this.codeCheck(a, 4); this.dv.setUint32(a, v, true); }
  pokePtr(a: number, v: number): void {
    this.codeCheck(a, 8);
    this.dv.setUint32(a, v >>> 0, true);
    this.dv.setUint32(a + 4, Math.floor(v / 0x100000000) >>> 0, true);
  }
}

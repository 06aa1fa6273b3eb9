// Reads a PE file the way the loader will see it in memory: by RVA. The headers map
// RVA 0..SizeOfHeaders to the same file offsets; each section maps its raw data at its
// VirtualAddress; every other byte inside SizeOfImage reads as zero (zero fill and
// alignment padding). Anything at or past SizeOfImage is a PeFormatError naming `what`.

import { PeFormatError, hex } from './errors.js';

interface Region {
  readonly rva: number;
  readonly size: number;
  readonly fileOffset: number;
}

export interface MappedRange {
  readonly rva: number;
  readonly size: number;
  readonly fileOffset: number;
}

export class ImageView {
  private readonly dv: DataView;
  private readonly regions: readonly Region[];

  /** `mapped` lists the file-backed ranges (headers and sections' raw data), already checked against the file. */
  constructor(readonly file: Uint8Array, readonly sizeOfImage: number, mapped: readonly MappedRange[]) {
    this.dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
    this.regions = mapped.filter((r) => r.size > 0).slice().sort((a, b) => a.rva - b.rva);
  }

  /** Throws unless [rva, rva+len) lies inside the image. */
  require(rva: number, len: number, what: string): void {
    if (!(rva >= 0 && len >= 0 && rva + len <= this.sizeOfImage)) {
      throw new PeFormatError(`${what} (RVA ${hex(rva)}, ${hex(len)} bytes) is outside the image (SizeOfImage ${hex(this.sizeOfImage)})`);
    }
  }

  /** Whether [rva, rva+len) lies inside the image. */
  contains(rva: number, len: number): boolean {
    return rva >= 0 && len >= 0 && rva + len <= this.sizeOfImage;
  }

  /** File offset backing all of [rva, rva+len), or -1 when part of it is zero fill. */
  private fileOffset(rva: number, len: number): number {
    for (const r of this.regions) {
      if (rva >= r.rva && rva + len <= r.rva + r.size) return r.fileOffset + (rva - r.rva);
    }
    return -1;
  }

  /** Copies [rva, rva+len) of the image as it will be mapped. */
  bytes(rva: number, len: number, what: string): Uint8Array {
    this.require(rva, len, what);
    const out = new Uint8Array(len);
    for (const r of this.regions) {
      const from = Math.max(rva, r.rva);
      const to = Math.min(rva + len, r.rva + r.size);
      if (from < to) out.set(this.file.subarray(r.fileOffset + (from - r.rva), r.fileOffset + (to - r.rva)), from - rva);
    }
    return out;
  }

  u16(rva: number, what: string): number {
    this.require(rva, 2, what);
    const off = this.fileOffset(rva, 2);
    if (off >= 0) return this.dv.getUint16(off, true);
    const b = this.bytes(rva, 2, what);
    return b[0]! | (b[1]! << 8);
  }

  u32(rva: number, what: string): number {
    this.require(rva, 4, what);
    const off = this.fileOffset(rva, 4);
    if (off >= 0) return this.dv.getUint32(off, true);
    const b = this.bytes(rva, 4, what);
    return new DataView(b.buffer).getUint32(0, true);
  }

  u64(rva: number, what: string): bigint {
    this.require(rva, 8, what);
    const off = this.fileOffset(rva, 8);
    if (off >= 0) return this.dv.getBigUint64(off, true);
    const b = this.bytes(rva, 8, what);
    return new DataView(b.buffer).getBigUint64(0, true);
  }

  /** Reads a NUL-terminated byte string (Latin-1); zero fill terminates it. */
  cString(rva: number, what: string): string {
    this.require(rva, 1, what);
    let s = '';
    let at = rva;
    for (;;) {
      const region = this.regions.find((r) => at >= r.rva && at < r.rva + r.size);
      if (!region) return s; // a zero-filled byte inside the image: the terminator
      const start = region.fileOffset + (at - region.rva);
      const end = region.fileOffset + region.size;
      let i = start;
      while (i < end && this.file[i] !== 0) i++;
      for (let j = start; j < i; j++) s += String.fromCharCode(this.file[j]!);
      if (i < end) return s;
      at = region.rva + region.size;
      if (at >= this.sizeOfImage) {
        throw new PeFormatError(`${what} at RVA ${hex(rva)} is not NUL-terminated within the image`);
      }
    }
  }
}

// A growable byte buffer with the encodings a wasm binary needs (LEB128, IEEE bit
// patterns, names). The direct backend writes every function body into one of these,
// so building a module costs little more than the bytes themselves.

export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(capacity = 4096) { this.buf = new Uint8Array(capacity); }

  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.length + need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.length === this.buf.length) this.grow(1);
    this.buf[this.length++] = b;
  }

  bytes(src: ArrayLike<number>): void {
    if (this.length + src.length > this.buf.length) this.grow(src.length);
    this.buf.set(src, this.length);
    this.length += src.length;
  }

  /** Unsigned LEB128 of a non-negative number below 2^53. */
  u32(v: number): void {
    for (;;) {
      const low = v % 128;
      v = Math.floor(v / 128);
      if (v === 0) { this.byte(low); return; }
      this.byte(low | 0x80);
    }
  }

  /** Signed LEB128 of a 32-bit integer. */
  s32(v: number): void {
    v |= 0;
    for (;;) {
      const low = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (low & 0x40) === 0) || (v === -1 && (low & 0x40) !== 0)) { this.byte(low); return; }
      this.byte(low | 0x80);
    }
  }

  /** Signed LEB128 of a 64-bit integer given as a BigInt (any bit pattern; read as signed). */
  s64(v: bigint): void {
    let x = BigInt.asIntN(64, v);
    if (x >= -0x80000000n && x <= 0x7fffffffn) { this.s32(Number(x)); return; }
    for (;;) {
      const low = Number(x & 0x7fn);
      x >>= 7n;
      if ((x === 0n && (low & 0x40) === 0) || (x === -1n && (low & 0x40) !== 0)) { this.byte(low); return; }
      this.byte(low | 0x80);
    }
  }

  /** Little-endian 32-bit word. */
  u32le(v: number): void {
    this.byte(v & 0xff); this.byte((v >>> 8) & 0xff); this.byte((v >>> 16) & 0xff); this.byte((v >>> 24) & 0xff);
  }

  name(s: string): void {
    this.u32(s.length);
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
  }

  /** Appends another writer's bytes, preceded by their length (a section or a function body). */
  sized(inner: ByteWriter): void {
    this.u32(inner.length);
    this.bytes(inner.view());
  }

  view(): Uint8Array { return this.buf.subarray(0, this.length); }
  toBytes(): Uint8Array { return this.buf.slice(0, this.length); }
}

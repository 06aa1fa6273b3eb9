// A 128-bit scratch vector with every lane view over the same 16 bytes. Handlers load
// their operands into these, compute, then store the result, so a fault while loading
// leaves the architectural state untouched.

export class Vec {
  readonly buffer = new ArrayBuffer(16);
  readonly u8 = new Uint8Array(this.buffer);
  readonly i8 = new Int8Array(this.buffer);
  readonly u16 = new Uint16Array(this.buffer);
  readonly i16 = new Int16Array(this.buffer);
  readonly u32 = new Uint32Array(this.buffer);
  readonly i32 = new Int32Array(this.buffer);
  readonly f32 = new Float32Array(this.buffer);
  readonly f64 = new Float64Array(this.buffer);

  copyFrom(v: Vec): void { this.u32.set(v.u32); }
  clear(): void { this.u32.fill(0); }
}

/** Operand scratch vectors: destination/first source, second source, result, spare. */
export const vA = new Vec();
export const vB = new Vec();
export const vR = new Vec();
export const vT = new Vec();

// The one seeded PRNG of the test suites (mulberry32): small, fast and good enough for
// generated inputs; a fixed seed replays the same case list.

export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number { return this.u32() % n; }
  chance(p: number): boolean { return this.u32() / 0x1_0000_0000 < p; }
  bool(): boolean { return (this.u32() & 1) === 1; }
  u64(): bigint { return (BigInt(this.u32()) << 32n) | BigInt(this.u32()); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
}

/** The same generator as a function returning floats in [0, 1). */
export function prng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.u32() / 0x1_0000_0000;
}

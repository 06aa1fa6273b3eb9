// A host that keeps the guest's output in memory and feeds stdin from a buffer: for
// tests, benches and embedders that want the output as data.

import type { Host } from './host.js';

export class CaptureHost implements Host {
  private out: Uint8Array[] = [];
  private err: Uint8Array[] = [];
  private inPos = 0;
  private readonly origin = performance.now();

  constructor(private stdin: Uint8Array = new Uint8Array(0), private terminal = false) {}

  write(fd: 1 | 2, bytes: Uint8Array): void { (fd === 1 ? this.out : this.err).push(bytes.slice()); }

  readStdin(max: number): Uint8Array {
    const chunk = this.stdin.subarray(this.inPos, this.inPos + max);
    this.inPos += chunk.length;
    return chunk.slice();
  }

  isTerminal(): boolean { return this.terminal; }
  now(): number { return performance.timeOrigin + performance.now(); }
  monotonicNs(): bigint { return BigInt(Math.round((performance.now() - this.origin) * 1e6)) + 1_000_000_000n; }
  sleep(ms: number): void { if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

  get stdout(): Buffer { return Buffer.concat(this.out); }
  get stderr(): Buffer { return Buffer.concat(this.err); }
}

// Node.js implementation of the host interface.

import { readSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { Host } from './host.js';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export class NodeHost implements Host {
  write(fd: 1 | 2, bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(fd, bytes, off, bytes.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') { this.sleep(1); continue; }
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
        throw e;
      }
    }
  }

  readStdin(max: number): Uint8Array {
    const buf = new Uint8Array(max);
    for (;;) {
      try {
        const n = readSync(0, buf, 0, max, null);
        return buf.subarray(0, n);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { this.sleep(2); continue; }
        if (code === 'EOF') return new Uint8Array(0);
        throw e;
      }
    }
  }

  isTerminal(fd: 0 | 1 | 2): boolean { return isatty(fd); }
  now(): number { return performance.timeOrigin + performance.now(); }
  monotonicNs(): bigint { return process.hrtime.bigint(); }
  sleep(ms: number): void { if (ms > 0) Atomics.wait(sleepCell, 0, 0, ms); }
}

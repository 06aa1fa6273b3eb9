// Micro benchmarks of the runtime's heap (guest code in wexert.dll) driven from the host:
// the runtime's own allocations take this path; guest programs call it directly.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadExecutable, prepare } from '../../src/api.js';
import { CaptureHost } from '../../runtime/host-capture.js';
import type { Process } from '../../runtime/process.js';
import type { Heap } from '../../runtime/heap.js';
import { guestLibraryExport } from '../../runtime/guestlib/index.js';
import { measure } from './harness.js';
import type { MicroCase } from './translator.js';

const HEAP_SIZE = 0x1000_0000;

/** Builds and frees a binary tree of 16-byte nodes (binary-trees' allocation pattern). */
function treeBuildAndFree(h: Heap, depth: number): void {
  const nodes: number[] = [];
  const build = (d: number): void => {
    nodes.push(h.alloc(16)!);
    if (d > 0) { build(d - 1); build(d - 1); }
  };
  build(depth);
  for (const n of nodes) h.free(n);
}

/** A fixed sequence of mixed-size allocations, frees and reallocs over 256 slots. */
function churnScript(steps: number): { op: number; slot: number; size: number }[] {
  let s = 12345;
  const next = (): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s >>> 8; };
  return Array.from({ length: steps }, () => {
    const r = next();
    const size = r % 10 < 7 ? next() % 128 : r % 10 < 9 ? next() % 4096 : next() % 100_000;
    return { op: next() % 3, slot: next() % 256, size };
  });
}

function replayChurn(h: Heap, script: readonly { op: number; slot: number; size: number }[]): void {
  const slots = new Array<number>(256).fill(0);
  for (const { op, slot, size } of script) {
    const a = slots[slot]!;
    if (op === 0 && a === 0) slots[slot] = h.alloc(size)!;
    else if (op === 1 && a !== 0) { h.free(a); slots[slot] = 0; }
    else if (op === 2 && a !== 0) slots[slot] = h.realloc(a, size)!;
  }
  for (const a of slots) if (a !== 0) h.free(a);
}

/** A process (samples/hello.exe, not run) whose heaps the cases use, under `engine`. */
function guestProcess(engine: 'interp' | 'tiered'): Process {
  const exe = fileURLToPath(new URL('../../../samples/hello.exe', import.meta.url));
  const root = mkdtempSync(join(tmpdir(), 'wexe-micro-'));
  return prepare(loadExecutable(exe), exe, { host: new CaptureHost(new Uint8Array(0)), engine }, root).process;
}

/** malloc(16) then free() called from the host into the guest library, `n` times. */
function guestCallLoop(p: Process, n: number): () => void {
  const malloc = guestLibraryExport(p, 'malloc');
  const free = guestLibraryExport(p, 'free');
  return () => {
    for (let i = 0; i < n; i++) p.callGuest(free, [Number(p.callGuest(malloc, [16]))]);
  };
}

export const heapCase: MicroCase = {
  name: 'heap',
  async run() {
    // The heap is guest code (runtime/guestlib/heap.c): every operation from the host is
    // a host-to-guest call, which these cases mostly measure; guest code calls it directly.
    const p = guestProcess('tiered');
    const h = p.createHeap(HEAP_SIZE)!;
    const script = churnScript(20_000);
    const calls = guestCallLoop(p, 10_000);
    return [
      measure('heap: tree of 2^13-1 blocks, alloc + free (host calls)', () => treeBuildAndFree(h, 12), { units: { 'alloc+free': 8191 } }),
      measure('heap: churn, 20000 mixed operations (host calls)', () => replayChurn(h, script), { units: { op: 20_000 } }),
      measure('heap: malloc(16) + free as host-to-guest calls', calls, { units: { 'call pair': 10_000 } }),
    ];
  },
};

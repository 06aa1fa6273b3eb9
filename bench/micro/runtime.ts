// Micro benchmarks of the runtime's hot paths: the heap on its own, and malloc/free
// called the way guest code calls them (through their Win64 thunks: arguments fetched
// from RCX, the result stored in RAX, the return address popped).

import { GuestMemory, Prot } from '../../src/mem/memory.js';
import { CpuState, Reg } from '../../src/cpu/state.js';
import { ThunkTable } from '../../src/abi/thunks.js';
import type { ThunkContext } from '../../src/abi/thunks.js';
import { Heap } from '../../runtime/heap.js';
import { findDll } from '../../runtime/registry.js';
import { measure } from './harness.js';
import type { MicroCase } from './translator.js';

const HEAP_BASE = 0x1000_0000;
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

/** malloc(16) then free() through msvcrt's thunks, `n` times. */
function thunkLoop(n: number): () => void {
  const mem = new GuestMemory();
  const st = new CpuState(mem.buffer);
  st.reset();
  const natives = new Map<number, () => void>();
  const heap = new Heap(mem, HEAP_BASE, HEAP_BASE + HEAP_SIZE);
  // The two functions need only the process heap from their context (errno only on failure).
  const context = { processHeap: heap, takeJump: () => undefined } as ThunkContext;
  const thunks = new ThunkTable({ st, mem, registerNative: (a, f) => natives.set(a, f) }, context);
  const msvcrt = findDll('msvcrt.dll')!;
  const malloc = natives.get(thunks.thunkFor('msvcrt.dll', 'malloc', msvcrt.functions.get('malloc')))!;
  const free = natives.get(thunks.thunkFor('msvcrt.dll', 'free', msvcrt.functions.get('free')))!;
  const stack = 0x20_0000;
  mem.map(stack - 0x1000, 0x2000, Prot.RW);
  mem.writePtr(stack, 0x40_1000); // the return address each call pops
  return () => {
    for (let i = 0; i < n; i++) {
      st.setNum(Reg.RSP, stack);
      st.set64(Reg.RCX, 16, 0);
      malloc();
      st.set64(Reg.RCX, st.lo(Reg.RAX), st.hi(Reg.RAX));
      st.setNum(Reg.RSP, stack);
      free();
    }
  };
}

export const heapCase: MicroCase = {
  name: 'heap',
  async run() {
    const mem = new GuestMemory();
    const h = new Heap(mem, HEAP_BASE, HEAP_BASE + HEAP_SIZE);
    const script = churnScript(20_000);
    const calls = thunkLoop(10_000);
    return [
      measure('heap: tree of 2^13-1 blocks, alloc + free', () => treeBuildAndFree(h, 12), { units: { 'alloc+free': 8191 } }),
      measure('heap: churn, 20000 mixed operations', () => replayChurn(h, script), { units: { op: 20_000 } }),
      measure('api: malloc(16) + free through thunks', calls, { units: { 'call pair': 10_000 } }),
    ];
  },
};

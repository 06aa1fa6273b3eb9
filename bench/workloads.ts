// The benchmark workloads: one C program each in bench/programs/, with the work size
// passed as argv[1]. Full sizes take roughly 10-50 ms natively on the reference machine
// and 4-6 s under the interpreter, so that a program's steady-state speed, not the
// ~0.1 s of Node.js start-up or the JIT's first compiles, decides the whole-process
// ratios (at the earlier sizes, 5-15 ms natively, start-up was half of a JIT run's
// wall time). Quick sizes take about 1-3 ms natively.

export interface Workload {
  name: string;
  /** What the program exercises, for the report. */
  description: string;
  /** argv[1] for `--quick` and for a full run. */
  sizes: { quick: number; full: number };
}

export const WORKLOADS: readonly Workload[] = [
  { name: 'coremark', description: 'linked lists, int matrix multiply, state machine, CRC-16 (iterations)', sizes: { quick: 50, full: 2400 } },
  { name: 'sha256', description: 'SHA-256 of a buffer (KiB)', sizes: { quick: 64, full: 2000 } },
  { name: 'crc32', description: 'table and bitwise CRC-32 (KiB)', sizes: { quick: 64, full: 4800 } },
  { name: 'sieve', description: 'odd-only sieve of Eratosthenes, 3 passes (limit)', sizes: { quick: 100000, full: 6000000 } },
  { name: 'qsort', description: 'qsort with a guest comparator: host-to-guest callbacks (records)', sizes: { quick: 5000, full: 180000 } },
  { name: 'nbody', description: 'n-body simulation, double precision (steps)', sizes: { quick: 5000, full: 75000 } },
  { name: 'spectralnorm', description: 'spectral norm, double precision (matrix order)', sizes: { quick: 100, full: 400 } },
  { name: 'fannkuch', description: 'fannkuch-redux, permutations and array reversal (elements)', sizes: { quick: 7, full: 9 } },
  { name: 'mandelbrot', description: 'Mandelbrot set, double precision (pixels per side)', sizes: { quick: 100, full: 450 } },
  { name: 'strsearch', description: 'naive and Horspool search, record parsing (KiB of text)', sizes: { quick: 64, full: 1000 } },
  { name: 'bintrees', description: 'binary trees, malloc/free heavy (max depth)', sizes: { quick: 8, full: 14 } },
  { name: 'memops', description: 'memcpy/memset of varying sizes and alignments (rounds)', sizes: { quick: 100, full: 4000 } },
  { name: 'matmul', description: 'double and int32 matrix products whose float results are all exact (matrix order)', sizes: { quick: 60, full: 200 } },
  { name: 'fib', description: 'doubly recursive Fibonacci and Takeuchi: calls and returns (Fibonacci index)', sizes: { quick: 25, full: 34 } },
  { name: 'bytecode', description: 'a switch-dispatched bytecode interpreter: indirect jumps through a table (rounds)', sizes: { quick: 100000, full: 1500000 } },
];

export function findWorkloads(names: readonly string[] | undefined): Workload[] {
  if (!names) return [...WORKLOADS];
  const unknown = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
  if (unknown.length) throw new Error(`unknown workload(s): ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  return WORKLOADS.filter((w) => names.includes(w.name));
}

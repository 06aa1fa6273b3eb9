// A thin typed layer over benchmark.js (loaded with require: it is CommonJS and has no
// bundled types). Each case is measured synchronously until its relative margin of error
// settles or its time budget runs out.

import { createRequire } from 'node:module';

interface BenchmarkJsStats { rme: number; mean: number; sample: number[] }
interface BenchmarkJs { name: string; hz: number; stats: BenchmarkJsStats; error?: Error; run(options?: { async?: boolean }): BenchmarkJs }
type BenchmarkJsCtor = new (name: string, fn: () => void, options?: { minSamples?: number; maxTime?: number; initCount?: number }) => BenchmarkJs;

export interface MicroResult {
  name: string;
  /** Operations per second (one call of the measured function). */
  hz: number;
  /** Relative margin of error, percent. */
  rme: number;
  samples: number;
  /** What one operation is worth, to turn hz into unit rates (guest instructions, blocks). */
  units: { unit: string; perOp: number }[];
}

let ctor: BenchmarkJsCtor | undefined;

function benchmarkJs(): BenchmarkJsCtor {
  if (ctor) return ctor;
  const require = createRequire(import.meta.url);
  try {
    ctor = require('benchmark') as BenchmarkJsCtor;
  } catch {
    throw new Error('benchmark.js is not installed: npm install --save-dev benchmark');
  }
  return ctor;
}

export interface CaseOptions {
  maxTime?: number;
  /** e.g. { instruction: 60_001, block: 20_001 } */
  units?: Record<string, number>;
}

export function measure(name: string, fn: () => void, o: CaseOptions = {}): MicroResult {
  const Benchmark = benchmarkJs();
  const b = new Benchmark(name, fn, { minSamples: 5, maxTime: o.maxTime ?? 3 }).run({ async: false });
  if (b.error) throw b.error;
  const units = Object.entries(o.units ?? {}).map(([unit, perOp]) => ({ unit, perOp }));
  return { name, hz: b.hz, rme: b.stats.rme, samples: b.stats.sample.length, units };
}

/** 1234567 -> "1.23 M"; with a unit of seconds, 0.0000123 -> "12.3 us". */
function scaled(x: number, seconds?: 's'): string {
  if (seconds) {
    for (const [f, u] of [[1, 's'], [1e-3, 'ms'], [1e-6, 'us']] as const) if (x >= f) return `${(x / f).toFixed(2)} ${u}`;
    return `${(x / 1e-9).toFixed(1)} ns`;
  }
  for (const [f, u] of [[1e9, 'G'], [1e6, 'M'], [1e3, 'K']] as const) if (x >= f) return `${(x / f).toFixed(2)} ${u}`;
  return x.toFixed(1);
}

export function formatResult(r: MicroResult): string {
  const perOp = 1e6 / r.hz;
  const rate = r.units.map((u) => `  ${scaled(r.hz * u.perOp)} ${u.unit}s/s = ${scaled(1 / (r.hz * u.perOp), 's')}/${u.unit}`).join(';');
  return `${r.name.padEnd(44)} ${perOp.toFixed(1).padStart(10)} us/op ±${r.rme.toFixed(1)}% (${r.samples} samples)${rate}`;
}

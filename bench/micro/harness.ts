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

export function formatResult(r: MicroResult): string {
  const perOp = 1e6 / r.hz;
  const rate = r.units.map((u) => `  ${(r.hz * u.perOp / 1e6).toFixed(2)} M ${u.unit}s/s = ${(perOp * 1000 / u.perOp).toFixed(1)} ns/${u.unit}`).join(';');
  return `${r.name.padEnd(44)} ${perOp.toFixed(1).padStart(10)} us/op ±${r.rme.toFixed(1)}% (${r.samples} samples)${rate}`;
}

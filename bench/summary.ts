// Statistics over the runs of one workload: medians, spread, and ratios paired run by run
// (run i of one runner against run i of another, taken in the same round).

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** (max - min) / median, as a fraction: how far apart the runs were. */
export function spread(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = median(xs);
  return m > 0 ? (Math.max(...xs) - Math.min(...xs)) / m : 0;
}

/** Median of the per-round ratios a[i] / b[i], over the rounds both have. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) if (b[i] > 0) ratios.push(a[i] / b[i]);
  return median(ratios);
}

/** Normalizes program output for comparison across runners (CRLF from msvcrt, trailing space). */
export function normalizeOutput(s: string): string {
  return s.replace(/\r\n/g, '\n').trim();
}

// Reads the `--stats` block that `wexe run --stats` prints on stderr:
//
//   wexe stats (engine interp):
//     guest instructions  1,234,567
//     wall time           0.110 s
//     compile time        0.020 s        (from the JIT, when it reports one)
//
// Lines are "  <label>  <value>" with two or more spaces between; numbers may carry
// thousands separators and a unit (s or ms).

export interface WexeStats {
  instructions?: number;
  /** Time the guest ran inside wexe (excludes Node start-up and loading). */
  guestWallMs?: number;
  compileMs?: number;
  /** Every "label -> value" line, for the JSON report. */
  fields: Record<string, string>;
}

const HEADER = /^wexe stats\b/;

function leadingNumber(value: string): number | undefined {
  const m = /^(-?[\d,]*\.?\d+)/.exec(value.trim());
  return m ? Number(m[1].replace(/,/g, '')) : undefined;
}

function durationMs(value: string): number | undefined {
  const n = leadingNumber(value);
  if (n === undefined) return undefined;
  const unit = /^[-\d,.]+\s*(ms|us|µs|s)\b/.exec(value.trim())?.[1] ?? 's';
  return unit === 'ms' ? n : unit === 's' ? n * 1000 : n / 1000;
}

export function parseWexeStats(stderr: string): WexeStats | undefined {
  const lines = stderr.split(/\r?\n/);
  const start = lines.findIndex((l) => HEADER.test(l));
  if (start < 0) return undefined;
  const fields: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    const m = /^\s+(\S.*?)\s{2,}(\S.*)$/.exec(line);
    if (!m) break;
    fields[m[1].toLowerCase()] = m[2].trim();
  }
  const stats: WexeStats = { fields };
  if (fields['guest instructions'] !== undefined) stats.instructions = leadingNumber(fields['guest instructions']);
  if (fields['wall time'] !== undefined) stats.guestWallMs = durationMs(fields['wall time']);
  const compileKey = Object.keys(fields).find((k) => /^compile time\b/.test(k));
  if (compileKey) stats.compileMs = durationMs(fields[compileKey]);
  return stats;
}

/** A one-line reason for a failed run: wexe's own message, or the exit status. */
export function failureReason(stderr: string, exitCode: number, signal: number, timedOut: boolean): string {
  if (timedOut) return 'timed out';
  const lines = stderr.split(/\r?\n/);
  const statsAt = lines.findIndex((l) => HEADER.test(l));
  const body = (statsAt >= 0 ? lines.slice(0, statsAt) : lines).filter((l) => l.trim() !== '');
  const exit = signal ? `killed by signal ${signal}` : `exit code ${exitCode}`;
  if (body.length === 0) return exit;
  // wexe's crash report: the first line says what happened, the second often why.
  const detail = body.length > 1 && /^\s/.test(body[1]) ? `: ${body[1].trim()}` : '';
  const text = `${body[0].trim()}${detail}`;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

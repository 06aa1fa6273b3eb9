// Compiles and runs a small C program with the host's cc: the host C library (glibc) is the
// outside truth for the parts where it and msvcrt agree. Programs are cached by source text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

const dir = mkdtempSync(join(tmpdir(), 'wexe-crt-'));

export function runC(source: string, input = '', libs: string[] = []): string {
  const hash = createHash('sha1').update(source).digest('hex').slice(0, 12);
  const exe = join(dir, `p${hash}`);
  if (!existsSync(exe)) {
    const src = `${exe}.c`;
    writeFileSync(src, source);
    execFileSync('cc', ['-O1', '-o', exe, src, ...libs], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return execFileSync(exe, { input, maxBuffer: 64 << 20 }).toString();
}

/** A small deterministic PRNG (xorshift64*) so random tests are reproducible. */
export class Rng {
  private s: bigint;
  constructor(seed: bigint) { this.s = seed || 1n; }
  next64(): bigint {
    let x = this.s;
    x ^= x >> 12n; x ^= BigInt.asUintN(64, x << 25n); x ^= x >> 27n;
    this.s = x;
    return BigInt.asUintN(64, x * 0x2545f4914f6cdd1dn);
  }
  below(n: number): number { return Number(this.next64() % BigInt(n)); }
}

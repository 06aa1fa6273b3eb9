// The --stats summary printed on stderr when a program ends.
import type { RunReport } from '../api.js';

/**
 * 1234567 -> "1,234,567". Not toLocaleString: its first call loads ICU's locale data,
 * about 15 ms, a tenth of a short program's whole run.
 */
export function grouped(v: number): string {
  const digits = Math.trunc(Math.abs(v)).toString();
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? `-${out}` : out;
}

export function formatStats(r: RunReport, engine: string): string {
  const s = r.stats;
  const seconds = r.wallMs / 1000;
  const mips = seconds > 0 ? s.instructions / seconds / 1e6 : 0;
  const lines = [
    `wexe stats (engine ${engine}):`,
    `  guest instructions  ${grouped(s.instructions)}`,
    `  blocks decoded      ${grouped(s.blocksDecoded)}  (cache hits ${grouped(s.blockCacheHits)})`,
    `  API calls           ${grouped(s.apiCalls)}`,
    `  wall time           ${seconds.toFixed(3)} s`,
    `  speed               ${mips.toFixed(1)} MIPS`,
    `  exit status         ${r.status}${r.windowsCode !== undefined ? ` (Windows code 0x${(r.windowsCode >>> 0).toString(16)})` : ''}`,
  ];
  const j = s.jit;
  if (j) {
    const n = grouped;
    const share = s.instructions > 0 ? (100 * j.jitInstructions) / s.instructions : 0;
    lines.push(
      `  compile time        ${(j.compileMs / 1000).toFixed(3)} s`,
      `  regions compiled    ${n(j.regionsCompiled)}  (blocks ${n(j.blocksCompiled)}, modules ${n(j.modulesCreated)})`,
      `  compiled code ran   ${n(j.jitInstructions)} instructions (${share.toFixed(1)}%); cold tier ${n(j.coldInstructions)}`,
      `  region calls        ${n(j.regionCalls)}  invalidations ${n(j.invalidations)}  fallbacks ${n(j.fallbacks)}  bails ${n(j.bails)}  slow accesses ${n(j.slowAccesses)}`,
      `  helper ops          ${n(j.helperOps)} compiled, run ${n(j.helperCalls)} times`,
    );
    if (j.compiledMs + j.coldMs + j.apiMs > 0) {
      const rate = (insns: number, ms: number): string => (ms > 0 ? insns / ms / 1000 : 0).toFixed(1);
      lines.push(
        `  time split          compiled code ${(j.compiledMs / 1000).toFixed(3)} s  cold tier ${(j.coldMs / 1000).toFixed(3)} s  API ${(j.apiMs / 1000).toFixed(3)} s`,
        `  speed per tier      compiled code ${rate(j.jitInstructions, j.compiledMs)} MIPS  cold tier ${rate(j.coldInstructions, j.coldMs)} MIPS`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

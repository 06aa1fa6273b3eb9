// The instruction forms the decoder accepts (every leaf of the opcode tables, reached
// through test/x86/iced-diff.ts's FORM_PATHS), sorted into families for the coverage
// report, and marked with whether the native oracle can run them.

import type { Form } from '../../src/x86/opcode-table.js';
import type { Row } from '../../src/x86/tables/row.js';
import { Flow } from '../../src/x86/insn.js';
import { ONE_BYTE } from '../../src/x86/tables/one-byte.js';
import { TWO_BYTE } from '../../src/x86/tables/two-byte.js';
import { SSE } from '../../src/x86/tables/sse.js';
import { X87 } from '../../src/x86/tables/x87.js';
import { THREE_BYTE_38 } from '../../src/x86/tables/three-byte-38.js';
import { THREE_BYTE_3A } from '../../src/x86/tables/three-byte-3a.js';
import { FORM_PATHS } from '../x86/iced-diff.js';
import type { FormPath } from '../x86/iced-diff.js';

export const FAMILIES = [
  'integer ALU', 'shifts', 'bit ops', 'string', 'control', 'SSE float', 'SSE integer', 'SSE3/SSSE3/SSE4.1', 'x87', 'system',
] as const;
export type Family = (typeof FAMILIES)[number];

/** Form.source is "row ['..', '..']": the same text identifies the table a row came from. */
function sourceOf(row: Row): string { return `row [${row.map((x) => `'${x}'`).join(', ')}]`; }
const TABLE_OF = new Map<string, string>();
for (const [name, rows] of [['one', ONE_BYTE], ['two', TWO_BYTE], ['sse', SSE], ['x87', X87], ['38', THREE_BYTE_38], ['3a', THREE_BYTE_3A]] as const) {
  for (const row of rows) TABLE_OF.set(sourceOf(row), name);
}

const SHIFTS = new Set(['Rol', 'Ror', 'Rcl', 'Rcr', 'Shl', 'Sal', 'Shr', 'Sar', 'Shld', 'Shrd']);
const BITS = new Set(['Bt', 'Bts', 'Btr', 'Btc', 'Bsf', 'Bsr', 'Tzcnt', 'Lzcnt', 'Popcnt', 'Bswap']);
const STACK = new Set(['Push', 'Pop', 'Pushf', 'Pushfq', 'Popf', 'Popfq', 'Enter', 'Leave']);
const SYSTEM = new Set(['Syscall', 'Int', 'Int3', 'Hlt', 'Ud2', 'Cpuid', 'Rdtsc', 'Rdtscp', 'Nop', 'Pause', 'Lfence', 'Mfence',
  'Sfence', 'Prefetch', 'Prefetchw', 'Prefetchwt1', 'Prefetchnta', 'Prefetcht0', 'Prefetcht1', 'Prefetcht2',
  'Fxsave', 'Fxsave64', 'Fxrstor', 'Fxrstor64', 'Ldmxcsr', 'Stmxcsr']);
const SSE3 = new Set(['Addsubps', 'Addsubpd', 'Haddps', 'Haddpd', 'Hsubps', 'Hsubpd', 'Movddup', 'Movshdup', 'Movsldup', 'Lddqu']);
const SSE_INT_MOVES = new Set(['Movd', 'Movq', 'Movdqa', 'Movdqu', 'Movntdq', 'Maskmovdqu']);
/** Results that depend on the host (time, CPU identity): never compared with the CPU. */
export const HOST_DEPENDENT = new Set(['Cpuid', 'Rdtsc', 'Rdtscp']);

export function familyOf(form: Form): Family {
  const table = TABLE_OF.get(form.source);
  const mn = form.mnemonic;
  if (table === 'x87') return 'x87';
  if (table === '38' || table === '3a' || SSE3.has(mn)) return 'SSE3/SSSE3/SSE4.1';
  if (table === 'sse') return /^P/.test(mn) || SSE_INT_MOVES.has(mn) ? 'SSE integer' : 'SSE float';
  if (mn === 'Wait') return 'x87';
  if (SYSTEM.has(mn)) return 'system';
  if (SHIFTS.has(mn)) return 'shifts';
  if (BITS.has(mn)) return 'bit ops';
  if (/^(Movs|Cmps|Stos|Lods|Scas)[bwdq]$/.test(mn)) return 'string';
  if (STACK.has(mn) || (form.flow !== Flow.None && form.flow !== Flow.Trap && form.flow !== Flow.Syscall)) return 'control';
  return 'integer ALU';
}

/** Why the native oracle cannot run a form, or undefined when it can. */
export function cpuRefusal(form: Form): string | undefined {
  const mn = form.mnemonic;
  if (HOST_DEPENDENT.has(mn)) return 'host-dependent result';
  if (form.flow === Flow.Syscall || mn === 'Hlt') return 'system instruction';
  return undefined;
}

/** A distinct form (one leaf of the opcode tables) with every selector path leading to it. */
export interface FormInfo {
  id: number;
  form: Form;
  family: Family;
  paths: FormPath[];
  refusal?: string;
}

export const FORMS: readonly FormInfo[] = (() => {
  const byForm = new Map<Form, FormInfo>();
  for (const p of FORM_PATHS) {
    let info = byForm.get(p.form);
    if (!info) {
      info = { id: byForm.size, form: p.form, family: familyOf(p.form), paths: [], refusal: cpuRefusal(p.form) };
      byForm.set(p.form, info);
    }
    info.paths.push(p);
  }
  return [...byForm.values()];
})();

/** A short, stable name for a form in reports: mnemonic plus operand methods. */
export function formName(info: FormInfo): string {
  const src = /^row \['([^']*)', '([^']*)'(?:, '([^']*)')?/.exec(info.form.source);
  return src ? `${info.form.mnemonic} ${src[3] ?? ''} [${src[1]}]`.replace(/\s+/g, ' ') : info.form.mnemonic;
}

// Compares two CpuResults (normally the real CPU's and wexe's) and explains the
// difference in one readable paragraph: the case's bytes and disassembly, its inputs,
// and every field that differs.

import type { CpuCase, CpuResult } from './case.js';
import { CASE_FLAGS, DEFAULT_MXCSR, caseGprs, caseX87, f80ToNumber, hex } from './case.js';
import { checkCase, disassemble } from './safety.js';

export interface CompareOptions {
  /**
   * RFLAGS bits to compare. Default: CF PF AF ZF SF OF DF minus the flags iced-x86 says
   * the case's instructions leave undefined (when `case` is given), else 0xCD5.
   */
  flagMask?: number;
  /** The case that produced both results: enables the default flag mask and the description. */
  case?: CpuCase;
  /** Names of the two sides in messages; default ['cpu', 'emu']. */
  labels?: [string, string];
  /**
   * 'empty' (default): compare only which x87 registers are empty; the full tag's
   * zero/special distinction is a function of the register contents, which are compared
   * anyway. 'full': compare all 16 tag bits.
   */
  x87Tags?: 'empty' | 'full';
  /** Parts of the state not to compare. */
  ignore?: {
    /** GPR numbers (0 = RAX ... 15 = R15). */
    gpr?: number[];
    xmm?: boolean;
    mxcsr?: boolean;
    x87?: boolean;
    scratch?: boolean;
    /** The fault's data address (only compared when both sides report one anyway). */
    faultAddress?: boolean;
  };
}

const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const FLAG_NAMES: [number, string][] = [[0x800, 'OF'], [0x400, 'DF'], [0x80, 'SF'], [0x40, 'ZF'], [0x10, 'AF'], [0x4, 'PF'], [0x1, 'CF']];

export function flagNames(f: number): string {
  const names = FLAG_NAMES.filter(([bit]) => f & bit).map(([, n]) => n);
  return names.length ? names.join(' ') : '-';
}

function bytesHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/** An XMM value as two 64-bit halves, high first, the way debuggers show it. */
function xmmHex(b: Uint8Array): string {
  const dv = new DataView(b.buffer, b.byteOffset, 16);
  return `${dv.getBigUint64(8, true).toString(16).padStart(16, '0')}:${dv.getBigUint64(0, true).toString(16).padStart(16, '0')}`;
}

function f80Text(b: Uint8Array): string {
  const dv = new DataView(b.buffer, b.byteOffset, 10);
  return `${dv.getUint16(8, true).toString(16).padStart(4, '0')}:${dv.getBigUint64(0, true).toString(16).padStart(16, '0')} (${f80ToNumber(b)})`;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The default flag mask for a case: the flags it defines. */
export function definedFlagMask(c: CpuCase): number {
  return CASE_FLAGS & ~checkCase(c).undefinedFlags;
}

/** A one-line description of a case: name, bytes, disassembly and non-default inputs. */
export function describeCase(c: CpuCase): string {
  const parts: string[] = [];
  const { values, given } = caseGprs(c);
  for (let i = 0; i < 16; i++) if (given[i]) parts.push(`${GPR_NAMES[i]}=${hex(values[i]!)}`);
  if (c.rflags) parts.push(`rflags=${hex(c.rflags)} (${flagNames(c.rflags)})`);
  if (c.mxcsr !== undefined && c.mxcsr !== DEFAULT_MXCSR) parts.push(`mxcsr=${hex(c.mxcsr)}`);
  c.xmm?.forEach((x, i) => { if (x) parts.push(`xmm${i}=${xmmHex(x)}`); });
  if (c.x87) {
    const x = caseX87(c);
    parts.push(`fcw=${hex(x.control)} top=${x.top}${x.status ? ` fsw=${hex(x.status)}` : ''}`);
    for (let i = 0; i < 8; i++) if ((x.validSt >> i) & 1) parts.push(`st(${i})=${f80Text(x.st[i]!)}`);
  }
  if (c.scratch) {
    const first = c.scratch.findIndex((b) => b !== 0);
    if (first >= 0) parts.push(`scratch[${hex(first)}..]=${bytesHex(c.scratch.subarray(first, first + 16))}`);
  }
  const name = c.name ? `${c.name}: ` : '';
  return `${name}[${bytesHex(c.code)}] ${disassemble(c.code)}${parts.length ? ` with ${parts.join(' ')}` : ''}`;
}

/**
 * Returns undefined when `a` and `b` agree on everything compared, else one paragraph
 * naming the case and each differing field with both values.
 */
export function compareResults(a: CpuResult, b: CpuResult, opts: CompareOptions = {}): string | undefined {
  const [la, lb] = opts.labels ?? ['cpu', 'emu'];
  const ignore = opts.ignore ?? {};
  const diffs: string[] = [];
  const differ = (what: string, va: string, vb: string): void => { diffs.push(`${what}: ${la}=${va} ${lb}=${vb}`); };

  if (a.fault !== b.fault) differ('fault', a.fault ?? 'none', b.fault ?? 'none');
  else if (a.fault) {
    if (a.faultOffset !== b.faultOffset) differ('fault at offset', String(a.faultOffset), String(b.faultOffset));
    if (!ignore.faultAddress && a.faultAddress !== undefined && b.faultAddress !== undefined && a.faultAddress !== b.faultAddress) {
      differ('fault address', hex(a.faultAddress), hex(b.faultAddress));
    }
  }
  const skipGpr = new Set(ignore.gpr ?? []);
  for (let i = 0; i < 16; i++) {
    if (skipGpr.has(i)) continue;
    if (a.gpr[i] !== b.gpr[i]) differ(GPR_NAMES[i]!, hex(a.gpr[i]!), hex(b.gpr[i]!));
  }
  const mask = opts.flagMask ?? (opts.case ? definedFlagMask(opts.case) : CASE_FLAGS);
  if ((a.rflags & mask) !== (b.rflags & mask)) {
    const fa = a.rflags & mask;
    const fb = b.rflags & mask;
    differ(`rflags&${hex(mask)}`, `${hex(fa)} (${flagNames(fa)})`, `${hex(fb)} (${flagNames(fb)})`);
  }
  if (!ignore.mxcsr && a.mxcsr !== b.mxcsr) differ('mxcsr', hex(a.mxcsr), hex(b.mxcsr));
  if (!ignore.xmm) {
    for (let i = 0; i < 16; i++) if (!equalBytes(a.xmm[i]!, b.xmm[i]!)) differ(`xmm${i}`, xmmHex(a.xmm[i]!), xmmHex(b.xmm[i]!));
  }
  if (!ignore.x87) compareX87(a, b, opts.x87Tags ?? 'empty', differ);
  if (!ignore.scratch && !equalBytes(a.scratch, b.scratch)) {
    let first = 0;
    while (a.scratch[first] === b.scratch[first]) first++;
    let last = a.scratch.length - 1;
    while (a.scratch[last] === b.scratch[last]) last--;
    const end = Math.min(last + 1, first + 16);
    differ(`scratch[${hex(first)}..${hex(end)})${last + 1 > end ? ` (differs up to ${hex(last)})` : ''}`,
      bytesHex(a.scratch.subarray(first, end)), bytesHex(b.scratch.subarray(first, end)));
  }
  if (diffs.length === 0) return undefined;
  const subject = opts.case ? describeCase(opts.case) : 'case';
  return `${subject}: ${diffs.join('; ')}`;
}

function compareX87(a: CpuResult, b: CpuResult, tags: 'empty' | 'full', differ: (w: string, va: string, vb: string) => void): void {
  const xa = a.x87;
  const xb = b.x87;
  if (xa.control !== xb.control) differ('fcw', hex(xa.control), hex(xb.control));
  if (xa.status !== xb.status) differ('fsw', `${hex(xa.status)} (top ${(xa.status >> 11) & 7})`, `${hex(xb.status)} (top ${(xb.status >> 11) & 7})`);
  const emptyBits = (t: number): number => { let e = 0; for (let p = 0; p < 8; p++) if (((t >> (2 * p)) & 3) === 3) e |= 1 << p; return e; };
  if (tags === 'full' ? xa.tag !== xb.tag : emptyBits(xa.tag) !== emptyBits(xb.tag)) differ('ftw', hex(xa.tag, 4), hex(xb.tag, 4));
  // Registers are compared where either side holds a value (contents of empty registers are unobservable to programs).
  const topA = (xa.status >> 11) & 7;
  const topB = (xb.status >> 11) & 7;
  for (let i = 0; i < 8; i++) {
    const emptyA = ((xa.tag >> (2 * ((topA + i) & 7))) & 3) === 3;
    const emptyB = ((xb.tag >> (2 * ((topB + i) & 7))) & 3) === 3;
    if (emptyA && emptyB) continue;
    if (!equalBytes(xa.st[i]!, xb.st[i]!)) differ(`st(${i})`, emptyA ? 'empty' : f80Text(xa.st[i]!), emptyB ? 'empty' : f80Text(xb.st[i]!));
  }
}

// Differential checking of our decoder against iced-x86 (through test/support/iced-insn.ts),
// shared by the normal test suite (decode-diff.test.ts) and the long-run fuzzer
// (decode-fuzz.ts). Case generation is deterministic from a seed.

import { isDeepStrictEqual } from 'node:util';
import iced from 'iced-x86';
import { decode } from '../../src/x86/decode.js';
import { DecodeTruncated, hexBytes } from '../../src/x86/insn.js';
import type { Insn } from '../../src/x86/insn.js';
import { HAS_MODRM, SLOTS, LEAF, buildAllSlots } from '../../src/x86/opcode-table.js';
import type { Dispatch, Form, Node } from '../../src/x86/opcode-table.js';
import { icedDecode } from '../support/iced-insn.js';

const { Decoder, DecoderOptions, DecoderError, Code, EncodingKind, OpKind: IOp, RegisterExt } = iced;

// The decoder builds slots on first use; these walks need all of them (and so check every row).
buildAllSlots();

/** Every mnemonic our tables can produce: what iced decodes with one of these is "ours". */
export const OUR_MNEMONICS: ReadonlySet<string> = (() => {
  const names = new Set<string>();
  const walk = (n: Node | null): void => {
    if (n === null) return;
    if (n.dim === LEAF) names.add((n as Form).mnemonic);
    else for (const k of (n as Dispatch).kids) walk(k);
  };
  SLOTS.forEach(walk);
  return names;
})();

/** Optional instructions of the coverage list that we leave INVALID on purpose. */
const NOT_COVERED = new Set(['Maskmovdqu', 'Crc32']);

interface IcedView {
  /** 'ok', 'invalid' or 'truncated' (iced ran out of bytes). */
  status: 'ok' | 'invalid' | 'truncated';
  /** iced decoded it and it is in our coverage list. */
  covered: boolean;
  /** Only GPR/XMM/ST registers: the adapter can convert it. */
  convertible: boolean;
  mnemonic: string;
  length: number;
}

function icedView(bytes: Uint8Array, addr: number): IcedView {
  const d = new Decoder(64, bytes, DecoderOptions.None);
  d.ip = BigInt(addr);
  const i = d.decode();
  try {
    if (i.code === Code.INVALID) {
      return { status: d.lastError === DecoderError.NoMoreBytes ? 'truncated' : 'invalid', covered: false, convertible: false, mnemonic: 'INVALID', length: i.length };
    }
    const mnemonic = mnemonicOf(i);
    let plainRegisters = true;
    for (let n = 0; n < i.opCount; n++) {
      if (i.opKind(n) !== IOp.Register) continue;
      const r = i.opRegister(n);
      if (!(RegisterExt.isGPR(r) || RegisterExt.isXMM(r) || RegisterExt.isST(r))) plainRegisters = false;
    }
    // Far JMP/CALL through a m16:32/m16:64 pointer share the mnemonic but are not ours.
    const far = /_m16(16|32|64)$/.test(Code[i.code] ?? '');
    const covered = i.encoding === EncodingKind.Legacy && plainRegisters && !far && OUR_MNEMONICS.has(mnemonic) && !NOT_COVERED.has(mnemonic);
    return { status: 'ok', covered, convertible: plainRegisters, mnemonic, length: i.length };
  } finally {
    i.free();
    d.free();
  }
}

function mnemonicOf(i: InstanceType<typeof iced.Instruction>): string {
  return iced.Mnemonic[i.mnemonic] ?? 'INVALID';
}

function ours(bytes: Uint8Array, addr: number): Insn | 'truncated' {
  try {
    return decode(bytes, 0, addr);
  } catch (e) {
    if (e instanceof DecodeTruncated) return 'truncated';
    throw e;
  }
}

function describe(x: Insn | 'truncated' | undefined): string {
  if (x === undefined) return 'iced: invalid';
  if (x === 'truncated') return 'truncated';
  return JSON.stringify(x, (k, v: unknown) => (k === 'bytes' ? undefined : v));
}

/**
 * Compares both decoders on one byte string. Returns null when they agree, else a
 * one-line reproducer: the hex bytes and both decodings.
 */
export function compareDecoders(bytes: Uint8Array, addr: number, seen?: Map<string, number>): string | null {
  const mine = ours(bytes, addr);
  const view = icedView(bytes, addr);
  const fail = (why: string, theirs?: Insn): string =>
    `${hexBytes(bytes)} @${addr.toString(16)}: ${why}\n  ours: ${describe(mine)}\n  iced: ${theirs ? describe(theirs) : `${view.status} ${view.mnemonic}`}`;
  if (mine === 'truncated') return view.status === 'truncated' ? null : fail('we ask for more bytes, iced does not');
  if (view.status !== 'ok') return mine.mnemonic === 'INVALID' ? null : fail('we decode what iced rejects');
  if (isRexBPause(bytes, mine, view)) return cpuXchgAgrees(bytes, addr, mine) ? null : fail('F3 REX.B 90 is not XCHG r8-r15, rAX as F2 REX.B 90 is');
  const theirs = view.convertible ? icedDecode(bytes, addr)?.insn : undefined;
  if (mine.mnemonic === 'INVALID') return view.covered ? fail('iced decodes a covered instruction that we reject', theirs) : null;
  if (!theirs) return fail('iced decodes it but the adapter cannot convert it');
  if (!isDeepStrictEqual(mine, theirs)) return fail('fields differ', theirs);
  seen?.set(mine.mnemonic, (seen.get(mine.mnemonic) ?? 0) + 1);
  return null;
}

/**
 * The one documented disagreement: iced-x86 decodes F3 REX.B 90 as PAUSE, but the CPU
 * (Intel and AMD) executes it as XCHG r8-r15, rAX, REX.B selecting the register as in
 * 90+r without F3 (test/fuzz/regressions.test.ts runs it against the CPU). Our decoder
 * follows the CPU, since what a program gets is what the CPU does.
 */
function isRexBPause(bytes: Uint8Array, mine: Insn, view: IcedView): boolean {
  const rex = bytes[mine.len - 2]!;
  return view.mnemonic === 'Pause' && bytes[mine.len - 1] === 0x90 && (rex & 0xf1) === 0x41;
}

/** Ours equals iced's decoding of the same bytes with F3 turned into F2 (which is no mandatory prefix for 90), repeat prefix aside. */
function cpuXchgAgrees(bytes: Uint8Array, addr: number, mine: Insn): boolean {
  const asF2 = bytes.map((b, i) => (i < mine.len - 1 && b === 0xf3 ? 0xf2 : b));
  const theirs = icedDecode(asF2, addr)?.insn;
  return theirs !== undefined && mine.mnemonic === 'Xchg' && isDeepStrictEqual({ ...mine, bytes: undefined, rep: 0 }, { ...theirs, bytes: undefined, rep: 0 });
}

export { prng } from '../support/prng.js';
import { prng } from '../support/prng.js';

/** The selector values (by Dim) that lead to one form in a slot's dispatch tree. */
export interface FormPath { slot: number; form: Form; sel: number[] }

/** Every (slot, form) pair with the dimension values that select it; -1 = unconstrained. */
export const FORM_PATHS: readonly FormPath[] = (() => {
  const out: FormPath[] = [];
  const walk = (slot: number, n: Node | null, sel: number[]): void => {
    if (n === null) return;
    if (n.dim === LEAF) { out.push({ slot, form: n as Form, sel: [...sel] }); return; }
    const d = n as Dispatch;
    d.kids.forEach((k, v) => {
      const next = [...sel];
      next[d.dim] = v;
      if (d.dim === 1 && d.default64 && v === 1) return; // unreachable: no 32-bit size
      walk(slot, k, next);
    });
  };
  SLOTS.forEach((n, slot) => walk(slot, n, new Array<number>(8).fill(-1)));
  return out;
})();

function escapeBytes(slot: number): number[] {
  const map = slot >> 8, op = slot & 0xff;
  return map === 0 ? [op] : map === 1 ? [0x0f, op] : map === 2 ? [0x0f, 0x38, op] : [0x0f, 0x3a, op];
}

/**
 * One encoding of a form: prefixes and REX chosen to satisfy the form's selectors (and
 * otherwise random, including ignored segment prefixes, LOCK, and a REX byte that a
 * later prefix cancels), a ModRM of the selected mod/reg/rm class, then random SIB,
 * displacement and immediate bytes.
 */
function formCase(rand: () => number, path: FormPath): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const [mand, osz, asz, w, b, mod, reg, rm] = path.sel as [number, number, number, number, number, number, number, number];
  const out: number[] = [];
  if (rand() < 0.05) out.push(0x40 + Math.floor(rand() * 16));
  const extra: number[] = [];
  if (rand() < 0.15) extra.push(pick([0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65]));
  if (rand() < 0.05) extra.push(0xf0);
  if (path.form.lockable && rand() < 0.3) extra.push(0xf0);
  if (asz === 1 || (asz === -1 && rand() < 0.1)) extra.push(0x67);
  let want66 = osz === 0 || mand === 1 || (mand === -1 && osz === -1 && rand() < 0.2);
  if (mand === 2 || mand === 3) want66 = want66 || rand() < 0.2;
  if (want66) extra.push(0x66);
  if (mand === 2) extra.push(...(rand() < 0.2 ? [0xf2, 0xf3] : [0xf3]));
  else if (mand === 3) extra.push(...(rand() < 0.2 ? [0xf3, 0xf2] : [0xf2]));
  else if (mand === -1 && rand() < 0.1) extra.push(pick([0xf2, 0xf3]));
  // Shuffle the legacy prefixes, keeping the F2/F3 order (the last one selects).
  for (let i = extra.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    if (extra[i]! >= 0xf2 && extra[j]! >= 0xf2) continue;
    [extra[i], extra[j]] = [extra[j]!, extra[i]!];
  }
  out.push(...extra);
  let rex = rand() < 0.5 ? 0x40 | Math.floor(rand() * 16) : 0;
  const needW = w === 1 || osz === 2;
  if (needW) rex |= 0x48;
  if (w === 0 || osz === 0 || osz === 1) rex &= ~0x08;
  if (b === 1) rex |= 0x41;
  if (b === 0) rex &= ~0x01;
  if (rex === 0x40 && rand() < 0.5) rex = 0;
  if (rex !== 0) out.push(rex);
  out.push(...escapeBytes(path.slot));
  if (HAS_MODRM[path.slot]) {
    const m = mod === 1 ? 3 : mod === 0 ? Math.floor(rand() * 3) : Math.floor(rand() * 4);
    const r = reg >= 0 ? reg : Math.floor(rand() * 8);
    const x = rm >= 0 ? rm : rand() < 0.4 ? pick([4, 5]) : Math.floor(rand() * 8);
    out.push((m << 6) | (r << 3) | x);
  }
  for (let i = 0; i < 14; i++) out.push(rand() < 0.3 ? pick([0, 0xff, 0x80, 0x7f, 0x25, 0x24, 0x05]) : Math.floor(rand() * 256));
  return Uint8Array.from(out);
}

/** Random byte strings, biased toward prefixes and escapes so they reach deep maps. */
function randomCase(rand: () => number): Uint8Array {
  const out: number[] = [];
  const lead = Math.floor(rand() * 4);
  const leads = [0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x64, 0x48, 0x41, 0x0f, 0x2e];
  for (let i = 0; i < lead; i++) out.push(leads[Math.floor(rand() * leads.length)]!);
  if (rand() < 0.4) out.push(0x0f);
  if (rand() < 0.15) out.push(rand() < 0.5 ? 0x38 : 0x3a);
  while (out.length < 16) out.push(Math.floor(rand() * 256));
  return Uint8Array.from(out);
}

export interface DiffResult {
  cases: number;
  mismatchCount: number;
  reports: string[];
  /** How often each mnemonic was decoded by both decoders with every field equal. */
  agreed: Map<string, number>;
}

/**
 * Runs `count` cases from `seed`: 60% encodings of each table form in turn, 30% random
 * byte strings, 10% truncated form encodings.
 */
export function runDifferential(seed: number, count: number, maxReports = 50, addr = 0x140001000): DiffResult {
  const rand = prng(seed);
  const reports: string[] = [];
  let mismatchCount = 0;
  const agreed = new Map<string, number>();
  let k = 0;
  for (let n = 0; n < count; n++) {
    const kind = n % 10;
    let bytes: Uint8Array;
    if (kind < 6) {
      bytes = formCase(rand, FORM_PATHS[k++ % FORM_PATHS.length]!);
    } else if (kind < 9) {
      bytes = randomCase(rand);
    } else {
      const full = formCase(rand, FORM_PATHS[Math.floor(rand() * FORM_PATHS.length)]!);
      bytes = full.subarray(0, 1 + Math.floor(rand() * 8)).slice();
    }
    const m = compareDecoders(bytes, addr, agreed);
    if (m === null) continue;
    mismatchCount++;
    if (reports.length < maxReports) reports.push(m);
  }
  return { cases: count, mismatchCount, reports, agreed };
}

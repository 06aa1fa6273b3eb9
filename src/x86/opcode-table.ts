// Interprets the opcode tables (./tables/*.ts, SDM Appendix A notation) once, at module
// load, into what the decoder walks: for each (map, opcode byte) slot a small dispatch
// tree over the few facts that select a form (mandatory prefix, operand size, address
// size, REX.W, REX.B, ModRM.mod/reg/rm), ending in a compiled Form. Nothing here runs
// per decoded instruction.

import { COND_SUFFIX, Flow } from './insn.js';
import type { Row } from './tables/row.js';
import { ONE_BYTE } from './tables/one-byte.js';
import { TWO_BYTE } from './tables/two-byte.js';
import { SSE } from './tables/sse.js';
import { X87 } from './tables/x87.js';
import { THREE_BYTE_38 } from './tables/three-byte-38.js';
import { THREE_BYTE_3A } from './tables/three-byte-3a.js';

/** How an operand is located (SDM Appendix A addressing methods, plus fixed operands). */
export const enum Method {
  /** ModRM r/m: register or memory. */
  E, G, M, R, V, W, U, Z, I,
  /** Immediate byte sign-extended to the operand size. */
  Is,
  J, O,
  /** A general register fixed by the opcode (AL, CL, AX, rAX); `reg` says which. */
  FixedGpr,
  St0, StI,
  /** XLAT's table operand: byte [rBX + AL] (iced reports AL's full register as the index). */
  Xlat,
  /** The constant 1 of the shift-by-one forms (iced shows it as an imm8 operand). */
  One,
}

/** Operand sizes: positive values are bytes; negative values depend on prefixes. */
export const enum Size {
  /** 2/4/8 by effective operand size. */
  V = -1,
  /** 4/8 by REX.W. */
  Y = -2,
  /** 2 for 16-bit operand size, else 4. */
  Z = -3,
}

export interface OperandForm {
  readonly method: Method;
  /** Size when the operand is a register (or an immediate / the fixed register). */
  readonly regSize: number;
  /** Size when the operand is in memory. */
  readonly memSize: number;
  /** Register number for FixedGpr. */
  readonly reg: number;
}

export const enum OpSizeRule { Default = 0, Default64 = 1, Force64 = 2 }

/** One compiled table row. `dim` is LEAF so the decoder can tell it from a Dispatch. */
export class Form {
  readonly dim = LEAF;
  constructor(
    readonly mnemonic: string,
    readonly operands: readonly OperandForm[],
    readonly lockable: boolean,
    readonly opSizeRule: OpSizeRule,
    /** A mandatory 66 prefix selects the form and does not change the operand size. */
    readonly consumes66: boolean,
    /** A mandatory F2/F3 selects the form and is not a REP prefix. */
    readonly consumesRep: boolean,
    readonly flow: Flow,
    readonly cond: number,
    /**
     * Insn.opSize when no general register or memory operand comes first: > 0 a fixed
     * size, 0 the effective operand size.
     */
    readonly fallbackOpSize: number,
    /** Human-readable origin, for table errors. */
    readonly source: string,
  ) {}
}

export const LEAF = -1;

/** Selector dimensions, in the order the dispatch tree tests them. */
export const enum Dim { Prefix = 0, OpSize = 1, AddrSize = 2, RexW = 3, RexB = 4, Mod = 5, Reg = 6, Rm = 7 }
const DIM_VALUES = [4, 3, 2, 2, 2, 2, 8, 8] as const;
const DIM_COUNT = 8;
const ANY = -1;

export class Dispatch {
  constructor(
    readonly dim: Dim,
    readonly kids: readonly (Node | null)[],
    /** For Dim.OpSize: the forms default to 64-bit operand size (PUSHF/POPF). */
    readonly default64: boolean,
  ) {}
}

export type Node = Form | Dispatch;

/** Mandatory-prefix selector values (Dim.Prefix). */
export const enum Mandatory { None = 0, P66 = 1, F3 = 2, F2 = 3 }

/**
 * 4 maps (one-byte, 0F, 0F 38, 0F 3A) x 256 opcodes. Filled slot by slot on first use
 * (slotNode): building all of them from the row text took 25-35 ms of every start-up,
 * and a program decodes a few hundred slots at most. buildAllSlots() fills every one.
 */
export const SLOTS: (Node | null)[] = new Array<Node | null>(4 * 256).fill(null);
/** 1 where the slot's instructions have a ModRM byte (valid once the slot is built). */
export const HAS_MODRM = new Uint8Array(4 * 256);
/** 1 where SLOTS and HAS_MODRM hold the slot's built entry. */
const BUILT = new Uint8Array(4 * 256);

interface KeyedForm { key: number[]; form: Form; modrm: boolean }

const PREFIX_TOKENS: Record<string, number> = { NP: Mandatory.None, '66': Mandatory.P66, F3: Mandatory.F3, F2: Mandatory.F2 };

const SIZE_CODES: Record<string, number> = {
  b: 1, w: 2, d: 4, q: 8, t: 10, x: 16, dq: 16, ps: 16, pd: 16, ss: 4, sd: 8, e: 28, e14: 14, fs: 108, fs94: 94, fx: 512,
  v: Size.V, y: Size.Y, z: Size.Z,
};

const FIXED: Record<string, OperandForm> = {
  AL: { method: Method.FixedGpr, regSize: 1, memSize: 0, reg: 0 },
  CL: { method: Method.FixedGpr, regSize: 1, memSize: 0, reg: 1 },
  AX: { method: Method.FixedGpr, regSize: 2, memSize: 0, reg: 0 },
  rAX: { method: Method.FixedGpr, regSize: Size.V, memSize: 0, reg: 0 },
  '1': { method: Method.One, regSize: 1, memSize: 0, reg: 0 },
  ST0: { method: Method.St0, regSize: 10, memSize: 0, reg: 0 },
  'ST(i)': { method: Method.StI, regSize: 10, memSize: 0, reg: 0 },
  '[rBX+AL]': { method: Method.Xlat, regSize: 1, memSize: 1, reg: 0 },
};

const METHODS: Record<string, Method> = {
  E: Method.E, G: Method.G, M: Method.M, R: Method.R, V: Method.V, W: Method.W, U: Method.U,
  Z: Method.Z, I: Method.I, Is: Method.Is, J: Method.J, O: Method.O,
};

function parseSize(text: string, where: string): number {
  const size = SIZE_CODES[text];
  if (size === undefined) throw new Error(`${where}: unknown operand size "${text}"`);
  return size;
}

function parseOperand(text: string, where: string): OperandForm {
  const fixed = FIXED[text];
  if (fixed) return fixed;
  const split = /^R,(\w+)\/M,(\w+)$/.exec(text);
  if (split) return { method: Method.E, regSize: parseSize(split[1]!, where), memSize: parseSize(split[2]!, where), reg: 0 };
  const [m, s] = text.split(',');
  const method = METHODS[m!];
  if (method === undefined) throw new Error(`${where}: unknown addressing method "${text}"`);
  const size = s === undefined ? 0 : parseSize(s, where);
  return { method, regSize: size, memSize: size, reg: 0 };
}

const FCMOV_COND: Record<string, number> = {
  Fcmovb: 2, Fcmovnb: 3, Fcmove: 4, Fcmovne: 5, Fcmovbe: 6, Fcmovnbe: 7, Fcmovu: 10, Fcmovnu: 11,
};
const COND_JUMPS = new Set(['Loop', 'Loope', 'Loopne', 'Jrcxz', 'Jecxz']);

function flowOf(mnemonic: string, operands: readonly OperandForm[], cond: number): Flow {
  const direct = operands.some((o) => o.method === Method.J);
  switch (mnemonic) {
    case 'Jmp': return direct ? Flow.Jump : Flow.IndirectJump;
    case 'Call': return direct ? Flow.Call : Flow.IndirectCall;
    case 'Ret': return Flow.Return;
    case 'Int3': case 'Ud2': case 'Hlt': return Flow.Trap;
    case 'Int': case 'Syscall': return Flow.Syscall;
  }
  if (COND_JUMPS.has(mnemonic) || (direct && cond >= 0)) return Flow.CondJump;
  return Flow.None;
}

/** The opcode part of a row: mandatory prefix, map, opcode byte, span, and the tokens after it. */
interface RowOpcode { tokens: string[]; next: number; prefix: number | undefined; map: number; opcode: number; span: number }

function rowOpcode(row: Row, where: string): RowOpcode {
  const tokens = row[0].trim().split(/\s+/);
  let t = 0;
  const prefix = tokens.length > 1 ? PREFIX_TOKENS[tokens[0]!] : undefined;
  if (prefix !== undefined) t++;
  let map = 0;
  if (tokens[t] === '0F') {
    t++;
    map = 1;
    if (tokens[t] === '38' && t + 1 < tokens.length) { map = 2; t++; } else if (tokens[t] === '3A' && t + 1 < tokens.length) { map = 3; t++; }
  }
  const opMatch = /^([0-9A-F]{2})(\+r|\+cc)?$/.exec(tokens[t++] ?? '');
  if (!opMatch) throw new Error(`${where}: bad opcode`);
  const span = opMatch[2] === '+r' ? 8 : opMatch[2] === '+cc' ? 16 : 1;
  return { tokens, next: t, prefix, map, opcode: parseInt(opMatch[1]!, 16), span };
}

/** Turns one row into keyed forms, one per opcode byte it covers. */
function compileRow(row: Row): { slots: number[]; keyed: Omit<KeyedForm, 'form'>; make: () => Form }[] {
  const [, mnemonicText, operandText = '', flagText = ''] = row;
  const where = `row [${row.map((x) => `'${x}'`).join(', ')}]`;
  const { tokens, next, prefix, map, opcode, span } = rowOpcode(row, where);
  const key = new Array<number>(DIM_COUNT).fill(ANY);
  if (prefix !== undefined) key[Dim.Prefix] = prefix;
  let t = next;
  let modrm = false;
  const sel = tokens[t];
  if (sel !== undefined) {
    t++;
    modrm = true;
    let m: RegExpExecArray | null;
    if (sel === '/r') { /* any ModRM */ } else if ((m = /^\/([0-7])$/.exec(sel))) {
      key[Dim.Reg] = Number(m[1]);
    } else if ((m = /^([0-9A-F]{2})(\+i)?$/.exec(sel))) {
      const byte = parseInt(m[1]!, 16);
      if (byte < 0xc0) throw new Error(`${where}: register-form ModRM must be C0..FF`);
      key[Dim.Mod] = 1;
      key[Dim.Reg] = (byte >> 3) & 7;
      if (!m[2]) key[Dim.Rm] = byte & 7;
    } else {
      throw new Error(`${where}: bad ModRM selector "${sel}"`);
    }
  }
  if (t !== tokens.length) throw new Error(`${where}: trailing opcode tokens`);
  const operands = operandText.trim() === '' ? [] : operandText.trim().split(/\s+/).map((o) => parseOperand(o, where));
  const flags = new Set(flagText.trim() === '' ? [] : flagText.trim().split(/\s+/));
  const flagKeys: Record<string, [Dim, number]> = {
    mem: [Dim.Mod, 0], reg: [Dim.Mod, 1], W0: [Dim.RexW, 0], W1: [Dim.RexW, 1], B0: [Dim.RexB, 0], B1: [Dim.RexB, 1],
    a64: [Dim.AddrSize, 0], a32: [Dim.AddrSize, 1], o16: [Dim.OpSize, 0], o32: [Dim.OpSize, 1], o64: [Dim.OpSize, 2],
  };
  const known = new Set(['lock', 'd64', 'f64', 'sz1', 'osz', ...Object.keys(flagKeys)]);
  for (const f of flags) {
    if (!known.has(f)) throw new Error(`${where}: unknown flag "${f}"`);
    const k = flagKeys[f];
    if (k) key[k[0]] = k[1];
  }
  if (operands.some((o) => o.method === Method.M)) key[Dim.Mod] = 0;
  if (operands.some((o) => o.method === Method.R || o.method === Method.U)) key[Dim.Mod] = 1;
  const usesModrm = operands.some((o) => o.method <= Method.U || o.method === Method.StI);
  if (usesModrm && !modrm) throw new Error(`${where}: operands need a ModRM selector`);

  const opSizeRule = flags.has('f64') ? OpSizeRule.Force64 : flags.has('d64') ? OpSizeRule.Default64 : OpSizeRule.Default;
  const fixedOpSize = flags.has('o16') ? 2 : flags.has('o32') ? 4 : flags.has('o64') ? 8 : flags.has('sz1') ? 1 : -1;
  // Insn.opSize for forms whose first operand is not a general register or memory: the
  // size the encoding implies when no operand shows it (or the first is an immediate or
  // branch target), else 8.
  const firstMethod = operands[0]?.method;
  const impliedSize = firstMethod === undefined || firstMethod === Method.I || firstMethod === Method.Is || firstMethod === Method.J;
  const fallbackOpSize = !impliedSize ? 8 : fixedOpSize > 0 ? fixedOpSize
    : opSizeRule !== OpSizeRule.Default || flags.has('osz') ? 0 : 8;
  const slots: number[] = [];
  for (let i = 0; i < span; i++) slots.push(map * 256 + opcode + i);
  return slots.map((slot, i) => ({
    slots: [slot],
    keyed: { key, modrm },
    make: () => {
      const cond = span === 16 ? i : mnemonicText === 'Loope' ? 4 : mnemonicText === 'Loopne' ? 5 : FCMOV_COND[mnemonicText] ?? -1;
      const mnemonic = span === 16 ? mnemonicText.replace('{cc}', COND_SUFFIX[i]!) : mnemonicText;
      return new Form(mnemonic, operands, flags.has('lock'), opSizeRule, key[Dim.Prefix] === Mandatory.P66,
        key[Dim.Prefix] === Mandatory.F3 || key[Dim.Prefix] === Mandatory.F2, flowOf(mnemonic, operands, span === 16 ? i : -1),
        cond, fallbackOpSize, where);
    },
  }));
}

/**
 * Builds the dispatch tree for one slot: switch on each dimension some row names, each
 * child keeping the rows that accept that value. Where several rows remain at a leaf,
 * the one that names a value in the earliest dimension wins (so "F3 0F BC" TZCNT beats
 * "0F BC" BSF under F3, and "o16" FNSTENV beats the plain row under a 66 prefix).
 */
function buildNode(rows: readonly KeyedForm[], fromDim: number): Node | null {
  if (rows.length === 0) return null;
  for (let d = fromDim; d < DIM_COUNT; d++) {
    if (!rows.some((r) => r.key[d] !== ANY)) continue;
    const kids: (Node | null)[] = [];
    for (let v = 0; v < DIM_VALUES[d]!; v++) kids.push(buildNode(rows.filter((r) => r.key[d] === v || r.key[d] === ANY), d + 1));
    let default64 = false;
    if (d === Dim.OpSize) {
      default64 = rows[0]!.form.opSizeRule !== OpSizeRule.Default;
      if (rows.some((r) => (r.form.opSizeRule !== OpSizeRule.Default) !== default64)) {
        throw new Error(`${rows[0]!.form.source}: forms selected by operand size disagree on the default size`);
      }
    }
    return new Dispatch(d, kids, default64);
  }
  return mostSpecific(rows).form;
}

function mostSpecific(rows: readonly KeyedForm[]): KeyedForm {
  const rank = (r: KeyedForm): string => r.key.map((k) => (k === ANY ? '0' : '1')).join('');
  const sorted = [...rows].sort((a, b) => (rank(a) < rank(b) ? 1 : rank(a) > rank(b) ? -1 : 0));
  if (sorted.length > 1 && rank(sorted[0]!) === rank(sorted[1]!)) {
    throw new Error(`ambiguous rows: ${sorted.map((r) => r.form.source).join(' / ')}`);
  }
  return sorted[0]!;
}

/** The slots a row's opcode text covers, read without compiling the rest of the row. */
function slotsOfRow(row: Row): number[] {
  const { map, opcode, span } = rowOpcode(row, `row [${row.join(', ')}]`);
  return Array.from({ length: span }, (_, i) => map * 256 + opcode + i);
}

const TABLES: readonly (readonly Row[])[] = [ONE_BYTE, TWO_BYTE, SSE, X87, THREE_BYTE_38, THREE_BYTE_3A];
/** Rows per slot, in table order (the order decides nothing: mostSpecific ranks them). */
let rowsBySlot: Map<number, Row[]> | undefined;
/** compileRow's result per row (a +r or +cc row serves 8 or 16 slots). */
const compiledRows = new Map<Row, ReturnType<typeof compileRow>>();

function buildSlot(slot: number): void {
  if (rowsBySlot === undefined) {
    rowsBySlot = new Map();
    for (const table of TABLES) {
      for (const row of table) {
        for (const s of slotsOfRow(row)) {
          const list = rowsBySlot.get(s);
          if (list === undefined) rowsBySlot.set(s, [row]); else list.push(row);
        }
      }
    }
  }
  BUILT[slot] = 1;
  const rows: KeyedForm[] = [];
  for (const row of rowsBySlot.get(slot) ?? []) {
    let compiled = compiledRows.get(row);
    if (compiled === undefined) { compiled = compileRow(row); compiledRows.set(row, compiled); }
    for (const { slots, keyed, make } of compiled) if (slots.includes(slot)) rows.push({ ...keyed, form: make() });
  }
  if (rows.length === 0) return;
  const modrm = rows[0]!.modrm;
  if (rows.some((r) => r.modrm !== modrm)) throw new Error(`slot ${slot.toString(16)}: rows disagree on ModRM`);
  HAS_MODRM[slot] = modrm ? 1 : 0;
  SLOTS[slot] = buildNode(rows, 0);
}

/** The dispatch tree of a slot (map * 256 + opcode byte), null when no row names it. */
export function slotNode(slot: number): Node | null {
  if (BUILT[slot] === 0) buildSlot(slot);
  return SLOTS[slot]!;
}

/** Builds every slot now: for tools that walk all of SLOTS, and to check every row. */
export function buildAllSlots(): void {
  for (let slot = 0; slot < SLOTS.length; slot++) if (BUILT[slot] === 0) buildSlot(slot);
}

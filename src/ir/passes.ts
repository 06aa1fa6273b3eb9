// IR passes. Each keeps the block valid for the verifier.
//
// - forwardState: a getreg/getflag after a setreg/setflag (or an earlier get) of the
//   same register in the block reuses that value; a setreg/setflag overwritten before
//   anything could observe it (a read, a memory access, a bail, the exit) is dropped.
//   A `helper` op (and repmovs/repstos, helpers with a fast path) reads and may write everything: all pending writes are observed and
//   nothing read before it is reused after it.
// - foldConstants: evaluates pure instructions whose operands are constants, and a few
//   identities (x+0, x&-1, x^0, x|0, x<<0).
// - eliminateDeadFlags: region-wide backward liveness of the seven flags; a setflag
//   whose flag is overwritten on every path before it is read is removed. Exits that
//   leave the region treat every flag as live, and so does a `helper` op (it reads
//   them all; after it they come from memory). Memory-fault exits do not read flags:
//   at a guest fault the arithmetic flags of instructions whose results no later code
//   reads may be stale (documented in src/jit/README.md).
// - removeDeadCode: pure instructions whose value nobody uses.

import type { Block, Inst, Ty } from './ir.js';
import { ALL_FLAGS, bitsOf, isHelper, isPure, mask, OPS, Shape } from './ir.js';

function renameArgs(inst: Inst, ren: Map<number, number>): void {
  for (let i = 0; i < inst.args.length; i++) {
    const r = ren.get(inst.args[i]!);
    if (r !== undefined) inst.args[i] = r;
  }
}

export function forwardState(b: Block): void {
  const ren = new Map<number, number>();
  const regVal = new Map<number, number>(), flagVal = new Map<number, number>();
  /** Index of the last setreg/setflag per register not yet observed. */
  const pendingReg = new Map<number, number>(), pendingFlag = new Map<number, number>();
  const drop = new Set<number>();
  const observeAll = (): void => { pendingReg.clear(); pendingFlag.clear(); };
  b.insts.forEach((inst, idx) => {
    renameArgs(inst, ren);
    switch (inst.op) {
      case 'getreg': {
        const v = regVal.get(inst.k);
        if (v !== undefined) { ren.set(inst.dst, v); drop.add(idx); } else regVal.set(inst.k, inst.dst);
        break;
      }
      case 'getflag': {
        const v = flagVal.get(inst.k);
        if (v !== undefined) { ren.set(inst.dst, v); drop.add(idx); } else flagVal.set(inst.k, inst.dst);
        break;
      }
      case 'setreg': {
        const p = pendingReg.get(inst.k);
        if (p !== undefined) drop.add(p);
        pendingReg.set(inst.k, idx);
        regVal.set(inst.k, inst.args[0]!);
        break;
      }
      case 'setflag': {
        const p = pendingFlag.get(inst.k);
        if (p !== undefined) drop.add(p);
        pendingFlag.set(inst.k, idx);
        flagVal.set(inst.k, inst.args[0]!);
        break;
      }
      case 'load': case 'store': case 'bail': observeAll(); break;
      case 'helper': case 'repmovs': case 'repstos': observeAll(); regVal.clear(); flagVal.clear(); break;
      default: break;
    }
  });
  b.insts = b.insts.filter((_, i) => !drop.has(i));
}

function sext(v: bigint, ty: Ty): bigint { return BigInt.asIntN(bitsOf(ty), v); }

function evaluate(inst: Inst, a: bigint[], argTy: Ty): bigint | undefined {
  const ty = inst.ty, m = mask(argTy), w = BigInt(bitsOf(argTy));
  const x = a[0]!, y = a[1] ?? 0n;
  const bool = (c: boolean): bigint => (c ? 1n : 0n);
  switch (inst.op) {
    case 'add': return (x + y) & m;
    case 'sub': return (x - y) & m;
    case 'mul': return (x * y) & m;
    case 'and': return x & y;
    case 'or': return x | y;
    case 'xor': return x ^ y;
    case 'shl': return (x << (y % w)) & m;
    case 'shru': return x >> (y % w);
    case 'shrs': return (sext(x, argTy) >> (y % w)) & m;
    case 'eq': return bool(x === y);
    case 'ne': return bool(x !== y);
    case 'ltu': return bool(x < y);
    case 'leu': return bool(x <= y);
    case 'gtu': return bool(x > y);
    case 'geu': return bool(x >= y);
    case 'lts': return bool(sext(x, argTy) < sext(y, argTy));
    case 'les': return bool(sext(x, argTy) <= sext(y, argTy));
    case 'gts': return bool(sext(x, argTy) > sext(y, argTy));
    case 'ges': return bool(sext(x, argTy) >= sext(y, argTy));
    case 'not': return ~x & m;
    case 'neg': return -x & m;
    case 'eqz': return bool(x === 0n);
    case 'msb': return (x >> (w - 1n)) & 1n;
    case 'parity': { let n = 0; for (let v = Number(x & 0xffn); v; v >>= 1) n += v & 1; return bool((n & 1) === 0); }
    case 'zext': return x;
    case 'sext': return sext(x, argTy) & mask(ty);
    case 'trunc': return x & mask(ty);
    default: return undefined;
  }
}

export function foldConstants(b: Block): void {
  const consts = new Map<number, bigint>();
  const types = new Map<number, Ty>();
  const ren = new Map<number, number>();
  const out: Inst[] = [];
  for (const inst of b.insts) {
    renameArgs(inst, ren);
    if (inst.dst >= 0) types.set(inst.dst, inst.ty);
    if (inst.op === 'const') { consts.set(inst.dst, inst.c); out.push(inst); continue; }
    const shape = OPS[inst.op].shape;
    if (inst.dst >= 0 && shape !== Shape.Special && isPure(inst.op) && inst.ty !== 'v128' && inst.op !== 'bitcast'
      && inst.op !== 'mulhu' && inst.op !== 'mulhs' && inst.op !== 'rotl' && inst.op !== 'rotr'
      && inst.op !== 'popcnt' && inst.op !== 'clz' && inst.op !== 'ctz' && inst.op !== 'bswap') {
      const vals = inst.args.map((a) => consts.get(a));
      const argTy = types.get(inst.args[0]!)!;
      if (vals.every((v) => v !== undefined)) {
        const r = evaluate(inst, vals as bigint[], argTy);
        if (r !== undefined) {
          out.push({ ...inst, op: 'const', args: [], c: r & mask(inst.ty) });
          consts.set(inst.dst, r & mask(inst.ty));
          continue;
        }
      }
      // Identities with a constant right operand.
      if (shape === Shape.Binary && vals[1] !== undefined) {
        const k = vals[1];
        const identity = (k === 0n && (inst.op === 'add' || inst.op === 'sub' || inst.op === 'or' || inst.op === 'xor'
          || inst.op === 'shl' || inst.op === 'shru' || inst.op === 'shrs'))
          || (k === mask(inst.ty) && inst.op === 'and');
        if (identity) { ren.set(inst.dst, inst.args[0]!); continue; }
      }
    }
    if (inst.op === 'select' && consts.has(inst.args[0]!)) {
      ren.set(inst.dst, consts.get(inst.args[0]!) !== 0n ? inst.args[1]! : inst.args[2]!);
      continue;
    }
    if (inst.op === 'bail' && consts.get(inst.args[0]!) === 0n) continue;
    if (inst.op === 'branch' && consts.has(inst.args[0]!)) {
      out.push({ ...inst, op: 'jump', args: [], k: consts.get(inst.args[0]!) !== 0n ? inst.k : inst.k2, k2: 0 });
      continue;
    }
    out.push(inst);
  }
  b.insts = out;
}

export function removeDeadCode(b: Block): void {
  // Value numbers are below nextValue: flat arrays instead of a Set (compile time).
  const used = new Uint8Array(b.nextValue);
  const insts = b.insts, out: Inst[] = [];
  for (let i = insts.length - 1; i >= 0; i--) {
    const inst = insts[i]!;
    if (inst.dst >= 0 && used[inst.dst] === 0 && isPure(inst.op)) continue;
    for (const a of inst.args) used[a] = 1;
    out.push(inst);
  }
  b.insts = out.reverse();
}

/** Guest addresses a block's exit may continue at inside the region (jump/branch/call targets). */
export function successors(b: Block): number[] {
  const last = b.insts[b.insts.length - 1]!;
  switch (last.op) {
    case 'jump': case 'call': return [last.k];
    case 'branch': return [last.k, last.k2];
    default: return [];
  }
}

/** Flags read before written in the block, given those live at its exit. */
export function liveIn(b: Block, liveOut: number): number {
  let live = liveOut;
  for (let i = b.insts.length - 1; i >= 0; i--) {
    const inst = b.insts[i]!;
    if (inst.op === 'setflag') live &= ~(1 << inst.k);
    else if (inst.op === 'getflag') live |= 1 << inst.k;
    else if (isHelper(inst.op)) live = ALL_FLAGS;
  }
  return live;
}

function exitLive(b: Block, byAddr: Map<number, Block>, liveInOf: Map<number, number>): number {
  const last = b.insts[b.insts.length - 1]!;
  if (last.op !== 'jump' && last.op !== 'branch' && last.op !== 'call') return ALL_FLAGS;
  let live = 0;
  for (const t of successors(b)) live |= byAddr.has(t) ? liveInOf.get(t)! : ALL_FLAGS;
  return live;
}

/**
 * Removes flag writes no path reads. `outside(addr)` may give the flags live on entry
 * to a block outside the region (default: all of them).
 */
export function eliminateDeadFlags(blocks: Block[], outside?: (addr: number) => number): void {
  const byAddr = new Map(blocks.map((b) => [b.addr, b]));
  const liveInOf = new Map(blocks.map((b) => [b.addr, 0]));
  const exitOf = (b: Block): number => {
    const last = b.insts[b.insts.length - 1]!;
    if (outside !== undefined && (last.op === 'jump' || last.op === 'branch' || last.op === 'call')) {
      let live = 0;
      for (const t of successors(b)) live |= byAddr.has(t) ? liveInOf.get(t)! : outside(t);
      return live;
    }
    return exitLive(b, byAddr, liveInOf);
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const b of blocks) {
      const li = liveIn(b, exitOf(b));
      if (li !== liveInOf.get(b.addr)) { liveInOf.set(b.addr, li); changed = true; }
    }
  }
  for (const b of blocks) {
    let live = exitOf(b);
    const keep: boolean[] = new Array(b.insts.length).fill(true);
    for (let i = b.insts.length - 1; i >= 0; i--) {
      const inst = b.insts[i]!;
      if (inst.op === 'setflag') {
        if ((live & (1 << inst.k)) === 0) keep[i] = false;
        live &= ~(1 << inst.k);
      } else if (inst.op === 'getflag') live |= 1 << inst.k;
      else if (isHelper(inst.op)) live = ALL_FLAGS;
    }
    b.insts = b.insts.filter((_, i) => keep[i]);
  }
}

export interface PassOptions {
  deadFlags: boolean;
  fold: boolean;
  forward: boolean;
}

export const DEFAULT_PASSES: PassOptions = { deadFlags: true, fold: true, forward: true };

/**
 * The standard pipeline over a region's blocks; `check` runs after every pass (the
 * verifier in tests); `outside` as for eliminateDeadFlags.
 */
export function optimizeRegion(blocks: Block[], o: PassOptions = DEFAULT_PASSES, check?: (bs: Block[]) => void,
  outside?: (addr: number) => number): void {
  const step = (f: () => void): void => { f(); check?.(blocks); };
  if (o.forward) step(() => blocks.forEach(forwardState));
  if (o.fold) step(() => blocks.forEach(foldConstants));
  if (o.deadFlags) step(() => eliminateDeadFlags(blocks, outside));
  step(() => blocks.forEach(removeDeadCode));
}

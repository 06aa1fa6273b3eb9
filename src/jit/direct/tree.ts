// Expression trees for the direct backend: which IR values are computed where they are
// used instead of into a local of their own.
//
// Lowering every IR value to `local.set` and each use to `local.get` made about half of
// a region's wasm instructions local traffic (a `test rax, rax` writing five flags was
// 30 instructions), and our emitter's time and V8's compile time both grow with the
// bytes. A value whose computation has no effect and reads nothing that can change
// before its use is instead emitted at that use, operands first, as wasm's operand
// stack allows:
// - constants, at every use when the immediate is small, else at their only use;
// - register, flag and XMM reads (register cache only: the locals) at their only use
//   when nothing in between writes that register or flag (and no helper op runs, rep
//   movs/stos included, which may write any);
// - integer arithmetic, comparisons and conversions that cannot trap, at their only use.
// Only uses whose lowering evaluates the operand once, in place, before anything else
// it does (see TREE_USERS) take a tree; every other use reads a local as before.

import type { Block, Inst, Op } from '../../ir/ir.js';
import { isHelper } from '../../ir/ir.js';

/** Integer operations the backend lowers through its operands alone (no traps: no division). */
const TREE_PURE = new Set<Op>([
  'add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shru', 'shrs',
  'eq', 'ne', 'ltu', 'leu', 'gtu', 'geu', 'lts', 'les', 'gts', 'ges',
  'not', 'neg', 'popcnt', 'clz', 'ctz', 'eqz', 'msb', 'parity', 'zext', 'sext', 'trunc',
]);

/**
 * Uses that evaluate each operand exactly once through the emitter's val(), before any
 * effect of their own (memory accesses evaluate the address first and a stored value
 * only after the checks, which read no guest registers).
 */
const TREE_USERS = new Set<Op>([...TREE_PURE, 'setreg', 'setflag', 'setxmm', 'select', 'branch', 'bail', 'load', 'store']);

const INTEGER = new Set(['i8', 'i16', 'i32', 'i64']);

/** Farthest a register read moves (instructions): the check for writes in between scans this far. */
const MAX_MOVE = 48;

export interface TreePlan {
  /** 1 for values emitted at their use(s) instead of into a local. */
  inline: Uint8Array;
  /** Per value, the instruction index after whose lowering its local is free again (-1: never read). */
  lastUse: Int32Array;
}

/** Whether a constant is cheap enough to repeat at every use (a one- or two-byte LEB immediate). */
function smallConstant(i: Inst): boolean {
  if (!INTEGER.has(i.ty)) return false;
  const c = i.ty === 'i64' ? BigInt.asIntN(64, i.c) : BigInt.asIntN(32, i.c);
  return c >= -8192n && c < 8192n;
}

/** Whether `i` may change what a read by `reader` (getreg/getflag/getxmm) returns. */
function clobbers(i: Inst, reader: Inst): boolean {
  if (isHelper(i.op)) return true;
  switch (reader.op) {
    case 'getreg': return i.op === 'setreg' && i.k === reader.k;
    case 'getflag': return i.op === 'setflag' && i.k === reader.k;
    default: return i.op === 'setxmm' && i.k === reader.k;
  }
}

/** Decides which values of `b` become trees (registerCache: registers live in locals). */
export function planTrees(b: Block, registerCache: boolean): TreePlan {
  const insts = b.insts;
  const n = b.nextValue;
  const uses = new Int32Array(n);
  /** The instruction index of a value's last-seen (for single-use values: only) user. */
  const user = new Int32Array(n).fill(-1);
  const def = new Int32Array(n).fill(-1);
  /** Whether every user of the value is a tree user. */
  const treeUsers = new Uint8Array(n).fill(1);
  for (let x = 0; x < insts.length; x++) {
    const i = insts[x]!;
    if (i.dst >= 0) def[i.dst] = x;
    const ok = TREE_USERS.has(i.op) && INTEGER.has(i.ty);
    for (const a of i.args) {
      uses[a]++;
      user[a] = x;
      if (!ok) treeUsers[a] = 0;
    }
  }
  // Backwards, so a user's own emission point is known before its operands are placed.
  const at = new Int32Array(insts.length);
  const inline = new Uint8Array(n);
  for (let x = insts.length - 1; x >= 0; x--) {
    at[x] = x;
    const i = insts[x]!;
    const v = i.dst;
    if (v < 0 || uses[v] === 0 || treeUsers[v] === 0 || !INTEGER.has(i.ty)) continue;
    if (i.op === 'const' && (uses[v] === 1 || smallConstant(i))) {
      inline[v] = 1;
      at[x] = uses[v] === 1 ? at[user[v]!]! : x;
      continue;
    }
    if (uses[v] !== 1) continue;
    const target = at[user[v]!]!;
    if (i.op === 'getreg' || i.op === 'getflag' || i.op === 'getxmm') {
      if (!registerCache || target - x > MAX_MOVE) continue;
      let clear = true;
      for (let y = x + 1; y < target && clear; y++) clear = !clobbers(insts[y]!, i);
      if (!clear) continue;
    } else if (!TREE_PURE.has(i.op) || !i.args.every((a) => INTEGER.has(insts[def[a]!]?.ty ?? 'v128'))) {
      continue;
    }
    inline[v] = 1;
    at[x] = target;
  }
  // A local read inside a tree is read where the tree is emitted.
  const lastUse = new Int32Array(n).fill(-1);
  for (let x = 0; x < insts.length; x++) for (const a of insts[x]!.args) if (at[x]! > lastUse[a]!) lastUse[a] = at[x]!;
  return { inline, lastUse };
}

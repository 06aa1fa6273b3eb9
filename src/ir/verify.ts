// The IR verifier: run after every pass in tests. Checks single definitions before use,
// operand and result types against each opcode's shape, one exit at the end of each
// block, and the ordering rule that makes exits precise: inside one guest instruction,
// no load, store or bail after the first guest-state write.

import type { Block, Ty } from './ir.js';
import { OPS, Shape, EXITS, isInt, bitsOf } from './ir.js';
import { printInst } from './text.js';
import { SSE_FORMS } from './sse-forms.js';
import { VEC_OPS } from './vec-ops.js';

export class IrVerifyError extends Error {
  constructor(msg: string) { super(msg); this.name = 'IrVerifyError'; }
}

export function verifyBlock(b: Block): void {
  const types = new Map<number, Ty>();
  let wroteState = false;
  const n = b.insts.length;
  if (n === 0) throw new IrVerifyError(`block 0x${b.addr.toString(16)} is empty`);
  for (let idx = 0; idx < n; idx++) {
    const inst = b.insts[idx]!;
    const where = `block 0x${b.addr.toString(16)}, #${idx} "${printInst(inst)}"`;
    const fail = (m: string): never => { throw new IrVerifyError(`${where}: ${m}`); };
    const argTy = (i: number): Ty => {
      const v = inst.args[i];
      if (v === undefined) fail(`missing operand ${i + 1}`);
      const t = types.get(v!);
      if (t === undefined) fail(`%${v} used before it is defined`);
      return t!;
    };
    const want = (i: number, t: Ty): void => { if (argTy(i) !== t) fail(`operand ${i + 1} must be ${t}, is ${argTy(i)}`); };
    const arity = (k: number): void => { if (inst.args.length !== k) fail(`takes ${k} operands`); };
    const isLast = idx === n - 1;
    if (EXITS.has(inst.op) !== isLast) fail(isLast ? 'a block must end in an exit' : 'exit before the end of the block');
    switch (OPS[inst.op].shape) {
      case Shape.Binary: arity(2); if (argTy(0) !== inst.ty || argTy(1) !== inst.ty) fail('operand types must equal the result type'); break;
      case Shape.Compare: arity(2); if (inst.ty !== 'i32' || argTy(0) !== argTy(1)) fail('compares two values of one type into i32'); break;
      case Shape.Unary: arity(1); want(0, inst.ty); if (!isInt(inst.ty)) fail('integer only'); break;
      case Shape.Test: arity(1); if (inst.ty !== 'i32' || !isInt(argTy(0))) fail('tests an integer into i32'); break;
      case Shape.Convert: {
        arity(1);
        const from = argTy(0), to = inst.ty;
        if (inst.op === 'bitcast') { if (bitsOf(from) !== bitsOf(to) || from === to) fail('bitcast needs another type of the same width'); }
        else if (!isInt(from) || !isInt(to)) fail('integer conversions only');
        else if (inst.op === 'trunc' ? bitsOf(to) >= bitsOf(from) : bitsOf(to) <= bitsOf(from)) fail(`${inst.op} goes the wrong way`);
        break;
      }
      case Shape.Special:
        switch (inst.op) {
          case 'const': arity(0); if (inst.ty === 'v128' && inst.c !== 0n) fail('a v128 constant is zero'); break;
          case 'getreg': arity(0); if (inst.ty !== 'i64' || inst.k < 0 || inst.k > 17) fail('bad register'); break;
          case 'getflag': arity(0); if (inst.ty !== 'i32' || inst.k < 0 || inst.k > 6) fail('bad flag'); break;
          case 'getxmm': arity(0); if (inst.ty !== 'v128' || inst.k < 0 || inst.k > 15) fail('bad xmm'); break;
          case 'setreg': arity(1); want(0, 'i64'); if (inst.k < 0 || inst.k > 15) fail('bad register'); wroteState = true; break;
          case 'setflag': arity(1); want(0, 'i32'); if (inst.k < 0 || inst.k > 6) fail('bad flag'); wroteState = true; break;
          case 'setxmm': arity(1); want(0, 'v128'); wroteState = true; break;
          case 'load': arity(1); want(0, 'i64'); if (wroteState) fail('memory access after a state write in one guest instruction'); break;
          case 'store': arity(2); want(0, 'i64'); if (argTy(1) !== inst.ty) fail('store type mismatch'); if (wroteState) fail('memory access after a state write in one guest instruction'); break;
          case 'select': arity(3); want(0, 'i32'); if (argTy(1) !== inst.ty || argTy(2) !== inst.ty) fail('select arms must have the result type'); break;
          case 'insn': arity(0); wroteState = false; break;
          case 'bail': arity(1); want(0, 'i32'); if (wroteState) fail('bail after a state write in one guest instruction'); break;
          case 'jump': case 'call': case 'interp': arity(0); break;
          // The whole guest instruction: nothing may follow it before the next `insn`.
          case 'helper': case 'repmovs': case 'repstos':
            if (inst.op !== 'helper' && !isInt(inst.ty)) fail('bad element type');
            arity(0); if (wroteState || idx === 0 || b.insts[idx - 1]!.op !== 'insn') fail('a helper is alone in its guest instruction'); wroteState = true; break;
          case 'vlane': arity(1); want(0, 'v128'); if (inst.ty === 'v128' || !laneOk(inst.ty, inst.k)) fail('bad lane'); break;
          case 'vinsert': arity(2); want(0, 'v128'); if (inst.ty !== 'v128' || argTy(1) === 'v128' || !laneOk(argTy(1), inst.k)) fail('bad lane'); break;
          case 'vshuffle': arity(2); want(0, 'v128'); want(1, 'v128'); if (inst.ty !== 'v128' || inst.c >> 128n !== 0n) fail('bad shuffle'); break;
          case 'vop': {
            const o = VEC_OPS[inst.k];
            if (o === undefined) fail('unknown vector op');
            arity(o!.arity); want(0, 'v128'); if (o!.arity === 2) want(1, 'v128');
            if (inst.ty !== o!.result) fail(`${o!.name} defines ${o!.result}`);
            if (o!.shift && !(Number.isInteger(inst.k2) && inst.k2 >= 0 && inst.k2 < laneBits(o!.name))) fail('shift count must be below the lane width');
            break;
          }
          case 'sse': {
            arity(2);
            const f = SSE_FORMS[inst.k];
            if (f === undefined) fail('unknown SSE form');
            want(0, 'v128'); want(1, f!.src);
            if (inst.ty !== f!.result) fail(`${f!.name} defines ${f!.result}`);
            wroteState = true; // MXCSR
            break;
          }
          case 'branch': arity(1); want(0, 'i32'); break;
          case 'jumpind': case 'callind': case 'ret': arity(1); want(0, 'i64'); break;
          default: fail('unhandled opcode');
        }
        break;
    }
    if (inst.dst >= 0) {
      if (types.has(inst.dst)) fail(`%${inst.dst} defined twice`);
      if (inst.dst >= b.nextValue) fail(`%${inst.dst} is not below nextValue ${b.nextValue}`);
      types.set(inst.dst, inst.ty);
    } else if (OPS[inst.op].shape !== Shape.Special
      || ['const', 'getreg', 'getflag', 'getxmm', 'load', 'select', 'vlane', 'vinsert', 'vshuffle', 'vop', 'sse'].includes(inst.op)) {
      fail('must define a value');
    }
  }
}

/** The lane width in bits of a wasm SIMD op name ("i32x4.shl" -> 32). */
function laneBits(name: string): number { return 128 / Number(/x(\d+)\./.exec(name)![1]); }

/** Lane k exists for lanes of type t (4 or 8 bytes wide, never a byte/word lane). */
function laneOk(t: Ty, k: number): boolean {
  if (t === 'i8' || t === 'i16' || t === 'v128') return false;
  return Number.isInteger(k) && k >= 0 && k < 128 / bitsOf(t);
}

export function verifyBlocks(blocks: readonly Block[]): void { for (const b of blocks) verifyBlock(b); }

// Appends instructions to a block; one method per opcode family, each returning the
// value number it defines. The lifter writes IR only through this.

import type { Block, Inst, Op, Ty } from './ir.js';
import { newInst, mask } from './ir.js';

export class Builder {
  readonly types: Ty[] = [];
  constructor(readonly block: Block) {
    for (const i of block.insts) if (i.dst >= 0) this.types[i.dst] = i.ty;
  }

  private def(op: Op, ty: Ty, args: number[], k = 0, k2 = 0, c = 0n): number {
    const dst = this.block.nextValue++;
    this.block.insts.push(newInst(op, dst, ty, args, k, k2, c));
    this.types[dst] = ty;
    return dst;
  }
  private eff(op: Op, ty: Ty, args: number[], k = 0, k2 = 0): Inst {
    const inst = newInst(op, -1, ty, args, k, k2);
    this.block.insts.push(inst);
    return inst;
  }

  ty(v: number): Ty { return this.types[v]!; }

  const(ty: Ty, v: bigint | number): number {
    const c = BigInt.asUintN(64, BigInt(v)) & mask(ty === 'v128' ? 'i64' : ty);
    return this.def('const', ty, [], 0, 0, c);
  }
  getreg(r: number): number { return this.def('getreg', 'i64', [], r); }
  setreg(r: number, v: number): void { this.eff('setreg', 'i64', [v], r); }
  getflag(f: number): number { return this.def('getflag', 'i32', [], f); }
  setflag(f: number, v: number): void { this.eff('setflag', 'i32', [v], f); }
  getxmm(x: number): number { return this.def('getxmm', 'v128', [], x); }
  setxmm(x: number, v: number): void { this.eff('setxmm', 'v128', [v], x); }
  load(ty: Ty, addr: number): number { return this.def('load', ty, [addr]); }
  store(addr: number, v: number): void { this.eff('store', this.ty(v), [addr, v]); }

  bin(op: Op, a: number, b: number): number { return this.def(op, this.ty(a), [a, b]); }
  cmp(op: Op, a: number, b: number): number { return this.def(op, 'i32', [a, b]); }
  un(op: Op, a: number): number { return this.def(op, this.ty(a), [a]); }
  test(op: 'eqz' | 'msb' | 'parity', a: number): number { return this.def(op, 'i32', [a]); }
  conv(op: 'zext' | 'sext' | 'trunc' | 'bitcast', ty: Ty, a: number): number {
    if (op !== 'bitcast' && this.ty(a) === ty) return a;
    return this.def(op, ty, [a]);
  }
  select(c: number, a: number, b: number): number { return this.def('select', this.ty(a), [c, a, b]); }

  insn(addr: number): void { this.eff('insn', 'i32', [], addr); }
  bail(cond: number): void { this.eff('bail', 'i32', [cond]); }
  jump(target: number): void { this.eff('jump', 'i32', [], target); }
  branch(cond: number, taken: number, fall: number): void { this.eff('branch', 'i32', [cond], taken, fall); }
  jumpind(target: number): void { this.eff('jumpind', 'i64', [target]); }
  call(target: number, ret: number): void { this.eff('call', 'i32', [], target, ret); }
  callind(target: number, ret: number): void { this.eff('callind', 'i64', [target], 0, ret); }
  ret(target: number): void { this.eff('ret', 'i64', [target]); }
  interp(addr: number): void { this.eff('interp', 'i32', [], addr); }
  helper(addr: number): void { this.eff('helper', 'i32', [], addr); }
  /** REP MOVS / REP STOS of `ty` elements at `addr`: a helper op with an inline bulk fast path. */
  repString(op: 'repmovs' | 'repstos', ty: Ty, addr: number): void { this.eff(op, ty, [], addr); }
}

export function emptyBlock(addr: number): Block {
  return { addr, end: addr, count: 0, insts: [], nextValue: 0 };
}

// REP MOVS / REP STOS in the direct backend (IR ops repmovs / repstos): an inline bulk
// fast path, memory.copy or memory.fill, in front of the ordinary helper op.
//
// The fast path runs only when its result is the interpreter's, checked at run time:
// DF=0; RCX nonzero (zero: the instruction does nothing) and the byte count below 4 GiB;
// both ranges below 4 GiB (guest memory is the wasm memory there); every page of the
// destination has the mirror's Write bit and, for MOVS, every page of the source its
// Read bit (the same rule as an ordinary inline access: no guard page, no page holding
// translated code, so writes to code still reach the interpreter's handler, which
// invalidates); and, for MOVS, the destination does not start inside (RSI, RSI+n):
// memory.copy is a memmove, while a forward element-by-element copy into its own tail
// replicates the first bytes. Anything else, the helper runs the instruction, faults
// included (RCX, RSI, RDI then describe the part done, as the interpreter leaves them).
//
// Afterwards RCX=0 and RSI/RDI are advanced by the byte count, as the instruction
// defines. The instruction counts as one, like the interpreter's.

import type { Ty } from '../../ir/ir.js';
import { bitsOf } from '../../ir/ir.js';
import { JitAddr, MirrorBit } from '../layout.js';
import type { FnWriter, Label } from './fn-writer.js';
import { O, T } from './opcodes.js';

export const RCX = 1, RSI = 6, RDI = 7, RAX = 0;

/** How the fast path reaches the guest state and the fallback (RegionEmitter provides these). */
export interface RepStringEnv {
  w: FnWriter;
  /** Pushes GPR r (i64). */
  getReg(r: number): void;
  /** GPR r = the i64 `push` pushes. */
  setReg(r: number, push: () => void): void;
  /** Pushes DF (i32 0 or 1). */
  getDf(): void;
  /** The ordinary helper op for the instruction. */
  helper(): void;
}

const TWO32 = 1n << 32n;

export function emitRepString(env: RepStringEnv, op: 'repmovs' | 'repstos', ty: Ty): void {
  const w = env.w;
  const size = bitsOf(ty) / 8;
  const shift = BigInt(Math.log2(size));
  const n = w.temp(T.I64), bytes = w.temp(T.I64), dst = w.temp(T.I64);
  const src = op === 'repmovs' ? w.temp(T.I64) : -1;
  const done = w.block();
  const slow = w.block();
  env.getDf(); w.brIf(slow);
  env.getReg(RCX); w.tee(n); w.op(O.I64Eqz); w.brIf(done);
  // At most 2^32 - 1 bytes: the count fits memory.copy's i32 and the ranges the mirror.
  w.get(n); w.i64(TWO32 >> shift); w.op(O.I64GeU); w.brIf(slow);
  w.get(n); w.i64(shift); w.op(O.I64Shl); w.set(bytes);
  env.getReg(RDI); w.set(dst);
  rangeAllowed(w, dst, bytes, MirrorBit.Write, slow);
  if (op === 'repmovs') {
    env.getReg(RSI); w.set(src);
    rangeAllowed(w, src, bytes, MirrorBit.Read, slow);
    // dst - src - 1 < bytes - 1 (unsigned): the destination starts inside (src, src + bytes).
    w.get(dst); w.get(src); w.op(O.I64Sub); w.i64(1n); w.op(O.I64Sub);
    w.get(bytes); w.i64(1n); w.op(O.I64Sub); w.op(O.I64LtU); w.brIf(slow);
    w.get(dst); w.op(O.I32WrapI64); w.get(src); w.op(O.I32WrapI64); w.get(bytes); w.op(O.I32WrapI64); w.memoryCopy();
    env.setReg(RSI, () => { w.get(src); w.get(bytes); w.op(O.I64Add); });
  } else fill(env, size, dst, bytes);
  env.setReg(RDI, () => { w.get(dst); w.get(bytes); w.op(O.I64Add); });
  env.setReg(RCX, () => w.i64(0n));
  w.br(done);
  w.end(); // slow
  env.helper();
  w.end(); // done
  for (const l of [n, bytes, dst]) w.release(T.I64, l);
  if (src >= 0) w.release(T.I64, src);
}

/**
 * Branches to `slow` unless [a, a + bytes) (bytes in 1 .. 2^32-1) lies below 4 GiB and
 * every page of it has mirror bit `bit`. The mirror's own pages have no bits, so a
 * range reaching them is refused too.
 */
function rangeAllowed(w: FnWriter, a: number, bytes: number, bit: MirrorBit, slow: Label): void {
  const p = w.temp(T.I32), last = w.temp(T.I32);
  w.get(a); w.i64(TWO32); w.op(O.I64GeU); w.brIf(slow);
  // a < 2^32 and bytes < 2^32: the sum cannot wrap.
  w.get(a); w.get(bytes); w.op(O.I64Add); w.i64(TWO32); w.op(O.I64GtU); w.brIf(slow);
  w.get(a); w.i64(12n); w.op(O.I64ShrU); w.op(O.I32WrapI64); w.set(p);
  w.get(a); w.get(bytes); w.op(O.I64Add); w.i64(1n); w.op(O.I64Sub); w.i64(12n); w.op(O.I64ShrU); w.op(O.I32WrapI64); w.set(last);
  const loop = w.loop();
  w.get(p); w.i32(JitAddr.mirror); w.op(O.I32Or); w.mem(O.I32Load8U);
  w.i32(bit); w.op(O.I32And); w.op(O.I32Eqz); w.brIf(slow);
  w.get(p); w.i32(1); w.op(O.I32Add); w.tee(p); w.get(last); w.op(O.I32LeU); w.brIf(loop);
  w.end();
  w.release(T.I32, p); w.release(T.I32, last);
}

/**
 * Fills [dst, dst + bytes) with the low `size` bytes of RAX: one memory.fill when all of
 * them are equal (always for STOSB, and for zeroing), else the element stored once and
 * copied onto the rest in doubling runs (log2 of the count memory.copy calls).
 */
function fill(env: RepStringEnv, size: number, dst: number, bytes: number): void {
  const w = env.w;
  const pushDst = (): void => { w.get(dst); w.op(O.I32WrapI64); };
  if (size === 1) {
    pushDst(); env.getReg(RAX); w.op(O.I32WrapI64); w.get(bytes); w.op(O.I32WrapI64); w.memoryFill();
    return;
  }
  const v = w.temp(T.I64);
  const mask = (1n << BigInt(size * 8)) - 1n;
  env.getReg(RAX); if (size < 8) { w.i64(mask); w.op(O.I64And); } w.set(v);
  // Every byte equal: v == (v & 0xff) * 0x0101...01.
  w.get(v); w.get(v); w.i64(0xffn); w.op(O.I64And); w.i64(0x0101010101010101n & mask); w.op(O.I64Mul); w.op(O.I64Eq);
  w.if();
  pushDst(); w.get(v); w.op(O.I32WrapI64); w.get(bytes); w.op(O.I32WrapI64); w.memoryFill();
  w.else();
  pushDst(); w.get(v);
  if (size === 8) w.mem(O.I64Store);
  else { w.op(O.I32WrapI64); w.mem(size === 4 ? O.I32Store : O.I32Store16); }
  const have = w.temp(T.I32), total = w.temp(T.I32), run = w.temp(T.I32);
  w.get(bytes); w.op(O.I32WrapI64); w.set(total);
  w.i32(size); w.set(have);
  const end = w.block();
  const loop = w.loop();
  w.get(have); w.get(total); w.op(O.I32GeU); w.brIf(end);
  // run = min(have, total - have)
  w.get(have); w.get(total); w.get(have); w.op(O.I32Sub); w.tee(run);
  w.get(have); w.get(run); w.op(O.I32LtU); w.op(O.Select); w.set(run);
  pushDst(); w.get(have); w.op(O.I32Add); pushDst(); w.get(run); w.memoryCopy();
  w.get(have); w.get(run); w.op(O.I32Add); w.set(have);
  w.br(loop);
  w.end(); // loop
  w.end(); // end
  w.end(); // if
  w.release(T.I32, have); w.release(T.I32, total); w.release(T.I32, run);
  w.release(T.I64, v);
}

// Win64 ABI thunks: every imported function gets a unique address in the thunk region.
// When execution reaches it, the engine calls the native handler built here, which
// fetches arguments as the declaration says, calls the TypeScript implementation,
// stores the result in RAX or XMM0 and returns to the caller like a RET would.
// Callee-saved registers are never touched, so they are preserved by construction.
//
// The handler is on the path of every API call (malloc/free in a hot loop), so it does
// no per-call allocation of its own: argument kinds are small integers decided once per
// thunk, arguments go straight from the register file or the stack into the call (no
// argument array, no spread), counts are plain fields, and 64-bit integer arguments
// become BigInts only where the declaration asks for one ('size' and 'ptr' are numbers).

import type { ApiFunction, ArgKind, RetKind, VarArgs } from './api.js';
import { NotImplemented } from './api.js';
import type { CpuState } from '../cpu/state.js';
import { Reg } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';
import { Prot } from '../mem/memory.js';
import { Layout } from '../mem/layout.js';

const ARG_REGS = [Reg.RCX, Reg.RDX, Reg.R8, Reg.R9];
const SLOT_SIZE = 16;

export interface ThunkHost {
  readonly st: CpuState;
  readonly mem: GuestMemory;
  registerNative(addr: number, fn: () => void): void;
}

export type TraceSink = (line: string) => void;

/**
 * What the API implementations' context can ask of the thunk layer: a non-local
 * transfer instead of a normal return (longjmp). Checked after every call.
 */
export interface ThunkContext {
  takeJump(): { rip: number; rsp: number } | undefined;
}

export interface ThunkInfo {
  readonly dll: string;
  readonly name: string;
  readonly fn: ApiFunction | undefined;
}

/** Reads argument slot `i` (0 = RCX) of the call whose return address is at RSP. */
export function argSlot(st: CpuState, mem: GuestMemory, i: number): { lo: number; hi: number } {
  return { lo: slotLo(st, mem, st.getNum(Reg.RSP), i), hi: slotHi(st, mem, st.getNum(Reg.RSP), i) };
}

/** Guest address of stack argument slot `i` (>= 4): above the return address and the 32-byte home area. */
const stackSlot = (rsp: number, i: number): number => rsp + 8 + 8 * i;

function slotLo(st: CpuState, mem: GuestMemory, rsp: number, i: number): number {
  return i < 4 ? st.u32[st.gprIndex + 2 * ARG_REGS[i]!]! : mem.read32(stackSlot(rsp, i));
}

function slotHi(st: CpuState, mem: GuestMemory, rsp: number, i: number): number {
  return i < 4 ? st.u32[st.gprIndex + 2 * ARG_REGS[i]! + 1]! : mem.read32(stackSlot(rsp, i) + 4);
}

/** A scratch word for reinterpreting integer bits as floating point. */
const bits = new DataView(new ArrayBuffer(8));

function bitsF64(lo: number, hi: number): number {
  bits.setUint32(0, lo, true);
  bits.setUint32(4, hi, true);
  return bits.getFloat64(0, true);
}

function bitsF32(lo: number): number {
  bits.setUint32(0, lo, true);
  return bits.getFloat32(0, true);
}

/** The 64 bits as an unsigned bigint, with the fewest BigInt operations for the common small values. */
function u64Of(lo: number, hi: number): bigint {
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

function i64Of(lo: number, hi: number): bigint {
  if (hi === 0 && lo < 0x80000000) return BigInt(lo);
  if (hi === 0xffffffff && lo >= 0x80000000) return BigInt(lo | 0);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
}

class SlotVarArgs implements VarArgs {
  private readonly rsp: number;
  constructor(private st: CpuState, private mem: GuestMemory, public index: number) { this.rsp = st.getNum(Reg.RSP); }
  nextU64(): bigint { const i = this.index++; return u64Of(slotLo(this.st, this.mem, this.rsp, i), slotHi(this.st, this.mem, this.rsp, i)); }
  nextPtr(): number { const i = this.index++; return slotHi(this.st, this.mem, this.rsp, i) * 0x100000000 + slotLo(this.st, this.mem, this.rsp, i); }
  nextI32(): number { return slotLo(this.st, this.mem, this.rsp, this.index++) | 0; }
  nextF64(): number { const i = this.index++; return bitsF64(slotLo(this.st, this.mem, this.rsp, i), slotHi(this.st, this.mem, this.rsp, i)); }
}

/** Argument kinds as small integers, for a switch on the call path; the plain numbers (up to Size) first. */
const enum Arg { I32, U32, Handle, Ptr, Size, I64, U64, F32, F64, F64Bits, Str, WStr, Va }

const ARG_CODES: Record<ArgKind, Arg> = {
  i32: Arg.I32, u32: Arg.U32, bool: Arg.U32, handle: Arg.Handle, i64: Arg.I64, u64: Arg.U64, ptr: Arg.Ptr, size: Arg.Size,
  f32: Arg.F32, f64: Arg.F64, f64bits: Arg.F64Bits, str: Arg.Str, wstr: Arg.WStr, va: Arg.Va,
};

const enum Ret { Void, U32, Bool, Handle, U64, Ptr, Size, F32, F64, F64Bits }

const RET_CODES: Record<RetKind, Ret> = {
  void: Ret.Void, i32: Ret.U32, u32: Ret.U32, bool: Ret.Bool, handle: Ret.Handle, i64: Ret.U64, u64: Ret.U64, ptr: Ret.Ptr, size: Ret.Size,
  f32: Ret.F32, f64: Ret.F64, f64bits: Ret.F64Bits,
};

/**
 * Fetches argument `i` (0 = RCX / XMM0) of kind `k`; `rsp` points at the return address.
 * The plain number kinds in a register (malloc's size, free's pointer, most arguments)
 * take a short path small enough for V8 to inline into the handler.
 */
function fetch(st: CpuState, mem: GuestMemory, rsp: number, k: Arg, i: number): unknown {
  if (i < 4 && k <= Arg.Size) {
    const lo = st.u32[st.gprIndex + 2 * ARG_REGS[i]!]!;
    if (k === Arg.U32) return lo;
    if (k !== Arg.Ptr && k !== Arg.Size) return lo | 0;
    return st.u32[st.gprIndex + 2 * ARG_REGS[i]! + 1]! * 0x100000000 + lo;
  }
  return fetchSlow(st, mem, rsp, k, i);
}

function fetchSlow(st: CpuState, mem: GuestMemory, rsp: number, k: Arg, i: number): unknown {
  switch (k) {
    case Arg.I32: return slotLo(st, mem, rsp, i) | 0;
    case Arg.U32: return slotLo(st, mem, rsp, i);
    case Arg.Handle: return slotLo(st, mem, rsp, i) | 0;
    case Arg.Ptr: case Arg.Size: return slotHi(st, mem, rsp, i) * 0x100000000 + slotLo(st, mem, rsp, i);
    case Arg.U64: return u64Of(slotLo(st, mem, rsp, i), slotHi(st, mem, rsp, i));
    case Arg.I64: return i64Of(slotLo(st, mem, rsp, i), slotHi(st, mem, rsp, i));
    case Arg.F64: return i < 4 ? st.xmmF64(i) : bitsF64(slotLo(st, mem, rsp, i), slotHi(st, mem, rsp, i));
    case Arg.F32: return i < 4 ? st.xmmF32(i) : bitsF32(slotLo(st, mem, rsp, i));
    case Arg.F64Bits: return i < 4 ? mem.dv.getBigUint64(st.xmmAddr(i), true) : u64Of(slotLo(st, mem, rsp, i), slotHi(st, mem, rsp, i));
    case Arg.Str: case Arg.WStr: {
      const p = slotHi(st, mem, rsp, i) * 0x100000000 + slotLo(st, mem, rsp, i);
      if (p === 0) return null;
      return k === Arg.Str ? mem.readCString(p) : mem.readWString(p);
    }
    case Arg.Va: return new SlotVarArgs(st, mem, i);
  }
}

type Impl = (...a: unknown[]) => unknown;

/** Calls `impl` with the context and the declared arguments, fetched in order, without an argument array. */
function invoke(impl: Impl, ctx: unknown, st: CpuState, mem: GuestMemory, rsp: number, k: readonly Arg[]): unknown {
  switch (k.length) {
    case 0: return impl(ctx);
    case 1: return impl(ctx, fetch(st, mem, rsp, k[0]!, 0));
    case 2: return impl(ctx, fetch(st, mem, rsp, k[0]!, 0), fetch(st, mem, rsp, k[1]!, 1));
    case 3: return impl(ctx, fetch(st, mem, rsp, k[0]!, 0), fetch(st, mem, rsp, k[1]!, 1), fetch(st, mem, rsp, k[2]!, 2));
    case 4: return impl(ctx, fetch(st, mem, rsp, k[0]!, 0), fetch(st, mem, rsp, k[1]!, 1), fetch(st, mem, rsp, k[2]!, 2), fetch(st, mem, rsp, k[3]!, 3));
    case 5: return impl(ctx, fetch(st, mem, rsp, k[0]!, 0), fetch(st, mem, rsp, k[1]!, 1), fetch(st, mem, rsp, k[2]!, 2), fetch(st, mem, rsp, k[3]!, 3),
      fetch(st, mem, rsp, k[4]!, 4));
    case 6: return impl(ctx, fetch(st, mem, rsp, k[0]!, 0), fetch(st, mem, rsp, k[1]!, 1), fetch(st, mem, rsp, k[2]!, 2), fetch(st, mem, rsp, k[3]!, 3),
      fetch(st, mem, rsp, k[4]!, 4), fetch(st, mem, rsp, k[5]!, 5));
    default: return impl(ctx, ...fetchAll(st, mem, rsp, k));
  }
}

function fetchAll(st: CpuState, mem: GuestMemory, rsp: number, k: readonly Arg[]): unknown[] {
  const args: unknown[] = [];
  for (let i = 0; i < k.length; i++) args.push(fetch(st, mem, rsp, k[i]!, i));
  return args;
}

/** One imported function's handler state: what it calls and how often it was called. */
interface NativeRecord {
  readonly key: string;
  calls: number;
}

export class ThunkTable {
  private next: number = Layout.thunkBase;
  private readonly byAddr = new Map<number, ThunkInfo>();
  private readonly byKey = new Map<string, number>();
  /** Set to receive one line per API call and return (`--trace api`). */
  trace: TraceSink | undefined;
  traceFilter: ((dll: string, name: string) => boolean) | undefined;
  private readonly records: NativeRecord[] = [];
  private callDepth = 0;

  constructor(private host: ThunkHost, public context: ThunkContext) {
    host.mem.map(Layout.thunkBase, Layout.thunkSize, Prot.RX);
    host.mem.poke(Layout.thunkBase, new Uint8Array(Layout.thunkSize).fill(0xcc));
  }

  info(addr: number): ThunkInfo | undefined { return this.byAddr.get(addr); }

  /** Calls per "dll!name" of the functions called at least once, for --stats. */
  get callCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.records) if (r.calls > 0) counts.set(r.key, (counts.get(r.key) ?? 0) + r.calls);
    return counts;
  }

  /** A fresh address in the thunk region running `fn` when reached (sentinels, callbacks). */
  allocateNative(label: string, native: () => void): number {
    const addr = this.take();
    this.byAddr.set(addr, { dll: 'wexe', name: label, fn: undefined });
    this.host.registerNative(addr, native);
    return addr;
  }

  /** The thunk address for dll!name, creating it on first use. `fn` undefined: a missing import. */
  thunkFor(dll: string, name: string, fn: ApiFunction | undefined): number {
    const key = `${dll.toLowerCase()}!${name}`;
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    const addr = this.take();
    this.byKey.set(key, addr);
    this.byAddr.set(addr, { dll, name, fn });
    this.host.registerNative(addr, fn ? this.makeNative(dll, fn) : this.makeMissing(dll, name));
    return addr;
  }

  private take(): number {
    const addr = this.next;
    if (addr + SLOT_SIZE > Layout.thunkBase + Layout.thunkSize) throw new Error('thunk region exhausted');
    this.next += SLOT_SIZE;
    return addr;
  }

  private makeMissing(dll: string, name: string): () => void {
    return () => {
      const caller = this.host.mem.readPtr(this.host.st.getNum(Reg.RSP));
      throw new NotImplemented(dll, name, caller);
    };
  }

  private makeNative(dll: string, f: ApiFunction): () => void {
    const { st, mem } = this.host;
    const record: NativeRecord = { key: `${dll}!${f.name}`, calls: 0 };
    this.records.push(record);
    const va = f.args.indexOf('va');
    // Nothing after the varargs reader is fetched: it reads the rest itself.
    const kinds = (va < 0 ? f.args : f.args.slice(0, va + 1)).map((k) => ARG_CODES[k]);
    const ret = RET_CODES[f.ret];
    const impl = f.impl as Impl;
    const ripIndex = st.ripIndex, rspIndex = st.gprIndex + 2 * Reg.RSP;
    return () => {
      record.calls++;
      const rsp = st.getNum(Reg.RSP);
      const returnAddress = mem.readPtr(rsp);
      const context = this.context;
      let result: unknown;
      let tracing = false;
      if (this.trace === undefined) {
        result = invoke(impl, context, st, mem, rsp, kinds);
      } else {
        tracing = this.traceFilter === undefined || this.traceFilter(dll, f.name);
        const args = fetchAll(st, mem, rsp, kinds);
        if (tracing) this.trace(`${'  '.repeat(this.callDepth)}call ${record.key}(${args.map((a, i) => showArg(f.args[i]!, a)).join(', ')}) from 0x${returnAddress.toString(16)}`);
        this.callDepth++;
        try {
          result = impl(context, ...args);
        } finally {
          this.callDepth--;
        }
      }
      const jump = context.takeJump();
      if (jump) {
        if (tracing) this.trace!(`${'  '.repeat(this.callDepth)}jump ${record.key} -> 0x${jump.rip.toString(16)}`);
        st.rip = jump.rip;
        st.setNum(Reg.RSP, jump.rsp);
        return;
      }
      storeResult(st, ret, result);
      if (tracing) this.trace!(`${'  '.repeat(this.callDepth)}ret  ${record.key} = ${showRet(f.ret, result)}`);
      // RIP and RSP written as halves (no division: both are below 2^32 almost always).
      const u32 = st.u32;
      if (returnAddress <= 0xffffffff) { u32[ripIndex] = returnAddress; u32[ripIndex + 1] = 0; } else st.rip = returnAddress;
      const sp = rsp + 8;
      if (sp <= 0xffffffff) { u32[rspIndex] = sp; u32[rspIndex + 1] = 0; } else st.setNum(Reg.RSP, sp);
    };
  }
}

function storeResult(st: CpuState, kind: Ret, v: unknown): void {
  switch (kind) {
    case Ret.Void: return;
    case Ret.U32: st.set64(Reg.RAX, (v as number) >>> 0, 0); return;
    case Ret.Bool: st.set64(Reg.RAX, v ? 1 : 0, 0); return;
    case Ret.Handle: { const n = v as number; st.set64(Reg.RAX, n >>> 0, n < 0 ? 0xffffffff : 0); return; }
    case Ret.U64: {
      const b = v as bigint;
      if (b >= 0n && b <= 0xffffffffn) st.set64(Reg.RAX, Number(b), 0);
      else st.setBig(Reg.RAX, BigInt.asUintN(64, b));
      return;
    }
    case Ret.Ptr: st.setNum(Reg.RAX, v as number); return;
    case Ret.Size: { const n = v as number; st.set64(Reg.RAX, n >>> 0, Math.floor(n / 0x100000000) >>> 0); return; }
    case Ret.F64: st.setXmmF64(0, v as number); return;
    case Ret.F32: st.setXmmF32(0, v as number); return;
    case Ret.F64Bits: st.dv.setBigUint64(st.xmmAddr(0) - st.u8.byteOffset, BigInt.asUintN(64, v as bigint), true); return;
  }
}

function showArg(k: ArgKind, a: unknown): string {
  switch (k) {
    case 'str': case 'wstr': return a === null ? 'NULL' : JSON.stringify(a);
    case 'ptr': return (a as number) === 0 ? 'NULL' : `0x${(a as number).toString(16)}`;
    case 'u32': case 'handle': return (a as number) < 0 ? String(a) : `0x${(a as number).toString(16)}`;
    case 'va': return '...';
    default: return String(a);
  }
}

function showRet(k: RetKind, v: unknown): string {
  if (k === 'void') return 'void';
  if (k === 'ptr' || k === 'u32') return `0x${(v as number).toString(16)}`;
  if (k === 'bool') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

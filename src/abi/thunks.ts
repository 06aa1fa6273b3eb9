// Win64 ABI thunks: every imported function gets a unique address in the thunk region.
// When execution reaches it, the engine calls the native handler built here, which
// fetches arguments as the declaration says, calls the TypeScript implementation,
// stores the result in RAX or XMM0 and returns to the caller like a RET would.
// Callee-saved registers are never touched, so they are preserved by construction.

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
  if (i < 4) return { lo: st.lo(ARG_REGS[i]!), hi: st.hi(ARG_REGS[i]!) };
  const a = st.getNum(Reg.RSP) + 8 + 8 * i; // return address, 32-byte home area, then slots 4..
  return { lo: mem.read32(a), hi: mem.read32(a + 4) };
}

function slotF64(lo: number, hi: number): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setUint32(0, lo, true);
  dv.setUint32(4, hi, true);
  return dv.getFloat64(0, true);
}

class SlotVarArgs implements VarArgs {
  constructor(private st: CpuState, private mem: GuestMemory, public index: number) {}
  private next(): { lo: number; hi: number } { return argSlot(this.st, this.mem, this.index++); }
  nextU64(): bigint { const s = this.next(); return (BigInt(s.hi) << 32n) | BigInt(s.lo); }
  nextPtr(): number { const s = this.next(); return s.hi * 0x100000000 + s.lo; }
  nextI32(): number { return this.next().lo | 0; }
  nextF64(): number { const s = this.next(); return slotF64(s.lo, s.hi); }
}

export class ThunkTable {
  private next: number = Layout.thunkBase;
  private readonly byAddr = new Map<number, ThunkInfo>();
  private readonly byKey = new Map<string, number>();
  /** Set to receive one line per API call and return (`--trace api`). */
  trace: TraceSink | undefined;
  traceFilter: ((dll: string, name: string) => boolean) | undefined;
  /** Counts calls per "dll!name", for --stats. */
  readonly callCounts = new Map<string, number>();
  private callDepth = 0;

  constructor(private host: ThunkHost, public context: ThunkContext) {
    host.mem.map(Layout.thunkBase, Layout.thunkSize, Prot.RX);
    host.mem.poke(Layout.thunkBase, new Uint8Array(Layout.thunkSize).fill(0xcc));
  }

  info(addr: number): ThunkInfo | undefined { return this.byAddr.get(addr); }

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
    const key = `${dll}!${f.name}`;
    const kinds = f.args;
    return () => {
      const rsp = st.getNum(Reg.RSP);
      const ret = mem.readPtr(rsp);
      const args: unknown[] = [this.context];
      for (let i = 0; i < kinds.length; i++) {
        const k = kinds[i]!;
        if (k === 'va') { args.push(new SlotVarArgs(st, mem, i)); break; }
        args.push(fetchArg(st, mem, k, i));
      }
      this.callCounts.set(key, (this.callCounts.get(key) ?? 0) + 1);
      const tracing = this.trace !== undefined && (this.traceFilter === undefined || this.traceFilter(dll, f.name));
      if (tracing) this.trace!(`${'  '.repeat(this.callDepth)}call ${key}(${args.slice(1).map((a, i) => showArg(kinds[i]!, a)).join(', ')}) from 0x${ret.toString(16)}`);
      this.callDepth++;
      let result: unknown;
      try {
        result = (f.impl as (...a: unknown[]) => unknown)(...args);
      } finally {
        this.callDepth--;
      }
      const jump = this.context.takeJump();
      if (jump) {
        if (tracing) this.trace!(`${'  '.repeat(this.callDepth)}jump ${key} -> 0x${jump.rip.toString(16)}`);
        st.rip = jump.rip;
        st.setNum(Reg.RSP, jump.rsp);
        return;
      }
      storeResult(st, f.ret, result);
      if (tracing) this.trace!(`${'  '.repeat(this.callDepth)}ret  ${key} = ${showRet(f.ret, result)}`);
      st.rip = ret;
      st.setNum(Reg.RSP, rsp + 8);
    };
  }
}

function fetchArg(st: CpuState, mem: GuestMemory, k: ArgKind, i: number): unknown {
  if ((k === 'f64' || k === 'f32') && i < 4) return k === 'f64' ? st.xmmF64(i) : st.xmmF32(i);
  if (k === 'f64bits' && i < 4) return mem.dv.getBigUint64(st.xmmAddr(i), true);
  const s = argSlot(st, mem, i);
  switch (k) {
    case 'i32': return s.lo | 0;
    case 'u32': return s.lo;
    case 'bool': return s.lo;
    case 'handle': return s.lo | 0;
    case 'i64': return BigInt.asIntN(64, (BigInt(s.hi) << 32n) | BigInt(s.lo));
    case 'u64': return (BigInt(s.hi) << 32n) | BigInt(s.lo);
    case 'ptr': return s.hi * 0x100000000 + s.lo;
    case 'f64': return slotF64(s.lo, s.hi);
    case 'f64bits': return (BigInt(s.hi) << 32n) | BigInt(s.lo);
    case 'f32': { const dv = new DataView(new ArrayBuffer(4)); dv.setUint32(0, s.lo, true); return dv.getFloat32(0, true); }
    case 'str': { const p = s.hi * 0x100000000 + s.lo; return p === 0 ? null : mem.readCString(p); }
    case 'wstr': { const p = s.hi * 0x100000000 + s.lo; return p === 0 ? null : mem.readWString(p); }
    case 'va': throw new Error('unreachable');
  }
}

function storeResult(st: CpuState, kind: RetKind, v: unknown): void {
  switch (kind) {
    case 'void': return;
    case 'i32': case 'u32': st.set64(Reg.RAX, (v as number) >>> 0, 0); return;
    case 'bool': st.set64(Reg.RAX, v ? 1 : 0, 0); return;
    case 'handle': { const n = v as number; st.set64(Reg.RAX, n >>> 0, n < 0 ? 0xffffffff : 0); return; }
    case 'i64': case 'u64': st.setBig(Reg.RAX, BigInt.asUintN(64, v as bigint)); return;
    case 'ptr': st.setNum(Reg.RAX, v as number); return;
    case 'f64': st.setXmmF64(0, v as number); return;
    case 'f32': st.setXmmF32(0, v as number); return;
    case 'f64bits': st.dv.setBigUint64(st.xmmAddr(0) - st.u8.byteOffset, BigInt.asUintN(64, v as bigint), true); return;
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

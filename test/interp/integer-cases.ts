// Case generators for the integer differential test: every integer instruction form
// (mnemonic x operand size x register/memory/immediate) with seeded random values
// plus edge values (0, 1, -1, sign boundaries, shift counts around the width,
// divisions that overflow or divide by zero).

import type { CpuCase } from '../native/case.js';
import { SCRATCH_ADDRESS } from '../native/case.js';
import { encode, rng } from './support/encode.js';
import type { FormSpec } from './support/encode.js';
import { undefinedFlags } from '../../src/x86/undefined-flags.js';

export interface IntCase extends CpuCase {
  /** RFLAGS bits to compare: CF PF AF ZF SF OF DF minus those undefined for this case. */
  flagMask: number;
}

const MEM = SCRATCH_ADDRESS + 0x800;
const SIZES = [1, 2, 4, 8] as const;
const ALU = ['Add', 'Or', 'Adc', 'Sbb', 'And', 'Sub', 'Xor', 'Cmp'] as const;
const SHIFTS = ['Rol', 'Ror', 'Rcl', 'Rcr', 'Shl', 'Shr', 'Sal', 'Sar'] as const;
/** Registers a form may use: never RBX (the memory base) or RSP. Byte numbers 4..6 are AH CH DH. */
const BYTE_REGS = [0, 1, 2, 4, 5, 6];
const WIDE_REGS = [0, 1, 2, 5, 6, 7];
const REG_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'] as const;

type Rand = () => number;

class Gen {
  readonly cases: IntCase[] = [];
  constructor(readonly r: Rand, readonly perForm: number) {}

  int(n: number): number { return Math.floor(this.r() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  u32(): bigint { return BigInt(this.int(0x100000000)); }
  u64(): bigint { return (this.u32() << 32n) | this.u32(); }

  /** A 64-bit register value whose low `size` bytes are often an edge value. */
  value(size: number): bigint {
    const bits = BigInt(size * 8);
    const mask = (1n << bits) - 1n;
    const edges = [0n, 1n, 2n, mask, mask - 1n, 1n << (bits - 1n), (1n << (bits - 1n)) - 1n, (1n << (bits - 1n)) + 1n, 0x80n, 0x7fn, 0xffn, 0x100n];
    const rand = this.u64();
    if (this.r() < 0.4) {
      const e = this.pick(edges) & mask;
      return size === 8 ? e : (rand & ~mask) | e;
    }
    if (this.r() < 0.15) return BigInt(this.int(16)) | (rand & ~mask);
    return rand;
  }

  /** Random registers (RBX = the memory operand address), random arithmetic flags. */
  base(size: number): { gpr: Record<string, bigint | number>; rflags: number; scratch: Uint8Array } {
    const gpr: Record<string, bigint | number> = {};
    for (const n of ['rax', 'rcx', 'rdx', 'rbp', 'rsi', 'rdi', 'r8']) gpr[n] = this.value(size);
    gpr.rbx = MEM;
    const scratch = new Uint8Array(0x900);
    for (let i = 0x7c0; i < 0x900; i++) scratch[i] = this.int(256);
    // The operand at [rbx] gets an edge value half the time.
    if (this.r() < 0.5) {
      let v = this.value(size);
      for (let i = 0; i < 8; i++) { scratch[0x800 + i] = Number(v & 0xffn); v >>= 8n; }
    }
    const rflags = (this.r() < 0.5 ? 1 : 0) | (this.r() < 0.5 ? 0x40 : 0) | (this.r() < 0.3 ? 0x800 : 0)
      | (this.r() < 0.3 ? 0x80 : 0) | (this.r() < 0.3 ? 0x4 : 0) | (this.r() < 0.3 ? 0x10 : 0);
    return { gpr, rflags, scratch };
  }

  add(name: string, mnemonic: string, code: Uint8Array, setup: ReturnType<Gen['base']>, shift?: { count: number; size: number }): void {
    this.cases.push({
      name, code, gpr: setup.gpr, rflags: setup.rflags, scratch: setup.scratch,
      flagMask: 0xcd5 & ~undefinedFlags(mnemonic, shift),
    });
  }

  /** perForm cases of one form; `tweak` may adjust the setup and return a shift count. */
  form(name: string, mnemonic: string, size: number, spec: (g: Gen) => FormSpec,
    tweak?: (s: ReturnType<Gen['base']>, f: FormSpec) => number | void, count = this.perForm): void {
    for (let i = 0; i < count; i++) {
      const s = this.base(size);
      const f = spec(this);
      const shiftCount = tweak?.(s, f);
      this.add(name, mnemonic, encode(f), s, typeof shiftCount === 'number' ? { count: shiftCount, size } : undefined);
    }
  }

  reg(size: number): number { return this.pick(size === 1 ? BYTE_REGS : WIDE_REGS); }
  rm(size: number, mem: boolean): number | 'mem' { return mem ? 'mem' : this.reg(size); }
}

function immValue(g: Gen, size: number): bigint {
  const v = g.value(Math.min(size, 4));
  return v & ((1n << BigInt(8 * Math.min(size, 4))) - 1n);
}

const SHIFT_COUNTS = (w: number): number[] => [0, 1, 2, w - 1, w, w + 1, 31, 32, 33, 63, 64, 0xff, 7, 8, 9, 16, 17];

function byteOf(v: bigint | number, shiftBytes = 0): number { return Number((BigInt(v) >> BigInt(8 * shiftBytes)) & 0xffn); }

export function integerCases(seed = 0x5eed, perForm = 10): IntCase[] {
  const g = new Gen(rng(seed), perForm);

  for (const size of SIZES) {
    const w = size === 1 ? 0 : 1;
    const sz = `${size * 8}`;
    // ---- ALU ----
    ALU.forEach((mn, k) => {
      for (const mem of [false, true]) {
        g.form(`${mn} rm${sz},r${mem ? ' mem' : ''}`, mn, size, (x) => ({ size, opcode: [8 * k + w], reg: x.reg(size), rm: x.rm(size, mem) }));
        g.form(`${mn} r${sz},rm${mem ? ' mem' : ''}`, mn, size, (x) => ({ size, opcode: [8 * k + 2 + w], reg: x.reg(size), rm: x.rm(size, mem) }));
        g.form(`${mn} rm${sz},imm${mem ? ' mem' : ''}`, mn, size, (x) => ({ size, opcode: [size === 1 ? 0x80 : 0x81], reg: k, rm: x.rm(size, mem), imm: { value: immValue(x, size), size: Math.min(size, 4) } }));
        if (size > 1) g.form(`${mn} rm${sz},imm8${mem ? ' mem' : ''}`, mn, size, (x) => ({ size, opcode: [0x83], reg: k, rm: x.rm(size, mem), imm: { value: immValue(x, 1), size: 1 } }));
      }
      g.form(`${mn} acc${sz},imm`, mn, size, (x) => ({ size, opcode: [8 * k + 4 + w], imm: { value: immValue(x, size), size: Math.min(size, 4) } }));
      g.form(`${mn} r${sz},same`, mn, size, (x) => { const r = x.reg(size); return { size, opcode: [8 * k + w], reg: r, rm: r }; }, undefined, 3);
    });
    for (const mem of [false, true]) {
      const m = mem ? ' mem' : '';
      g.form(`Test rm${sz},r${m}`, 'Test', size, (x) => ({ size, opcode: [0x84 + w], reg: x.reg(size), rm: x.rm(size, mem) }));
      g.form(`Test rm${sz},imm${m}`, 'Test', size, (x) => ({ size, opcode: [0xf6 + w], reg: 0, rm: x.rm(size, mem), imm: { value: immValue(x, size), size: Math.min(size, 4) } }));
      for (const [mn, op, ext] of [['Inc', 0xfe, 0], ['Dec', 0xfe, 1], ['Not', 0xf6, 2], ['Neg', 0xf6, 3]] as const) {
        g.form(`${mn} rm${sz}${m}`, mn, size, (x) => ({ size, opcode: [op + w], reg: ext, rm: x.rm(size, mem) }));
      }
      for (const [mn, ext] of [['Mul', 4], ['Imul', 5]] as const) {
        g.form(`${mn} rm${sz}${m}`, mn, size, (x) => ({ size, opcode: [0xf6 + w], reg: ext, rm: mem ? 'mem' : x.pick(size === 1 ? [1, 5, 6, 0, 2] : [1, 6, 7, 0, 2]) }));
      }
      for (const [mn, ext] of [['Div', 6], ['Idiv', 7]] as const) {
        g.form(`${mn} rm${sz}${m}`, mn, size, (x) => ({ size, opcode: [0xf6 + w], reg: ext, rm: mem ? 'mem' : x.pick(size === 1 ? [1, 5, 6] : [1, 6, 7]) }),
          (s, f) => divisionSetup(g, s, f, size, mn === 'Idiv'), perForm * 2);
      }
      // ---- shifts and rotates ----
      SHIFTS.forEach((mn, ext) => {
        const width = size * 8;
        g.form(`${mn} rm${sz},imm8${m}`, mn, size, (x) => ({ size, opcode: [0xc0 + w], reg: ext, rm: x.rm(size, mem), imm: { value: x.pick(SHIFT_COUNTS(width)), size: 1 } }),
          (_s, f) => Number(f.imm!.value), perForm + 4);
        g.form(`${mn} rm${sz},1${m}`, mn, size, (x) => ({ size, opcode: [0xd0 + w], reg: ext, rm: x.rm(size, mem) }), () => 1, 4);
        g.form(`${mn} rm${sz},cl${m}`, mn, size, (x) => ({ size, opcode: [0xd2 + w], reg: ext, rm: mem ? 'mem' : x.pick(size === 1 ? [0, 2, 4, 6] : [0, 2, 5, 6, 7]) }),
          (s) => { const cnt = g.pick(SHIFT_COUNTS(width)); s.gpr.rcx = (BigInt(s.gpr.rcx!) & ~0xffn) | BigInt(cnt); return cnt; }, perForm + 4);
      });
      // ---- MOV family ----
      g.form(`Mov rm${sz},r${m}`, 'Mov', size, (x) => ({ size, opcode: [0x88 + w], reg: x.reg(size), rm: x.rm(size, mem) }), undefined, 4);
      g.form(`Mov r${sz},rm${m}`, 'Mov', size, (x) => ({ size, opcode: [0x8a + w], reg: x.reg(size), rm: x.rm(size, mem) }), undefined, 4);
      g.form(`Mov rm${sz},imm${m}`, 'Mov', size, (x) => ({ size, opcode: [0xc6 + w], reg: 0, rm: x.rm(size, mem), imm: { value: immValue(x, size), size: Math.min(size, 4) } }), undefined, 4);
      g.form(`Xchg rm${sz},r${m}`, 'Xchg', size, (x) => ({ size, opcode: [0x86 + w], reg: x.reg(size), rm: x.rm(size, mem) }), undefined, 4);
      g.form(`Xadd rm${sz},r${m}`, 'Xadd', size, (x) => ({ size, opcode: [0x0f, 0xc0 + w], reg: x.reg(size), rm: x.rm(size, mem) }));
      g.form(`Cmpxchg rm${sz},r${m}`, 'Cmpxchg', size, (x) => ({ size, opcode: [0x0f, 0xb0 + w], reg: x.pick(size === 1 ? [1, 2, 5, 6] : [1, 2, 5, 6, 7]), rm: mem ? 'mem' : x.pick(size === 1 ? [1, 2, 5, 6] : [1, 2, 5, 6, 7]) }),
        (s, f) => { if (g.r() < 0.5) s.gpr.rax = mem ? readScratch(s.scratch, size) : regValue(s.gpr, f.rm as number, size); });
      if (size > 1) {
        g.form(`Imul r${sz},rm${m}`, 'Imul', size, (x) => ({ size, opcode: [0x0f, 0xaf], reg: x.reg(size), rm: x.rm(size, mem) }));
        g.form(`Imul r${sz},rm,imm${m}`, 'Imul', size, (x) => ({ size, opcode: [0x69], reg: x.reg(size), rm: x.rm(size, mem), imm: { value: immValue(x, size), size: Math.min(size, 4) } }));
        g.form(`Imul r${sz},rm,imm8${m}`, 'Imul', size, (x) => ({ size, opcode: [0x6b], reg: x.reg(size), rm: x.rm(size, mem), imm: { value: immValue(x, 1), size: 1 } }));
        for (const [mn, op] of [['Shld', 0xa4], ['Shrd', 0xac]] as const) {
          const width = size * 8;
          const counts = SHIFT_COUNTS(width).filter((c) => size !== 2 || (c & 31) <= 16);
          g.form(`${mn} rm${sz},r,imm8${m}`, mn, size, (x) => ({ size, opcode: [0x0f, op], reg: x.reg(size), rm: x.rm(size, mem), imm: { value: x.pick(counts), size: 1 } }),
            (_s, f) => Number(f.imm!.value), perForm + 4);
          g.form(`${mn} rm${sz},r,cl${m}`, mn, size, (x) => ({ size, opcode: [0x0f, op + 1], reg: x.pick([0, 2, 5, 6, 7]), rm: mem ? 'mem' : x.pick([0, 2, 5, 6, 7]) }),
            (s) => { const cnt = g.pick(counts); s.gpr.rcx = (BigInt(s.gpr.rcx!) & ~0xffn) | BigInt(cnt); return cnt; }, perForm + 4);
        }
        for (const [mn, op] of [['Bt', 0xa3], ['Bts', 0xab], ['Btr', 0xb3], ['Btc', 0xbb]] as const) {
          g.form(`${mn} rm${sz},r${m}`, mn, size, (x) => ({ size, opcode: [0x0f, op], reg: x.reg(size), rm: x.rm(size, mem) }),
            (s, f) => {
              // In memory the bit offset is signed and unbounded: keep it within the scratch page mostly.
              if (mem) { const off = BigInt(g.int(0x3000) - 0x1800) + (g.r() < 0.1 ? (g.r() < 0.5 ? 0x3fffff00n : -0x3fffff00n) : 0n); setReg(s.gpr, f.reg!, size, off); }
            });
        }
        ['Bt', 'Bts', 'Btr', 'Btc'].forEach((mn, i) => {
          g.form(`${mn} rm${sz},imm8${m}`, mn, size, (x) => ({ size, opcode: [0x0f, 0xba], reg: 4 + i, rm: x.rm(size, mem), imm: { value: x.int(256), size: 1 } }));
        });
        for (const [mn, op, prefix] of [['Bsf', 0xbc, []], ['Bsr', 0xbd, []], ['Tzcnt', 0xbc, [0xf3]], ['Lzcnt', 0xbd, [0xf3]], ['Popcnt', 0xb8, [0xf3]]] as const) {
          g.form(`${mn} r${sz},rm${m}`, mn, size, (x) => ({ size, prefix: [...prefix], opcode: [0x0f, op], reg: x.reg(size), rm: x.rm(size, mem) }),
            (s, f) => {
              // Sparse sources: zero and single bits half the time.
              if (g.r() < 0.5) {
                const v = g.r() < 0.3 ? 0n : 1n << BigInt(g.int(size * 8));
                if (mem) writeScratch(s.scratch, size, v); else setReg(s.gpr, f.rm as number, size, v);
              }
            });
        }
        for (let cc = 0; cc < 16; cc++) {
          g.form(`Cmov${cc} r${sz},rm${m}`, 'Cmov', size, (x) => ({ size, opcode: [0x0f, 0x40 + cc], reg: x.reg(size), rm: x.rm(size, mem) }), undefined, 3);
        }
        g.form(`Movzx r${sz},rm8${m}`, 'Movzx', size, (x) => ({ size, opcode: [0x0f, 0xb6], reg: x.reg(size), rm: mem ? 'mem' : x.pick(size === 8 ? [0, 1, 2, 5, 6, 7] : BYTE_REGS) }), undefined, 4);
        g.form(`Movsx r${sz},rm8${m}`, 'Movsx', size, (x) => ({ size, opcode: [0x0f, 0xbe], reg: x.reg(size), rm: mem ? 'mem' : x.pick(size === 8 ? [0, 1, 2, 5, 6, 7] : BYTE_REGS) }), undefined, 4);
        if (size > 2) {
          g.form(`Movzx r${sz},rm16${m}`, 'Movzx', size, (x) => ({ size, opcode: [0x0f, 0xb7], reg: x.reg(size), rm: x.rm(2, mem) }), undefined, 4);
          g.form(`Movsx r${sz},rm16${m}`, 'Movsx', size, (x) => ({ size, opcode: [0x0f, 0xbf], reg: x.reg(size), rm: x.rm(2, mem) }), undefined, 4);
        }
        if (size === 8) g.form(`Movsxd r64,rm32${m}`, 'Movsxd', 8, (x) => ({ size: 8, opcode: [0x63], reg: x.reg(8), rm: x.rm(4, mem) }), undefined, 4);
      }
    }
    // ---- forms without ModRM ----
    if (size > 1) {
      g.form(`Xchg acc,r${sz}`, 'Xchg', size, (x) => ({ size, opcode: [0x90 + x.pick([1, 2, 5, 6, 7])] }), undefined, 4);
      g.form(`Mov r${sz},imm`, 'Mov', size, (x) => ({ size, opcode: [0xb8 + x.pick(WIDE_REGS)], imm: { value: size === 8 ? x.value(8) : immValue(x, size), size } }), undefined, 4);
      g.form(`Cbw/Cwde/Cdqe ${sz}`, 'Cbw', size, () => ({ size, opcode: [0x98] }), undefined, 6);
      g.form(`Cwd/Cdq/Cqo ${sz}`, 'Cwd', size, () => ({ size, opcode: [0x99] }), undefined, 6);
      if (size >= 4) g.form(`Bswap r${sz}`, 'Bswap', size, (x) => ({ size, opcode: [0x0f, 0xc8 + x.pick(WIDE_REGS)] }), undefined, 4);
    } else {
      g.form('Mov r8,imm', 'Mov', 1, (x) => ({ size: 1, opcode: [0xb0 + x.pick(BYTE_REGS)], imm: { value: x.int(256), size: 1 } }), undefined, 4);
      for (let cc = 0; cc < 16; cc++) {
        g.form(`Set${cc} rm8`, 'Setcc', 1, (x) => ({ size: 1, opcode: [0x0f, 0x90 + cc], reg: 0, rm: x.rm(1, x.r() < 0.3) }), undefined, 4);
      }
    }
    // ---- string instructions: rsi/rdi inside the scratch page, small counts ----
    const e = size;
    for (const [mn, op] of [['Movs', 0xa4], ['Stos', 0xaa], ['Lods', 0xac], ['Scas', 0xae], ['Cmps', 0xa6]] as const) {
      for (const prefix of [[], [0xf3], [0xf2]]) {
        g.form(`${mn}${sz}${prefix.length ? ` rep${prefix[0] === 0xf2 ? 'ne' : ''}` : ''}`, mn, size,
          () => ({ size: e, opcode: [op + (e === 1 ? 0 : 1)], prefix }),
          (s) => {
            s.gpr.rsi = SCRATCH_ADDRESS + 0x7c0 + g.int(0x40);
            s.gpr.rdi = SCRATCH_ADDRESS + 0x7c0 + g.int(0x40);
            s.gpr.rcx = g.r() < 0.2 ? 0 : g.int(12);
            if (g.r() < 0.5) s.rflags |= 0x400; // DF
            // Make some compares equal so REPE runs on.
            if (g.r() < 0.4) for (let i = 0; i < 0x40; i++) s.scratch[0x7c0 + i] = 0x5a;
            if (g.r() < 0.4) s.gpr.rax = 0x5a5a5a5a5a5a5a5an;
          }, 4);
      }
    }
  }
  // ---- LEA with SIB, 64- and 32-bit address sizes ----
  for (const [prefix, label] of [[[], 'a64'], [[0x67], 'a32']] as const) {
    for (const size of [2, 4, 8]) {
      g.form(`Lea r${size * 8} ${label}`, 'Lea', size, (x) => {
        const disp = x.int(0x100000000) | 0;
        return { size, prefix: [...prefix], opcode: [0x8d, (2 << 6) | (x.pick([0, 1, 5, 6, 7]) << 3) | 4, (x.int(4) << 6) | (x.pick([0, 2, 5, 6, 7]) << 3) | x.pick([0, 1, 2, 6, 7]), disp & 0xff, (disp >>> 8) & 0xff, (disp >>> 16) & 0xff, (disp >>> 24) & 0xff] };
      }, undefined, 8);
    }
  }
  // ---- flag instructions, XLAT, CMPXCHG8B/16B ----
  for (const [mn, op] of [['Clc', 0xf8], ['Stc', 0xf9], ['Cmc', 0xf5], ['Cld', 0xfc], ['Std', 0xfd], ['Lahf', 0x9f], ['Sahf', 0x9e], ['Xlatb', 0xd7]] as const) {
    g.form(mn, mn, 4, () => ({ size: 4, opcode: [op] }), (s) => { if (g.r() < 0.5) s.rflags |= 0x400; }, 6);
  }
  for (const size of [8, 16]) {
    g.form(`Cmpxchg${size}b`, `Cmpxchg${size}b`, 8, () => ({ size: size === 16 ? 8 : 4, opcode: [0x0f, 0xc7], reg: 1, rm: 'mem', base: 6 }),
      (s) => {
        s.gpr.rsi = MEM + (size === 16 && g.r() < 0.2 ? 8 : 0);
        if (g.r() < 0.5) { s.gpr.rax = readScratch(s.scratch, 8); s.gpr.rdx = readScratch(s.scratch, 8, size === 16 ? 8 : 4); if (size === 8) s.gpr.rdx = BigInt(s.gpr.rdx) & 0xffffffffn; }
      }, 12);
  }
  return g.cases;
}

function readScratch(scratch: Uint8Array, size: number, offset = 0): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(scratch[0x800 + offset + i]!);
  return v;
}
function writeScratch(scratch: Uint8Array, size: number, v: bigint): void {
  for (let i = 0; i < size; i++) { scratch[0x800 + i] = Number(v & 0xffn); v >>= 8n; }
}
/** The value of register `r` (by ModRM number, byte numbers 4..7 = high bytes) at `size`. */
function regValue(gpr: Record<string, bigint | number>, r: number, size: number): bigint {
  if (size === 1 && r >= 4) return BigInt(byteOf(gpr[REG_NAMES[r - 4]!]!, 1));
  return BigInt(gpr[REG_NAMES[r]!]!) & ((1n << BigInt(8 * size)) - 1n);
}
function setReg(gpr: Record<string, bigint | number>, r: number, size: number, v: bigint): void {
  if (size === 1 && r >= 4) {
    const hiName = REG_NAMES[r - 4]!;
    gpr[hiName] = (BigInt(gpr[hiName]!) & ~0xff00n) | (BigInt.asUintN(8, v) << 8n);
    return;
  }
  const name = REG_NAMES[r]!;
  const mask = (1n << BigInt(8 * size)) - 1n;
  gpr[name] = (BigInt(gpr[name]!) & ~mask) | (BigInt.asUintN(8 * size, v));
}

/** Division operands: mostly in range, some zero divisors, some overflowing quotients. */
function divisionSetup(g: Gen, s: ReturnType<Gen['base']>, f: FormSpec, size: number, signed: boolean): void {
  const bits = BigInt(8 * size);
  const mask = (1n << bits) - 1n;
  const pick = g.r();
  let divisor: bigint;
  if (pick < 0.1) divisor = 0n;
  else if (pick < 0.2 && signed) divisor = mask; // -1
  else divisor = g.value(size) & mask;
  if (divisor === 0n && pick >= 0.1) divisor = 3n;
  if (f.rm === 'mem') writeScratch(s.scratch, size, divisor);
  else setReg(s.gpr, f.rm as number, size, divisor);
  // Dividend high half: below the divisor (no overflow) most of the time.
  const mode = g.r();
  let high: bigint;
  if (signed && pick >= 0.1 && pick < 0.2) high = g.r() < 0.5 ? mask : 0n; // INT_MIN / -1 style when low is the sign bit
  else if (mode < 0.7 && divisor !== 0n) high = signed ? (g.r() < 0.5 ? 0n : mask) : (g.value(size) & mask) % divisor;
  else high = g.value(size) & mask;
  if (size === 1) {
    // AX holds the dividend.
    const low = signed && high === mask && g.r() < 0.5 ? 0x80n : g.value(1) & 0xffn;
    s.gpr.rax = (BigInt(s.gpr.rax!) & ~0xffffn) | ((high & 0xffn) << 8n) | low;
    return;
  }
  const low = signed && g.r() < 0.2 ? 1n << (bits - 1n) : g.value(size) & mask;
  setReg(s.gpr, 0, size, low);
  setReg(s.gpr, 2, size, high);
  if (signed && (divisor === mask) && g.r() < 0.5) { setReg(s.gpr, 0, size, 1n << (bits - 1n)); setReg(s.gpr, 2, size, mask); }
}

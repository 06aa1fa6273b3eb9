// Builds one native-runnable test case for one decoder form: an encoding that reaches the
// form (prefixes, REX, ModRM/SIB chosen to satisfy its selectors, registers and address
// sizes otherwise random), memory operands pointed into the scratch page, and register,
// memory, MXCSR and x87 inputs drawn from the edge-value pools in values.ts.

import { decode } from '../../src/x86/decode.js';
import { DecodeTruncated, OpKind, RegClass } from '../../src/x86/insn.js';
import type { Insn } from '../../src/x86/insn.js';
import { HAS_MODRM, Method } from '../../src/x86/opcode-table.js';
import type { OperandForm } from '../../src/x86/opcode-table.js';
import type { FormPath } from '../x86/iced-diff.js';
import type { CpuCase } from '../native/case.js';
import { CODE_ADDRESS, GS_BASE, SCRATCH_ADDRESS, SCRATCH_SIZE } from '../native/case.js';
import type { FormInfo } from './forms.js';
import { Rng, randomF80, randomInt64, randomMemory, randomVector, shiftCount } from './values.js';
import type { Lanes } from './values.js';
import { setupFlow } from './gen-flow.js';

export interface GenOptions {
  /**
   * Also generate unmasked SIMD and x87 exceptions. Off by default: the interpreter does
   * not deliver unmasked SIMD exceptions (src/interp/sse/mxcsr.ts), and x87 behaviour
   * under unmasked exceptions partly differs between vendors (the x87 tests cover it).
   */
  unmasked?: boolean;
}

export interface FuzzCase extends CpuCase {
  /** FORMS index of the form the case exercises. */
  formId: number;
}

const STRING = /^(Movs|Cmps|Stos|Lods|Scas)[bwdq]$/;
const GPR_METHODS = new Set<Method>([Method.E, Method.G, Method.R, Method.Z]);

function escapeBytes(slot: number): number[] {
  const map = slot >> 8, op = slot & 0xff;
  return map === 0 ? [op] : map === 1 ? [0x0f, op] : map === 2 ? [0x0f, 0x38, op] : [0x0f, 0x3a, op];
}

function le(v: bigint, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return out;
}

/** What kind of values an XMM register or memory operand of this mnemonic should hold. */
export function lanesOf(mnemonic: string, which: 'dst' | 'src'): Lanes {
  const cvt = /^Cvtt?(ps|pd|ss|sd|dq|si|pi)2(ps|pd|ss|sd|dq|si|pi)$/i.exec(mnemonic);
  if (cvt) {
    const t = which === 'src' ? cvt[1]! : cvt[2]!;
    return t === 'ps' || t === 'ss' ? 'f32' : t === 'pd' || t === 'sd' ? 'f64' : 'int';
  }
  if (/(ps|ss)$/.test(mnemonic) || /^(Comiss|Ucomiss|Movhlps|Movlhps|Roundps|Roundss|Blendps|Dpps|Insertps|Extractps)$/.test(mnemonic)) return 'f32';
  if (/(pd|sd)$/.test(mnemonic) || /^(Movddup)$/.test(mnemonic)) return 'f64';
  return 'int';
}

function x87MemKind(mnemonic: string): Lanes | 'f80' {
  return /^(Fi|Fbld|Fbstp|Fldcw|Fnstcw|Fldenv|Fnstenv|Frstor|Fnsave|Fnstsw)/.test(mnemonic) ? 'int' : 'f80';
}

interface Encoding {
  bytes: number[]; memOperand: boolean; ea: number; memSize: number; baseReg: number; indexReg: number;
  /** A GS override on an implicit source (MOVS/LODS/CMPS through RSI, XLAT through RBX): that register holds an offset from GS_BASE. */
  gsImplicit?: boolean;
}

/**
 * Encodes the form through `path`, or returns undefined when the random choices cannot
 * satisfy it (the caller retries). The ModRM/SIB pick avoids RSP and RIP-relative
 * addressing, which the oracle refuses.
 */
function encode(r: Rng, info: FormInfo, path: FormPath, regs: bigint[]): Encoding | undefined {
  const form = info.form;
  const [mand, osz, asz, w, b, mod, reg, rm] = path.sel as [number, number, number, number, number, number, number, number];
  const ops = form.operands;
  const mnemonic = form.mnemonic;
  const legacy: number[] = [];
  const isString = STRING.test(mnemonic) && (path.slot < 0x100);
  if (r.chance(0.04)) legacy.push(r.pick([0x2e, 0x3e, 0x26, 0x36])); // ignored segment prefixes
  const hasModrm = HAS_MODRM[path.slot] === 1;
  const memForm = hasModrm ? (mod === 0 ? true : mod === 1 ? false : r.chance(0.5)) : ops.some((o) => o.method === Method.O) || isString || mnemonic === 'Xlatb';
  // GS override on ModRM memory operands: the GS base is the scratch page on both sides
  // (GS_BASE), so the registers then carry the offset within it.
  const gs = hasModrm && memForm && r.chance(0.1);
  // The same for the implicit sources that take an override: DS:RSI of MOVS, LODS and CMPS, and XLAT's [RBX+AL].
  const gsImplicit = ((isString && /^(Movs|Lods|Cmps)/.test(mnemonic)) || mnemonic === 'Xlatb') && r.chance(0.15);
  if (gs || gsImplicit) legacy.push(0x65);
  const segBase = gs ? GS_BASE : 0;
  if (form.lockable && memForm && r.chance(0.4)) legacy.push(0xf0);
  else if (r.chance(0.005)) legacy.push(0xf0); // LOCK where illegal: #UD on both sides
  const addr32 = asz === 1 || (asz === -1 && memForm && r.chance(0.15));
  if (addr32) legacy.push(0x67);
  const sizeMatters = ops.some((o) => o.regSize < 0 || o.memSize < 0) || form.fallbackOpSize === 0;
  const want66 = mand === 1 || osz === 0 || (mand <= 0 && osz === -1 && sizeMatters && !form.consumes66 && r.chance(0.25));
  if (want66) legacy.push(0x66);
  if (mand === 2) legacy.push(0xf3);
  else if (mand === 3) legacy.push(0xf2);
  else if (isString && r.chance(0.5)) legacy.push(/^(Cmps|Scas)/.test(mnemonic) ? r.pick([0xf2, 0xf3]) : 0xf3);
  // Shuffle everything but the mandatory prefix, which must come last.
  const tailPrefix = mand >= 2 || (isString && (legacy[legacy.length - 1] === 0xf2 || legacy[legacy.length - 1] === 0xf3)) ? legacy.pop() : undefined;
  for (let i = legacy.length - 1; i > 0; i--) { const j = r.int(i + 1); [legacy[i], legacy[j]] = [legacy[j]!, legacy[i]!]; }
  if (tailPrefix !== undefined) legacy.push(tailPrefix);

  let W = w === 1 || osz === 2 ? 1 : w === 0 || osz === 0 || osz === 1 ? 0 : r.chance(sizeMatters ? 0.4 : 0.1) ? 1 : 0;
  if (want66 && !form.consumes66 && osz === -1) W = 0;
  let B = b >= 0 ? b : r.int(2);
  let R = r.int(2), X = r.int(2);
  let rexPresent = W || R || X || B || r.chance(0.2) ? 1 : 0;
  const byteRegs = ops.some((o) => GPR_METHODS.has(o.method) && o.regSize === 1);
  if (byteRegs && r.chance(0.3) && w !== 1 && osz !== 2 && b !== 1) { rexPresent = 0; W = 0; R = 0; X = 0; B = 0; } // reach AH..BH

  const gprAllowed = (full: number, size: number): boolean => full !== 4 || (size === 1 && !rexPresent);
  const opOf = (m: Method): OperandForm | undefined => ops.find((o) => o.method === m);

  const out: number[] = [...legacy];
  const escape = escapeBytes(path.slot);
  // Z operand: the register is in the opcode's low bits.
  const z = opOf(Method.Z);
  if (z && !gprAllowed((path.slot & 7) | (B << 3), z.regSize === 1 ? 1 : 8)) {
    if (b === 0) return undefined;
    B = 1; rexPresent = 1;
  }
  let modrmBytes: number[] = [];
  let ea = 0, memSize = 0, baseReg = -1, indexReg = -1;
  const memOp = ops.find((o) => o.method === Method.E || o.method === Method.M || o.method === Method.W);
  if (hasModrm) {
    const gField = opOf(Method.G);
    let regField = reg >= 0 ? reg : r.int(8);
    if (gField) {
      for (let t = 0; t < 8 && !gprAllowed(regField | (R << 3), gField.regSize === 1 ? 1 : 8); t++) regField = r.int(8);
      if (!gprAllowed(regField | (R << 3), gField.regSize === 1 ? 1 : 8)) return undefined;
    }
    if (!memForm) {
      let rmField = rm >= 0 ? rm : r.int(8);
      const rmGpr = ops.find((o) => o.method === Method.E || o.method === Method.R);
      if (rmGpr && rm < 0) for (let t = 0; t < 8 && !gprAllowed(rmField | (B << 3), rmGpr.regSize === 1 ? 1 : 8); t++) rmField = r.int(8);
      if (rmGpr && !gprAllowed(rmField | (B << 3), rmGpr.regSize === 1 ? 1 : 8)) return undefined;
      modrmBytes = [0xc0 | (regField << 3) | rmField];
    } else {
      const modBits = r.pick([0, 1, 2]);
      const size = memOp ? (memOp.memSize > 0 ? memOp.memSize : 8) : 8;
      memSize = size;
      const align = r.chance(0.85) ? 16 : 1 + r.int(16);
      ea = SCRATCH_ADDRESS + 0x200 + Math.floor(r.int(0x800) / align) * align;
      let disp = 0;
      const dispBytes: number[] = [];
      if (modBits === 1) { disp = r.int(256) - 128; dispBytes.push(...le(BigInt.asUintN(8, BigInt(disp)), 1)); }
      if (modBits === 2) { disp = r.chance(0.5) ? r.int(0x400) - 0x200 : (r.u32() | 0) ; dispBytes.push(...le(BigInt.asUintN(32, BigInt(disp)), 4)); }
      const useSib = r.chance(0.4);
      let rmField: number;
      let sib: number[] = [];
      if (useSib) {
        rmField = 4;
        const scaleBits = r.int(4);
        let baseField = r.int(8);
        while ((baseField | (B << 3)) === 4) baseField = r.int(8);
        let indexField = r.int(8);
        const noBase = baseField === 5 && modBits === 0;
        baseReg = noBase ? -1 : baseField | (B << 3);
        indexReg = indexField === 4 && !X ? -1 : indexField | (X << 3);
        if (indexReg === baseReg && indexReg >= 0) { if (X) return undefined; indexField = 4; indexReg = -1; }
        sib = [(scaleBits << 6) | (indexField << 3) | baseField];
        const scale = 1 << scaleBits;
        const idxVal = indexReg >= 0 ? BigInt(r.chance(0.7) ? r.int(0x40) : -r.int(0x40)) : 0n;
        if (noBase) {
          // [index*scale + disp32]: the displacement carries the address.
          disp = ea - segBase - Number(idxVal) * scale;
          dispBytes.length = 0;
          dispBytes.push(...le(BigInt.asUintN(32, BigInt(disp)), 4));
        }
        if (indexReg >= 0) regs[indexReg] = BigInt.asUintN(64, idxVal) | (addr32 && r.chance(0.3) ? BigInt(r.u32()) << 32n : 0n);
        if (baseReg >= 0) {
          const v = BigInt(ea - segBase) - BigInt(disp) - idxVal * BigInt(scale);
          regs[baseReg] = BigInt.asUintN(addr32 ? 32 : 64, v) | (addr32 && r.chance(0.3) ? BigInt(r.u32()) << 32n : 0n);
        }
      } else {
        rmField = r.int(8);
        while (rmField === 4 || (rmField === 5 && modBits === 0)) rmField = r.int(8);
        baseReg = rmField | (B << 3);
        const v = BigInt(ea - segBase) - BigInt(disp);
        regs[baseReg] = BigInt.asUintN(addr32 ? 32 : 64, v) | (addr32 && r.chance(0.3) ? BigInt(r.u32()) << 32n : 0n);
      }
      modrmBytes = [(modBits << 6) | (regField << 3) | rmField, ...sib, ...dispBytes];
    }
  }
  const rex = rexPresent ? 0x40 | (W << 3) | (R << 2) | (X << 1) | B : -1;
  if (rex >= 0) out.push(rex);
  out.push(...escape, ...modrmBytes);
  // Immediates and moffs: written generously, trimmed to the decoded length by the caller.
  const tail: number[] = [];
  if (ops.some((o) => o.method === Method.O)) {
    ea = SCRATCH_ADDRESS + 0x200 + r.int(0x800);
    memSize = 8;
    tail.push(...le(BigInt(ea), addr32 ? 4 : 8));
  } else if (/^(Rol|Ror|Rcl|Rcr|Shl|Sal|Shr|Sar|Shld|Shrd)$/.test(mnemonic)) {
    tail.push(shiftCount(r));
  } else if (/^(Enter|Ret)$/.test(mnemonic)) {
    tail.push(...le(BigInt(r.int(0x100)), 2));
  }
  tail.push(...le(randomInt64(r), 8), ...le(randomInt64(r), 8));
  out.push(...tail);
  return { bytes: out, memOperand: memForm, ea, memSize, baseReg, indexReg, gsImplicit };
}

function decodeOurs(bytes: Uint8Array): Insn | undefined {
  try { return decode(bytes, 0, CODE_ADDRESS); } catch (e) { if (e instanceof DecodeTruncated) return undefined; throw e; }
}

/** Builds a case for the form, or undefined after a few failed attempts. */
export function generateCase(r: Rng, info: FormInfo, opts: GenOptions = {}): FuzzCase | undefined {
  for (let attempt = 0; attempt < 6; attempt++) {
    const c = tryGenerate(r, info, opts);
    if (c) return c;
  }
  return undefined;
}

function tryGenerate(r: Rng, info: FormInfo, opts: GenOptions): FuzzCase | undefined {
  const path = r.pick(info.paths);
  const form = info.form;
  const mnemonic = form.mnemonic;
  const regs: bigint[] = [];
  for (let i = 0; i < 16; i++) regs.push(randomInt64(r));
  // INT3 with prefixes: the oracle reports the trap at the CC byte (as Windows does), engines at the instruction start.
  const enc = mnemonic === 'Int3' ? { bytes: [0xcc], memOperand: false, ea: 0, memSize: 0, baseReg: -1, indexReg: -1 } : encode(r, info, path, regs);
  if (!enc) return undefined;
  const insn = decodeOurs(Uint8Array.from(enc.bytes));
  if (!insn || insn.mnemonic !== mnemonic || insn.len > enc.bytes.length) return undefined;
  const code = Uint8Array.from(enc.bytes.slice(0, insn.len));

  // Registers the instruction uses implicitly, set after the random ones but never over
  // the registers that carry the memory operand's address.
  const keep = new Set([enc.baseReg, enc.indexReg]);
  const put = (n: number, v: bigint): void => { if (!keep.has(n)) regs[n] = BigInt.asUintN(64, v); };
  const size = insn.opSize;
  const bits = BigInt(size * 8);
  const signExt = (v: bigint): bigint => BigInt.asIntN(Number(bits), v);
  if (STRING.test(mnemonic) && path.slot < 0x100) {
    regs[6] = BigInt((enc.gsImplicit ? SCRATCH_ADDRESS - GS_BASE : SCRATCH_ADDRESS) + 0x400 + r.int(0x800));
    regs[7] = BigInt(SCRATCH_ADDRESS + 0x400 + r.int(0x800));
    regs[1] = BigInt(r.int(12)) | (insn.addrSize === 4 && r.chance(0.3) ? BigInt(r.u32()) << 32n : 0n);
  }
  if (mnemonic === 'Xlatb') regs[3] = BigInt((enc.gsImplicit ? SCRATCH_ADDRESS - GS_BASE : SCRATCH_ADDRESS) + 0x200 + r.int(0x800));
  const usesCl = insn.ops.some((o) => o.kind === OpKind.Reg && o.regClass === RegClass.Gpr && o.reg === 1 && o.size === 1) && /^(Rol|Ror|Rcl|Rcr|Shl|Sal|Shr|Sar|Shld|Shrd)$/.test(mnemonic);
  if (usesCl) put(1, (regs[1]! & ~0xffn) | BigInt(shiftCount(r)));
  if ((mnemonic === 'Div' || mnemonic === 'Idiv') && r.chance(0.6)) {
    const hiReg = size === 1 ? 0 : 2;
    if (size === 1) put(0, (regs[0]! & ~0xff00n) | (mnemonic === 'Div' || !(regs[0]! & 0x80n) ? 0n : 0xff00n));
    else put(hiReg, mnemonic === 'Div' ? 0n : (signExt(regs[0]!) < 0n ? -1n : 0n));
  }
  if (/^Bt[src]?$/.test(mnemonic) && enc.memOperand && insn.ops[1]?.kind === OpKind.Reg) {
    // A register bit offset can address far outside the operand: keep it within the scratch page.
    put(insn.ops[1].reg, BigInt(r.int(0x2000) - 0x1000));
  }
  const memBytes = enc.memOperand && enc.ea ? memoryContents(r, mnemonic, enc.memSize, info.family === 'x87') : undefined;
  if (/^Cmpxchg/.test(mnemonic) && r.chance(0.5)) {
    // Make the comparison succeed: the accumulator equals the destination.
    if (mnemonic === 'Cmpxchg8b' || mnemonic === 'Cmpxchg16b') {
      const half = mnemonic === 'Cmpxchg8b' ? 4 : 8;
      if (memBytes) {
        const dv = new DataView(memBytes.buffer);
        const lo = half === 4 ? BigInt(dv.getUint32(0, true)) : dv.getBigUint64(0, true);
        const hi = half === 4 ? BigInt(dv.getUint32(4, true)) : dv.getBigUint64(8, true);
        put(0, lo); put(2, hi);
      }
    } else if (memBytes) {
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(memBytes[i]!);
      put(0, (regs[0]! & ~((1n << bits) - 1n)) | v);
    } else if (insn.ops[0]?.kind === OpKind.Reg && insn.ops[0].regClass === RegClass.Gpr) {
      put(0, regs[insn.ops[0].reg]!);
    }
  }
  regs[4] = 0n;
  const flow = setupFlow(r, insn, code, regs, enc.memOperand && enc.ea ? enc.ea : undefined);
  if (!flow) return undefined;

  const c: FuzzCase = { code: flow.code, formId: info.id, gpr: regs };
  const flags = r.u32() & 0xcd5;
  c.rflags = r.chance(0.8) ? flags & ~0x400 : flags;
  if (memBytes) {
    const scratch = new Uint8Array(Math.min(SCRATCH_SIZE, enc.ea - SCRATCH_ADDRESS + memBytes.length + 16));
    // Neighbouring bytes random too: a wrong operand size shows as a wrong read or write.
    const start = Math.max(0, enc.ea - SCRATCH_ADDRESS - 16);
    for (let i = start; i < scratch.length; i++) scratch[i] = r.int(256);
    scratch.set(memBytes.subarray(0, scratch.length - (enc.ea - SCRATCH_ADDRESS)), enc.ea - SCRATCH_ADDRESS);
    c.scratch = scratch;
  } else if (STRING.test(mnemonic) || mnemonic === 'Xlatb') {
    c.scratch = Uint8Array.from({ length: 0xd00 }, () => (r.chance(0.5) ? r.int(4) : r.int(256)));
  }
  if (regs[4] !== 0n || flow.memory.length > 0) {
    // The stack and transfer targets: a whole random page (what POP and RET read), then the chosen values.
    const page = Uint8Array.from({ length: SCRATCH_SIZE }, () => r.int(256));
    if (c.scratch) page.set(c.scratch);
    for (const [off, bytes] of flow.memory) page.set(bytes, off);
    c.scratch = page;
  }
  const fam = info.family;
  if (fam === 'SSE float' || fam === 'SSE integer' || fam === 'SSE3/SSSE3/SSE4.1' || /xmm|mxcsr|fx/i.test(mnemonic)) {
    c.xmm = Array.from({ length: 16 }, (_, i) => randomVector(r, r.chance(0.8) ? lanesOf(mnemonic, i === 0 ? 'dst' : 'src') : r.pick(['f32', 'f64', 'int'] as const)));
    c.mxcsr = randomMxcsr(r, opts.unmasked ?? false);
  }
  if (fam === 'x87' || /^Fx/.test(mnemonic)) c.x87 = randomX87(r, opts.unmasked ?? false);
  return c;
}

function memoryContents(r: Rng, mnemonic: string, size: number, x87: boolean): Uint8Array {
  const n = Math.max(size, 1);
  if (x87) return randomMemory(r, n, x87MemKind(mnemonic));
  if (n >= 4 && n <= 16) return randomMemory(r, n, lanesOf(mnemonic, 'src'));
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += 8) out.set(le(randomInt64(r), Math.min(8, n - off)), off);
  return out;
}

export function randomMxcsr(r: Rng, unmasked: boolean): number {
  if (r.chance(0.4)) return 0x1f80;
  let m = 0x1f80 | (r.int(4) << 13);
  if (r.chance(0.2)) m |= 0x40; // DAZ
  if (r.chance(0.2)) m |= 0x8000; // FTZ
  if (r.chance(0.2)) m |= r.int(64); // sticky flags already set
  if (unmasked && r.chance(0.2)) m &= ~(r.int(64) << 7); // some exceptions unmasked
  return m;
}

export function randomX87(r: Rng, unmasked: boolean): NonNullable<CpuCase['x87']> {
  const depth = r.int(9);
  const st = Array.from({ length: depth }, () => randomF80(r));
  let control = 0x37f;
  if (r.chance(0.5)) control = 0x40 | 0x3f | (r.pick([0, 2, 3]) << 8) | (r.int(4) << 10);
  if (unmasked && r.chance(0.2)) control &= ~r.int(64);
  const status = (r.chance(0.5) ? r.u32() & 0x4700 : 0) | (r.chance(0.1) ? r.int(64) & control : 0);
  return { control, status, top: r.int(8), st };
}

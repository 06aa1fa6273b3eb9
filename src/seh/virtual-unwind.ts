// RtlVirtualUnwind for x64: given a function's RUNTIME_FUNCTION and the CONTEXT at a
// point inside it, compute the CONTEXT of its caller, the establisher frame and (when
// asked for and present) the language handler with its data.
//
// Order of work, as Windows does it:
// 1. The establisher frame: RSP, or FrameRegister - FrameOffset*16 once the prolog has
//    set the frame register (in the body, in chained parts, or past SET_FPREG).
// 2. If the PC is past the prolog, look at the instruction stream for an epilogue
//    (`add rsp, imm` or `lea rsp, [frame+disp]`, then `pop reg`s, then `ret`, `rep ret`
//    or a jump leaving the function). Inside an epilogue the remaining instructions
//    are emulated and no handler is returned: the function has already torn down
//    whatever its handler would protect.
// 3. Otherwise undo the prolog with the unwind codes (only codes whose prolog offset
//    has been reached), following chained unwind info (whose prologs ran completely),
//    then pop the return address (or the machine frame's RIP/RSP).
// SAVE_NONVOL/SAVE_XMM128 offsets are relative to the establisher frame.

import type { GuestMemory } from '../mem/memory.js';
import { GuestFault } from '../mem/fault.js';
import { Ctx, CtxPtrs, UnwFlag, UnwindOp, RUNTIME_FUNCTION_INDIRECT } from './layout.js';
import { BadUnwindInfo, readUnwindInfo, operand16, operand32, type UnwindInfo } from './unwind-info.js';

const RSP = 4;
const MAX_CHAIN = 32;

export interface VirtualUnwindResult {
  /** Language handler address, 0 when none applies. */
  handler: number;
  /** Address of the handler's data (right after the handler RVA), 0 with no handler. */
  handlerData: number;
  establisherFrame: number;
}

/** Register access on a guest CONTEXT, recording where restored values came from. */
class UnwindTarget {
  constructor(private mem: GuestMemory, private ctx: number, private ptrs: number) {}
  reg(r: number): number { return this.mem.readPtr(this.ctx + Ctx.gpr + 8 * r); }
  setReg(r: number, v: number): void { this.mem.writePtr(this.ctx + Ctx.gpr + 8 * r, v); }
  get rsp(): number { return this.reg(RSP); }
  set rsp(v: number) { this.setReg(RSP, v); }
  /** Register r := the 8 bytes at `from`. */
  loadReg(r: number, from: number): void {
    this.mem.write64Parts(this.ctx + Ctx.gpr + 8 * r, this.mem.read32(from), this.mem.read32(from + 4));
    if (this.ptrs) this.mem.writePtr(this.ptrs + CtxPtrs.integer + 8 * r, from);
  }
  loadXmm(n: number, from: number): void {
    this.mem.writeBytes(this.ctx + Ctx.xmm + 16 * n, this.mem.readBytes(from, 16));
    if (this.ptrs) this.mem.writePtr(this.ptrs + CtxPtrs.floating + 8 * n, from);
  }
  setRip(v: number): void { this.mem.writePtr(this.ctx + Ctx.rip, v); }
  readPtr(at: number): number { return this.mem.readPtr(at); }
}

export function virtualUnwind(
  mem: GuestMemory, handlerType: number, imageBase: number, controlPc: number,
  functionEntry: number, ctx: number, ctxPointers = 0,
): VirtualUnwindResult {
  const t = new UnwindTarget(mem, ctx, ctxPointers);
  const begin = imageBase + mem.read32(functionEntry);
  const end = imageBase + mem.read32(functionEntry + 4);
  const info = readUnwindInfo(mem, imageBase + mem.read32(functionEntry + 8));
  const prologOffset = controlPc - begin;
  const establisherFrame = establisher(t, info, prologOffset);

  if (prologOffset >= info.prologSize && (info.flags & UnwFlag.CHAININFO) === 0) {
    const epilogue = matchEpilogue(mem, controlPc, begin, end, info.frameRegister);
    if (epilogue) {
      runEpilogue(t, epilogue, info.frameRegister);
      return { handler: 0, handlerData: 0, establisherFrame };
    }
  }

  let u = info;
  let offset = prologOffset;
  let primaryBegin = begin;
  let machFrame = false;
  for (let depth = 0; ; depth++) {
    machFrame = applyCodes(mem, t, u, offset, establisherFrame) || machFrame;
    if ((u.flags & UnwFlag.CHAININFO) === 0) break;
    if (depth >= MAX_CHAIN) throw new BadUnwindInfo(`unwind info chain at 0x${info.address.toString(16)} is too long`);
    let chained = u.tail;
    let unwindData = mem.read32(chained + 8);
    if (unwindData & RUNTIME_FUNCTION_INDIRECT) { chained = imageBase + unwindData - 1; unwindData = mem.read32(chained + 8); }
    primaryBegin = imageBase + mem.read32(chained);
    u = readUnwindInfo(mem, imageBase + unwindData);
    offset = Infinity; // a chained part runs after its parent's prolog completed
  }
  if (!machFrame) {
    const rsp = t.rsp;
    t.setRip(t.readPtr(rsp));
    t.rsp = rsp + 8;
  }

  const sincePrimary = (controlPc - primaryBegin) >>> 0;
  if ((u.flags & handlerType & (UnwFlag.EHANDLER | UnwFlag.UHANDLER)) !== 0 && sincePrimary >= u.prologSize) {
    return { handler: imageBase + mem.read32(u.tail), handlerData: u.tail + 4, establisherFrame };
  }
  return { handler: 0, handlerData: 0, establisherFrame };
}

function establisher(t: UnwindTarget, info: UnwindInfo, prologOffset: number): number {
  if (info.frameRegister === 0) return t.rsp;
  const viaFrame = (): number => t.reg(info.frameRegister) - info.frameOffset;
  if (prologOffset >= info.prologSize || (info.flags & UnwFlag.CHAININFO) !== 0) return viaFrame();
  const setFp = info.codes.find((c) => c.op === UnwindOp.SET_FPREG);
  return setFp && prologOffset >= setFp.offset ? viaFrame() : t.rsp;
}

/** Undoes one UNWIND_INFO's codes reached at `offset`; returns whether a machine frame was popped. */
function applyCodes(mem: GuestMemory, t: UnwindTarget, u: UnwindInfo, offset: number, frame: number): boolean {
  let machFrame = false;
  for (const c of u.codes) {
    if (offset < c.offset) continue;
    switch (c.op) {
      case UnwindOp.PUSH_NONVOL: {
        const rsp = t.rsp;
        t.loadReg(c.info, rsp);
        t.rsp = rsp + 8;
        break;
      }
      case UnwindOp.ALLOC_LARGE:
        t.rsp += c.info === 0 ? operand16(u, c, 1) * 8 : operand32(u, c);
        break;
      case UnwindOp.ALLOC_SMALL:
        t.rsp += c.info * 8 + 8;
        break;
      case UnwindOp.SET_FPREG:
        t.rsp = t.reg(u.frameRegister) - u.frameOffset;
        break;
      case UnwindOp.SAVE_NONVOL:
        t.loadReg(c.info, frame + operand16(u, c, 1) * 8);
        break;
      case UnwindOp.SAVE_NONVOL_FAR:
        t.loadReg(c.info, frame + operand32(u, c));
        break;
      case UnwindOp.SAVE_XMM128:
        t.loadXmm(c.info, frame + operand16(u, c, 1) * 16);
        break;
      case UnwindOp.SAVE_XMM128_FAR:
        t.loadXmm(c.info, frame + operand32(u, c));
        break;
      case UnwindOp.PUSH_MACHFRAME: {
        // RIP, CS, EFLAGS, old RSP, SS (after an optional error code) as an interrupt pushed them.
        let rsp = t.rsp;
        if (c.info) rsp += 8;
        t.setRip(mem.readPtr(rsp));
        t.rsp = mem.readPtr(rsp + 24);
        machFrame = true;
        break;
      }
      case UnwindOp.EPILOG:
        if (u.version !== 2) throw new BadUnwindInfo(`UWOP_EPILOG in version ${u.version} unwind info at 0x${u.address.toString(16)}`);
        break; // describes epilogues for the v2 epilogue scanner; nothing to undo in the body
      default:
        throw new BadUnwindInfo(`unwind operation ${c.op} at 0x${u.address.toString(16)} is not valid`);
    }
  }
  return machFrame;
}

interface Epilogue {
  adjust: { kind: 'none' } | { kind: 'add'; value: number } | { kind: 'lea'; disp: number };
  /** Registers popped, in order. */
  pops: number[];
}

const signed8 = (b: number): number => (b << 24) >> 24;

/**
 * Recognises an epilogue starting at `pc`: an optional stack adjustment, pops, and a
 * return or a jump out of the function (a tail call). Undefined when the bytes are
 * anything else, including code that cannot be read.
 */
export function matchEpilogue(mem: GuestMemory, pc: number, begin: number, end: number, frameRegister: number): Epilogue | undefined {
  try {
    const b = (a: number): number => mem.read8(a);
    let p = pc;
    let adjust: Epilogue['adjust'] = { kind: 'none' };
    const rex = b(p);
    if (rex === 0x48 && b(p + 1) === 0x83 && b(p + 2) === 0xc4) {
      adjust = { kind: 'add', value: signed8(b(p + 3)) };
      p += 4;
    } else if (rex === 0x48 && b(p + 1) === 0x81 && b(p + 2) === 0xc4) {
      adjust = { kind: 'add', value: mem.readI32(p + 3) };
      p += 7;
    } else if (frameRegister !== 0 && (rex & 0xfe) === 0x48 && (rex & 1) === frameRegister >> 3 && b(p + 1) === 0x8d) {
      const modrm = b(p + 2);
      const mod = modrm >> 6;
      if (((modrm >> 3) & 7) === 4 && (modrm & 7) === (frameRegister & 7) && (mod === 1 || mod === 2)) {
        let q = p + 3;
        if ((modrm & 7) === 4) { if (b(q) !== 0x24) return undefined; q++; }
        const disp = mod === 1 ? signed8(b(q)) : mem.readI32(q);
        adjust = { kind: 'lea', disp };
        p = q + (mod === 1 ? 1 : 4);
      }
    }
    const pops: number[] = [];
    for (;;) {
      const x = b(p);
      if ((x & 0xf8) === 0x58) { pops.push(x & 7); p += 1; continue; }
      if (x === 0x41 && (b(p + 1) & 0xf8) === 0x58) { pops.push(8 + (b(p + 1) & 7)); p += 2; continue; }
      break;
    }
    const x = b(p);
    const outside = (target: number): boolean => target < begin || target >= end;
    const ends = x === 0xc3
      || (x === 0xf3 && b(p + 1) === 0xc3)
      || (x === 0xe9 && outside(p + 5 + mem.readI32(p + 1)))
      || (x === 0xeb && outside(p + 2 + signed8(b(p + 1))))
      || (x === 0xff && b(p + 1) === 0x25)
      || ((x & 0xf8) === 0x48 && b(p + 1) === 0xff && (b(p + 2) & 0x38) === 0x20);
    return ends ? { adjust, pops } : undefined;
  } catch (e) {
    if (e instanceof GuestFault) return undefined;
    throw e;
  }
}

function runEpilogue(t: UnwindTarget, e: Epilogue, frameRegister: number): void {
  if (e.adjust.kind === 'add') t.rsp += e.adjust.value;
  else if (e.adjust.kind === 'lea') t.rsp = t.reg(frameRegister) + e.adjust.disp;
  for (const r of e.pops) {
    const rsp = t.rsp;
    t.loadReg(r, rsp);
    t.rsp = rsp + 8;
  }
  const rsp = t.rsp;
  t.setRip(t.readPtr(rsp));
  t.rsp = rsp + 8;
}

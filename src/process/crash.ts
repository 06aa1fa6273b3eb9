// The crash report for an unhandled guest exception: what happened, where (module +
// offset and the faulting instruction disassembled), the registers, and a backtrace:
// the frames unwound with the modules' unwind data (.pdata/.xdata, as a debugger does),
// or, when that fails at once, the return addresses found by scanning the stack (which
// also lists stale ones left by earlier calls).

import { GPR_NAMES, Reg } from '../cpu/state.js';
import type { GuestFault } from '../mem/fault.js';
import { ExceptionCode, exceptionName } from '../mem/fault.js';
import { hexBytes } from '../x86/insn.js';
import type { CreatedProcess } from './create.js';
import { disassembleAt } from './disasm.js';
import type { LoadedImage } from '../pe/loader.js';
import { guestLibrary } from '../../runtime/guestlib/index.js';
import { Prot } from '../mem/memory.js';
import { UnwFlag } from '../seh/layout.js';
import { writeContext, ctxRip, ctxReg, setCtxRip, setCtxReg, RSP } from '../seh/context.js';
import { virtualUnwind } from '../seh/virtual-unwind.js';
import { sehState } from '../seh/state.js';

const hex = (n: number, w = 16): string => n.toString(16).padStart(w, '0');

export function crashReport(cp: CreatedProcess, f: GuestFault): string {
  const p = cp.process;
  const st = p.st;
  const rip = st.rip;
  const lines: string[] = [];
  const where = locate(cp, rip);
  lines.push(`wexe: unhandled exception 0x${hex(f.code, 8).toUpperCase()} (${exceptionName(f.code)}) at 0x${rip.toString(16)}${where ? ` (${where})` : ''}`);
  if (f.code === ExceptionCode.AccessViolation) {
    const what = f.access === 1 ? 'writing' : f.access === 8 ? 'executing' : 'reading';
    lines.push(`  ${what} address 0x${f.address.toString(16)}`);
  } else if (f.detail) {
    lines.push(`  ${f.detail}`);
  }
  const d = disassembleAt(p.mem, rip);
  if (d) lines.push(`  faulting instruction: ${d.text}    [${hexBytes(d.bytes)}]`);
  lines.push('  registers:');
  for (let r = 0; r < 16; r += 4) {
    lines.push('    ' + [r, r + 1, r + 2, r + 3].map((i) => `${GPR_NAMES[i]!.padStart(3)}=${hex(st.hi(i), 8)}${hex(st.lo(i), 8)}`).join('  '));
  }
  lines.push(`    rip=${hex(rip)}  rflags=${hex(st.rflags, 8)}`);
  const unwound = unwoundTrace(cp);
  const trace = unwound !== undefined && unwound.length > 0 ? unwound : backtrace(cp);
  if (trace.length > 0) {
    lines.push(trace === unwound ? '  backtrace (return addresses, unwound with the modules\' unwind data):' : '  backtrace (return addresses found on the stack):');
    for (const a of trace) lines.push(`    0x${a.toString(16)}${locate(cp, a) ? ` ${locate(cp, a)}` : ''}`);
  }
  lines.push(`  exit code 0x${hex(f.code, 8).toUpperCase()} (a shell sees ${f.code & 0xff})`);
  return lines.join('\n');
}

/** The images whose code can be on the stack: the executable and the builtin guest library. */
function images(cp: CreatedProcess): LoadedImage[] {
  return [cp.image, guestLibrary(cp.process)];
}

function locate(cp: CreatedProcess, addr: number): string | undefined {
  for (const im of images(cp)) {
    const off = im.moduleOffset(addr);
    if (off) return off;
  }
  const t = cp.process.thunks.info(addr);
  return t ? `${t.dll}!${t.name}` : undefined;
}

/**
 * The return addresses of the frames above the fault, unwound as exception dispatch
 * does (a function without unwind data is a leaf: its return address is at RSP), while
 * they lie after a call in an image and the stack pointer stays inside the stack; the
 * CONTEXT being unwound lives in a page mapped for the purpose (the guest is done).
 * Undefined when the unwind data cannot be followed.
 */
function unwoundTrace(cp: CreatedProcess): number[] | undefined {
  const p = cp.process, m = p.mem;
  const tables = sehState(p).tables;
  const ctx = m.findFree(0x1000, 0x1000, 0x10000);
  if (ctx === undefined) return undefined;
  m.map(ctx, 0x1000, Prot.RW);
  try {
    writeContext(m, ctx, p.st);
    const out: number[] = [];
    while (out.length < 12) {
      const pc = ctxRip(m, ctx), rsp = ctxReg(m, ctx, RSP);
      const hit = tables.lookup(pc);
      if (hit === undefined) {
        if (rsp + 8 > cp.stackTop) break;
        setCtxRip(m, ctx, m.readPtr(rsp));
        setCtxReg(m, ctx, RSP, rsp + 8);
      } else {
        virtualUnwind(m, UnwFlag.NHANDLER, hit.imageBase, pc, hit.entry, ctx);
      }
      const ret = ctxRip(m, ctx), next = ctxReg(m, ctx, RSP);
      const im = images(cp).find((x) => x.contains(ret));
      if (!im || !isAfterCall(cp, im, ret) || next <= rsp || next > cp.stackTop) break;
      out.push(ret);
    }
    return out;
  } catch {
    return undefined; // unwind data or a stack slot that cannot be read: scan instead
  } finally {
    m.unmap(ctx, 0x1000);
  }
}

/** Values on the stack that point just after a call instruction inside an image. */
function backtrace(cp: CreatedProcess): number[] {
  const p = cp.process;
  const mapped = images(cp);
  const out: number[] = [];
  let a = p.st.getNum(Reg.RSP);
  const top = cp.stackTop;
  for (let n = 0; a + 8 <= top && n < 4096 && out.length < 12; a += 8, n++) {
    let v: number;
    try { v = p.mem.readPtr(a); } catch { break; }
    const im = mapped.find((m) => m.contains(v));
    if (!im || !isAfterCall(cp, im, v)) continue;
    out.push(v);
  }
  return out;
}

function isAfterCall(cp: CreatedProcess, im: LoadedImage, ret: number): boolean {
  const u8 = cp.process.mem.u8;
  const sec = im.sectionAt(ret);
  if (!sec || (sec.prot & 4) === 0) return false;
  // call rel32 (E8), call [rip+x] (FF 15), call reg (FF D0..D7 / 41 FF D0..), call [reg+disp8] (FF 5x xx)
  return u8[ret - 5] === 0xe8 || (u8[ret - 6] === 0xff && u8[ret - 5] === 0x15)
    || (u8[ret - 2] === 0xff && (u8[ret - 1]! & 0xf8) === 0xd0) || (u8[ret - 3] === 0xff && (u8[ret - 2]! & 0xf8) === 0x50);
}

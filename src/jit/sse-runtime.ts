// The slow path of the IR's `sse` op, called from compiled code: it runs the
// interpreter's own handler for the form (src/interp/sse) on a private scratch CPU,
// so compiled code gets the interpreter's results and MXCSR flags bit for bit,
// whatever the operands and MXCSR settings.
//
// Protocol (JitAddr.sseScratch, in the guest-invisible null region): compiled code
// stores operand a (16 bytes) at +0 and operand b at +16 (a v128, or a 4/8-byte
// integer), calls `sseSlow(form)`, and reads the result at +32 (v128, or a 4/8-byte
// integer). The return value is the COMIS/UCOMIS ordering code (0 greater, 1 less,
// 2 equal, 3 unordered), else 0. MXCSR is read from and written back to the real CPU
// state.

import { CpuState, STATE_BASE, Off, Flag } from '../cpu/state.js';
import type { GuestMemory } from '../mem/memory.js';
import type { Machine, Handler } from '../interp/machine.js';
import { sseHandlers } from '../interp/sse/index.js';
import type { Insn, Operand } from '../x86/insn.js';
import { Flow, OpKind, RegClass, Rep } from '../x86/insn.js';
import { SSE_FORMS } from '../ir/sse-forms.js';
import { JitAddr } from './layout.js';

const XMM_A = 0, XMM_B = 1, GPR = 0;

function operand(regClass: RegClass, reg: number, size: number): Operand {
  return { kind: OpKind.Reg, size, reg, regClass, base: -1, index: -1, scale: 1, disp: 0, ripRelative: false, seg: 0, immLo: 0, immHi: 0 };
}

interface Prepared { handler: Handler; insn: Insn; gprSrc: number; gprDst: number; comi: boolean }

export class SseSlowPath {
  private readonly scratch: CpuState;
  private readonly m: Machine;
  private readonly forms: Prepared[];
  private readonly u8: Uint8Array;
  private readonly dv: DataView;

  constructor(private readonly real: CpuState, mem: GuestMemory) {
    this.scratch = new CpuState(new ArrayBuffer(STATE_BASE + Off.end));
    this.m = { st: this.scratch, mem };
    this.u8 = mem.u8;
    this.dv = new DataView(mem.buffer);
    this.forms = SSE_FORMS.map((f) => {
      const handler = sseHandlers[f.mnemonic];
      if (handler === undefined) throw new Error(`no interpreter handler for ${f.mnemonic}`);
      const gprDst = f.result === 'i64' ? 8 : f.result === 'i32' && !f.name.includes('comis') ? 4 : 0;
      const gprSrc = f.src === 'i64' ? 8 : f.src === 'i32' ? 4 : 0;
      const dst = gprDst ? operand(RegClass.Gpr, GPR, gprDst) : operand(RegClass.Xmm, XMM_A, 16);
      const src = gprSrc ? operand(RegClass.Gpr, GPR, gprSrc) : operand(RegClass.Xmm, XMM_B, 16);
      const insn: Insn = {
        addr: 0, len: 4, mnemonic: f.mnemonic, opSize: gprDst || gprSrc || 4, addrSize: 8, ops: [dst, src],
        rep: Rep.None, lock: false, cond: -1, flow: Flow.None, bytes: new Uint8Array(0),
      };
      return { handler, insn, gprSrc, gprDst, comi: f.name.includes('comis') };
    });
  }

  /** Runs form `k` on the operands in the scratch area; see the protocol above. */
  run(k: number): number {
    const p = this.forms[k]!;
    const st = this.scratch, u8 = this.u8, base = JitAddr.sseScratch;
    const xa = st.xmmAddr(XMM_A) - STATE_BASE, xb = st.xmmAddr(XMM_B) - STATE_BASE;
    for (let i = 0; i < 16; i++) { st.u8[xa + i] = u8[base + i]!; st.u8[xb + i] = u8[base + 16 + i]!; }
    if (p.gprSrc) st.set64(GPR, this.dv.getUint32(base + 16, true), p.gprSrc === 8 ? this.dv.getUint32(base + 20, true) : 0);
    st.mxcsr = this.real.mxcsr;
    st.rflags = 0;
    p.handler(this.m, p.insn);
    this.real.mxcsr = st.mxcsr;
    if (p.comi) {
      const f = st.rflags;
      return ((f & Flag.CF) ? 1 : 0) | ((f & Flag.ZF) ? 2 : 0);
    }
    if (p.gprDst) {
      this.dv.setUint32(base + 32, st.lo(GPR), true);
      this.dv.setUint32(base + 36, st.hi(GPR), true);
    } else {
      for (let i = 0; i < 16; i++) u8[base + 32 + i] = st.u8[xa + i]!;
    }
    return 0;
  }
}

// The one CPU state layout shared by the interpreter, the JIT and the runtime.
//
// It lives inside guest memory's first 64 KiB, which Windows never maps for a process
// (the null page region), so the guest can never see or touch it: every guest access
// to that range is an access violation. Compiled wasm code reads and writes the same
// bytes at the same offsets, which is what lets the engines hand over at any block
// boundary.
//
// 64-bit registers are stored little-endian (low dword first). The interpreter works
// on them as two unsigned 32-bit halves, never as BigInt, for speed.

export const STATE_BASE = 0x1000;

/** Byte offsets from STATE_BASE. */
export const Off = {
  gpr: 0x000, // 16 x 8 bytes: RAX RCX RDX RBX RSP RBP RSI RDI R8..R15
  rip: 0x080, // 8
  rflags: 0x088, // 8 (only the low 32 bits are ever non-zero)
  fsBase: 0x090, // 8
  gsBase: 0x098, // 8
  mxcsr: 0x0a0, // 4
  fpuControl: 0x0a4, // 2
  fpuStatus: 0x0a6, // 2 (TOP lives in bits 11..13, as on hardware)
  fpuTag: 0x0a8, // 2 (full 16-bit tag word: 2 bits per physical register)
  fpuLastOpcode: 0x0aa, // 2
  xmm: 0x100, // 16 x 16 bytes
  st: 0x200, // 8 physical x87 registers, 16-byte stride, 10 bytes used (80-bit format)
  end: 0x280,
} as const;

export const enum Reg {
  RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7,
  R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15,
}

export const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;

/** RFLAGS bits. */
export const enum Flag {
  CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400, OF = 0x800,
  /** The six arithmetic status flags. */
  ARITH = 0x8d5,
}

/** RFLAGS right after process start on Windows (IF set, reserved bit 1 set). */
export const INITIAL_RFLAGS = 0x202;
/** MXCSR at process start: all exceptions masked, round to nearest. */
export const INITIAL_MXCSR = 0x1f80;
/** x87 control word of a new Windows x64 thread: exceptions masked, 53-bit precision. FNINIT (which MinGW's start-up runs) gives 0x37F. */
export const INITIAL_FPU_CONTROL = 0x027f;

/**
 * Typed views over the state block. Every view aliases the same bytes; `u32` indexes
 * are dword indexes from the start of guest memory.
 */
export class CpuState {
  readonly u8: Uint8Array;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly dv: DataView;
  /** dword index of RAX's low half; register r's low half is at gprIndex + 2*r. */
  readonly gprIndex = (STATE_BASE + Off.gpr) >>> 2;
  readonly ripIndex = (STATE_BASE + Off.rip) >>> 2;
  readonly flagsIndex = (STATE_BASE + Off.rflags) >>> 2;

  constructor(buffer: ArrayBuffer) {
    this.u8 = new Uint8Array(buffer, STATE_BASE, Off.end);
    this.u32 = new Uint32Array(buffer, 0, (STATE_BASE + Off.end) >>> 2);
    this.i32 = new Int32Array(buffer, 0, (STATE_BASE + Off.end) >>> 2);
    this.dv = new DataView(buffer, STATE_BASE, Off.end);
  }

  reset(): void {
    this.u8.fill(0);
    this.rflags = INITIAL_RFLAGS;
    this.mxcsr = INITIAL_MXCSR;
    this.dv.setUint16(Off.fpuControl, INITIAL_FPU_CONTROL, true);
    this.dv.setUint16(Off.fpuTag, 0xffff, true);
  }

  lo(r: number): number { return this.u32[this.gprIndex + 2 * r]!; }
  hi(r: number): number { return this.u32[this.gprIndex + 2 * r + 1]!; }
  setLo(r: number, v: number): void { this.u32[this.gprIndex + 2 * r] = v; }
  setHi(r: number, v: number): void { this.u32[this.gprIndex + 2 * r + 1] = v; }
  /** Writes a 32-bit result the way x86-64 does: the upper half is cleared. */
  set32(r: number, v: number): void { this.u32[this.gprIndex + 2 * r] = v; this.u32[this.gprIndex + 2 * r + 1] = 0; }
  set64(r: number, lo: number, hi: number): void { this.u32[this.gprIndex + 2 * r] = lo; this.u32[this.gprIndex + 2 * r + 1] = hi; }

  /** A register as a JS number; exact below 2^53 (all valid guest addresses are). */
  getNum(r: number): number { return this.hi(r) * 0x100000000 + this.lo(r); }
  /** Sets a register from a non-negative JS number below 2^64 (exact below 2^53). */
  setNum(r: number, v: number): void {
    this.set64(r, v >>> 0, Math.floor(v / 0x100000000) >>> 0);
  }
  getBig(r: number): bigint { return (BigInt(this.hi(r)) << 32n) | BigInt(this.lo(r)); }
  setBig(r: number, v: bigint): void {
    this.set64(r, Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn));
  }

  get rip(): number { return this.u32[this.ripIndex + 1]! * 0x100000000 + this.u32[this.ripIndex]!; }
  set rip(v: number) { this.u32[this.ripIndex] = v >>> 0; this.u32[this.ripIndex + 1] = Math.floor(v / 0x100000000) >>> 0; }
  get rflags(): number { return this.u32[this.flagsIndex]!; }
  set rflags(v: number) { this.u32[this.flagsIndex] = v; this.u32[this.flagsIndex + 1] = 0; }
  get mxcsr(): number { return this.dv.getUint32(Off.mxcsr, true); }
  set mxcsr(v: number) { this.dv.setUint32(Off.mxcsr, v, true); }
  get gsBase(): number { return this.dv.getUint32(Off.gsBase, true) + this.dv.getUint32(Off.gsBase + 4, true) * 0x100000000; }
  set gsBase(v: number) { this.dv.setUint32(Off.gsBase, v >>> 0, true); this.dv.setUint32(Off.gsBase + 4, Math.floor(v / 0x100000000) >>> 0, true); }
  get fsBase(): number { return this.dv.getUint32(Off.fsBase, true) + this.dv.getUint32(Off.fsBase + 4, true) * 0x100000000; }
  set fsBase(v: number) { this.dv.setUint32(Off.fsBase, v >>> 0, true); this.dv.setUint32(Off.fsBase + 4, Math.floor(v / 0x100000000) >>> 0, true); }

  /** Byte offset (from the start of guest memory) of XMM register n. */
  xmmAddr(n: number): number { return STATE_BASE + Off.xmm + 16 * n; }
  /** Low lane of XMM n as a double / float (ABI arguments and results). */
  xmmF64(n: number): number { return this.dv.getFloat64(Off.xmm + 16 * n, true); }
  xmmF32(n: number): number { return this.dv.getFloat32(Off.xmm + 16 * n, true); }
  setXmmF64(n: number, v: number): void { this.dv.setFloat64(Off.xmm + 16 * n, v, true); }
  setXmmF32(n: number, v: number): void { this.dv.setFloat32(Off.xmm + 16 * n, v, true); }

  /** Byte offset (from the start of guest memory) of physical x87 register n (not ST(i)). */
  stAddr(physical: number): number { return STATE_BASE + Off.st + 16 * physical; }

  /** Copies the whole state out (for lock-step comparison and host-to-guest call frames). */
  snapshot(): Uint8Array { return this.u8.slice(); }
  restore(s: Uint8Array): void { this.u8.set(s); }
}

// A tiny x86-64 assembler for the few instruction forms the ABI tests need to write a
// caller by hand: load registers, store to the stack or to a result area, call through
// a register, return. asm.test.ts checks every form against iced-x86's decoder.

export const R = { rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7, r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15 } as const;

const rex = (w: boolean, r: number, b: number) => 0x40 | (w ? 8 : 0) | ((r >> 3) << 2) | (b >> 3);

function le(v: bigint, bytes: number): number[] {
  const out: number[] = [];
  let x = BigInt.asUintN(bytes * 8, v);
  for (let i = 0; i < bytes; i++) { out.push(Number(x & 0xffn)); x >>= 8n; }
  return out;
}

export class Asm {
  readonly bytes: number[] = [];
  private readonly fixups: { at: number; label: string }[] = [];
  private readonly labels = new Map<string, number>();

  constructor(readonly origin: number) {}

  get here(): number { return this.origin + this.bytes.length; }

  /** mov r64, imm64 */
  movImm(r: number, v: bigint | number): this {
    this.bytes.push(rex(true, 0, r), 0xb8 + (r & 7), ...le(BigInt(v), 8));
    return this;
  }

  /** mov r64, r64 */
  mov(dst: number, src: number): this {
    this.bytes.push(rex(true, src, dst), 0x89, 0xc0 | ((src & 7) << 3) | (dst & 7));
    return this;
  }

  /** movq xmm, r64 */
  movqToXmm(x: number, r: number): this {
    this.bytes.push(0x66, rex(true, x, r), 0x0f, 0x6e, 0xc0 | ((x & 7) << 3) | (r & 7));
    return this;
  }

  /** mov [base+disp32], r64 (base not RSP/R12 unless via storeStack) */
  store(base: number, disp: number, r: number): this {
    if ((base & 7) === 4) return this.storeStack(disp, r, base);
    this.bytes.push(rex(true, r, base), 0x89, 0x80 | ((r & 7) << 3) | (base & 7), ...le(BigInt(disp), 4));
    return this;
  }

  /** mov [rsp+disp32], r64 */
  storeStack(disp: number, r: number, base: number = R.rsp): this {
    this.bytes.push(rex(true, r, base), 0x89, 0x84 | ((r & 7) << 3), 0x24, ...le(BigInt(disp), 4));
    return this;
  }

  /** movq [base+disp32], xmm (base not RSP/R12) */
  storeXmm(base: number, disp: number, x: number): this {
    this.bytes.push(0x66, rex(false, x, base), 0x0f, 0xd6, 0x80 | ((x & 7) << 3) | (base & 7), ...le(BigInt(disp), 4));
    return this;
  }

  /** sub rsp, imm32 */
  subRsp(n: number): this { this.bytes.push(0x48, 0x81, 0xec, ...le(BigInt(n), 4)); return this; }
  /** add rsp, imm32 */
  addRsp(n: number): this { this.bytes.push(0x48, 0x81, 0xc4, ...le(BigInt(n), 4)); return this; }

  /** call r64 */
  call(r: number): this {
    if (r >= 8) this.bytes.push(0x41);
    this.bytes.push(0xff, 0xd0 | (r & 7));
    return this;
  }

  /** jmp r64 */
  jmpReg(r: number): this {
    if (r >= 8) this.bytes.push(0x41);
    this.bytes.push(0xff, 0xe0 | (r & 7));
    return this;
  }

  /** jmp rel32 to a label */
  jmp(label: string): this {
    this.bytes.push(0xe9, 0, 0, 0, 0);
    this.fixups.push({ at: this.bytes.length - 4, label });
    return this;
  }

  /** lea r64, [rip+rel32] to a label */
  leaLabel(r: number, label: string): this {
    this.bytes.push(rex(true, r, 0), 0x8d, 0x05 | ((r & 7) << 3), 0, 0, 0, 0);
    this.fixups.push({ at: this.bytes.length - 4, label });
    return this;
  }

  label(name: string): this { this.labels.set(name, this.here); return this; }
  addressOf(name: string): number { return this.labels.get(name)!; }

  ret(): this { this.bytes.push(0xc3); return this; }

  /** The code with labels resolved. */
  done(): Uint8Array {
    for (const f of this.fixups) {
      const target = this.labels.get(f.label);
      if (target === undefined) throw new Error(`label ${f.label} undefined`);
      const rel = target - (this.origin + f.at + 4);
      this.bytes.splice(f.at, 4, ...le(BigInt(rel), 4));
    }
    return Uint8Array.from(this.bytes);
  }
}

// One row of an opcode table: one encoding form of one instruction, written the way the
// Intel SDM (Vol. 2, Appendix A "Opcode Map") writes it, so each row can be checked
// against the manual by eye. The notation is interpreted once, at module load, by
// ../notation.ts; nothing here is looked at while decoding.
//
// [opcode, mnemonic, operands, flags]
//
// opcode   Space-separated tokens:
//            optional mandatory prefix  NP | 66 | F3 | F2  (NP: none of 66/F2/F3)
//            optional map escape        0F | 0F 38 | 0F 3A
//            the opcode byte            "00"; "50+r" (register in the low 3 bits, 8 slots);
//                                       "70+cc" (condition in the low 4 bits, 16 slots;
//                                       "{cc}" in the mnemonic becomes the condition suffix)
//            optional ModRM selector    "/r" (any ModRM), "/0".."/7" (ModRM.reg),
//                                       "C0+i" (mod=3, reg from the byte, rm = ST(i)),
//                                       "E8" (the whole ModRM byte, mod=3)
// mnemonic iced-x86 Mnemonic name.
// operands Space-separated, Intel order (destination first), SDM Appendix A notation
//          "addressing method,size":
//            E  ModRM r/m: general register or memory     G  ModRM reg: general register
//            M  ModRM r/m: memory only                    R  ModRM r/m: general register only
//            V  ModRM reg: XMM                            W  ModRM r/m: XMM or memory
//            U  ModRM r/m: XMM only                       Z  opcode low 3 bits: general register
//            I  immediate                                 Is immediate byte sign-extended to the operand size
//            J  relative branch target                    O  absolute memory offset (moffs)
//          sizes: b byte, w word, d dword, q qword, t 10-byte (m80), x / dq / ps / pd 16 bytes,
//            ss 4, sd 8, v word/dword/qword by operand size, y dword/qword by REX.W,
//            z word for 16-bit operand size else dword, e 28-byte FPU environment (e14: 16-bit form),
//            fs 108-byte FSAVE area (fs94: 16-bit form), fx 512-byte FXSAVE area. "M" with no size: address only (LEA).
//          "R,y/M,b": register form and memory form differ in size (SDM "Ry/Mb").
//          Fixed operands: AL CL AX rAX (accumulator of operand size) 1 ST0 ST(i) [rBX+AL] (XLAT).
// flags    Space-separated:
//            lock       LOCK allowed (memory destination only); otherwise LOCK is #UD
//            d64        operand size defaults to 64 (66 selects 16)
//            f64        operand size is always 64
//            mem / reg  ModRM.mod must select memory / a register (implied by M, R, U)
//            W0 W1      REX.W must be clear / set      B0 B1  REX.B must be clear / set
//            a64 a32    address size must be 64 / 32 (0x67)
//            o16 o32 o64  operand size must be 16 / 32 / 64
//            sz1        the instruction works on bytes (string instructions without operands)
//            osz        the instruction has an operand size although no operand shows it (NOP)
export type Row = readonly [opcode: string, mnemonic: string, operands?: string, flags?: string];

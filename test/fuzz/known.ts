// Differences from the CPU that the fuzzer finds and that are reported but not fixed
// yet. Each entry has a minimal reproducer (known.test.ts checks it still differs, so a
// fix makes that test fail until the entry moves to regressions.test.ts) and a
// predicate that sets matching generated cases aside in the fuzz test.

import type { CpuCase } from '../native/case.js';
import { SCRATCH_ADDRESS } from '../native/case.js';
import type { Insn } from '../../src/x86/insn.js';
import { firstInsn, memoryAddress } from './run.js';

export interface KnownIssue {
  title: string;
  /** Who fixes it (the file that needs the change). */
  where: string;
  reproducer: CpuCase;
  matches: (c: CpuCase, insn: Insn) => boolean;
}

function u16(bytes: readonly number[]): Uint8Array { return Uint8Array.from(bytes); }

function fxImage(control: number, status: number): Uint8Array {
  const img = new Uint8Array(512);
  img[0] = control & 0xff; img[1] = control >> 8; img[2] = status & 0xff; img[3] = status >> 8;
  img[24] = 0x80; img[25] = 0x1f; // MXCSR 0x1F80
  return img;
}

export const KNOWN_ISSUES: readonly KnownIssue[] = [
  {
    title: 'F3 REX.B 90 is XCHG r8, rAX on the CPU but decodes as PAUSE (iced-x86 agrees with our decoder, so the decoder test cannot see it)',
    where: 'src/x86/tables/one-byte.ts (F3 90 row needs B0)',
    reproducer: { name: 'f3 41 90', code: u16([0xf3, 0x41, 0x90]), gpr: { rax: 1, r8: 2 } },
    matches: (c, insn) => insn.mnemonic === 'Pause' && c.code.some((b, i) => i < c.code.length - 1 && (b & 0xf1) === 0x41),
  },
  {
    title: 'FNSTENV with a 66 prefix must store the 14-byte (16-bit) environment',
    where: 'src/interp/x87 (FNSTENV/FLDENV operand size)',
    reproducer: { name: 'fnstenv o16', code: u16([0x66, 0xd9, 0x33]), gpr: { rbx: SCRATCH_ADDRESS }, scratch: new Uint8Array(32).fill(0xaa) },
    matches: (_c, insn) => insn.mnemonic === 'Fnstenv' && insn.ops[0]?.size === 14,
  },
  {
    title: 'FLDENV with a 66 prefix must load the 14-byte (16-bit) environment',
    where: 'src/interp/x87 (FNSTENV/FLDENV operand size)',
    reproducer: { name: 'fldenv o16', code: u16([0x66, 0xd9, 0x23]), gpr: { rbx: SCRATCH_ADDRESS }, scratch: u16([0x7f, 0x02, 0x00, 0x01, 0xff, 0xff]) },
    matches: (_c, insn) => insn.mnemonic === 'Fldenv' && insn.ops[0]?.size === 14,
  },
  {
    title: 'MPSADBW is not implemented (raises #UD)',
    where: 'src/interp/sse/sse41.ts',
    reproducer: { name: 'mpsadbw xmm0, xmm1, 0', code: u16([0x66, 0x0f, 0x3a, 0x42, 0xc1, 0x00]),
      xmm: [u16([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]), u16([16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1])] },
    matches: (_c, insn) => insn.mnemonic === 'Mpsadbw',
  },
  {
    title: 'FXRSTOR must derive FSW.ES and FSW.B from the pending unmasked exceptions (this AMD host does; the image bit is ignored)',
    where: 'src/interp/x87 (FXRSTOR; likely FLDENV/FRSTOR too)',
    reproducer: { name: 'fxrstor with IE pending and unmasked', code: u16([0x0f, 0xae, 0x0b]), gpr: { rbx: SCRATCH_ADDRESS }, scratch: fxImage(0x037e, 0x0001) },
    matches: (c, insn) => {
      if (insn.mnemonic !== 'Fxrstor' && insn.mnemonic !== 'Fxrstor64') return false;
      const ea = memoryAddress(insn, c);
      if (ea === undefined || !c.scratch) return false;
      const off = ea - SCRATCH_ADDRESS;
      const control = (c.scratch[off] ?? 0) | ((c.scratch[off + 1] ?? 0) << 8);
      const status = (c.scratch[off + 2] ?? 0) | ((c.scratch[off + 3] ?? 0) << 8);
      const pending = (status & ~control & 0x3f) !== 0;
      return pending !== ((status & 0x80) !== 0) || pending !== ((status & 0x8000) !== 0);
    },
  },
  {
    title: 'FSIN/FSINCOS/FPTAN on tiny arguments return x unrounded: under RC down/zero/up the CPU returns the neighbour of x (and sets UE/PE)',
    where: 'src/interp/x87/transcendental.ts (tiny-argument shortcut)',
    reproducer: { name: 'fsin of the smallest normal, RC down', code: u16([0xd9, 0xfe]),
      x87: { control: 0x067f, st: [u16([0, 0, 0, 0, 0, 0, 0, 0x80, 0x01, 0x00])] } },
    matches: (c, insn) => {
      if (!['Fsin', 'Fsincos', 'Fptan'].includes(insn.mnemonic) || !c.x87?.st?.length) return false;
      const st0 = c.x87.st[0]!;
      const exp = (st0[8]! | (st0[9]! << 8)) & 0x7fff;
      return exp < 0x3fff - 30 && ((c.x87.control ?? 0x37f) & 0xc00) !== 0;
    },
  },
];

export function knownIssueOf(c: CpuCase): KnownIssue | undefined {
  const insn = firstInsn(c);
  return KNOWN_ISSUES.find((k) => k.matches(c, insn));
}

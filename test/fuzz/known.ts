// Differences from the CPU that the fuzzer finds and that are reported but not fixed
// yet. Each entry has a minimal reproducer (known.test.ts checks it still differs, so a
// fix makes that test fail until the entry moves to regressions.test.ts) and a
// predicate that sets matching generated cases aside in the fuzz test.

import type { CpuCase } from '../native/case.js';
import type { Insn } from '../../src/x86/insn.js';
import { firstInsn } from './run.js';

export interface KnownIssue {
  title: string;
  /** Who fixes it (the file that needs the change). */
  where: string;
  reproducer: CpuCase;
  matches: (c: CpuCase, insn: Insn) => boolean;
}

function u16(bytes: readonly number[]): Uint8Array { return Uint8Array.from(bytes); }

export const KNOWN_ISSUES: readonly KnownIssue[] = [
  {
    // Decision: iced-x86 is the oracle for decoding and the CPU for execution. Here they
    // disagree (iced decodes F3 REX.B 90 as PAUSE; Intel's and AMD's CPUs execute XCHG
    // r8, rAX, REX.B selecting r8 as in 90+r), and what a program gets when it runs the
    // bytes is the CPU's: the decoder should give XCHG, with this encoding listed as a
    // known iced-x86 difference in the decoder comparison (test/x86/iced-diff.ts).
    title: 'F3 REX.B 90 is XCHG r8, rAX on the CPU but decodes as PAUSE (iced-x86 agrees with our decoder, so the decoder test cannot see it)',
    where: "src/x86/tables/one-byte.ts (the 'F3 90' Pause row needs 'B0' like the '90' Nop row) and an exception for F3 REX.B 90 in test/x86/iced-diff.ts",
    reproducer: { name: 'f3 41 90', code: u16([0xf3, 0x41, 0x90]), gpr: { rax: 1, r8: 2 } },
    matches: (c, insn) => insn.mnemonic === 'Pause' && c.code.some((b, i) => i < c.code.length - 1 && (b & 0xf1) === 0x41),
  },
];

export function knownIssueOf(c: CpuCase): KnownIssue | undefined {
  const insn = firstInsn(c);
  return KNOWN_ISSUES.find((k) => k.matches(c, insn));
}

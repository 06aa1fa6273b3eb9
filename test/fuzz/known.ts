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

// None open: LEAVE/ENTER with 66, F3 REX.B 90 and the others are fixed (regressions.test.ts).
export const KNOWN_ISSUES: readonly KnownIssue[] = [
];

export function knownIssueOf(c: CpuCase): KnownIssue | undefined {
  const insn = firstInsn(c);
  return KNOWN_ISSUES.find((k) => k.matches(c, insn));
}

// CPUID, RDTSC/RDTSCP, no-ops (NOP PAUSE fences PREFETCH ENDBR64), and the
// instructions that always fault in a user-mode Windows process.

import type { ExecContext } from '../context.js';
import type { Insn } from '../../x86/insn.js';
import { hexBytes } from '../../x86/insn.js';
import { GuestFault, ExceptionCode } from '../../mem/fault.js';
import { cpuid } from '../../x86/cpuid.js';
import type { CompilerTable, Exec } from './types.js';

/** STATUS_ASSERTION_FAILURE, raised by INT 2C. */
const STATUS_ASSERTION_FAILURE = 0xc0000420;
/** #GP in user mode: Windows reports an access violation at 0xFFFFFFFFFFFFFFFF (given here as -1). */
const GP_ADDRESS = -1;

function compileCpuid(c: ExecContext): Exec {
  const u32 = c.u32, g = c.gi;
  return () => {
    const [a, b, cx, d] = cpuid(u32[g]!, u32[g + 2]!);
    u32[g] = a; u32[g + 1] = 0;
    u32[g + 6] = b; u32[g + 7] = 0;
    u32[g + 2] = cx; u32[g + 3] = 0;
    u32[g + 4] = d; u32[g + 5] = 0;
  };
}

/** RDTSC: EDX:EAX from the host clock, strictly increasing across reads. */
function compileRdtsc(c: ExecContext, insn: Insn): Exec {
  const u32 = c.u32, g = c.gi;
  const withAux = insn.mnemonic === 'Rdtscp';
  return () => {
    let t = c.clock();
    if (t <= lastTsc) t = lastTsc + 1;
    lastTsc = t;
    u32[g] = t >>> 0; u32[g + 1] = 0;
    u32[g + 4] = Math.floor(t / 0x100000000) >>> 0; u32[g + 5] = 0;
    if (withAux) { u32[g + 2] = 0; u32[g + 3] = 0; } // TSC_AUX: processor 0
  };
}
let lastTsc = 0;

const nop: Exec = () => {};
function compileNop(): Exec { return nop; }

function fault(code: number, address: number, detail: string): Exec {
  return () => { throw new GuestFault(code, address, 0, detail); };
}

function compileTrap(c: ExecContext, insn: Insn): Exec {
  const where = `${insn.mnemonic.toLowerCase()} at 0x${insn.addr.toString(16)} (${hexBytes(insn.bytes)})`;
  switch (insn.mnemonic) {
    // The exception address of a breakpoint is the INT3 itself.
    case 'Int3': return fault(ExceptionCode.Breakpoint, insn.addr, where);
    case 'Ud0': case 'Ud1': case 'Ud2': return fault(ExceptionCode.IllegalInstruction, insn.addr, where);
    // SYSCALL is never valid in a Windows program outside ntdll, which wexe replaces.
    case 'Syscall': case 'Sysenter': return fault(ExceptionCode.IllegalInstruction, insn.addr, `${where}: system calls are not supported`);
    case 'Int': {
      const n = insn.ops[0]!.immLo & 0xff;
      const u32 = c.u32, g = c.gi;
      // __fastfail: terminates with STATUS_STACK_BUFFER_OVERRUN, the fail code in ECX.
      if (n === 0x29) return () => { throw new GuestFault(ExceptionCode.StackBufferOverrun, insn.addr, 0, `__fastfail(${u32[g + 2]})`); };
      if (n === 0x2c) return fault(STATUS_ASSERTION_FAILURE, insn.addr, where);
      if (n === 0x03 || n === 0x2d) return fault(ExceptionCode.Breakpoint, insn.addr, where);
      // Any other INT n has no user-accessible IDT gate: #GP, an access violation on Windows.
      return fault(ExceptionCode.AccessViolation, GP_ADDRESS, where);
    }
    default: // HLT and other privileged instructions
      return fault(ExceptionCode.PrivilegedInstruction, insn.addr, where);
  }
}

export const systemCompilers: CompilerTable = {
  Cpuid: compileCpuid,
  Rdtsc: compileRdtsc,
  Rdtscp: compileRdtsc,
  Nop: compileNop, Pause: compileNop, Lfence: compileNop, Mfence: compileNop, Sfence: compileNop,
  Prefetchnta: compileNop, Prefetcht0: compileNop, Prefetcht1: compileNop, Prefetcht2: compileNop,
  Prefetchw: compileNop, Prefetch: compileNop, Prefetchwt1: compileNop, Endbr64: compileNop,
  Int3: compileTrap, Ud0: compileTrap, Ud1: compileTrap, Ud2: compileTrap, Syscall: compileTrap, Sysenter: compileTrap,
  Int: compileTrap, Hlt: compileTrap, Cli: compileTrap, Sti: compileTrap, In: compileTrap, Out: compileTrap,
  Rdmsr: compileTrap, Wrmsr: compileTrap, Invd: compileTrap, Wbinvd: compileTrap,
};

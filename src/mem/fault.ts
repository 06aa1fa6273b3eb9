// Guest faults, as Windows exception codes. Engines throw GuestFault; the process layer
// turns it into guest exception dispatch (later) or a crash report and exit code.

export const ExceptionCode = {
  AccessViolation: 0xc0000005,
  GuardPage: 0x80000001,
  Breakpoint: 0x80000003,
  SingleStep: 0x80000004,
  ArrayBoundsExceeded: 0xc000008c,
  FloatDenormalOperand: 0xc000008d,
  FloatDivideByZero: 0xc000008e,
  FloatInexactResult: 0xc000008f,
  FloatInvalidOperation: 0xc0000090,
  FloatOverflow: 0xc0000091,
  FloatStackCheck: 0xc0000092,
  FloatUnderflow: 0xc0000093,
  IntegerDivideByZero: 0xc0000094,
  IntegerOverflow: 0xc0000095,
  PrivilegedInstruction: 0xc0000096,
  IllegalInstruction: 0xc000001d,
  StackOverflow: 0xc00000fd,
  /** abort() and __fastfail-style termination report this status. */
  StackBufferOverrun: 0xc0000409,
} as const;

const NAMES: Record<number, string> = {
  [ExceptionCode.AccessViolation]: 'EXCEPTION_ACCESS_VIOLATION',
  [ExceptionCode.GuardPage]: 'STATUS_GUARD_PAGE_VIOLATION',
  [ExceptionCode.Breakpoint]: 'EXCEPTION_BREAKPOINT',
  [ExceptionCode.SingleStep]: 'EXCEPTION_SINGLE_STEP',
  [ExceptionCode.ArrayBoundsExceeded]: 'EXCEPTION_ARRAY_BOUNDS_EXCEEDED',
  [ExceptionCode.FloatDenormalOperand]: 'EXCEPTION_FLT_DENORMAL_OPERAND',
  [ExceptionCode.FloatDivideByZero]: 'EXCEPTION_FLT_DIVIDE_BY_ZERO',
  [ExceptionCode.FloatInexactResult]: 'EXCEPTION_FLT_INEXACT_RESULT',
  [ExceptionCode.FloatInvalidOperation]: 'EXCEPTION_FLT_INVALID_OPERATION',
  [ExceptionCode.FloatOverflow]: 'EXCEPTION_FLT_OVERFLOW',
  [ExceptionCode.FloatStackCheck]: 'EXCEPTION_FLT_STACK_CHECK',
  [ExceptionCode.FloatUnderflow]: 'EXCEPTION_FLT_UNDERFLOW',
  [ExceptionCode.IntegerDivideByZero]: 'EXCEPTION_INT_DIVIDE_BY_ZERO',
  [ExceptionCode.IntegerOverflow]: 'EXCEPTION_INT_OVERFLOW',
  [ExceptionCode.PrivilegedInstruction]: 'EXCEPTION_PRIV_INSTRUCTION',
  [ExceptionCode.IllegalInstruction]: 'EXCEPTION_ILLEGAL_INSTRUCTION',
  [ExceptionCode.StackOverflow]: 'EXCEPTION_STACK_OVERFLOW',
  [ExceptionCode.StackBufferOverrun]: 'STATUS_STACK_BUFFER_OVERRUN',
};

export function exceptionName(code: number): string {
  return NAMES[code] ?? `exception 0x${code.toString(16).padStart(8, '0')}`;
}

/**
 * A fault raised by guest execution. `address` is the data address for access
 * violations (ExceptionInformation[1]); the faulting instruction's address is
 * taken from RIP by whoever catches it, because the engine leaves RIP at the
 * faulting instruction.
 */
export class GuestFault extends Error {
  constructor(
    readonly code: number,
    readonly address: number,
    /** For access violations: 0 read, 1 write, 8 execute (ExceptionInformation[0]). */
    readonly access = 0,
    readonly detail = '',
  ) {
    super(`${exceptionName(code)}${detail ? `: ${detail}` : ''}`);
    this.name = 'GuestFault';
  }

  static accessViolation(address: number, access: number): GuestFault {
    return new GuestFault(ExceptionCode.AccessViolation, address, access);
  }
}

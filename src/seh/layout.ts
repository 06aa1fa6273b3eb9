// Windows x64 exception-handling structures as the guest sees them: CONTEXT,
// EXCEPTION_RECORD, DISPATCHER_CONTEXT, UNWIND_INFO flags and unwind operation codes,
// exception flags, dispositions and the status codes the dispatcher raises itself.
// Offsets follow winnt.h for AMD64.

/** CONTEXT (0x4d0 bytes, 16-byte aligned). */
export const Ctx = {
  size: 0x4d0,
  contextFlags: 0x30,
  mxCsr: 0x34,
  segCs: 0x38,
  segDs: 0x3a,
  segEs: 0x3c,
  segFs: 0x3e,
  segGs: 0x40,
  segSs: 0x42,
  eFlags: 0x44,
  /** Rax; register n (Windows/x86 numbering: RAX RCX RDX RBX RSP RBP RSI RDI R8..R15) at gpr + 8n. */
  gpr: 0x78,
  rip: 0xf8,
  /** XMM_SAVE_AREA32 (FXSAVE layout). */
  fltSave: 0x100,
  /** Xmm0..15 inside the FXSAVE area (also reachable as Xmm0 at 0x1a0). */
  xmm: 0x1a0,
} as const;

/** FXSAVE area offsets (inside CONTEXT.FltSave). */
export const FxSave = { controlWord: 0, statusWord: 2, tagWord: 4, mxCsr: 24, mxCsrMask: 28, st: 32, xmm: 160 } as const;

export const CONTEXT_AMD64 = 0x100000;
/** CONTEXT_FULL | CONTEXT_SEGMENTS | CONTEXT_DEBUG... as RtlCaptureContext reports: control, integer, segments, floating point. */
export const CONTEXT_ALL_CAPTURED = 0x10001f;
export const CONTEXT_FULL = 0x10000b;

/** EXCEPTION_RECORD (152 bytes). */
export const Rec = {
  size: 152,
  code: 0,
  flags: 4,
  record: 8,
  address: 16,
  numberParameters: 24,
  information: 32,
} as const;
export const EXCEPTION_MAXIMUM_PARAMETERS = 15;

/** DISPATCHER_CONTEXT (x64). */
export const Disp = {
  size: 0x50,
  controlPc: 0x00,
  imageBase: 0x08,
  functionEntry: 0x10,
  establisherFrame: 0x18,
  targetIp: 0x20,
  contextRecord: 0x28,
  languageHandler: 0x30,
  handlerData: 0x38,
  historyTable: 0x40,
  scopeIndex: 0x48,
  fh3Reserved: 0x4c,
} as const;

/** KNONVOLATILE_CONTEXT_POINTERS: FloatingContext[16] then IntegerContext[16]. */
export const CtxPtrs = { floating: 0, integer: 0x80, size: 0x100 } as const;

/** RUNTIME_FUNCTION: BeginAddress, EndAddress, UnwindData (RVAs). */
export const RUNTIME_FUNCTION_SIZE = 12;
/** UnwindData with bit 0 set names another RUNTIME_FUNCTION (an indirect entry). */
export const RUNTIME_FUNCTION_INDIRECT = 1;

export const UnwFlag = { NHANDLER: 0, EHANDLER: 1, UHANDLER: 2, CHAININFO: 4 } as const;

export const UnwindOp = {
  PUSH_NONVOL: 0,
  ALLOC_LARGE: 1,
  ALLOC_SMALL: 2,
  SET_FPREG: 3,
  SAVE_NONVOL: 4,
  SAVE_NONVOL_FAR: 5,
  /** Version 2: epilogue descriptor (MSVC); version 1: unused. */
  EPILOG: 6,
  SPARE: 7,
  SAVE_XMM128: 8,
  SAVE_XMM128_FAR: 9,
  PUSH_MACHFRAME: 10,
} as const;

/** EXCEPTION_RECORD.ExceptionFlags. */
export const ExcFlag = {
  NONCONTINUABLE: 0x01,
  UNWINDING: 0x02,
  EXIT_UNWIND: 0x04,
  STACK_INVALID: 0x08,
  NESTED_CALL: 0x10,
  TARGET_UNWIND: 0x20,
  COLLIDED_UNWIND: 0x40,
} as const;

/** EXCEPTION_DISPOSITION values a language handler returns. */
export const Disposition = {
  ContinueExecution: 0,
  ContinueSearch: 1,
  NestedException: 2,
  CollidedUnwind: 3,
} as const;

/** Filter results (vectored handlers, top-level filter, __except filters). */
export const Filter = { ExecuteHandler: 1, ContinueSearch: 0, ContinueExecution: -1 } as const;

export const Status = {
  NONCONTINUABLE_EXCEPTION: 0xc0000025,
  INVALID_DISPOSITION: 0xc0000026,
  UNWIND: 0xc0000027,
  BAD_STACK: 0xc0000028,
  INVALID_UNWIND_TARGET: 0xc0000029,
  LONGJUMP: 0x80000026,
  UNWIND_CONSOLIDATE: 0x80000029,
} as const;

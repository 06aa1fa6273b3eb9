// The JIT's intermediate representation: a small typed, block-local SSA.
//
// A block is the translation of one guest basic block: a list of instructions, each
// defining at most one value (`%n`, numbered per block) of one type from a closed set.
// Guest state is touched only by explicit instructions (getreg/setreg, getflag/setflag,
// getxmm/setxmm), memory only by load/store with the address computed in the open, and
// every arithmetic flag is computed by ordinary instructions, so passes can see which
// flag computations are needed. Blocks end in exactly one exit (jump, branch, indirect
// jump, call, return, or a hand-over to the interpreter).
//
// Guest-instruction boundaries are marked with `insn <address>`; within one guest
// instruction every load, store and bail comes before the first state write, so a
// fault or bail can leave with the state exactly as it was before that instruction
// (the verifier checks this).

export type Ty = 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
export const TYPES: readonly Ty[] = ['i8', 'i16', 'i32', 'i64', 'f32', 'f64', 'v128'];

export function isInt(t: Ty): boolean { return t === 'i8' || t === 'i16' || t === 'i32' || t === 'i64'; }
export function bitsOf(t: Ty): number {
  switch (t) {
    case 'i8': return 8;
    case 'i16': return 16;
    case 'i32': case 'f32': return 32;
    case 'i64': case 'f64': return 64;
    default: return 128;
  }
}
export function intTy(bytes: number): Ty {
  return bytes === 1 ? 'i8' : bytes === 2 ? 'i16' : bytes === 4 ? 'i32' : 'i64';
}

/** How an opcode uses its operands and what it defines. */
export const enum Shape {
  /** dst = op(a, b), all the same integer/float type. */
  Binary,
  /** dst:i32 = op(a, b), a and b the same type. */
  Compare,
  /** dst = op(a), same type. */
  Unary,
  /** dst:i32 = op(a). */
  Test,
  /** dst:ty = op(a) where a has another type. */
  Convert,
  /** Anything with its own rules (checked one by one in the verifier). */
  Special,
}

interface OpInfo {
  shape: Shape;
  doc: string;
}

/** Every opcode, documented once. */
export const OPS = {
  // ---- constants and state ----
  const: { shape: Shape.Special, doc: 'dst = an integer constant (bit pattern for floats)' },
  getreg: { shape: Shape.Special, doc: 'dst:i64 = guest register k (0..15 GPRs, 16 fsbase, 17 gsbase)' },
  setreg: { shape: Shape.Special, doc: 'guest register k = a (i64)' },
  getflag: { shape: Shape.Special, doc: 'dst:i32 = flag k (0 or 1)' },
  setflag: { shape: Shape.Special, doc: 'flag k = a (i32, 0 or 1)' },
  getxmm: { shape: Shape.Special, doc: 'dst:v128 = XMM register k' },
  setxmm: { shape: Shape.Special, doc: 'XMM register k = a (v128)' },
  load: { shape: Shape.Special, doc: 'dst = guest memory at a (i64 address), width from the type' },
  store: { shape: Shape.Special, doc: 'guest memory at a (i64 address) = b, width from b\'s type' },
  // ---- integer arithmetic ----
  add: { shape: Shape.Binary, doc: 'a + b (wraps)' },
  sub: { shape: Shape.Binary, doc: 'a - b (wraps)' },
  mul: { shape: Shape.Binary, doc: 'a * b, low half' },
  mulhu: { shape: Shape.Binary, doc: 'high half of the unsigned double-width product' },
  mulhs: { shape: Shape.Binary, doc: 'high half of the signed double-width product' },
  divu: { shape: Shape.Binary, doc: 'unsigned a / b (b != 0, guarded by the lifter)' },
  divs: { shape: Shape.Binary, doc: 'signed a / b (no overflow, guarded by the lifter)' },
  remu: { shape: Shape.Binary, doc: 'unsigned a % b' },
  rems: { shape: Shape.Binary, doc: 'signed a % b' },
  and: { shape: Shape.Binary, doc: 'a & b (integers or v128)' },
  or: { shape: Shape.Binary, doc: 'a | b (integers or v128)' },
  xor: { shape: Shape.Binary, doc: 'a ^ b (integers or v128)' },
  shl: { shape: Shape.Binary, doc: 'a << (b mod width)' },
  shru: { shape: Shape.Binary, doc: 'a >>> (b mod width)' },
  shrs: { shape: Shape.Binary, doc: 'a >> (b mod width), arithmetic' },
  rotl: { shape: Shape.Binary, doc: 'rotate a left by b mod width' },
  rotr: { shape: Shape.Binary, doc: 'rotate a right by b mod width' },
  // ---- comparisons (dst:i32) ----
  eq: { shape: Shape.Compare, doc: 'a == b' },
  ne: { shape: Shape.Compare, doc: 'a != b' },
  ltu: { shape: Shape.Compare, doc: 'a < b unsigned' },
  leu: { shape: Shape.Compare, doc: 'a <= b unsigned' },
  gtu: { shape: Shape.Compare, doc: 'a > b unsigned' },
  geu: { shape: Shape.Compare, doc: 'a >= b unsigned' },
  lts: { shape: Shape.Compare, doc: 'a < b signed' },
  les: { shape: Shape.Compare, doc: 'a <= b signed' },
  gts: { shape: Shape.Compare, doc: 'a > b signed' },
  ges: { shape: Shape.Compare, doc: 'a >= b signed' },
  // ---- unary ----
  not: { shape: Shape.Unary, doc: '~a' },
  neg: { shape: Shape.Unary, doc: '-a' },
  popcnt: { shape: Shape.Unary, doc: 'number of set bits' },
  clz: { shape: Shape.Unary, doc: 'leading zero bits (width for 0)' },
  ctz: { shape: Shape.Unary, doc: 'trailing zero bits (width for 0)' },
  bswap: { shape: Shape.Unary, doc: 'byte order reversed' },
  eqz: { shape: Shape.Test, doc: 'dst:i32 = a == 0' },
  msb: { shape: Shape.Test, doc: 'dst:i32 = the top bit of a (the sign flag)' },
  parity: { shape: Shape.Test, doc: 'dst:i32 = 1 when the low byte of a has an even number of set bits (PF)' },
  // ---- conversions ----
  zext: { shape: Shape.Convert, doc: 'zero-extend a to the wider integer type' },
  sext: { shape: Shape.Convert, doc: 'sign-extend a to the wider integer type' },
  trunc: { shape: Shape.Convert, doc: 'low bits of a as the narrower integer type' },
  bitcast: { shape: Shape.Convert, doc: 'same bits, other type of the same width (i32<->f32, i64<->f64)' },
  select: { shape: Shape.Special, doc: 'dst = a (i32) != 0 ? b : c' },
  // ---- vectors and SSE (XMM values are v128; see src/ir/sse-forms.ts) ----
  vlane: { shape: Shape.Special, doc: 'dst:ty = lane k of a (v128); the lane width is the width of ty (i32/f32: 4 bytes, i64/f64: 8)' },
  vinsert: { shape: Shape.Special, doc: 'dst:v128 = a (v128) with lane k replaced by b; the lane width is the width of b\'s type' },
  vshuffle: { shape: Shape.Special, doc: 'dst:v128 = bytes of a ++ b (32 bytes, a first): byte i of dst is byte (c >> 8i) & 31 of the pair' },
  vandn: { shape: Shape.Binary, doc: 'dst:v128 = ~a & b' },
  vop: {
    shape: Shape.Special,
    doc: 'dst = packed-integer operation k (VEC_OPS in vec-ops.ts: a wasm SIMD instruction) on a (and b, v128); '
      + 'shifts shift each lane by the constant k2 (below the lane width); bitmask rows define i32',
  },
  sse: {
    shape: Shape.Special,
    doc: 'dst = the SSE instruction form k (SSE_FORMS in sse-forms.ts) executed exactly as the interpreter does, on '
      + 'a:v128 (the destination register before) and b (the source: v128, zero-extended from memory, or the '
      + 'integer of a GPR/memory source); reads MXCSR\'s control bits and ORs the exception flags it raises into '
      + 'MXCSR (a guest-state write). The result type is the form\'s: v128 (the new destination register), '
      + 'i32/i64 (a GPR result) or i32 (COMIS/UCOMIS: 0 greater, 1 less, 2 equal, 3 unordered)',
  },
  // ---- control ----
  insn: { shape: Shape.Special, doc: 'marks the start of the guest instruction at address k' },
  bail: { shape: Shape.Special, doc: 'when a (i32) != 0, leave to the interpreter at the current guest instruction (state as before it)' },
  jump: { shape: Shape.Special, doc: 'exit: continue at guest address k' },
  branch: { shape: Shape.Special, doc: 'exit: continue at k when a (i32) != 0, else at k2' },
  jumpind: { shape: Shape.Special, doc: 'exit: continue at the guest address a (i64)' },
  call: { shape: Shape.Special, doc: 'exit: a call (return address already pushed) to k; k2 is the return address' },
  callind: { shape: Shape.Special, doc: 'exit: an indirect call (return address already pushed) to the guest address a (i64); k2 is the return address' },
  ret: { shape: Shape.Special, doc: 'exit: a return to the guest address a (i64)' },
  interp: { shape: Shape.Special, doc: 'exit: the interpreter runs the guest instruction at k (it could not be lifted)' },
  helper: {
    shape: Shape.Special,
    doc: 'the interpreter\'s own handler runs the guest instruction at k in place, without leaving the region '
      + '(an instruction with no lifter); k2 identifies the decoded instruction for the runtime (0 until the engine '
      + 'assigns it). A barrier: it reads and may write every register, flag, XMM register, MXCSR and memory, and may '
      + 'fault (state then as the interpreter left it)',
  },
  repmovs: {
    shape: Shape.Special,
    doc: 'REP MOVS of ty-sized elements at guest instruction k (64-bit addressing, no segment override): a helper op '
      + '(k2 its runtime id, same barrier) with an inline fast path: when DF=0, the byte count fits below 4 GiB, the '
      + 'destination does not start inside (RSI, RSI+count) and the protection mirror allows reading every page of '
      + 'the source and writing every page of the destination, one memory.copy, RSI and RDI advanced, RCX=0; '
      + 'otherwise the helper',
  },
  repstos: {
    shape: Shape.Special,
    doc: 'REP STOS of ty-sized elements (the low bytes of RAX) at guest instruction k (64-bit addressing): a helper op '
      + '(k2 its runtime id, same barrier) with an inline fast path: when DF=0, the byte count fits below 4 GiB and the '
      + 'mirror allows writing every page of the destination, a memory.fill (or, for an element whose bytes differ, one '
      + 'store and doubling memory.copy), RDI advanced, RCX=0; otherwise the helper',
  },
} as const satisfies Record<string, OpInfo>;

export type Op = keyof typeof OPS;

/** Ops that run the interpreter's handler for their guest instruction (possibly behind a fast path): barriers to the passes. */
export function isHelper(op: Op): boolean { return op === 'helper' || op === 'repmovs' || op === 'repstos'; }

export const EXITS: ReadonlySet<Op> = new Set<Op>(['jump', 'branch', 'jumpind', 'call', 'callind', 'ret', 'interp']);
/** Instructions whose only effect is their value: dead ones can go. */
export function isPure(op: Op): boolean {
  const s = OPS[op].shape;
  if (s !== Shape.Special) return op !== 'divu' && op !== 'divs' && op !== 'remu' && op !== 'rems';
  return op === 'const' || op === 'select' || op === 'getreg' || op === 'getflag' || op === 'getxmm'
    || op === 'vlane' || op === 'vinsert' || op === 'vshuffle' || op === 'vop';
}

export interface Inst {
  op: Op;
  /** Result value number, -1 when the instruction defines nothing. */
  dst: number;
  /** Result type (for instructions without a result: the type they work on, else 'i32'). */
  ty: Ty;
  /** Operand value numbers. */
  args: number[];
  /** Register/flag number, guest address, ... (see OPS). */
  k: number;
  /** Second address (branch fall-through, call return address). */
  k2: number;
  /** `const`: the value's bit pattern, zero-extended; `vshuffle`: the 16 byte selectors. */
  c: bigint;
}

export interface Block {
  /** Guest address of the first instruction. */
  addr: number;
  /** Address after the last guest instruction translated. */
  end: number;
  /** Number of guest instructions (what the instruction counter advances by). */
  count: number;
  insts: Inst[];
  /** Next unused value number. */
  nextValue: number;
}

/** A region: blocks compiled together into one function; every block is an entry. */
export interface Region {
  entry: number;
  blocks: Block[];
  /**
   * Blocks of the region that indirect calls and jumps of the region were seen to reach
   * (profiled by the cold tier): compiled code that finds one of them as the target
   * continues there instead of leaving the region.
   */
  indirectTargets?: number[];
}

export const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'fsbase', 'gsbase'] as const;
export const REG_FSBASE = 16, REG_GSBASE = 17;

/** Flags the IR tracks one by one, with their RFLAGS bit numbers. */
export const FLAG_NAMES = ['cf', 'pf', 'af', 'zf', 'sf', 'of', 'df'] as const;
export const FLAG_BITS = [0, 2, 4, 6, 7, 11, 10] as const;
export const enum F { CF = 0, PF = 1, AF = 2, ZF = 3, SF = 4, OF = 5, DF = 6 }
export const ALL_FLAGS = 0x7f;

const MASKS: Record<Ty, bigint> = {
  i8: 0xffn, i16: 0xffffn, i32: 0xffffffffn, i64: 0xffffffffffffffffn, f32: 0xffffffffn, f64: 0xffffffffffffffffn,
  v128: (1n << 128n) - 1n,
};
/** All ones in a type's width (precomputed: BigInt arithmetic on every constant cost the lifter and passes). */
export function mask(t: Ty): bigint { return MASKS[t]; }

export function newInst(op: Op, dst: number, ty: Ty, args: number[], k = 0, k2 = 0, c = 0n): Inst {
  return { op, dst, ty, args, k, k2, c };
}

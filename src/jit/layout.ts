// Addresses and codes shared by compiled code and the JIT runtime.
//
// The fuel counter and the slow-path scratch slot live in the null region next to the
// CPU state (guest code can never touch them). The protection mirror, one byte per
// 4 KiB page, lives in the top MiB of the 4 GiB space, reserved with no access so the
// guest can neither allocate nor touch it.

export const JitAddr = {
  /** i32: guest instructions compiled code may still run before returning. */
  fuel: 0x3000,
  /** 16 bytes: the value of a slow-path load or store. */
  scratch: 0x3010,
  /** 48 bytes: the `sse` op's slow path: operand a (16), operand b (16), result (16). */
  sseScratch: 0x3040,
  /** i32: nonzero when compiled code may go straight on into another region (no stopAt in force). */
  chainOn: 0x3070,
  /**
   * u64: the innermost run's stopAt when it is an API thunk address (a host-to-guest
   * call's return sentinel), else all ones. Compiled code leaves when an indirect jump
   * goes there instead of calling the runtime, which would only say "leave".
   */
  stopAt: 0x3078,
  /**
   * The stack range (u32 low address, u32 length; see stack-range.ts): accesses through
   * RSP that land in [lo, lo + len) run inline without a mirror lookup. Every page of
   * [lo, lo + len + 16) is plain read-write, no guard, no code.
   */
  stackLo: 0x3080,
  stackLen: 0x3084,
  /** u32: nonzero while the stack range is up to date (zeroed by any protection change in it). */
  stackRangeValid: 0x3088,
  /** Status.SlowAccess: u64 address, then u32 size | 0x100 for a store. */
  slowAccess: 0x3090,
  /**
   * Region chaining cache: CHAIN_ENTRIES direct-mapped entries of 16 bytes (guest address
   * lo, hi; function table slot; entry index), filled by the JIT runtime, read by
   * compiled code at its exits. Address 0 marks an empty entry.
   */
  chain: 0x8000,
  /** Protection mirror base: byte per page, MirrorBit flags. */
  mirror: 0xfff0_0000,
  mirrorSize: 0x10_0000,
} as const;

export const enum MirrorBit { Read = 1, Write = 2 }

export const CHAIN_ENTRIES = 2048;
/** log2(CHAIN_ENTRIES): the hash keeps the top bits of a multiplicative hash. */
export const CHAIN_BITS = 11;
/**
 * Multiplier of the chaining hash (Fibonacci hashing). The previous hash, (lo >>> 2) ^
 * (lo >>> 13), sent addresses 0x2005 apart to the same entry: in bintrees the leaf
 * block of build() and a call site in main() evicted each other 65k times.
 */
export const CHAIN_HASH_MUL = 0x9e3779b1;

/** The chaining cache entry for a guest address (compiled code computes the same). */
export function chainSlot(addr: number): number {
  return JitAddr.chain + ((Math.imul(addr >>> 0, CHAIN_HASH_MUL) >>> (32 - CHAIN_BITS)) << 4);
}

/** What a region function returns. */
export const enum Status {
  /** RIP holds the next guest address. */
  Normal = 0,
  /** The fuel ran out before the block at RIP. */
  Fuel = 1,
  /** A guard failed: the interpreter must run the instruction at RIP. */
  Bail = 2,
  /** A memory access faulted at the instruction at RIP; the fault is pending in the runtime. */
  Fault = 3,
  /** The instruction at RIP could not be lifted: the interpreter runs it. */
  Interp = 4,
  /**
   * A memory access at RIP that the protection mirror does not allow (yet): its address
   * and size are at JitAddr.slowAccess; the runtime opens the mirror for the page when
   * its protection allows, and the interpreter runs the instruction (faulting exactly
   * where it must).
   */
  SlowAccess = 5,
}

/** What the runtime's helperOp (a `helper` op's call) returns to compiled code. */
export const enum HelperResult {
  /** Done: continue with the next instruction (state reloaded from memory). */
  Done = 0,
  /** The instruction faulted: the fault is pending, the state is the interpreter's, RIP at the instruction. */
  Fault = 1,
  /** The handler moved RIP elsewhere: leave to the dispatcher at the RIP in memory. */
  Moved = 2,
}

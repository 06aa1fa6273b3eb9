// Declarative Windows API definitions.
//
// Each exported function is declared once: its argument kinds, its return kind and an
// ordinary typed implementation. The thunk layer (thunks.ts) derives everything else
// from the declaration: fetching arguments from RCX/RDX/R8/R9/XMM0-3 and the stack,
// reading string arguments, `--trace api` lines, and the "not implemented" error.
// API code never sees the Win64 register or stack mapping.

import type { Process } from '../../runtime/process.js';

/** How one argument is fetched and shown. */
export type ArgKind =
  | 'i32' | 'u32' | 'bool' // low 32 bits of the slot
  | 'i64' | 'u64' // the whole slot, as bigint
  | 'ptr' // the whole slot as a number (exact below 2^53, which every valid address is)
  | 'size' // a byte or element count (size_t): the whole slot as a number, exact below 2^53;
  //         larger values round, and stay far beyond anything that can be allocated
  | 'handle' // low 32 bits, sign-extended (handles are 32-bit significant on Windows)
  | 'f32' | 'f64' // XMM0-3 for the first four, else the stack slot
  | 'f64bits' // like f64, but the raw IEEE bits as bigint (NaN payloads and signs survive)
  | 'str' | 'wstr' // a pointer to a NUL-terminated ANSI / UTF-16 string, read for you (null for NULL)
  | 'va'; // the remaining varargs, as a VarArgs reader (must be last)

/** Results: as the argument kinds; 'size' is a number in RAX, a negative one as two's complement ((size_t)-1). */
export type RetKind = 'void' | 'i32' | 'u32' | 'bool' | 'i64' | 'u64' | 'ptr' | 'size' | 'handle' | 'f32' | 'f64' | 'f64bits';

type ArgValue<K extends ArgKind> =
  K extends 'i64' | 'u64' | 'f64bits' ? bigint
    : K extends 'str' | 'wstr' ? string | null
      : K extends 'va' ? VarArgs
        : number;

export type ArgValues<A extends readonly ArgKind[]> = { -readonly [I in keyof A]: ArgValue<A[I]> };

export type RetValue<R extends RetKind> =
  R extends 'void' ? void
    : R extends 'i64' | 'u64' | 'f64bits' ? bigint
      : R extends 'bool' ? number | boolean
        : number;

/** Reads variadic arguments slot by slot (Win64 varargs are all 8-byte slots). */
export interface VarArgs {
  /** The next slot's 64 bits, unsigned. */
  nextU64(): bigint;
  /** The next slot as a number (a pointer). */
  nextPtr(): number;
  /** The next slot's low 32 bits, signed. */
  nextI32(): number;
  /** The next slot's bits as a double (Win64 callers copy varargs doubles into the integer slot). */
  nextF64(): number;
  /** Index of the next slot (0 = RCX). */
  readonly index: number;
}

export interface ApiFunction {
  readonly name: string;
  readonly args: readonly ArgKind[];
  readonly ret: RetKind;
  readonly impl: (p: Process, ...args: never[]) => unknown;
}

/** Declares one API function. */
export function fn<const A extends readonly ArgKind[], R extends RetKind>(
  args: A,
  ret: R,
  impl: (p: Process, ...args: ArgValues<A>) => RetValue<R>,
): Omit<ApiFunction, 'name'> {
  return { args, ret, impl: impl as unknown as ApiFunction['impl'] };
}

/**
 * A data export (msvcrt's `_fmode`, `__initenv`, `_iob`...): the IAT slot receives the
 * variable's guest address, which the function allocates and initialises once per process.
 */
export type DataExport = (p: Process) => number;

export interface ApiDll {
  /** Canonical file name, e.g. "KERNEL32.dll". */
  readonly name: string;
  readonly functions: ReadonlyMap<string, ApiFunction>;
  readonly data: ReadonlyMap<string, DataExport>;
  /** Exports by ordinal, for DLLs whose programs import by ordinal. */
  readonly ordinals: ReadonlyMap<number, string>;
  /** Functions that run as guest code: exports of the builtin guest library (runtime/guestlib). */
  readonly guest: ReadonlySet<string>;
}

export interface DllExtras {
  data?: Record<string, DataExport>;
  ordinals?: Record<number, string>;
  guest?: readonly string[];
}

/** Declares a DLL from an object of functions; names are the object keys. */
export function dll(name: string, functions: Record<string, Omit<ApiFunction, 'name'>>, extras: DllExtras = {}): ApiDll {
  const map = new Map<string, ApiFunction>();
  for (const [k, v] of Object.entries(functions)) map.set(k, { ...v, name: k });
  return {
    name,
    functions: map,
    data: new Map(Object.entries(extras.data ?? {})),
    ordinals: new Map(Object.entries(extras.ordinals ?? {}).map(([o, n]) => [Number(o), n])),
    guest: new Set(extras.guest ?? []),
  };
}

/** Thrown by the thunk of a function the runtime does not have. */
export class NotImplemented extends Error {
  constructor(readonly dll: string, readonly fnName: string, readonly caller: number) {
    super(`${dll}!${fnName} is not implemented (called from 0x${caller.toString(16)})`);
    this.name = 'NotImplemented';
  }
}

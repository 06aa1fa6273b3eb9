// What an instruction compiles to: a closure with no arguments that executes it.

import type { ExecContext } from '../context.js';
import type { Insn } from '../../x86/insn.js';

export type Exec = () => void;

/**
 * Turns one decoded instruction into its executable closure, once per block decode.
 * Returns undefined when the instruction is not this compiler's (for example SSE
 * `movsd` with operands, which shares its mnemonic with the string instruction).
 */
export type Compiler = (c: ExecContext, insn: Insn) => Exec | undefined;

export type CompilerTable = Record<string, Compiler>;

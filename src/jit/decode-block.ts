// Decodes one guest basic block from memory with the interpreter's rules: instructions
// from `start` until the first control transfer, the size cap, or the end of the
// executable pages. Used by the JIT's cold tier and its region builder alike.

import type { GuestMemory } from '../mem/memory.js';
import { PAGE_SHIFT, PAGE_SIZE, Prot, Access, ADDRESS_LIMIT } from '../mem/memory.js';
import { GuestFault } from '../mem/fault.js';
import type { Insn } from '../x86/insn.js';
import { DecodeTruncated, Flow } from '../x86/insn.js';

export type DecodeFn = (bytes: Uint8Array, offset: number, addr: number) => Insn;

const MAX_INSN_LEN = 15;

/**
 * The instructions of the block at `start`. Throws the execute-access GuestFault the
 * interpreter would raise when `start` itself cannot be executed.
 */
export function decodeBlock(mem: GuestMemory, decode: DecodeFn, start: number, maxInsns: number): Insn[] {
  if (!(start < ADDRESS_LIMIT)) throw GuestFault.accessViolation(start, Access.Execute);
  mem.check(start, 1, Prot.X, Access.Execute);
  const cap = Math.min(ADDRESS_LIMIT, start + maxInsns * MAX_INSN_LEN);
  let limit = ((start >>> PAGE_SHIFT) + 1) * PAGE_SIZE;
  while (limit < cap && (mem.prot[limit >>> PAGE_SHIFT]! & (Prot.X | Prot.Guard)) === Prot.X) limit += PAGE_SIZE;
  limit = Math.min(limit, cap);
  const bytes = mem.u8.subarray(0, limit);
  const out: Insn[] = [];
  let addr = start;
  while (out.length < maxInsns && addr < limit) {
    let insn: Insn;
    try {
      insn = decode(bytes, addr, addr);
    } catch (e) {
      if (!(e instanceof DecodeTruncated)) throw e;
      if (out.length === 0) {
        if (limit < cap || limit === ADDRESS_LIMIT) throw GuestFault.accessViolation(limit, Access.Execute);
        throw e;
      }
      break;
    }
    out.push(insn);
    addr += insn.len;
    if (insn.flow !== Flow.None) break;
  }
  return out;
}

/** Pages [first, last] a decoded block's bytes occupy. */
export function blockPages(insns: readonly Insn[]): [number, number] {
  const first = insns[0]!.addr >>> PAGE_SHIFT;
  const lastInsn = insns[insns.length - 1]!;
  return [first, (lastInsn.addr + lastInsn.len - 1) >>> PAGE_SHIFT];
}

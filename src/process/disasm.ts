// One instruction's disassembly for crash reports and traces. Uses iced-x86's
// formatter, loaded only when needed (it costs tens of milliseconds to instantiate).

import { createRequire } from 'node:module';
import type { GuestMemory } from '../mem/memory.js';

type Iced = typeof import('iced-x86');
let iced: Iced | undefined;

function loadIced(): Iced {
  iced ??= createRequire(import.meta.url)('iced-x86') as Iced;
  return iced;
}

export function disassembleAt(mem: GuestMemory, addr: number): { text: string; bytes: Uint8Array } | undefined {
  const avail: number[] = [];
  for (let i = 0; i < 15; i++) {
    const a = addr + i;
    if (a >= mem.u8.length || (mem.prot[a >>> 12]! & 1) === 0) break;
    avail.push(mem.u8[a]!);
  }
  if (avail.length === 0) return undefined;
  const { Decoder, DecoderOptions, Formatter, FormatterSyntax, Code } = loadIced();
  const bytes = Uint8Array.from(avail);
  const d = new Decoder(64, bytes, DecoderOptions.None);
  d.ip = BigInt(addr);
  const insn = d.decode();
  const f = new Formatter(FormatterSyntax.Intel);
  try {
    const text = insn.code === Code.INVALID ? '(bad)' : f.format(insn);
    return { text, bytes: bytes.slice(0, insn.code === Code.INVALID ? 1 : insn.length) };
  } finally {
    insn.free(); d.free(); f.free();
  }
}

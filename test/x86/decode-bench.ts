// Decoder throughput on real compiler output: node dist/test/x86/decode-bench.js [elf-file]
// Linear-sweeps the .text section of an x86-64 ELF (default: the node binary itself, a
// large mix of gcc/clang output) and reports instructions per second and the share of
// bytes we decode (INVALID skips one byte).
import { readFileSync } from 'node:fs';
import { decode } from '../../src/x86/decode.js';

function textSection(file: string): Uint8Array {
  const elf = readFileSync(file);
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  if (dv.getUint32(0) !== 0x7f454c46 || elf[4] !== 2) throw new Error(`${file} is not a 64-bit ELF`);
  const shoff = Number(dv.getBigUint64(0x28, true));
  const shentsize = dv.getUint16(0x3a, true), shnum = dv.getUint16(0x3c, true), shstrndx = dv.getUint16(0x3e, true);
  const section = (i: number): { name: number; offset: number; size: number } => {
    const at = shoff + i * shentsize;
    return { name: dv.getUint32(at, true), offset: Number(dv.getBigUint64(at + 0x18, true)), size: Number(dv.getBigUint64(at + 0x20, true)) };
  };
  const strtab = section(shstrndx);
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    let end = strtab.offset + s.name;
    while (elf[end] !== 0) end++;
    if (elf.toString('latin1', strtab.offset + s.name, end) === '.text') return elf.subarray(s.offset, s.offset + s.size);
  }
  throw new Error(`${file} has no .text section`);
}

const file = process.argv[2] ?? process.execPath;
const text = textSection(file);
const limit = Math.min(text.length, 8 << 20);
// A plain Uint8Array copy: a Buffer would make the decoder's byte copies cheap views.
const code = new Uint8Array(text.subarray(0, limit));

function sweep(): { insns: number; invalidBytes: number } {
  let insns = 0, invalidBytes = 0;
  for (let pc = 0; pc < code.length - 15;) {
    const insn = decode(code, pc, 0x140001000 + pc);
    if (insn.mnemonic === 'INVALID') { invalidBytes++; pc++; continue; }
    insns++;
    pc += insn.len;
  }
  return { insns, invalidBytes };
}

sweep(); // warm-up
const t0 = performance.now();
const { insns, invalidBytes } = sweep();
const seconds = (performance.now() - t0) / 1000;
console.log(`${file}: ${(code.length / 1e6).toFixed(1)} MB of .text, ${insns} instructions in ${seconds.toFixed(2)} s`
  + ` = ${(insns / seconds / 1e6).toFixed(2)} M instructions/s; ${(100 * invalidBytes / code.length).toFixed(2)}% of bytes INVALID`);

// Shared by the IR tests: decoding hex into instructions, whitespace-normalised IR
// text, and the text form's round trip (print, parse, verify, print again).
import assert from 'node:assert/strict';
import { decode } from '../../src/x86/decode.js';
import type { Insn } from '../../src/x86/insn.js';
import type { Block } from '../../src/ir/ir.js';
import { printBlock, parseBlocks } from '../../src/ir/text.js';
import { verifyBlocks } from '../../src/ir/verify.js';

/** Decodes a hex string of instructions placed at `at`. */
export function insns(hexStr: string, at = 0x401000): Insn[] {
  const bytes = Uint8Array.from(hexStr.replace(/\s/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
  const out: Insn[] = [];
  for (let off = 0; off < bytes.length;) { const i = decode(bytes, off, at + off); out.push({ ...i, addr: at + off }); off += i.len; }
  return out;
}

/** IR text with indentation and empty lines removed. */
export const lines = (s: string): string => s.split('\n').map((l) => l.trim()).filter(Boolean).join('\n');

/** Asserts the block's text parses back to a block that verifies and prints the same; returns the text. */
export function assertRoundTrips(block: Block): string {
  const text = printBlock(block);
  const back = parseBlocks(text);
  verifyBlocks(back);
  assert.equal(printBlock(back[0]!), text);
  return text;
}

// A fuzz case as one hex string (hex of compact JSON), so a failure prints a one-line
// reproducer: `npm run fuzz -- --replay <hex>`.

import type { CpuCase } from '../native/case.js';
import { caseGprs } from '../native/case.js';
import type { FuzzCase } from './gen.js';

const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

interface Packed {
  f: number; c: string; g: Record<string, string>; r?: number; x?: Record<string, string>; m?: number;
  p?: { c: number; s: number; t: number; st: string[] }; s?: [number, string];
}

export function encodeCase(c: FuzzCase): string {
  const { values, given } = caseGprs(c);
  const g: Record<string, string> = {};
  values.forEach((v, i) => { if (given[i] && v !== 0n) g[i] = v.toString(16); });
  const p: Packed = { f: c.formId, c: toHex(c.code), g };
  if (c.rflags) p.r = c.rflags;
  if (c.xmm) {
    p.x = {};
    c.xmm.forEach((x, i) => { if (x && x.some((b) => b !== 0)) p.x![i] = toHex(x); });
  }
  if (c.mxcsr !== undefined) p.m = c.mxcsr;
  if (c.x87) p.p = { c: c.x87.control ?? 0x37f, s: c.x87.status ?? 0, t: c.x87.top ?? 0, st: (c.x87.st ?? []).map(toHex) };
  if (c.scratch) {
    let first = 0;
    while (first < c.scratch.length && c.scratch[first] === 0) first++;
    p.s = [first, toHex(c.scratch.subarray(first))];
  }
  return Buffer.from(JSON.stringify(p)).toString('hex');
}

export function decodeCase(hex: string): FuzzCase {
  const p = JSON.parse(Buffer.from(hex.trim(), 'hex').toString('utf8')) as Packed;
  const gpr: (bigint | undefined)[] = new Array(16).fill(undefined);
  for (const [i, v] of Object.entries(p.g)) gpr[Number(i)] = BigInt(`0x${v}`);
  const c: FuzzCase = { formId: p.f, code: fromHex(p.c), gpr: gpr.map((v) => v ?? 0n) };
  if (p.r) c.rflags = p.r;
  if (p.x) c.xmm = Array.from({ length: 16 }, (_, i) => (p.x![i] ? fromHex(p.x![i]!) : undefined));
  if (p.m !== undefined) c.mxcsr = p.m;
  if (p.p) c.x87 = { control: p.p.c, status: p.p.s, top: p.p.t, st: p.p.st.map(fromHex) };
  if (p.s) {
    const s = new Uint8Array(p.s[0] + p.s[1].length / 2);
    s.set(fromHex(p.s[1]), p.s[0]);
    c.scratch = s;
  }
  return c;
}

export type { CpuCase };

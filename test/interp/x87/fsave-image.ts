// The 108-byte FSAVE/FRSTOR image (32-bit protected-mode layout, which 64-bit mode uses
// without REX.W), as the host oracle exchanges it.

import type { F80 } from '../../../src/interp/x87/float80.js';
import { f80FromBytes, f80ToBytes } from '../../../src/interp/x87/float80.js';

export interface FpuImage {
  cw: number;
  sw: number;
  /** Full tag word: 2 bits per physical register (11 = empty). */
  tag: number;
  /** ST(0)..ST(7), in stack order. */
  regs: F80[];
}

export function encodeImage(img: FpuImage): Uint8Array {
  const b = new Uint8Array(108);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, img.cw, true);
  dv.setUint16(4, img.sw, true);
  dv.setUint16(8, img.tag, true);
  for (let i = 0; i < 8; i++) f80ToBytes(img.regs[i] ?? { sign: 0, exp: 0, sig: 0n }, b, 28 + 10 * i);
  return b;
}

export function decodeImage(b: Uint8Array): FpuImage {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const regs: F80[] = [];
  for (let i = 0; i < 8; i++) regs.push(f80FromBytes(b, 28 + 10 * i));
  return { cw: dv.getUint16(0, true), sw: dv.getUint16(4, true), tag: dv.getUint16(8, true), regs };
}

/** Status word bits the tests compare: exceptions, SF, C0..C3 and TOP. */
export const SW_COMPARED = 0x7f | 0x4700 | 0x3800;

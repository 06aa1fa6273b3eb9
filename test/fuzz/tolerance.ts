// Where the architecture allows more than one answer, the engine's result is accepted
// when it lies within what the SDM permits of the CPU's, and the CPU's value is then
// copied over the engine's so the exact comparison that follows passes:
//   - x87 transcendentals (F2XM1 FYL2X FYL2XP1 FSIN FCOS FSINCOS FPTAN FPATAN): 1 ulp of
//     the 64-bit significand (denormals: 1 step), and C1 (round-up indicator) follows
//     the rounding;
//   - RCPPS/RCPSS/RSQRTPS/RSQRTSS: relative error at most 1.5 * 2^-12 from the exact
//     value, so two conforming results differ by at most 3 * 2^-12 relative (Intel and
//     AMD use different tables; this host may be either).

import type { CpuResult } from '../native/case.js';

const TRANSCENDENTAL = new Set(['F2xm1', 'Fyl2x', 'Fyl2xp1', 'Fsin', 'Fcos', 'Fsincos', 'Fptan', 'Fpatan']);
const APPROXIMATE = new Set(['Rcpps', 'Rcpss', 'Rsqrtps', 'Rsqrtss']);

function f80Key(v: Uint8Array): bigint {
  const dv = new DataView(v.buffer, v.byteOffset, 10);
  return (BigInt(dv.getUint16(8, true)) << 64n) | dv.getBigUint64(0, true);
}

/**
 * Position of a finite 80-bit value among the values of its sign, one step per ulp,
 * denormals included (the largest denormal and the smallest normal are neighbours; a
 * pseudo-denormal sits where the normal of the same value does); undefined for
 * infinities, NaNs and unnormals.
 */
function ordinal(k: bigint): bigint | undefined {
  const exp = (k >> 64n) & 0x7fffn, sig = k & 0xffffffffffffffffn;
  if (exp === 0x7fffn) return undefined;
  if (exp === 0n) return sig;
  if (sig < 1n << 63n) return undefined;
  return (exp - 1n) * (1n << 63n) + sig;
}

/** Neighbouring (or equal) finite 80-bit values of one sign. */
function within1Ulp(a: Uint8Array, b: Uint8Array): boolean {
  const ka = f80Key(a), kb = f80Key(b);
  if ((ka >> 79n) !== (kb >> 79n)) return false;
  const oa = ordinal(ka), ob = ordinal(kb);
  if (oa === undefined || ob === undefined) return false;
  return oa - ob <= 1n && ob - oa <= 1n;
}

export function applyTolerance(mnemonic: string, cpu: CpuResult, emu: CpuResult): void {
  if (TRANSCENDENTAL.has(mnemonic)) {
    // C1 reports the rounding direction of a result the SDM lets differ by 1 ulp: never compared.
    emu.x87.status = (emu.x87.status & ~0x200) | (cpu.x87.status & 0x200);
    for (let i = 0; i < 8; i++) {
      if (cpu.x87.st[i] && emu.x87.st[i] && within1Ulp(cpu.x87.st[i]!, emu.x87.st[i]!) && f80Key(cpu.x87.st[i]!) !== f80Key(emu.x87.st[i]!)) {
        emu.x87.st[i] = cpu.x87.st[i]!.slice();
      }
    }
  }
  if (APPROXIMATE.has(mnemonic)) {
    for (let x = 0; x < 16; x++) {
      const a = new DataView(cpu.xmm[x]!.buffer, cpu.xmm[x]!.byteOffset, 16);
      const b = new DataView(emu.xmm[x]!.buffer, emu.xmm[x]!.byteOffset, 16);
      for (let lane = 0; lane < 4; lane++) {
        const va = a.getFloat32(4 * lane, true), vb = b.getFloat32(4 * lane, true);
        if (a.getUint32(4 * lane, true) === b.getUint32(4 * lane, true)) continue;
        if (Number.isFinite(va) && Number.isFinite(vb) && va !== 0 && Math.sign(va) === Math.sign(vb)
          && Math.abs(va - vb) <= 3 * 2 ** -12 * Math.abs(va)) b.setUint32(4 * lane, a.getUint32(4 * lane, true), true);
      }
    }
  }
}

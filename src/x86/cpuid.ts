// What CPUID reports: exactly the features wexe's engines implement, nothing more, so
// a guest that dispatches on CPUID (the CRT's memcpy, math libraries) picks code paths
// we can run. No AVX, no OSXSAVE/XSAVE: programs then never touch YMM state.

export const CPUID_VENDOR = 'GenuineIntel';
export const CPUID_BRAND = 'wexe virtual x86-64 CPU (interpreter/JIT)';

/** Highest basic and extended leaves we answer. */
export const CPUID_MAX_BASIC = 0x7;
export const CPUID_MAX_EXTENDED = 0x80000004;

/** Leaf 1 EDX: FPU, TSC, CX8, CMOV, FXSR, SSE, SSE2. */
export const LEAF1_EDX = (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 24) | (1 << 25) | (1 << 26);
/** Leaf 1 ECX: SSE3, SSSE3, CX16, SSE4.1, POPCNT. */
export const LEAF1_ECX = (1 << 0) | (1 << 9) | (1 << 13) | (1 << 19) | (1 << 23);
/**
 * Leaf 1 EAX: family 6, model 0x17, stepping 10 (a Penryn-class signature, the
 * generation that had SSE4.1 but neither SSE4.2 nor AVX, which matches our set).
 */
export const LEAF1_EAX = 0x0001067a;
/** Leaf 1 EBX: CLFLUSH line size 8 x 8 = 64 bytes, one logical processor, APIC id 0. */
export const LEAF1_EBX = 0x00010800;
/** Leaf 0x80000001 ECX: LAHF/SAHF in 64-bit mode, ABM (LZCNT). */
export const EXT1_ECX = (1 << 0) | (1 << 5);
/** Leaf 0x80000001 EDX: long mode. */
export const EXT1_EDX = 1 << 29;

/** The string's bytes as little-endian dwords, NUL-padded (the brand string is at most 47 chars + NUL). */
function dwordsOf(s: string, count: number): number[] {
  const bytes = new Uint8Array(count * 4);
  for (let i = 0; i < s.length && i < bytes.length; i++) bytes[i] = s.charCodeAt(i);
  const dv = new DataView(bytes.buffer);
  return Array.from({ length: count }, (_, i) => dv.getUint32(4 * i, true));
}

const VENDOR = dwordsOf(CPUID_VENDOR, 3); // EBX, EDX, ECX order in the string
const BRAND = dwordsOf(CPUID_BRAND, 12);

/** The CPUID result [EAX, EBX, ECX, EDX] for a leaf and subleaf (ECX input). */
export function cpuid(leaf: number, subleaf: number): [number, number, number, number] {
  void subleaf;
  switch (leaf >>> 0) {
    case 0: return [CPUID_MAX_BASIC, VENDOR[0]!, VENDOR[2]!, VENDOR[1]!];
    case 1: return [LEAF1_EAX, LEAF1_EBX, LEAF1_ECX >>> 0, LEAF1_EDX >>> 0];
    case 0x80000000: return [CPUID_MAX_EXTENDED, 0, 0, 0];
    case 0x80000001: return [0, 0, EXT1_ECX, EXT1_EDX >>> 0];
    case 0x80000002: case 0x80000003: case 0x80000004: {
      const i = 4 * ((leaf >>> 0) - 0x80000002);
      return [BRAND[i]!, BRAND[i + 1]!, BRAND[i + 2]!, BRAND[i + 3]!];
    }
    default: return [0, 0, 0, 0];
  }
}

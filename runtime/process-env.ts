// Process and thread structures the guest can see: PEB, TEB, process parameters,
// loader data, the environment block. Offsets are those of 64-bit Windows.

import type { GuestMemory } from '../src/mem/memory.js';
import { Prot } from '../src/mem/memory.js';

export const TebOff = {
  exceptionList: 0x00,
  stackBase: 0x08,
  stackLimit: 0x10,
  self: 0x30,
  environmentPointer: 0x38,
  processId: 0x40,
  threadId: 0x48,
  threadLocalStoragePointer: 0x58,
  peb: 0x60,
  lastError: 0x68,
  deallocationStack: 0x1478,
  tlsSlots: 0x1480, // 64 x 8
  tlsExpansionSlots: 0x1780,
  size: 0x1838,
} as const;

export const PebOff = {
  beingDebugged: 0x02,
  imageBaseAddress: 0x10,
  ldr: 0x18,
  processParameters: 0x20,
  processHeap: 0x30,
  numberOfProcessors: 0xb8,
  ntGlobalFlag: 0xbc,
  osMajorVersion: 0x118,
  osMinorVersion: 0x11c,
  osBuildNumber: 0x120,
  osPlatformId: 0x124,
  size: 0x380,
} as const;

export const TLS_MINIMUM_AVAILABLE = 64;

/** A bump allocator over one mapped region for process structures and their strings. */
export class StructArena {
  private top: number;
  constructor(private mem: GuestMemory, readonly base: number, readonly size: number) {
    mem.map(base, size, Prot.RW);
    this.top = base;
  }
  alloc(n: number, align = 16): number {
    const a = Math.ceil(this.top / align) * align;
    if (a + n > this.base + this.size) throw new Error('process structure arena exhausted');
    this.top = a + n;
    return a;
  }
  /** A UTF-16 string plus NUL; returns its address. */
  wstring(s: string): number {
    const a = this.alloc(2 * s.length + 2, 8);
    for (let i = 0; i < s.length; i++) this.mem.dv.setUint16(a + 2 * i, s.charCodeAt(i), true);
    return a;
  }
  /** Writes a UNICODE_STRING at `at` describing `s` (copied into the arena). */
  unicodeString(at: number, s: string): void {
    const buf = this.wstring(s);
    this.mem.dv.setUint16(at, 2 * s.length, true);
    this.mem.dv.setUint16(at + 2, 2 * s.length + 2, true);
    this.mem.pokePtr(at + 8, buf);
  }
}

export interface PebInputs {
  imageBase: number;
  imagePath: string; // guest path, e.g. C:\prog.exe
  imageSize: number;
  entryPoint: number;
  commandLine: string;
  currentDirectory: string;
  environmentBlock: Uint8Array; // UTF-16 "A=B\0C=D\0\0"
  processHeap: number;
}

/** Builds PEB, loader data and process parameters; returns the PEB address. */
export function buildPeb(mem: GuestMemory, arena: StructArena, inp: PebInputs): { peb: number; environment: number } {
  const peb = arena.alloc(PebOff.size, 4096);
  const dv = mem.dv;
  mem.pokePtr(peb + PebOff.imageBaseAddress, inp.imageBase);
  mem.pokePtr(peb + PebOff.processHeap, inp.processHeap);
  dv.setUint32(peb + PebOff.numberOfProcessors, 1, true);
  dv.setUint32(peb + PebOff.osMajorVersion, 10, true);
  dv.setUint32(peb + PebOff.osMinorVersion, 0, true);
  dv.setUint16(peb + PebOff.osBuildNumber, 19045, true);
  dv.setUint32(peb + PebOff.osPlatformId, 2, true);

  const env = arena.alloc(inp.environmentBlock.length, 16);
  mem.u8.set(inp.environmentBlock, env);

  const params = arena.alloc(0x440, 16);
  dv.setUint32(params + 0x00, 0x440, true); // MaximumLength
  dv.setUint32(params + 0x04, 0x440, true); // Length
  dv.setUint32(params + 0x08, 1, true); // Flags: normalized
  arena.unicodeString(params + 0x38, inp.currentDirectory); // CurrentDirectory.DosPath
  arena.unicodeString(params + 0x60, inp.imagePath); // ImagePathName
  arena.unicodeString(params + 0x70, inp.commandLine); // CommandLine
  mem.pokePtr(params + 0x80, env); // Environment
  mem.pokePtr(params + 0x3f0, inp.environmentBlock.length); // EnvironmentSize
  mem.pokePtr(peb + PebOff.processParameters, params);

  // Loader data with one module (the executable) on all three lists.
  const ldr = arena.alloc(0x58, 16);
  const entry = arena.alloc(0x120, 16);
  dv.setUint32(ldr + 0x00, 0x58, true);
  dv.setUint8(ldr + 0x04, 1); // Initialized
  for (const [listOff, linkOff] of [[0x10, 0x00], [0x20, 0x10], [0x30, 0x20]] as const) {
    // Circular doubly-linked list: head <-> entry link.
    mem.pokePtr(ldr + listOff, entry + linkOff);
    mem.pokePtr(ldr + listOff + 8, entry + linkOff);
    mem.pokePtr(entry + linkOff, ldr + listOff);
    mem.pokePtr(entry + linkOff + 8, ldr + listOff);
  }
  mem.pokePtr(entry + 0x30, inp.imageBase);
  mem.pokePtr(entry + 0x38, inp.entryPoint);
  dv.setUint32(entry + 0x40, inp.imageSize, true);
  arena.unicodeString(entry + 0x48, inp.imagePath);
  arena.unicodeString(entry + 0x58, inp.imagePath.slice(inp.imagePath.lastIndexOf('\\') + 1));
  mem.pokePtr(peb + PebOff.ldr, ldr);
  return { peb, environment: env };
}

export interface TebInputs {
  peb: number;
  stackBase: number; // highest address + 1
  stackLimit: number; // lowest committed address
  deallocationStack: number; // lowest reserved address
  processId: number;
  threadId: number;
  tlsPointerArray: number;
}

export function buildTeb(mem: GuestMemory, arena: StructArena, inp: TebInputs): number {
  const teb = arena.alloc(TebOff.size, 4096);
  mem.pokePtr(teb + TebOff.exceptionList, 0);
  mem.pokePtr(teb + TebOff.stackBase, inp.stackBase);
  mem.pokePtr(teb + TebOff.stackLimit, inp.stackLimit);
  mem.pokePtr(teb + TebOff.self, teb);
  mem.pokePtr(teb + TebOff.processId, inp.processId);
  mem.pokePtr(teb + TebOff.threadId, inp.threadId);
  mem.pokePtr(teb + TebOff.threadLocalStoragePointer, inp.tlsPointerArray);
  mem.pokePtr(teb + TebOff.peb, inp.peb);
  mem.pokePtr(teb + TebOff.deallocationStack, inp.deallocationStack);
  return teb;
}

/** "A=B\0C=D\0\0" in UTF-16, sorted case-insensitively as Windows keeps it. */
export function environmentBlock(env: ReadonlyMap<string, string>): Uint8Array {
  const entries = [...env.entries()].sort(([a], [b]) => (a.toUpperCase() < b.toUpperCase() ? -1 : a.toUpperCase() > b.toUpperCase() ? 1 : 0));
  const text = entries.map(([k, v]) => `${k}=${v}\0`).join('') + '\0';
  const out = new Uint8Array(2 * text.length + (entries.length === 0 ? 2 : 0));
  const dv = new DataView(out.buffer);
  for (let i = 0; i < text.length; i++) dv.setUint16(2 * i, text.charCodeAt(i), true);
  return out;
}

// Where RUNTIME_FUNCTION entries come from: the exception directory (.pdata) of every
// image in the process, read from the mapped headers, and tables registered at run
// time with RtlAddFunctionTable. Lookups return guest addresses, as the API does.

import type { GuestMemory } from '../mem/memory.js';
import { GuestFault } from '../mem/fault.js';
import { RUNTIME_FUNCTION_SIZE, RUNTIME_FUNCTION_INDIRECT } from './layout.js';

interface ImageTable { base: number; size: number; pdata: number; count: number }
interface DynamicTable { table: number; count: number; base: number; lo: number; hi: number }

export interface FunctionEntryHit {
  /** Guest address of the RUNTIME_FUNCTION. */
  entry: number;
  imageBase: number;
}

const IMAGE_DIRECTORY_ENTRY_EXCEPTION = 3;

export class FunctionTables {
  private readonly images: ImageTable[] = [];
  private readonly dynamic: DynamicTable[] = [];

  constructor(private readonly mem: GuestMemory) {}

  /** Registers a mapped PE32+ image by its base; its .pdata is located through the headers. */
  addImage(base: number): void {
    const m = this.mem;
    const nt = base + m.read32(base + 0x3c);
    const opt = nt + 24;
    const size = m.read32(opt + 56);
    const dirCount = m.read32(opt + 108);
    let pdata = 0, count = 0;
    if (dirCount > IMAGE_DIRECTORY_ENTRY_EXCEPTION) {
      const rva = m.read32(opt + 112 + 8 * IMAGE_DIRECTORY_ENTRY_EXCEPTION);
      const bytes = m.read32(opt + 112 + 8 * IMAGE_DIRECTORY_ENTRY_EXCEPTION + 4);
      if (rva !== 0) { pdata = base + rva; count = Math.floor(bytes / RUNTIME_FUNCTION_SIZE); }
    }
    this.images.push({ base, size, pdata, count });
  }

  /** RtlAddFunctionTable: entries' RVAs are relative to `base`. */
  addTable(table: number, count: number, base: number): boolean {
    if (count === 0) return false;
    let lo = Infinity, hi = 0;
    for (let i = 0; i < count; i++) {
      const e = table + i * RUNTIME_FUNCTION_SIZE;
      lo = Math.min(lo, base + this.mem.read32(e));
      hi = Math.max(hi, base + this.mem.read32(e + 4));
    }
    this.dynamic.push({ table, count, base, lo, hi });
    return true;
  }

  deleteTable(table: number): boolean {
    const i = this.dynamic.findIndex((d) => d.table === table);
    if (i < 0) return false;
    this.dynamic.splice(i, 1);
    return true;
  }

  /** The image (static or dynamic-table base) that covers `pc`. */
  imageBaseOf(pc: number): number | undefined {
    for (const im of this.images) if (pc >= im.base && pc < im.base + im.size) return im.base;
    for (const d of this.dynamic) if (pc >= d.lo && pc < d.hi) return d.base;
    return undefined;
  }

  lookup(pc: number): FunctionEntryHit | undefined {
    try {
      for (const im of this.images) {
        if (pc < im.base || pc >= im.base + im.size) continue;
        const entry = this.search(im.pdata, im.count, im.base, pc);
        return entry === undefined ? undefined : { entry, imageBase: im.base };
      }
      for (const d of this.dynamic) {
        if (pc < d.lo || pc >= d.hi) continue;
        for (let i = 0; i < d.count; i++) {
          const e = d.table + i * RUNTIME_FUNCTION_SIZE;
          if (pc >= d.base + this.mem.read32(e) && pc < d.base + this.mem.read32(e + 4)) return { entry: this.resolve(e, d.base), imageBase: d.base };
        }
      }
    } catch (e) {
      if (e instanceof GuestFault) return undefined; // a table in unreadable memory covers nothing
      throw e;
    }
    return undefined;
  }

  /** Binary search of a sorted table. */
  private search(table: number, count: number, base: number, pc: number): number | undefined {
    const m = this.mem;
    const rva = pc - base;
    let lo = 0, hi = count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const e = table + mid * RUNTIME_FUNCTION_SIZE;
      if (rva < m.read32(e)) hi = mid - 1;
      else if (rva >= m.read32(e + 4)) lo = mid + 1;
      else return this.resolve(e, base);
    }
    return undefined;
  }

  /** An indirect entry (UnwindData bit 0 set) names the RUNTIME_FUNCTION to use. */
  private resolve(entry: number, base: number): number {
    const data = this.mem.read32(entry + 8);
    return data & RUNTIME_FUNCTION_INDIRECT ? base + data - 1 : entry;
  }
}

// Test doubles for the engines' callback interfaces: varargs as a list of slots, guest strings
// as a table keyed by fake pointers, %n stores and scanf stores recorded in arrays.
import type { PrintfArgs, PrintfResult } from '../../../../runtime/msvcrt/format/printf.js';
import { formatPrintf } from '../../../../runtime/msvcrt/format/printf.js';
import { doubleToBits } from '../../../../runtime/msvcrt/format/bits.js';

export type Arg = number | bigint | { double: number } | { bits: bigint } | { str: string } | { wstr: string } | { out: number };

export const dbl = (double: number): Arg => ({ double });
export const bitsArg = (bits: bigint): Arg => ({ bits });
export const str = (s: string): Arg => ({ str: s });
export const wstr = (s: string): Arg => ({ wstr: s });

export class FakeArgs implements PrintfArgs {
  private slots: bigint[] = [];
  private strings = new Map<bigint, { text: string; wide: boolean }>();
  readonly writes: { ptr: bigint; size: number; value: number }[] = [];
  private next = 0;

  constructor(args: Arg[]) {
    let fakePtr = 0x10000n;
    for (const a of args) {
      if (typeof a === 'number') this.slots.push(BigInt.asUintN(64, BigInt(a)));
      else if (typeof a === 'bigint') this.slots.push(BigInt.asUintN(64, a));
      else if ('double' in a) this.slots.push(doubleToBits(a.double));
      else if ('bits' in a) this.slots.push(a.bits);
      else if ('out' in a) this.slots.push(BigInt(a.out));
      else {
        fakePtr += 0x1000n;
        this.strings.set(fakePtr, 'str' in a ? { text: a.str, wide: false } : { text: a.wstr, wide: true });
        this.slots.push(fakePtr);
      }
    }
  }

  nextInt(): bigint {
    if (this.next >= this.slots.length) throw new Error('printf read more varargs than given');
    return this.slots[this.next++];
  }

  readString(ptr: bigint, wide: boolean, maxChars?: number): string {
    const s = this.strings.get(ptr);
    if (!s) throw new Error(`no string at ${ptr}`);
    if (s.wide !== wide) throw new Error(`string at ${ptr} read with the wrong width`);
    const end = s.text.indexOf('\0');
    const text = end >= 0 ? s.text.slice(0, end) : s.text;
    return maxChars === undefined ? text : text.slice(0, maxChars);
  }

  writeInt(ptr: bigint, size: number, value: number): void {
    this.writes.push({ ptr, size, value });
  }

  get consumed(): number {
    return this.next;
  }
}

export function narrowFormat(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export function wideFormat(s: string): Uint16Array {
  return Uint16Array.from(s, (c) => c.charCodeAt(0));
}

/** sprintf: the produced text, or -1 style failure marker. */
export function sprintf(format: string, ...args: Arg[]): string {
  const r: PrintfResult = formatPrintf(narrowFormat(format), new FakeArgs(args), false);
  return r.failed ? `<failed:${r.text}>` : r.text;
}

export function swprintf(format: string, ...args: Arg[]): string {
  const r = formatPrintf(wideFormat(format), new FakeArgs(args), true);
  return r.failed ? `<failed:${r.text}>` : r.text;
}

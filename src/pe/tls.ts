// TLS directory (IMAGE_TLS_DIRECTORY64). Its fields are VAs for the preferred base
// (and carry base relocations); they are kept here as RVAs so the loader can add its
// own base. The callback list is read from the file image, zero terminated.

import { PeFormatError, hex } from './errors.js';
import type { ImageView } from './image-view.js';
import type { DataDirectory, TlsDirectory } from './types.js';

const TLS_DIRECTORY_SIZE = 40;
const MAX_CALLBACKS = 1024;

export function parseTls(view: ImageView, dir: DataDirectory, imageBase: number): TlsDirectory | undefined {
  if (dir.rva === 0) return undefined;
  view.require(dir.rva, TLS_DIRECTORY_SIZE, 'TLS directory');
  const base = BigInt(imageBase);
  /** Converts a VA field to an RVA inside the image (0 stays 0 when allowed). */
  const rvaOf = (va: bigint, what: string, len: number, zeroAllowed: boolean): number => {
    if (va === 0n && zeroAllowed) return 0;
    const rva = va - base;
    if (rva < 0n || rva + BigInt(len) > BigInt(view.sizeOfImage)) {
      throw new PeFormatError(`TLS directory: ${what} ${hex(va)} is outside the image (${hex(imageBase)}-${hex(imageBase + view.sizeOfImage)})`);
    }
    return Number(rva);
  };
  const at = dir.rva;
  const startVa = view.u64(at, 'TLS directory');
  const endVa = view.u64(at + 8, 'TLS directory');
  const rawDataStartRva = rvaOf(startVa, 'StartAddressOfRawData', 0, true);
  const rawDataEndRva = rvaOf(endVa, 'EndAddressOfRawData', 0, true);
  if (rawDataEndRva < rawDataStartRva) {
    throw new PeFormatError(`TLS directory: EndAddressOfRawData ${hex(endVa)} is below StartAddressOfRawData ${hex(startVa)}`);
  }
  const indexRva = rvaOf(view.u64(at + 16, 'TLS directory'), 'AddressOfIndex', 4, true);
  const callbacksRva = rvaOf(view.u64(at + 24, 'TLS directory'), 'AddressOfCallBacks', 8, true);
  const sizeOfZeroFill = view.u32(at + 32, 'TLS directory');
  if (sizeOfZeroFill > view.sizeOfImage) {
    throw new PeFormatError(`TLS directory: SizeOfZeroFill ${hex(sizeOfZeroFill)} is larger than the image`);
  }
  const callbacks: number[] = [];
  if (callbacksRva !== 0) {
    for (let i = 0; ; i++) {
      if (i >= MAX_CALLBACKS) throw new PeFormatError(`TLS callback array has more than ${MAX_CALLBACKS} entries`);
      const va = view.u64(callbacksRva + 8 * i, 'TLS callback array');
      if (va === 0n) break;
      callbacks.push(rvaOf(va, `callback ${i}`, 1, false));
    }
  }
  return {
    rawDataStartRva, rawDataEndRva, indexRva, callbacksRva, callbacks, sizeOfZeroFill,
    characteristics: view.u32(at + 36, 'TLS directory'),
  };
}

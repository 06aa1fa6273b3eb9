// Reads the few PE facts the CLI tests check `wexe info` and crash reports against,
// straight from the file bytes with the offsets of the PE specification. It shares no
// code with src/pe, so it is an independent witness.

export interface RawSection { name: string; rva: number; virtualSize: number; rawOffset: number; rawSize: number; characteristics: number }

export interface RawPE {
  entryRva: number;
  imageBase: bigint;
  sections: RawSection[];
  /** Imported function names (or "#ordinal") per DLL, in file order. */
  imports: { dll: string; functions: string[] }[];
  /** Relocation entries other than IMAGE_REL_BASED_ABSOLUTE padding. */
  relocationCount: number;
  /** TLS callback VAs (at the file's image base). */
  tlsCallbacks: bigint[];
  /** File offset of an RVA. */
  fileOffset(rva: number): number;
}

export function readRawPE(file: Uint8Array): RawPE {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const nt = dv.getUint32(0x3c, true);
  const sectionCount = dv.getUint16(nt + 6, true);
  const optSize = dv.getUint16(nt + 20, true);
  const opt = nt + 24;
  const dir = (i: number) => ({ rva: dv.getUint32(opt + 112 + 8 * i, true), size: dv.getUint32(opt + 112 + 8 * i + 4, true) });
  const cstr = (off: number): string => {
    let s = '';
    while (file[off] !== 0) s += String.fromCharCode(file[off++]!);
    return s;
  };
  const sections: RawSection[] = [];
  for (let i = 0; i < sectionCount; i++) {
    const h = opt + optSize + 40 * i;
    let name = '';
    for (let j = 0; j < 8 && file[h + j] !== 0; j++) name += String.fromCharCode(file[h + j]!);
    // "/N": a long name at offset N of the COFF string table, which follows the symbol table.
    if (name.startsWith('/')) name = cstr(dv.getUint32(nt + 12, true) + 18 * dv.getUint32(nt + 16, true) + Number(name.slice(1)));
    sections.push({
      name, virtualSize: dv.getUint32(h + 8, true), rva: dv.getUint32(h + 12, true), rawSize: dv.getUint32(h + 16, true),
      rawOffset: dv.getUint32(h + 20, true), characteristics: dv.getUint32(h + 36, true),
    });
  }
  const fileOffset = (rva: number): number => {
    for (const s of sections) if (rva >= s.rva && rva < s.rva + s.rawSize) return s.rawOffset + (rva - s.rva);
    throw new Error(`rva 0x${rva.toString(16)} is not backed by the file`);
  };

  const imports: RawPE['imports'] = [];
  const imp = dir(1);
  if (imp.rva) {
    for (let d = fileOffset(imp.rva); dv.getUint32(d + 12, true) !== 0; d += 20) {
      const functions: string[] = [];
      const lookup = dv.getUint32(d, true) || dv.getUint32(d + 16, true);
      for (let t = fileOffset(lookup); ; t += 8) {
        const v = dv.getBigUint64(t, true);
        if (v === 0n) break;
        functions.push(v >> 63n ? `#${Number(v & 0xffffn)}` : cstr(fileOffset(Number(v & 0x7fffffffn)) + 2));
      }
      imports.push({ dll: cstr(fileOffset(dv.getUint32(d + 12, true))), functions });
    }
  }

  let relocationCount = 0;
  const rel = dir(5);
  for (let o = rel.rva ? fileOffset(rel.rva) : 0, end = o + rel.size; rel.rva && o < end;) {
    const size = dv.getUint32(o + 4, true);
    for (let e = o + 8; e < o + size; e += 2) if (dv.getUint16(e, true) >> 12 !== 0) relocationCount++;
    o += size;
  }

  const imageBase = dv.getBigUint64(opt + 24, true);
  const tlsCallbacks: bigint[] = [];
  const tls = dir(9);
  if (tls.rva) {
    const list = dv.getBigUint64(fileOffset(tls.rva) + 24, true);
    if (list) for (let p = fileOffset(Number(list - imageBase)); dv.getBigUint64(p, true) !== 0n; p += 8) tlsCallbacks.push(dv.getBigUint64(p, true));
  }
  return { entryRva: dv.getUint32(opt + 16, true), imageBase, sections, imports, relocationCount, tlsCallbacks, fileOffset };
}

/** Section characteristics as `wexe info` prints protections. */
export function protOf(characteristics: number): string {
  return `${characteristics & 0x40000000 ? 'r' : '-'}${characteristics & 0x80000000 ? 'w' : '-'}${characteristics & 0x20000000 ? 'x' : '-'}`;
}

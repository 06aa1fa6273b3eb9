// A small PE32+ writer for tests: builds a valid image from a declarative spec, laid
// out the way MinGW's linker does it (headers, user sections, then generated .rdata
// (TLS), .idata, .edata, .pdata, .rsrc and .reloc). It records where each structure
// landed so tests can corrupt exactly one field.
//
// Written from the PE format specification; it shares no code with src/pe, so the
// parser is checked against an independent encoder.

export const SCN = {
  CODE: 0x20, IDATA: 0x40, UDATA: 0x80, EXECUTE: 0x20000000, READ: 0x40000000, WRITE: 0x80000000,
} as const;
export const TEXT = SCN.CODE | SCN.EXECUTE | SCN.READ;
export const DATA = SCN.IDATA | SCN.READ | SCN.WRITE;
export const RDATA = SCN.IDATA | SCN.READ;
export const BSS = SCN.UDATA | SCN.READ | SCN.WRITE;

export interface Location { section: string; offset: number }

export interface SectionSpec {
  name: string;
  data?: Uint8Array;
  /** Virtual size; defaults to the data length. */
  virtualSize?: number;
  characteristics: number;
}

export type ImportName = string | number | { name: string; hint: number };
export interface ImportSpec { dll: string; functions: ImportName[] }

export interface PointerSpec { at: Location; to: Location; type: 'dir64' | 'highlow' }

export interface TlsSpec {
  templateStart: Location;
  templateEnd: Location;
  index: Location;
  callbacks: Location[];
  zeroFill?: number;
}

export interface ExportSpec {
  dllName: string;
  ordinalBase?: number;
  /** A Location exports code or data; a string is a forwarder ("OTHER.Func"). */
  functions: { name?: string; target: Location | string }[];
}

export interface ResourceNodeSpec {
  id: number | string;
  children?: ResourceNodeSpec[];
  data?: Uint8Array;
  codePage?: number;
}

export interface RuntimeFunctionSpec { begin: Location; end: Location; unwind: Location }

export interface PeSpec {
  imageBase?: bigint;
  sectionAlignment?: number;
  fileAlignment?: number;
  subsystem?: number;
  dllCharacteristics?: number;
  characteristics?: number;
  stackReserve?: bigint;
  stackCommit?: bigint;
  heapReserve?: bigint;
  heapCommit?: bigint;
  entry?: Location;
  sections: SectionSpec[];
  imports?: ImportSpec[];
  delayImports?: ImportSpec[];
  pointers?: PointerSpec[];
  /** Emit a .reloc section even when there are no pointers (an empty but present directory). */
  forceRelocSection?: boolean;
  tls?: TlsSpec;
  exports?: ExportSpec;
  runtimeFunctions?: RuntimeFunctionSpec[];
  resources?: ResourceNodeSpec[];
  /** Number of (zeroed) debug directory entries to declare inside .rdata. */
  debugEntries?: number;
}

export interface BuiltSection { name: string; rva: number; virtualSize: number; fileOffset: number; rawSize: number; headerOffset: number }

export interface BuiltPE {
  bytes: Uint8Array;
  imageBase: bigint;
  sizeOfImage: number;
  sections: BuiltSection[];
  /** File offsets of header structures. */
  ntHeader: number;
  fileHeader: number;
  optionalHeader: number;
  sectionTable: number;
  /** RVAs of generated structures, by name (e.g. "import.descriptors", "import.name.puts", "reloc", "tls", "export", "rsrc"). */
  marks: Map<string, number>;
  /** Relocation sites (RVA, type) in the order written. */
  relocations: { rva: number; type: 'dir64' | 'highlow' }[];
  rva(loc: Location): number;
  fileOffset(rva: number): number;
  section(name: string): BuiltSection;
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** A growable little-endian byte buffer. */
class Bytes {
  buf = new Uint8Array(256);
  len = 0;
  private ensure(n: number) {
    if (n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(n, this.buf.length * 2));
    next.set(this.buf);
    this.buf = next;
  }
  at(offset: number, width: number) { this.ensure(offset + width); this.len = Math.max(this.len, offset + width); return new DataView(this.buf.buffer, offset, width); }
  u8(o: number, v: number) { this.at(o, 1).setUint8(0, v); }
  u16(o: number, v: number) { this.at(o, 2).setUint16(0, v, true); }
  u32(o: number, v: number) { this.at(o, 4).setUint32(0, v >>> 0, true); }
  u64(o: number, v: bigint) { this.at(o, 8).setBigUint64(0, BigInt.asUintN(64, v), true); }
  bytes(o: number, b: Uint8Array) { this.ensure(o + b.length); this.buf.set(b, o); this.len = Math.max(this.len, o + b.length); }
  ascii(o: number, s: string) { for (let i = 0; i < s.length; i++) this.u8(o + i, s.charCodeAt(i)); this.u8(o + s.length, 0); }
  alloc(n: number, alignment = 1): number { const o = align(this.len, alignment); this.at(o, Math.max(n, 1)); this.len = o + n; return o; }
  done(): Uint8Array { return this.buf.slice(0, this.len); }
}

interface GeneratedSection {
  name: string;
  characteristics: number;
  build(rva: number): { data: Uint8Array; directories?: [number, number, number][] };
}

export function buildPE(spec: PeSpec): BuiltPE {
  const imageBase = spec.imageBase ?? 0x1_4000_0000n;
  const sectionAlignment = spec.sectionAlignment ?? 0x1000;
  const fileAlignment = spec.fileAlignment ?? 0x200;
  const marks = new Map<string, number>();
  const relocations: { rva: number; type: 'dir64' | 'highlow' }[] = [];
  const directories: [number, number][] = Array.from({ length: 16 }, () => [0, 0]);

  // ---- user sections first: their RVAs are needed by everything generated ----------
  const generated: GeneratedSection[] = [];
  const userData = spec.sections.map((s) => new Bytes());
  spec.sections.forEach((s, i) => { if (s.data) userData[i]!.bytes(0, s.data); });
  const rvaOfSection = new Map<string, number>();

  const sectionCountGuess = spec.sections.length + 6;
  const headerBytes = 0x80 + 4 + 20 + 240 + 40 * sectionCountGuess;
  const sizeOfHeaders = align(headerBytes, fileAlignment);
  let nextRva = align(sizeOfHeaders, sectionAlignment);
  spec.sections.forEach((s, i) => {
    rvaOfSection.set(s.name, nextRva);
    const vsize = s.virtualSize ?? s.data?.length ?? 0;
    nextRva += align(Math.max(vsize, 1), sectionAlignment);
  });
  const rva = (loc: Location) => {
    const base = rvaOfSection.get(loc.section);
    if (base === undefined) throw new Error(`build-pe: no section ${loc.section}`);
    return base + loc.offset;
  };
  const userIndex = (name: string) => spec.sections.findIndex((s) => s.name === name);

  for (const p of spec.pointers ?? []) {
    const target = imageBase + BigInt(rva(p.to));
    const buf = userData[userIndex(p.at.section)]!;
    if (p.type === 'dir64') buf.u64(p.at.offset, target);
    else buf.u32(p.at.offset, Number(target & 0xffff_ffffn));
    relocations.push({ rva: rva(p.at), type: p.type });
  }

  // ---- generated sections, in MinGW's order -------------------------------------------
  if (spec.tls || spec.debugEntries) {
    generated.push({
      name: '.rdata', characteristics: RDATA,
      build(base) {
        const b = new Bytes();
        const dirs: [number, number, number][] = [];
        if (spec.tls) {
          const t = spec.tls;
          const va = (loc: Location) => imageBase + BigInt(rva(loc));
          const dir = b.alloc(40, 8);
          const cbs = b.alloc(8 * (t.callbacks.length + 1), 8);
          b.u64(dir, va(t.templateStart));
          b.u64(dir + 8, va(t.templateEnd));
          b.u64(dir + 16, va(t.index));
          b.u64(dir + 24, imageBase + BigInt(base + cbs));
          b.u32(dir + 32, t.zeroFill ?? 0);
          for (let i = 0; i < 4; i++) relocations.push({ rva: base + dir + 8 * i, type: 'dir64' });
          t.callbacks.forEach((c, i) => { b.u64(cbs + 8 * i, va(c)); relocations.push({ rva: base + cbs + 8 * i, type: 'dir64' }); });
          marks.set('tls', base + dir);
          marks.set('tls.callbacks', base + cbs);
          dirs.push([9, base + dir, 40]);
        }
        if (spec.debugEntries) {
          const dbg = b.alloc(28 * spec.debugEntries, 4);
          dirs.push([6, base + dbg, 28 * spec.debugEntries]);
        }
        return { data: b.done(), directories: dirs };
      },
    });
  }

  if (spec.imports?.length || spec.delayImports?.length) {
    generated.push({
      name: '.idata', characteristics: DATA,
      build(base) {
        const b = new Bytes();
        const dirs: [number, number, number][] = [];
        const imports = spec.imports ?? [];
        const delay = spec.delayImports ?? [];
        const desc = b.alloc(20 * (imports.length + 1), 4);
        const ddesc = delay.length ? b.alloc(32 * (delay.length + 1), 4) : 0;
        const writeTables = (dll: ImportSpec, prefix: string) => {
          const lookup = b.alloc(8 * (dll.functions.length + 1), 8);
          const iat = b.alloc(8 * (dll.functions.length + 1), 8);
          dll.functions.forEach((f, i) => {
            let thunk: bigint;
            if (typeof f === 'number') thunk = (1n << 63n) | BigInt(f);
            else {
              const name = typeof f === 'string' ? f : f.name;
              const hint = typeof f === 'string' ? i : f.hint;
              const at = b.alloc(2 + name.length + 1, 2);
              b.u16(at, hint);
              b.ascii(at + 2, name);
              marks.set(`${prefix}.name.${name}`, base + at + 2);
              thunk = BigInt(base + at);
            }
            b.u64(lookup + 8 * i, thunk);
            b.u64(iat + 8 * i, thunk);
          });
          const name = b.alloc(dll.dll.length + 1);
          b.ascii(name, dll.dll);
          marks.set(`${prefix}.dll.${dll.dll}`, base + name);
          marks.set(`${prefix}.iat.${dll.dll}`, base + iat);
          marks.set(`${prefix}.ilt.${dll.dll}`, base + lookup);
          return { lookup, iat, name };
        };
        imports.forEach((dll, i) => {
          const t = writeTables(dll, 'import');
          b.u32(desc + 20 * i, base + t.lookup);
          b.u32(desc + 20 * i + 12, base + t.name);
          b.u32(desc + 20 * i + 16, base + t.iat);
        });
        delay.forEach((dll, i) => {
          const t = writeTables(dll, 'delay');
          const hmod = b.alloc(8, 8);
          const d = ddesc + 32 * i;
          b.u32(d, 1);
          b.u32(d + 4, base + t.name);
          b.u32(d + 8, base + hmod);
          b.u32(d + 12, base + t.iat);
          b.u32(d + 16, base + t.lookup);
          marks.set(`delay.hmod.${dll.dll}`, base + hmod);
        });
        if (imports.length) { dirs.push([1, base + desc, 20 * (imports.length + 1)]); marks.set('import.descriptors', base + desc); }
        if (delay.length) { dirs.push([13, base + ddesc, 32 * (delay.length + 1)]); marks.set('delay.descriptors', base + ddesc); }
        return { data: b.done(), directories: dirs };
      },
    });
  }

  if (spec.exports) {
    const ex = spec.exports;
    generated.push({
      name: '.edata', characteristics: RDATA,
      build(base) {
        const b = new Bytes();
        const dir = b.alloc(40, 4);
        const n = ex.functions.length;
        const named = ex.functions.map((f, i) => ({ name: f.name, i })).filter((f): f is { name: string; i: number } => f.name !== undefined)
          .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
        const eat = b.alloc(4 * n, 4);
        const names = b.alloc(4 * named.length, 4);
        const ords = b.alloc(2 * named.length, 2);
        const dllName = b.alloc(ex.dllName.length + 1);
        b.ascii(dllName, ex.dllName);
        ex.functions.forEach((f, i) => {
          if (typeof f.target === 'string') {
            const s = b.alloc(f.target.length + 1);
            b.ascii(s, f.target);
            b.u32(eat + 4 * i, base + s);
          } else b.u32(eat + 4 * i, rva(f.target));
        });
        named.forEach((f, j) => {
          const s = b.alloc(f.name.length + 1);
          b.ascii(s, f.name);
          b.u32(names + 4 * j, base + s);
          b.u16(ords + 2 * j, f.i);
        });
        b.u32(dir + 12, base + dllName);
        b.u32(dir + 16, ex.ordinalBase ?? 1);
        b.u32(dir + 20, n);
        b.u32(dir + 24, named.length);
        b.u32(dir + 28, base + eat);
        b.u32(dir + 32, base + names);
        b.u32(dir + 36, base + ords);
        marks.set('export', base + dir);
        marks.set('export.ordinals', base + ords);
        const data = b.done();
        return { data, directories: [[0, base + dir, data.length]] };
      },
    });
  }

  if (spec.runtimeFunctions?.length) {
    const fns = spec.runtimeFunctions;
    generated.push({
      name: '.pdata', characteristics: RDATA,
      build(base) {
        const b = new Bytes();
        fns.forEach((f, i) => { b.u32(12 * i, rva(f.begin)); b.u32(12 * i + 4, rva(f.end)); b.u32(12 * i + 8, rva(f.unwind)); });
        marks.set('pdata', base);
        return { data: b.done(), directories: [[3, base, 12 * fns.length]] };
      },
    });
  }

  if (spec.resources?.length) {
    const roots = spec.resources;
    generated.push({
      name: '.rsrc', characteristics: RDATA,
      build(base) { const r = buildResources(roots, base, marks); marks.set('rsrc', base); return { data: r, directories: [[2, base, r.length]] }; },
    });
  }

  if (relocations.length || spec.forceRelocSection || spec.tls) {
    generated.push({
      name: '.reloc', characteristics: RDATA | 0x02000000,
      build(base) {
        const b = new Bytes();
        const sorted = relocations.slice().sort((x, y) => x.rva - y.rva);
        const pages = new Map<number, typeof sorted>();
        for (const r of sorted) {
          const page = r.rva & ~0xfff;
          const list = pages.get(page) ?? [];
          list.push(r);
          pages.set(page, list);
        }
        let o = 0;
        for (const [page, list] of pages) {
          const count = list.length + (list.length % 2); // pad with ABSOLUTE to a 4-byte boundary
          b.u32(o, page);
          b.u32(o + 4, 8 + 2 * count);
          list.forEach((r, i) => b.u16(o + 8 + 2 * i, ((r.type === 'dir64' ? 10 : 3) << 12) | (r.rva & 0xfff)));
          if (list.length % 2) b.u16(o + 8 + 2 * list.length, 0);
          o += 8 + 2 * count;
        }
        marks.set('reloc', base);
        return { data: b.done(), directories: [[5, base, o]] };
      },
    });
  }

  // Generated sections are built in order; each sees its own RVA. The .reloc builder runs
  // last, after TLS has added its relocations.
  const genOut: { name: string; characteristics: number; data: Uint8Array }[] = [];
  for (const g of generated) {
    const base = nextRva;
    const out = g.build(base);
    for (const [index, r, size] of out.directories ?? []) directories[index] = [r, size];
    rvaOfSection.set(g.name, base);
    genOut.push({ name: g.name, characteristics: g.characteristics, data: out.data });
    nextRva += align(Math.max(out.data.length, 1), sectionAlignment);
  }

  // ---- assemble the file ----------------------------------------------------------------
  const all = [
    ...spec.sections.map((s, i) => ({ name: s.name, characteristics: s.characteristics, data: s.data ? userData[i]!.done() : new Uint8Array(0), virtualSize: s.virtualSize })),
    ...genOut.map((g) => ({ ...g, virtualSize: undefined as number | undefined })),
  ];
  if (all.length > sectionCountGuess) throw new Error('build-pe: too many sections');
  const f = new Bytes();
  f.u16(0, 0x5a4d);
  f.u32(0x3c, 0x80);
  const nt = 0x80;
  f.u32(nt, 0x4550);
  const fh = nt + 4;
  const oh = fh + 20;
  const st = oh + 240;
  f.u16(fh, 0x8664);
  f.u16(fh + 2, all.length);
  f.u16(fh + 16, 240);
  f.u16(fh + 18, spec.characteristics ?? 0x0022);

  let fileOffset = sizeOfHeaders;
  const built: BuiltSection[] = [];
  const longNames: string[] = [];
  all.forEach((s, i) => {
    const secRva = rvaOfSection.get(s.name)!;
    const vsize = s.virtualSize ?? s.data.length;
    const rawSize = align(s.data.length, fileAlignment);
    const h = st + 40 * i;
    if (s.name.length > 8) { longNames.push(s.name); f.ascii(h, '/0'); } else f.ascii(h, s.name);
    f.u32(h + 8, vsize);
    f.u32(h + 12, secRva);
    f.u32(h + 16, rawSize);
    f.u32(h + 20, rawSize ? fileOffset : 0);
    f.u32(h + 36, s.characteristics);
    if (rawSize) f.bytes(fileOffset, s.data);
    built.push({ name: s.name, rva: secRva, virtualSize: vsize, fileOffset: rawSize ? fileOffset : 0, rawSize, headerOffset: h });
    fileOffset += rawSize;
  });
  f.at(0, fileOffset); // pad the last section's raw data
  if (longNames.length) {
    // COFF string table with no symbols: a size dword, then NUL-terminated names.
    const table = fileOffset;
    let o = table + 4;
    longNames.forEach((name) => {
      const h = built.find((b) => b.name === name)!.headerOffset;
      f.bytes(h, new Uint8Array(8));
      f.ascii(h, `/${o - table}`);
      f.ascii(o, name);
      o += name.length + 1;
    });
    f.u32(table, o - table);
    f.u32(fh + 8, table);
  }
  const sizeOfImage = align(nextRva, sectionAlignment);

  f.u16(oh, 0x20b);
  f.u8(oh + 2, 2); f.u8(oh + 3, 40);
  f.u32(oh + 4, built.filter((s) => all.find((a) => a.name === s.name)!.characteristics & SCN.CODE).reduce((n, s) => n + s.rawSize, 0));
  f.u32(oh + 16, spec.entry ? rva(spec.entry) : 0);
  f.u32(oh + 20, built[0]?.rva ?? 0);
  f.u64(oh + 24, imageBase);
  f.u32(oh + 32, sectionAlignment);
  f.u32(oh + 36, fileAlignment);
  f.u16(oh + 40, 4);
  f.u16(oh + 48, 5); f.u16(oh + 50, 2);
  f.u32(oh + 56, sizeOfImage);
  f.u32(oh + 60, sizeOfHeaders);
  f.u16(oh + 68, spec.subsystem ?? 3);
  f.u16(oh + 70, spec.dllCharacteristics ?? 0x0160);
  f.u64(oh + 72, spec.stackReserve ?? 0x200000n);
  f.u64(oh + 80, spec.stackCommit ?? 0x1000n);
  f.u64(oh + 88, spec.heapReserve ?? 0x100000n);
  f.u64(oh + 96, spec.heapCommit ?? 0x1000n);
  f.u32(oh + 108, 16);
  directories.forEach(([r, size], i) => { f.u32(oh + 112 + 8 * i, r); f.u32(oh + 116 + 8 * i, size); });

  const bytes = f.done();
  const fileOffsetOf = (r: number) => {
    for (const s of built) if (r >= s.rva && r < s.rva + s.rawSize) return s.fileOffset + (r - s.rva);
    if (r < sizeOfHeaders) return r;
    throw new Error(`build-pe: RVA 0x${r.toString(16)} has no file bytes`);
  };
  return {
    bytes, imageBase, sizeOfImage, sections: built, ntHeader: nt, fileHeader: fh, optionalHeader: oh, sectionTable: st,
    marks, relocations, rva, fileOffset: fileOffsetOf,
    section(name) { const s = built.find((b) => b.name === name); if (!s) throw new Error(`build-pe: no section ${name}`); return s; },
  };
}

/** Serialises a resource tree: directories breadth first, then data entries, names and data. */
function buildResources(roots: ResourceNodeSpec[], base: number, marks: Map<string, number>): Uint8Array {
  const b = new Bytes();
  interface Dir { offset: number; entries: ResourceNodeSpec[] }
  const sortEntries = (e: ResourceNodeSpec[]) => [
    ...e.filter((x) => typeof x.id === 'string').sort((x, y) => String(x.id).localeCompare(String(y.id))),
    ...e.filter((x) => typeof x.id === 'number').sort((x, y) => Number(x.id) - Number(y.id)),
  ];
  const dirs: Dir[] = [];
  const queue: ResourceNodeSpec[][] = [sortEntries(roots)];
  const dirOffsetOf = new Map<ResourceNodeSpec[], number>();
  while (queue.length) {
    const entries = queue.shift()!;
    const offset = b.alloc(16 + 8 * entries.length, 4);
    dirOffsetOf.set(entries, offset);
    dirs.push({ offset, entries });
    for (const e of entries) if (e.children) { e.children = sortEntries(e.children); queue.push(e.children); }
  }
  const leaves: { at: number; node: ResourceNodeSpec }[] = [];
  for (const d of dirs) {
    b.u16(d.offset + 12, d.entries.filter((e) => typeof e.id === 'string').length);
    b.u16(d.offset + 14, d.entries.filter((e) => typeof e.id === 'number').length);
    d.entries.forEach((e, i) => {
      const at = d.offset + 16 + 8 * i;
      if (e.children) b.u32(at + 4, 0x8000_0000 | dirOffsetOf.get(e.children)!);
      else leaves.push({ at, node: e });
    });
  }
  for (const [i, l] of leaves.entries()) {
    const entry = b.alloc(16, 4);
    marks.set(`rsrc.data.${i}`, base + entry);
    b.u32(l.at + 4, entry);
    l.node.data ??= new Uint8Array(0);
  }
  for (const d of dirs) {
    d.entries.forEach((e, i) => {
      const at = d.offset + 16 + 8 * i;
      if (typeof e.id === 'string') {
        const s = b.alloc(2 + 2 * e.id.length, 2);
        b.u16(s, e.id.length);
        for (let k = 0; k < e.id.length; k++) b.u16(s + 2 + 2 * k, e.id.charCodeAt(k));
        b.u32(at, 0x8000_0000 | s);
      } else b.u32(at, e.id);
    });
  }
  for (const l of leaves) {
    const entry = new DataView(b.buf.buffer).getUint32(l.at + 4, true);
    const data = b.alloc(l.node.data!.length, 8);
    b.bytes(data, l.node.data!);
    b.u32(entry, base + data);
    b.u32(entry + 4, l.node.data!.length);
    b.u32(entry + 8, l.node.codePage ?? 0);
  }
  return b.done();
}

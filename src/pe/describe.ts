// describeImage: the readable report behind `wexe info`, in the spirit of
// `objdump -p` / `dumpbin /headers /imports`: headers, sections, imports (with an
// implemented/missing mark when the runtime's table is given), delay imports, exports,
// TLS, relocations, .pdata, resources and debug entries.

import {
  DIRECTORY_NAMES, DLL_CHARACTERISTIC_NAMES, FILE_CHARACTERISTIC_NAMES, MACHINE_NAMES, SUBSYSTEM_NAMES, flagNames,
} from './constants.js';
import { hex } from './errors.js';
import type { LoadedImage } from './loader.js';
import { RelocationType, SectionProt, isResourceLeaf, type ImportedDll, type PEImage, type ResourceDirectory } from './types.js';

/** Tells whether the runtime implements `fn` (a name or an ordinal) of the DLL with normalised name `dll`. */
export type ImplementedPredicate = (dll: string, fn: string | number) => boolean;

const RESOURCE_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'CURSOR', 2: 'BITMAP', 3: 'ICON', 4: 'MENU', 5: 'DIALOG', 6: 'STRING', 7: 'FONTDIR', 8: 'FONT',
  9: 'ACCELERATOR', 10: 'RCDATA', 11: 'MESSAGETABLE', 12: 'GROUP_CURSOR', 14: 'GROUP_ICON', 16: 'VERSION',
  17: 'DLGINCLUDE', 19: 'PLUGPLAY', 20: 'VXD', 21: 'ANICURSOR', 22: 'ANIICON', 23: 'HTML', 24: 'MANIFEST',
};

export function protString(prot: number): string {
  return `${prot & SectionProt.R ? 'r' : '-'}${prot & SectionProt.W ? 'w' : '-'}${prot & SectionProt.X ? 'x' : '-'}`;
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(22)}${value}`;
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 2))).join('')}`.trimEnd());
}

function leafCount(dir: ResourceDirectory): number {
  return dir.entries.reduce((n, e) => n + (isResourceLeaf(e.child) ? 1 : leafCount(e.child)), 0);
}

export function describeImage(pe: PEImage, loaded?: LoadedImage, isImplemented?: ImplementedPredicate): string {
  const fh = pe.fileHeader;
  const oh = pe.optionalHeader;
  const out: string[] = [];
  const sectionOf = (rva: number) => pe.sections.find((s) => rva >= s.virtualAddress && rva < s.virtualAddress + Math.max(s.virtualSize, 1))?.name;
  /** An RVA, with its address when the image is loaded. */
  const addr = (rva: number) => (loaded ? `${hex(rva)} (${hex(loaded.base + rva)})` : hex(rva));

  out.push(`${pe.name}: PE32+ ${fh.characteristics & 0x2000 ? 'DLL' : 'executable'}, x86-64, ${SUBSYSTEM_NAMES[oh.subsystem] ?? `subsystem ${oh.subsystem}`}`);
  out.push('', 'Headers');
  out.push(row('machine', `${hex(fh.machine)} (${MACHINE_NAMES[fh.machine] ?? 'unknown'})`));
  out.push(row('characteristics', `${hex(fh.characteristics)} ${flagNames(fh.characteristics, FILE_CHARACTERISTIC_NAMES).join(' ')}`.trimEnd()));
  out.push(row('time stamp', hex(fh.timeDateStamp)));
  out.push(row('linker version', oh.linkerVersion));
  out.push(row('subsystem', `${SUBSYSTEM_NAMES[oh.subsystem] ?? 'unknown'} (${oh.subsystem}), version ${oh.subsystemVersion}`));
  out.push(row('image base', loaded ? `${hex(oh.imageBase)}, loaded at ${hex(loaded.base)}${loaded.rebased ? ' (rebased)' : ''}` : hex(oh.imageBase)));
  const entrySection = sectionOf(pe.entryPointRva);
  out.push(row('entry point', pe.entryPointRva === 0 ? 'none' : `${addr(pe.entryPointRva)}${entrySection ? ` in ${entrySection}` : ''}`));
  out.push(row('size of image', hex(oh.sizeOfImage)));
  out.push(row('size of headers', hex(oh.sizeOfHeaders)));
  out.push(row('section alignment', hex(oh.sectionAlignment)));
  out.push(row('file alignment', hex(oh.fileAlignment)));
  out.push(row('dll characteristics', `${hex(oh.dllCharacteristics)} ${flagNames(oh.dllCharacteristics, DLL_CHARACTERISTIC_NAMES).join(' ')}`.trimEnd()));
  out.push(row('stack reserve/commit', `${hex(oh.sizeOfStackReserve)} / ${hex(oh.sizeOfStackCommit)}`));
  out.push(row('heap reserve/commit', `${hex(oh.sizeOfHeapReserve)} / ${hex(oh.sizeOfHeapCommit)}`));

  out.push('', `Sections (${pe.sections.length})`);
  out.push(...table([
    ['name', loaded ? 'address' : 'rva', 'vsize', 'file offset', 'raw size', 'prot'],
    ...pe.sections.map((s) => [
      s.name, hex(loaded ? loaded.base + s.virtualAddress : s.virtualAddress), hex(s.virtualSize),
      hex(s.pointerToRawData), hex(s.sizeOfRawData), protString(s.prot),
    ]),
  ]));

  const dirs = oh.dataDirectories.map((d, i) => ({ ...d, name: DIRECTORY_NAMES[i]! })).filter((d) => d.rva !== 0 || d.size !== 0);
  out.push('', `Data directories (${dirs.length})`);
  out.push(...table(dirs.map((d) => [d.name, hex(d.rva), hex(d.size)])));

  const describeImports = (title: string, dlls: readonly ImportedDll[]) => {
    const total = dlls.reduce((n, d) => n + d.functions.length, 0);
    let missing = 0;
    const body: string[] = [];
    for (const d of dlls) {
      body.push(`  ${d.dll}${d.dllKey !== d.dll.toLowerCase() ? ` (${d.dllKey})` : ''}`);
      const rows = d.functions.map((f) => {
        const fn = f.name ?? f.ordinal!;
        const label = f.name !== undefined ? f.name : `#${f.ordinal} (by ordinal)`;
        const cells = [`  ${label}`, f.hint !== undefined ? `hint ${f.hint}` : '', `IAT ${addr(f.iatRva)}`];
        if (isImplemented) {
          const ok = isImplemented(d.dllKey, fn);
          if (!ok) missing++;
          cells.push(ok ? 'implemented' : 'MISSING');
        }
        return cells;
      });
      body.push(...table(rows));
    }
    const summary = `${dlls.length} DLL${dlls.length === 1 ? '' : 's'}, ${total} function${total === 1 ? '' : 's'}${isImplemented ? `, ${missing} missing` : ''}`;
    out.push('', `${title} (${summary})`, ...body);
  };
  describeImports('Imports', pe.imports);
  if (pe.delayImports.length) describeImports('Delay-load imports', pe.delayImports);

  if (pe.exports) {
    const e = pe.exports;
    out.push('', `Exports (${e.dllName || 'unnamed'}, ${e.functions.length}, ordinal base ${e.ordinalBase})`);
    out.push(...table(e.functions.map((f) => [
      String(f.ordinal), f.name ?? '(no name)', f.forwarder !== undefined ? `-> ${f.forwarder}` : addr(f.rva),
    ])));
  }

  if (pe.tls) {
    const t = pe.tls;
    out.push('', 'TLS');
    out.push(row('template', `${addr(t.rawDataStartRva)}..${hex(t.rawDataEndRva)} (${t.rawDataEndRva - t.rawDataStartRva} bytes) + ${t.sizeOfZeroFill} zero bytes`));
    out.push(row('index slot', t.indexRva ? addr(t.indexRva) : 'none'));
    const callbacks = loaded?.tls ? loaded.tls.callbacks.map(hex) : t.callbacks.map(hex);
    out.push(row('callbacks', callbacks.length ? callbacks.join(', ') : 'none'));
  }

  const dir64 = pe.relocations.filter((r) => r.type === RelocationType.Dir64).length;
  const relocSummary = pe.relocatable
    ? `${pe.relocations.length} (${dir64} DIR64, ${pe.relocations.length - dir64} HIGHLOW)${loaded ? (loaded.rebased ? ', applied' : ', not needed') : ''}`
    : 'none (the image can only load at its base)';
  out.push('', 'Summary', row('base relocations', relocSummary));
  out.push(row('.pdata functions', String(pe.runtimeFunctions.length)));
  if (pe.resources) {
    const types = pe.resources.entries.map((e) => {
      const name = typeof e.id === 'string' ? `"${e.id}"` : RESOURCE_TYPE_NAMES[e.id] ?? `type ${e.id}`;
      return `${name} x${isResourceLeaf(e.child) ? 1 : leafCount(e.child)}`;
    });
    out.push(row('resources', types.join(', ')));
  } else out.push(row('resources', 'none'));
  out.push(row('debug entries', String(pe.debugEntryCount)));
  return out.join('\n') + '\n';
}

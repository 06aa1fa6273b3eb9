// The reference image most PE tests start from: every directory the loader handles,
// small enough to reason about byte by byte.

import { BSS, DATA, RDATA, TEXT, type PeSpec } from './build-pe.js';

export const TEXT_BYTES = Uint8Array.from({ length: 0x180 }, (_, i) => (i * 7 + 3) & 0xff);
export const TLS_TEMPLATE = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
export const VERSION_DATA = new TextEncoder().encode('version resource bytes');
export const CUSTOM_DATA = new TextEncoder().encode('custom');

export function sampleSpec(overrides: Partial<PeSpec> = {}): PeSpec {
  return {
    entry: { section: '.text', offset: 0x10 },
    sections: [
      { name: '.text', data: TEXT_BYTES, characteristics: TEXT },
      { name: '.data', data: new Uint8Array(0x100), characteristics: DATA },
      { name: '.tls', data: TLS_TEMPLATE, characteristics: DATA },
      { name: '.bss', virtualSize: 0x2345, characteristics: BSS },
      { name: '.debug_info', data: new Uint8Array(0x40).fill(0xdb), characteristics: RDATA | 0x02000000 },
    ],
    pointers: [
      { at: { section: '.data', offset: 0x10 }, to: { section: '.text', offset: 0x20 }, type: 'dir64' },
      { at: { section: '.data', offset: 0x18 }, to: { section: '.bss', offset: 0x1000 }, type: 'dir64' },
      { at: { section: '.data', offset: 0x20 }, to: { section: '.data', offset: 0x80 }, type: 'highlow' },
    ],
    imports: [
      { dll: 'KERNEL32.dll', functions: ['ExitProcess', { name: 'GetStdHandle', hint: 0x2a5 }] },
      { dll: 'msvcrt.dll', functions: ['printf', 'puts', 17] },
      { dll: 'api-ms-win-crt-stdio-l1-1-0', functions: ['__acrt_iob_func'] },
    ],
    delayImports: [{ dll: 'USER32.dll', functions: ['MessageBoxA', 5] }],
    tls: {
      templateStart: { section: '.tls', offset: 0 },
      templateEnd: { section: '.tls', offset: 16 },
      index: { section: '.data', offset: 0x40 },
      callbacks: [{ section: '.text', offset: 0x40 }, { section: '.text', offset: 0x50 }],
      zeroFill: 8,
    },
    exports: {
      dllName: 'sample.exe',
      ordinalBase: 5,
      functions: [
        { name: 'exported_fn', target: { section: '.text', offset: 0x60 } },
        { name: 'Forwarded', target: 'NTDLL.RtlFoo' },
        { target: { section: '.data', offset: 0x80 } },
      ],
    },
    runtimeFunctions: [
      { begin: { section: '.text', offset: 0x10 }, end: { section: '.text', offset: 0x40 }, unwind: { section: '.data', offset: 0xc0 } },
      { begin: { section: '.text', offset: 0x40 }, end: { section: '.text', offset: 0x58 }, unwind: { section: '.data', offset: 0xc8 } },
    ],
    resources: [
      { id: 16, children: [{ id: 1, children: [{ id: 0x409, data: VERSION_DATA, codePage: 1252 }] }] },
      { id: 'MYTYPE', children: [{ id: 'NAME', children: [{ id: 0, data: CUSTOM_DATA }] }] },
    ],
    debugEntries: 2,
    ...overrides,
  };
}

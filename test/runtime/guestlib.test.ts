// The builtin guest library (runtime/guestlib/wexert.dll): msvcrt's qsort and bsearch and
// the string scans (strlen, memcmp, strcmp, strncmp, strchr, memchr) and the block moves
// and fills (memcpy, memmove, memset, wmemcpy, wmemmove, wmemset) run as guest code
// mapped into every process, not as TypeScript natives. These tests check the committed
// DLL (its embedding, no imports, its fixed base, unwind data for the exports that call
// out), that imports and GetProcAddress resolve to its code, that a sort runs without
// going through any API thunk, and the string functions against the host's C library.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/api.js';
import { Layout } from '../../src/mem/layout.js';
import { CaptureHost } from '../../runtime/host-capture.js';
import { MSVCRT } from '../../runtime/msvcrt/index.js';
import { guestLibrary, guestLibraryImage } from '../../runtime/guestlib/index.js';
import { WEXERT_DLL_BASE64 } from '../../runtime/guestlib/wexert-dll.js';
import { sehState } from '../../src/seh/state.js';
import { makeGuest, api, REPO, SAMPLES, scratch, thunk } from './support/guest.js';
import { moduleHandle } from '../../runtime/modules.js';

test('wexert-dll.ts embeds exactly the committed wexert.dll', () => {
  const file = readFileSync(join(REPO, 'runtime/guestlib/wexert.dll'));
  assert.ok(Buffer.from(WEXERT_DLL_BASE64, 'base64').equals(file), 'run make -C runtime/guestlib');
});

/**
 * Exports that call out (comparators) or save registers (the block moves and fills keep
 * RDI/RSI, which `rep movsb` / `rep stosb` use, on the stack): they need unwind data, or a
 * fault inside them would unwind through a saved register as if it were the return
 * address. The others are leaf functions, which x64 unwinds without any.
 */
const CALLING_OUT = ['qsort', 'bsearch', 'memcpy', 'memmove', 'memset', 'wmemcpy', 'wmemmove', 'wmemset'];

test('wexert.dll: no imports, no entry point, Layout.builtinLibraryBase as its base, .pdata for the exports that call out', () => {
  const pe = guestLibraryImage();
  assert.deepEqual(pe.imports, []);
  assert.deepEqual(pe.delayImports, []);
  assert.equal(pe.entryPointRva, 0);
  assert.equal(pe.optionalHeader.imageBase, Layout.builtinLibraryBase);
  assert.equal(pe.tls, undefined);
  const exported = new Map((pe.exports?.functions ?? []).map((e) => [e.name, e.rva]));
  for (const name of MSVCRT.guest) {
    const rva = exported.get(name);
    assert.ok(rva !== undefined, `wexert.dll exports ${name}`);
    if (CALLING_OUT.includes(name)) assert.ok(pe.runtimeFunctions.some((f) => f.begin === rva), `${name} has unwind data`);
  }
});

const g = makeGuest({ exe: 'qsort.exe' });
after(() => g.dispose());

test('msvcrt qsort and bsearch resolve to wexert.dll code, through the IAT and GetProcAddress, with unwind data registered', () => {
  const { p, cp } = g;
  const lib = guestLibrary(p);
  assert.equal(lib.base, Layout.builtinLibraryBase);
  const msvcrt = cp.image.imports.find((d) => d.dllKey === 'msvcrt.dll')!;
  const dllName = scratch(p, 16);
  p.mem.writeCString(dllName, 'msvcrt.dll');
  const hmod = Number(api(p, 'kernel32.dll', 'GetModuleHandleA', dllName));
  for (const name of ['qsort', 'bsearch']) {
    const slot = msvcrt.functions.find((f) => f.name === name)!.iatSlot;
    const target = p.mem.readPtr(slot);
    assert.equal(target, lib.exports.find((e) => e.name === name)!.va, `IAT slot of ${name}`);
    assert.ok(lib.contains(target));
    const nameAt = scratch(p, 16);
    p.mem.writeCString(nameAt, name);
    assert.equal(Number(api(p, 'kernel32.dll', 'GetProcAddress', hmod, nameAt)), target, `GetProcAddress ${name}`);
    assert.equal(sehState(p).tables.lookup(target + 1)?.imageBase, lib.base, `${name} is in the function tables`);
  }
});

test('qsort.exe sorts and searches without a call through a thunk for qsort or bsearch', () => {
  for (const engine of ['interp', 'tiered'] as const) {
    const host = new CaptureHost();
    const calls: string[] = [];
    const r = run(join(SAMPLES, 'qsort.exe'), { engine, host, env: { PATH: 'C:\\windows' }, trace: (line) => calls.push(line) });
    assert.equal(r.ending.kind, 'exit');
    assert.ok(host.stdout.equals(readFileSync(join(SAMPLES, 'expected/qsort.stdout'))), `${engine}: output`);
    assert.ok(calls.some((l) => l.includes('msvcrt.dll!printf')), `${engine}: the trace sees API calls`);
    assert.deepEqual(calls.filter((l) => /qsort|bsearch/.test(l)), [], `${engine}: no thunk for qsort or bsearch`);
  }
});

// The string functions, run as guest code through the import resolution programs use,
// against their C definitions: every alignment and length near a word, bytes above
// 0x7f (compared unsigned), and strings that end on the last byte of a page whose next
// page is not committed (a word-at-a-time strlen must not read into it).
test('wexert.dll string functions: results as C defines them, no read past a terminator into the next page', () => {
  const { p } = g;
  const buf = scratch(p, 256);
  const other = scratch(p, 256);
  const call = (name: string, ...args: number[]): number => Number(api(p, 'msvcrt.dll', name, ...args));
  const sign = (v: number): number => Math.sign(Number(BigInt.asIntN(32, BigInt(v))));
  const cmp = (x: number[], y: number[], n: number, stopAtNul: boolean): number => {
    for (let i = 0; i < n; i++) {
      if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      if (stopAtNul && x[i] === 0) return 0;
    }
    return 0;
  };
  for (let offset = 0; offset < 16; offset++) {
    for (let len = 0; len < 40; len++) {
      const bytes = Array.from({ length: len }, (_, i) => 0x41 + ((i * 37 + offset) % 190)); // 0x41..0xfe, never 0
      p.mem.poke(buf + offset, Uint8Array.from([...bytes, 0, 0x55, 0x66]));
      assert.equal(call('strlen', buf + offset), len, `strlen offset ${offset} length ${len}`);
      const c = bytes[len >> 1] ?? 0;
      const at = bytes.indexOf(c);
      assert.equal(call('strchr', buf + offset, c | 0x100), at < 0 ? buf + offset + len : buf + offset + at, `strchr ${c}`);
      assert.equal(call('memchr', buf + offset, c, len), at < 0 || len === 0 ? 0 : buf + offset + at, `memchr ${c}`);
      // A copy differing in one byte (or equal, or a prefix).
      const y = [...bytes, 0];
      if (len > 0) y[(len * 7) % len] = (y[(len * 7) % len]! + 0x80) & 0xff || 1;
      p.mem.poke(other, Uint8Array.from(y));
      const x = [...bytes, 0];
      assert.equal(sign(call('memcmp', buf + offset, other, len)), cmp(x, y, len, false), `memcmp ${len}`);
      assert.equal(sign(call('strcmp', buf + offset, other)), cmp(x, y, len + 1, true), `strcmp ${len}`);
      assert.equal(sign(call('strncmp', buf + offset, other, len >> 1)), cmp(x, y, len >> 1, true), `strncmp ${len}`);
      assert.equal(call('strchr', buf + offset, 0), buf + offset + len, 'strchr finds the terminator');
    }
  }
  // The last bytes of a committed page whose next page is only reserved.
  const page = Number(api(p, 'kernel32.dll', 'VirtualAlloc', 0, 0x2000, 0x2000 /* MEM_RESERVE */, 4));
  assert.notEqual(page, 0);
  assert.notEqual(Number(api(p, 'kernel32.dll', 'VirtualAlloc', page, 0x1000, 0x1000 /* MEM_COMMIT */, 4)), 0);
  for (let len = 0; len < 12; len++) {
    const s = page + 0x1000 - 1 - len;
    p.mem.poke(s, Uint8Array.from([...Array<number>(len).fill(0x61), 0]));
    assert.equal(call('strlen', s), len, `strlen of ${len} bytes ending the page`);
    assert.equal(call('strchr', s, 0x62), 0);
  }
  // Unterminated up to the end of the committed page: an access violation, as for a byte loop.
  p.mem.poke(page + 0xff0, new Uint8Array(16).fill(0x61));
  assert.throws(() => call('strlen', page + 0xff0));
});

// memcpy and memmove (memcpy is memmove, as wexe's msvcrt always made it), memset and the
// wide forms against a host reference: overlapping ranges at distances on both sides of
// each strategy's boundaries (a forward rep movsb; from the end in word steps below 256
// bytes apart, in forward runs from 256 on), lengths around those of a word and a run.
test('wexert.dll memcpy, memmove, memset, wmemcpy, wmemmove, wmemset: results as C defines them, overlap included', () => {
  const { p } = g;
  const SIZE = 0x3000;
  const buf = scratch(p, SIZE);
  const call = (name: string, ...args: number[]): number => Number(api(p, 'msvcrt.dll', name, ...args));
  const fresh = (): Uint8Array => {
    const b = Uint8Array.from({ length: SIZE }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
    p.mem.poke(buf, b);
    return b;
  };
  const check = (ref: Uint8Array, what: string): void => {
    const got = p.mem.u8.subarray(buf, buf + SIZE);
    const at = ref.findIndex((v, i) => got[i] !== v);
    assert.equal(at, -1, `${what}: differs at offset ${at}`);
  };
  const base = 0x1000;
  for (const len of [0, 1, 7, 8, 9, 63, 255, 256, 257, 1000, 3000]) {
    for (const dist of [-300, -256, -255, -9, -8, -7, -1, 0, 1, 7, 8, 9, 255, 256, 257, 1000, 3000]) {
      if (base + dist < 0 || base + dist + len > SIZE || base + len > SIZE) continue;
      for (const name of ['memmove', 'memcpy']) {
        const ref = fresh();
        ref.copyWithin(base + dist, base, base + len);
        assert.equal(call(name, buf + base + dist, buf + base, len), buf + base + dist, `${name} returns dst`);
        check(ref, `${name} ${len} bytes by ${dist}`);
      }
      if (len % 2 === 0 && dist % 2 === 0) {
        for (const name of ['wmemmove', 'wmemcpy']) {
          const ref = fresh();
          ref.copyWithin(base + dist, base, base + len);
          assert.equal(call(name, buf + base + dist, buf + base, len / 2), buf + base + dist, `${name} returns dst`);
          check(ref, `${name} ${len / 2} characters by ${dist}`);
        }
      }
    }
    for (const off of [0, 1, 5]) {
      const ref = fresh();
      ref.fill(0xa7, base + off, base + off + len);
      assert.equal(call('memset', buf + base + off, 0x3a7, len), buf + base + off, 'memset returns dst');
      check(ref, `memset ${len} bytes at +${off}`);
      const wref = fresh();
      for (let i = 0; i < len; i++) { wref[base + off + 2 * i] = 0x34; wref[base + off + 2 * i + 1] = 0x12; }
      if (base + off + 2 * len <= SIZE) {
        assert.equal(call('wmemset', buf + base + off, 0xab1234, len), buf + base + off, 'wmemset returns dst');
        check(wref, `wmemset ${len} characters at +${off}`);
      }
    }
  }
});

test('GetModuleHandleExW from an address: the module holding it (the executable, wexert.dll, an emulated DLL\'s thunk), else none', () => {
  const g = makeGuest();
  after(() => g.dispose());
  const p = g.p, out = scratch(p, 8);
  const FROM_ADDRESS = 4;
  const lookup = (addr: number): [number, number] => {
    p.mem.writePtr(out, 0xdead);
    const ok = Number(api(p, 'kernel32.dll', 'GetModuleHandleExW', FROM_ADDRESS, addr, out) & 0xffffffffn);
    return [ok, p.mem.readPtr(out)];
  };
  const lib = guestLibrary(p).base;
  assert.deepEqual(lookup(p.imageBase + 0x1000), [1, p.imageBase]);
  assert.deepEqual(lookup(lib + 0x1000), [1, lib], 'an address in wexert.dll (was: the executable)');
  const kernel32 = moduleHandle(p, 'kernel32.dll');
  assert.notEqual(kernel32, 0);
  assert.deepEqual(lookup(thunk(p, 'kernel32.dll', 'Sleep')), [1, kernel32]);
  assert.deepEqual(lookup(0x1000), [0, 0], 'an address in no module');
});

// The builtin guest library (runtime/guestlib/wexert.dll): msvcrt's qsort and bsearch run
// as guest code mapped into every process, not as TypeScript natives. These tests check
// the committed DLL (its embedding, no imports, its fixed base, unwind data for every
// export), that imports and GetProcAddress resolve to its code, and that a sort runs
// without going through any API thunk.

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
import { makeGuest, api, REPO, SAMPLES, scratch } from './support/guest.js';

test('wexert-dll.ts embeds exactly the committed wexert.dll', () => {
  const file = readFileSync(join(REPO, 'runtime/guestlib/wexert.dll'));
  assert.ok(Buffer.from(WEXERT_DLL_BASE64, 'base64').equals(file), 'run make -C runtime/guestlib');
});

test('wexert.dll: no imports, no entry point, Layout.builtinLibraryBase as its base, .pdata for every export', () => {
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
    assert.ok(pe.runtimeFunctions.some((f) => f.begin === rva), `${name} has unwind data`);
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

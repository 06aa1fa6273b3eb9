#!/usr/bin/env node
// The `wexe` command (dist/bin/wexe.js): loads the bundled CLI, dist/bin/wexe-main.cjs,
// through V8's code cache.
//
// Why: parsing and compiling the 550 KB bundle, and later compiling lazily each function
// the lifter and the code generator first call, cost about 50 ms of every run (a quarter
// of a short program's wall time). The build runs one program with this launcher and
// saves V8's cache of everything compiled by then (dist/bin/wexe-main.code-cache); a run
// that finds a cache V8 accepts skips that work. A cache V8 rejects (another Node.js
// version or V8 flags) only costs the normal compile, and is written anew at exit.
//
// The guest's 4 GiB WebAssembly.Memory is created here, first thing, and shared: V8
// answers so large an ordinary allocation with a full garbage collection ("external
// memory pressure": 3-9 ms on the empty heap of a fresh process, 11 ms once the bundle
// is loaded), while a shared memory is not counted that way. Shared memory is plain
// memory to Node's APIs and to non-atomic wasm accesses; the JIT's modules import it as
// shared (CodegenOptions.sharedMemory). In a browser it would need cross-origin
// isolation, so only this Node.js launcher makes it shared. src/mem/memory.ts takes it.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { PRESET_MEMORY, GUEST_MEMORY_PAGES } from '../mem/preset.js';

if (process.argv[2] === 'run' || process.argv[2] === 'raw') {
  (globalThis as Record<symbol, unknown>)[PRESET_MEMORY] = new WebAssembly.Memory({ initial: GUEST_MEMORY_PAGES, maximum: GUEST_MEMORY_PAGES, shared: true });
}

const bundle = fileURLToPath(new URL('./wexe-main.cjs', import.meta.url));
const cacheFile = bundle.replace(/\.cjs$/, '.code-cache');

let cachedData: Buffer | undefined;
try { cachedData = readFileSync(cacheFile); } catch { /* no cache yet: compile normally */ }

// The CommonJS wrapper Node would give the bundle, plus the URL esbuild puts in place of
// `import.meta.url` (the compile worker is found relative to it).
const source = `(function (require, module, exports, __filename, __dirname, __wexeBundleUrl) {${readFileSync(bundle, 'utf8').replace(/^#!.*/, '')}\n})`;
const script = new vm.Script(source, {
  filename: bundle,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});

if (process.env.WEXE_WRITE_CODE_CACHE === '1' || cachedData === undefined || script.cachedDataRejected === true) {
  process.on('exit', () => {
    // Best effort: an installation the user cannot write to just runs without a cache.
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch { /* read-only installation */ }
  });
}

const run = script.runInThisContext() as (require: NodeRequire, module: { exports: object }, exports: object,
  filename: string, dir: string, url: string) => void;
const mod = { exports: {} };
run(createRequire(bundle), mod, mod.exports, bundle, dirname(bundle), pathToFileURL(bundle).href);

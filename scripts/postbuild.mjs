// After tsc: bundle the CLI into dist/bin/, so `wexe` starts without resolving and loading
// two hundred ES modules one by one (about 0.2 s of every run), then warm V8's code cache
// for it (see src/cli/launch.ts). The unbundled modules under dist/src stay: the library
// entry point and the tests use them.
//
// dist/bin/wexe.js           the launcher (bin `wexe`): loads wexe-main.cjs with the cache
// dist/bin/wexe-main.cjs     the CLI, CommonJS so that vm.Script can load it with a cache
// dist/bin/compile-worker.js Binaryen's compile worker, found relative to the CLI bundle
import { chmodSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Packages with their own loaders or wasm stay external (binaryen loads lazily in the worker).
  external: ['binaryen', 'iced-x86'],
  logLevel: 'warning',
  minify: true,
  keepNames: true,
};

await build({
  ...common,
  entryPoints: { 'wexe-main': 'dist/src/cli/main.js' },
  outdir: 'dist/bin',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // The launcher passes the bundle's own URL in place of import.meta (absent in CommonJS).
  define: { 'import.meta.url': '__wexeBundleUrl' },
});
await build({
  ...common,
  entryPoints: { wexe: 'dist/src/cli/launch.js', 'compile-worker': 'dist/src/jit/compile-worker.js' },
  outdir: 'dist/bin',
  format: 'esm',
  // commander is CommonJS: give the ES module bundle a require() for its node: imports.
  banner: { js: "import { createRequire as __wexeRequire } from 'node:module'; const require = __wexeRequire(import.meta.url);" },
});

// esbuild does not set the executable bit: make the CLI runnable for `npx wexe`.
chmodSync('dist/bin/wexe.js', 0o755);

// Warm the code cache: one program through the interpreter and the JIT compiles the
// functions most runs need. Failure here only means runs start without a cache.
rmSync('dist/bin/wexe-main.code-cache', { force: true });
const warm = spawnSync(process.execPath, ['dist/bin/wexe.js', 'run', '--jit-threshold', '2', 'samples/floatmath.exe'], {
  env: { ...process.env, WEXE_WRITE_CODE_CACHE: '1' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8',
});
if (warm.status !== 0) console.warn(`postbuild: warming the code cache failed (runs will compile the CLI each time): ${warm.stderr.trim()}`);

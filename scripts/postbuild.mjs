// After tsc: bundle the CLI (and Binaryen's compile worker, which it starts by a path
// relative to itself) into dist/bin/, so `wexe` starts without resolving and loading
// two hundred ES modules one by one (about 0.2 s of every run). The unbundled modules
// under dist/src stay: the library entry point and the tests use them.
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: { wexe: 'dist/src/cli/main.js', 'compile-worker': 'dist/src/jit/compile-worker.js' },
  outdir: 'dist/bin',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Packages with their own loaders or wasm stay external (binaryen loads lazily in the worker).
  external: ['binaryen', 'iced-x86'],
  // commander is CommonJS: give the ES module bundle a require() for its node: imports.
  banner: { js: "import { createRequire as __wexeRequire } from 'node:module'; const require = __wexeRequire(import.meta.url);" },
  logLevel: 'warning',
  minify: true,
  keepNames: true,
});

// esbuild does not set the executable bit: make the CLI runnable for `npx wexe`.
chmodSync('dist/bin/wexe.js', 0o755);

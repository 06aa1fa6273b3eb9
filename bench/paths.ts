// Where the bench finds the repository, its programs and its outputs. Compiled files live
// in dist/bench/, so the repository root is two levels above this module.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PROGRAMS_DIR = join(REPO_ROOT, 'bench', 'programs');
/** Host builds (native programs, the measure helper); not committed. */
export const BUILD_DIR = join(PROGRAMS_DIR, 'build');
export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
export const WEXE_CLI = join(REPO_ROOT, 'dist', 'bin', 'wexe.js');
export const ENGINES_MODULE = join(REPO_ROOT, 'dist', 'src', 'engines.js');
export const MEASURE_SOURCE = join(REPO_ROOT, 'bench', 'tools', 'measure.c');

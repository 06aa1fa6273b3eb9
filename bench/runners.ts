// The ways one workload is run side by side: the native Linux build, the Linux build under
// qemu-x86_64, the .exe under Wine, and the .exe under wexe with each engine variant.

import { join } from 'node:path';
import { PROGRAMS_DIR, WEXE_CLI } from './paths.js';
import type { EngineVariant } from './variants.js';

export type RunnerKind = 'native' | 'qemu' | 'wine' | 'wexe';

export interface Command {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface Runner {
  /** "native", "qemu", "wine", "wexe:interp", "wexe:jit/no-regions". */
  id: string;
  kind: RunnerKind;
  /** Set when the runner cannot run on this machine: reported as skipped. */
  skipReason?: string;
  variant?: EngineVariant;
  command(program: string, size: number): Command;
}

export interface ReferenceTools {
  /** The directory with the Linux builds of the programs. */
  nativeDir?: string;
  qemu?: string;
  wine?: string;
}

const missing = (what: string): Command => { throw new Error(`${what} is not available`); };

export function nativeRunner(tools: ReferenceTools, skipReason?: string): Runner {
  return {
    id: 'native', kind: 'native', skipReason: tools.nativeDir ? skipReason : skipReason ?? 'no host C compiler',
    command: (p, n) => (tools.nativeDir ? { file: join(tools.nativeDir, p), args: [String(n)] } : missing('the native build')),
  };
}

export function qemuRunner(tools: ReferenceTools, skipReason?: string): Runner {
  return {
    id: 'qemu', kind: 'qemu',
    skipReason: skipReason ?? (!tools.qemu ? 'qemu-x86_64 not installed' : !tools.nativeDir ? 'no native build' : undefined),
    command: (p, n) => (tools.qemu && tools.nativeDir ? { file: tools.qemu, args: [join(tools.nativeDir, p), String(n)] } : missing('qemu-x86_64')),
  };
}

export function wineRunner(tools: ReferenceTools, skipReason?: string): Runner {
  return {
    id: 'wine', kind: 'wine', skipReason: skipReason ?? (tools.wine ? undefined : 'wine not installed'),
    command: (p, n) => (tools.wine
      ? { file: tools.wine, args: [join(PROGRAMS_DIR, `${p}.exe`), String(n)], env: { ...process.env, WINEDEBUG: '-all' } }
      : missing('wine')),
  };
}

/** wexe as a child process, so wall time and peak memory are per run. */
export function wexeRunner(variant: EngineVariant): Runner {
  return {
    id: `wexe:${variant.id}`, kind: 'wexe', variant,
    command: (p, n) => ({
      file: process.execPath,
      args: [WEXE_CLI, 'run', '--engine', variant.engine, ...variant.args, '--stats', join(PROGRAMS_DIR, `${p}.exe`), String(n)],
    }),
  };
}

// The bench's result model: what the Markdown, JSON and SVG reports are written from.

import type { MachineInfo } from './host.js';
import type { RunnerKind } from './runners.js';

/** ok: ran and printed the reference output; wrong: ran but printed something else. */
export type CellStatus = 'ok' | 'wrong' | 'error' | 'skipped';

export interface RunRecord {
  wallMs: number;
  maxRssKiB: number;
  /** wexe only, from --stats. */
  instructions?: number;
  guestWallMs?: number;
  compileMs?: number;
}

export interface CellResult {
  runner: string;
  kind: RunnerKind;
  status: CellStatus;
  /** Why a cell is skipped, failed, or wrong. */
  reason?: string;
  /** Measured runs in round order (warm-up excluded). */
  runs: RunRecord[];
  wallMs?: number;
  spread?: number;
  ratioToNative?: number;
  ratioToQemu?: number;
  ratioToInterp?: number;
  /** Guest instructions per microsecond of guest run time (wexe only). */
  mips?: number;
  /** Share of the guest run time spent compiling (engines that report it). */
  compileShare?: number;
  maxRssMiB?: number;
  instructions?: number;
}

export interface WorkloadResult {
  name: string;
  description: string;
  size: number;
  /** The native build's output, which every runner must reproduce. */
  reference?: string;
  /** A runner printed something other than the reference. */
  wrong: boolean;
  cells: CellResult[];
}

export interface BenchOptions {
  quick: boolean;
  runs: number;
  warmup: boolean;
  timeoutSeconds: number;
}

export interface BenchReport {
  title: string;
  date: string;
  machine: MachineInfo;
  options: BenchOptions;
  runners: { id: string; kind: RunnerKind; skipReason?: string; args?: readonly string[] }[];
  workloads: WorkloadResult[];
  totalSeconds: number;
}

// `wexe raw <code.bin>`: load a flat binary at an address and run it on a bare CPU until
// HLT, a fault or an instruction budget; print the final state as JSON.
//
// Exit statuses: 0 the code reached HLT; 1 it faulted (the JSON names the Windows
// exception); 3 the instruction budget ran out; 2 bad usage (as for every command).

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ENGINE_NAMES } from '../engines.js';
import type { EngineName } from '../engines.js';
import { RAW_REGISTER_NAMES, RawSetupError } from '../raw/setup.js';
import type { RawRegion } from '../raw/setup.js';
import { RawExit, rawExitStatus, runRaw } from '../raw/run.js';
import type { RawEnding } from '../raw/run.js';

/** A number in decimal or 0x hex, optionally negative, as a bigint. */
export function parseBigValue(text: string): bigint {
  const m = /^(-)?(0x[0-9a-f_]+|\d[\d_]*)$/i.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`"${text}" is not a number (decimal or 0x hex)`);
  const v = BigInt(m[2]!.replace(/_/g, ''));
  return m[1] ? -v : v;
}

function parseAddress(text: string): number {
  const v = parseBigValue(text);
  if (v < 0n || v >= 1n << 32n) throw new InvalidArgumentError(`${text}: addresses must be below 4 GiB`);
  return Number(v);
}

function collectMap(text: string, prev: RawRegion[] = []): RawRegion[] {
  const m = /^([^:]+):([^:]+)$/.exec(text);
  if (!m) throw new InvalidArgumentError(`expected ADDR:SIZE, got "${text}"`);
  return [...prev, { addr: parseAddress(m[1]!), size: parseAddress(m[2]!) }];
}

function collectSet(text: string, prev: Record<string, bigint> = {}): Record<string, bigint> {
  const m = /^([a-z0-9]+)=(.+)$/i.exec(text);
  if (!m) throw new InvalidArgumentError(`expected REG=VALUE, got "${text}"`);
  const name = m[1]!.toLowerCase();
  if (!RAW_REGISTER_NAMES.includes(name)) throw new InvalidArgumentError(`unknown register "${name}" (known: ${RAW_REGISTER_NAMES.join(' ')})`);
  return { ...prev, [name]: parseBigValue(m[2]!) };
}

function engineName(v: string): EngineName {
  if (!(ENGINE_NAMES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of: ${ENGINE_NAMES.join(', ')}`);
  return v as EngineName;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

interface RawFlags {
  base: number;
  map?: RawRegion[];
  set?: Record<string, bigint>;
  engine: EngineName;
  maxInstructions: number;
}

const hex = (v: number): string => `0x${v.toString(16)}`;

function endingJson(e: RawEnding): Record<string, unknown> {
  if (e.kind !== 'fault') return { ...e };
  return {
    kind: 'fault', exception: e.name, code: hex(e.code), rip: hex(e.rip),
    ...(e.address !== undefined ? { address: hex(e.address), access: e.access === 1 ? 'write' : e.access === 8 ? 'execute' : 'read' } : {}),
  };
}

function rawCommand(file: string, flags: RawFlags): number {
  let code: Uint8Array;
  try {
    code = readFileSync(file);
  } catch (e) {
    process.stderr.write(`wexe raw: cannot read ${file}: ${(e as Error).message}\n`);
    return RawExit.Usage;
  }
  try {
    const r = runRaw({ code, base: flags.base, maps: flags.map ?? [], set: flags.set ?? {} },
      { engine: flags.engine, maxInstructions: flags.maxInstructions });
    process.stdout.write(`${JSON.stringify({ engine: flags.engine, ending: endingJson(r.ending), instructions: r.instructions, ...r.state }, null, 2)}\n`);
    return rawExitStatus(r.ending);
  } catch (e) {
    if (!(e instanceof RawSetupError)) throw e;
    process.stderr.write(`wexe raw: ${e.message}\n`);
    return RawExit.Usage;
  }
}

/** Adds the `raw` command; `done` receives the exit status. */
export function registerRawCommand(program: Command, done: (status: number) => void): void {
  program.command('raw')
    .description('run a flat binary on a bare CPU until HLT, a fault or the instruction budget; print the final state as JSON '
      + '(exit 0 on HLT, 1 on a fault, 3 when the budget runs out)')
    .argument('<code.bin>', 'raw machine code, loaded read-write-execute at --base')
    .option('--base <addr>', 'load address (page aligned)', parseAddress, 0x10000)
    .option('--map <addr:size>', 'map zeroed read-write memory (repeatable)', collectMap)
    .option('--set <reg=value>', `initial register value (repeatable): ${RAW_REGISTER_NAMES.join(' ')}`, collectSet)
    .option('--engine <name>', `execution engine (${ENGINE_NAMES.join(', ')})`, engineName, 'interp' as EngineName)
    .option('--max-instructions <n>', 'stop after N instructions', positiveInt, 1_000_000)
    .action((file: string, flags: RawFlags) => { done(rawCommand(file, flags)); });
}

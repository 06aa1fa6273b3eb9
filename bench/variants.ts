// Which wexe configurations the bench runs: every engine in src/engines.ts's ENGINE_NAMES,
// plus the strategy switches an engine advertises.
//
// Extension point for the JIT (or any engine): src/engines.ts may export
//
//   export const ENGINE_VARIANTS: Record<string, readonly { name: string; args: readonly string[]; description?: string }[]>
//
// e.g. { jit: [{ name: 'no-regions', args: ['--jit-regions', 'off'] }] }. Each variant is run
// as `wexe run --engine <engine> <args...> --stats prog.exe <size>` next to the engine's
// default configuration, so the CLI must accept those args. Variants can also be given on
// the bench command line (`--variant jit:name:--flag,value`) to try a switch before it is
// advertised.

import { pathToFileURL } from 'node:url';
import { ENGINES_MODULE } from './paths.js';

export interface EngineVariant {
  /** "interp", "jit", "jit/no-regions": unique, used in tables and --engines. */
  id: string;
  engine: string;
  /** Extra CLI arguments placed after `--engine <engine>`. */
  args: readonly string[];
  description?: string;
}

interface AdvertisedVariant { name: string; args: readonly string[]; description?: string }

function isAdvertisedVariant(v: unknown): v is AdvertisedVariant {
  const o = v as AdvertisedVariant;
  return typeof o === 'object' && o !== null && typeof o.name === 'string'
    && Array.isArray(o.args) && o.args.every((a) => typeof a === 'string');
}

/** Reads ENGINE_NAMES and the optional ENGINE_VARIANTS from the compiled engines module. */
export async function discoverVariants(modulePath = ENGINES_MODULE): Promise<EngineVariant[]> {
  const mod = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const names = mod.ENGINE_NAMES;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new Error(`${modulePath} has no ENGINE_NAMES string array`);
  const advertised = (mod.ENGINE_VARIANTS ?? {}) as Record<string, unknown>;
  const out: EngineVariant[] = [];
  for (const engine of names as string[]) {
    out.push({ id: engine, engine, args: [] });
    const list = advertised[engine];
    if (!Array.isArray(list)) continue;
    for (const v of list) if (isAdvertisedVariant(v)) out.push({ id: `${engine}/${v.name}`, engine, args: [...v.args], description: v.description });
  }
  return out;
}

/** Parses `engine:name:arg1,arg2` from the bench command line. */
export function parseVariantOption(spec: string): EngineVariant {
  const m = /^([\w-]+):([\w.-]+)(?::(.*))?$/.exec(spec);
  if (!m) throw new Error(`--variant expects engine:name[:arg,arg...], got "${spec}"`);
  return { id: `${m[1]}/${m[2]}`, engine: m[1], args: m[3] ? m[3].split(',') : [] };
}

/**
 * Engines that check rather than run fast (the lock-step interpreter/JIT comparison):
 * benchmarked only when named in --engines.
 */
export const NOT_BENCHMARKED_BY_DEFAULT: readonly string[] = ['compare'];

/**
 * Keeps the variants that `--engines` selects: "jit" selects the engine's default
 * configuration and all its variants, "jit/name" one variant. Without --engines: all but
 * NOT_BENCHMARKED_BY_DEFAULT.
 */
export function selectVariants(all: readonly EngineVariant[], wanted: readonly string[] | undefined): EngineVariant[] {
  if (!wanted) return all.filter((v) => !NOT_BENCHMARKED_BY_DEFAULT.includes(v.engine));
  const unknown = wanted.filter((w) => !all.some((v) => v.id === w || v.engine === w));
  if (unknown.length) throw new Error(`unknown engine(s): ${unknown.join(', ')}; available: ${all.map((v) => v.id).join(', ')}`);
  return all.filter((v) => wanted.includes(v.id) || wanted.includes(v.engine));
}

// The micro benchmark cases: decoder throughput, interpreter dispatch cost, and — when
// the JIT's modules are built — lifter throughput and compile cost per guest instruction.

import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from '../../src/x86/decode.js';
import { Flow } from '../../src/x86/insn.js';
import type { Insn } from '../../src/x86/insn.js';
import { GuestMemory, Prot } from '../../src/mem/memory.js';
import { CpuState } from '../../src/cpu/state.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import { REPO_ROOT } from '../paths.js';
import type { CodeImage } from './corpus.js';
import { measure } from './harness.js';
import type { MicroResult } from './harness.js';

export interface MicroCase {
  name: string;
  run(corpus: readonly CodeImage[]): Promise<MicroResult[] | string>;
}

/** Linear sweep of every executable section; returns the instruction count. */
function sweep(corpus: readonly CodeImage[]): number {
  let n = 0;
  for (const img of corpus) {
    for (const s of img.sections) {
      const code = s.bytes;
      for (let pc = 0; pc < code.length - 15;) {
        const insn = decode(code, pc, s.addr + pc);
        pc += insn.mnemonic === 'INVALID' ? 1 : insn.len;
        n++;
      }
    }
  }
  return n;
}

/** Basic blocks found by a linear sweep (split after every control transfer). */
function sweepBlocks(corpus: readonly CodeImage[], maxBlockInsns: number): Insn[][] {
  const blocks: Insn[][] = [];
  for (const img of corpus) {
    for (const s of img.sections) {
      let cur: Insn[] = [];
      for (let pc = 0; pc < s.bytes.length - 15;) {
        const insn = decode(s.bytes, pc, s.addr + pc);
        if (insn.mnemonic === 'INVALID') { pc++; if (cur.length) blocks.push(cur); cur = []; continue; }
        pc += insn.len;
        cur.push(insn);
        if (insn.flow !== Flow.None || cur.length >= maxBlockInsns) { blocks.push(cur); cur = []; }
      }
      if (cur.length) blocks.push(cur);
    }
  }
  return blocks;
}

const decodeCase: MicroCase = {
  name: 'decode',
  async run(corpus) {
    const insns = sweep(corpus);
    const bytes = corpus.reduce((a, img) => a + img.sections.reduce((b, s) => b + s.bytes.length, 0), 0);
    return [measure(`decode: linear sweep of ${(bytes / 1024).toFixed(0)} KiB .text`, () => { sweep(corpus); }, { units: { instruction: insns } })];
  },
};

let sharedMemory: GuestMemory | undefined;
/** Each loop machine gets its own code page, so one does not overwrite another's code. */
let nextCodePage = 0x400000;

/** A loop of `body` (hex) run `iterations` times: mov ecx, n; body; dec ecx; jnz; nop. */
function loopMachine(bodyHex: string, iterations: number): { run: () => void; insnsPerRun: number; blocksPerRun: number } {
  const mem = sharedMemory ??= new GuestMemory();
  const CODE = nextCodePage;
  nextCodePage += 0x10000;
  mem.map(CODE, 0x10000, Prot.RWX);
  const body = Uint8Array.from(bodyHex.replace(/\s/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
  const bodyInsns = bodyHex.trim().split(/\s+/).length;
  const code = [0xb9, iterations & 0xff, (iterations >>> 8) & 0xff, (iterations >>> 16) & 0xff, iterations >>> 24, ...body, 0xff, 0xc9];
  const back = -(body.length + 2 + 2);
  code.push(0x75, back & 0xff, 0x90);
  mem.writeBytes(CODE, Uint8Array.from(code));
  const st = new CpuState(mem.buffer);
  st.reset();
  const interp = new Interpreter(st, mem, { decode });
  const end = CODE + code.length - 1;
  return {
    run: () => { st.rip = CODE; interp.run({ stopAt: end }); },
    insnsPerRun: 1 + iterations * (bodyInsns + 2),
    blocksPerRun: iterations + 1,
  };
}

const interpCase: MicroCase = {
  name: 'interp',
  async run() {
    const iterations = 20_000;
    const tight = loopMachine('83c001', iterations); // add eax, 1
    // 16 independent ALU instructions per block: per-instruction cost with little dispatch.
    const wide = loopMachine(Array.from({ length: 4 }, () => '01d8 31c2 c1e303 83c601').join(' '), iterations);
    tight.run(); wide.run();
    return [
      measure('interp: tight loop, 3 instructions/block', tight.run, { units: { instruction: tight.insnsPerRun, block: tight.blocksPerRun } }),
      measure('interp: wide loop, 18 instructions/block', wide.run, { units: { instruction: wide.insnsPerRun, block: wide.blocksPerRun } }),
    ];
  },
};

/** Imports a compiled module of the project if it exists (the JIT lives on its own branch). */
async function optionalModule(rel: string): Promise<Record<string, unknown> | undefined> {
  const path = join(REPO_ROOT, 'dist', rel);
  if (!existsSync(path)) return undefined;
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

type LiftBlockFn = (insns: readonly Insn[]) => { block: { count: number } };

const liftCase: MicroCase = {
  name: 'lift',
  async run(corpus) {
    const mod = await optionalModule('src/ir/lift.js');
    const liftBlock = mod?.liftBlock as LiftBlockFn | undefined;
    if (typeof liftBlock !== 'function') return 'skipped: dist/src/ir/lift.js (liftBlock) is not built';
    const blocks = sweepBlocks(corpus, 64);
    let lifted = 0;
    for (const b of blocks) lifted += liftBlock(b).block.count;
    return [measure(`lift: ${blocks.length} blocks of the corpus`, () => { for (const b of blocks) liftBlock(b); }, { units: { instruction: lifted } })];
  },
};

interface RegionLike { blocks: { count: number }[] }
type BuildRegionFn = (mem: GuestMemory, decode: (b: Uint8Array, o: number, a: number) => Insn, entry: number, lim: { maxBlocks: number; maxInsns: number; maxBlockInsns: number }) => { region: RegionLike };
type CompileSyncFn = (regions: RegionLike[], options: Record<string, unknown>) => { ms: number };
type CompileDirectFn = (regions: RegionLike[], options: Record<string, unknown>) => { bytes: Uint8Array };

const compileCase: MicroCase = {
  name: 'compile',
  async run(corpus) {
    const region = await optionalModule('src/jit/region.js');
    const service = await optionalModule('src/jit/compile-service.js');
    const wasm = await optionalModule('src/jit/wasm.js');
    const codegen = await optionalModule('src/jit/codegen.js');
    const direct = await optionalModule('src/jit/direct/codegen.js');
    const compileDirect = direct?.compileRegionsDirect as CompileDirectFn | undefined;
    const buildRegion = region?.buildRegion as BuildRegionFn | undefined;
    const compileSync = service?.compileSync as CompileSyncFn | undefined;
    const loadBinaryen = wasm?.loadBinaryen as (() => Promise<unknown>) | undefined;
    if (!buildRegion || !compileSync || !loadBinaryen) return 'skipped: the JIT modules (dist/src/jit/region.js, compile-service.js, wasm.js) are not built';
    await loadBinaryen(); // compile in this thread, not through the worker
    const mem = sharedMemory ??= new GuestMemory();
    // Load one program's code (at a low base: the image base is above 4 GiB; the code is
    // only decoded, lifted and compiled, never run) and form a region at each function start.
    const img = corpus.find((c) => c.name === 'coremark.exe') ?? corpus[0];
    const LOAD_BASE = 0x10000000;
    const at = (addr: number) => LOAD_BASE + (addr - img.imageBase);
    for (const s of img.sections) {
      const start = at(s.addr) - (at(s.addr) % 0x1000);
      const size = Math.ceil((at(s.addr) + s.bytes.length - start) / 0x1000) * 0x1000;
      if (mem.prot[start >>> 12] === 0) mem.map(start, size, Prot.RWX);
      mem.writeBytes(at(s.addr), s.bytes);
    }
    const regions: RegionLike[] = [];
    for (const f of img.functions.slice(0, 40)) {
      try { regions.push(buildRegion(mem, decode, at(f), { maxBlocks: 48, maxInsns: 1200, maxBlockInsns: 64 }).region); } catch { /* undecodable entry */ }
    }
    const options = (codegen?.DEFAULT_CODEGEN as Record<string, unknown> | undefined) ?? { registerCache: true, optimize: 0, forceSlowMemory: false };
    // Keep the regions the JIT compiles on their own (while it is unfinished, some fail).
    const good = regions.filter((r) => { try { compileSync([r], options); return true; } catch { return false; } });
    if (good.length < regions.length) process.stderr.write(`compile: ${regions.length - good.length} of ${regions.length} regions failed to compile and are left out\n`);
    regions.splice(0, regions.length, ...good);
    if (regions.length === 0) return 'skipped: no region compiled';
    const insns = regions.reduce((a, r) => a + r.blocks.reduce((b, k) => b + k.count, 0), 0);
    const results = [];
    // The default backend, as the JIT runs it: our byte emitter, then V8's compile of the
    // module (instantiation left out). Measured warm: a real run's first compiles are
    // slower, our TypeScript not yet optimised by V8.
    if (compileDirect) {
      results.push(measure(`compile (direct backend, default): ${regions.length} regions of ${img.name}, emit + WebAssembly.Module, one module each`,
        () => { for (const r of regions) new WebAssembly.Module(compileDirect([r], options).bytes as Uint8Array<ArrayBuffer>); }, { units: { instruction: insns }, maxTime: 5 }));
    }
    results.push(measure(`compile (Binaryen backend): ${regions.length} regions of ${img.name}, one module`, () => { compileSync(regions, options); }, { units: { instruction: insns }, maxTime: 5 }));
    if (regions.length > 1) {
      results.push(measure('compile (Binaryen backend): the same regions, one module each', () => { for (const r of regions) compileSync([r], options); }, { units: { instruction: insns }, maxTime: 5 }));
    }
    return results;
  },
};

export const MICRO_CASES: readonly MicroCase[] = [decodeCase, interpCase, liftCase, compileCase];

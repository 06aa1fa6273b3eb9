// Builds a guest process from a parsed executable: maps the image, binds its imports to
// runtime thunks, creates the stack, heap, PEB/TEB, TLS and the CRT-visible command
// line and environment. Nothing runs here; see run.ts.

import { basename, dirname } from 'node:path';
import { CpuState, Reg } from '../cpu/state.js';
import { GuestMemory, Prot, PAGE_SIZE } from '../mem/memory.js';
import { Layout } from '../mem/layout.js';
import type { Engine } from '../engine.js';
import { ThunkTable } from '../abi/thunks.js';
import type { PEImage } from '../pe/types.js';
import { loadImage } from '../pe/loader.js';
import type { LoadedImage } from '../pe/loader.js';
import { Process } from '../../runtime/process.js';
import type { Host } from '../../runtime/host.js';
import { Sandbox } from '../../runtime/fs/sandbox.js';
import { Heap } from '../../runtime/heap.js';
import { StructArena, buildPeb, buildTeb, environmentBlock, TLS_MINIMUM_AVAILABLE } from '../../runtime/process-env.js';
import { bindImport } from '../../runtime/registry.js';
import { setExeExports } from '../../runtime/modules.js';
import { addRegion, MEM_IMAGE, MEM_PRIVATE } from '../../runtime/kernel32/memory.js';
import { buildCommandLine } from '../../runtime/msvcrt/cmdline.js';
import { dispatchUnhandled, normalizeFault } from './exceptions.js';
import { guestLibrary, guestLibraryExport } from '../../runtime/guestlib/index.js';

export interface ProcessOptions {
  /** Host path of the executable (for its directory and name). */
  exePath: string;
  args: readonly string[];
  host: Host;
  /** Host directory that C:\ maps to. */
  root: string;
  env: Map<string, string>;
  engine: (st: CpuState, mem: GuestMemory) => Engine;
}

export interface CreatedProcess {
  process: Process;
  image: LoadedImage;
  /** Imports the runtime lacks ("DLL!name"), bound to stopping thunks. */
  missingImports: string[];
  /** Where the entry point returns to; reaching it ends the process with RAX. */
  exitSentinel: number;
  stackTop: number;
  stack: { base: number; size: number };
}

const HEAP_RESERVE = 0x1000_0000; // 256 MiB: untouched pages cost nothing
const STRUCT_ARENA_SIZE = 0x40000;

export function createProcess(pe: PEImage, opts: ProcessOptions): CreatedProcess {
  const mem = new GuestMemory();
  const st = new CpuState(mem.buffer);
  st.reset();
  const engine = opts.engine(st, mem);
  const image = loadImage(mem, pe, { base: Layout.imageBase });

  const sandbox = new Sandbox(opts.root, dirname(opts.exePath));
  const imagePath = sandbox.guestPathOf(opts.exePath) ?? `C:\\${basename(opts.exePath)}`;
  const commandLine = buildCommandLine(imagePath, opts.args);

  // Stack: reserve as the header asks, lowest page no-access, the next a guard page.
  const stackSize = Math.max(0x10000, Math.ceil(image.stackReserve / 0x10000) * 0x10000);
  const stackBase = mem.findFree(stackSize, 0x10000, Layout.stackSearchFrom);
  if (stackBase === undefined) throw new Error('no room for the stack');
  mem.map(stackBase, stackSize, Prot.RW);
  mem.protect(stackBase, PAGE_SIZE, Prot.None);
  mem.protect(stackBase + PAGE_SIZE, PAGE_SIZE, Prot.RW | Prot.Guard);
  const stackTop = stackBase + stackSize;

  const heapBase = mem.findFree(HEAP_RESERVE, 0x10000, Layout.heapSearchFrom);
  if (heapBase === undefined) throw new Error('no room for the process heap');
  const createHeap = (size: number): Heap | undefined => {
    const want = Math.ceil(Math.max(size, 0x10000) / 0x10000) * 0x10000;
    const base = mem.findFree(want, 0x10000, Layout.heapSearchFrom);
    return base === undefined ? undefined : new Heap(process!, base, base + want);
  };

  const arena = new StructArena(mem, Layout.pebBase, STRUCT_ARENA_SIZE);
  const envBlock = environmentBlock(opts.env);
  const { peb, environment } = buildPeb(mem, arena, {
    imageBase: image.base, imagePath, imageSize: image.size, entryPoint: image.entryPoint, commandLine,
    currentDirectory: 'C:\\', environmentBlock: envBlock, processHeap: heapBase,
  });
  const tlsArray = arena.alloc(8 * TLS_MINIMUM_AVAILABLE, 16);
  const teb = buildTeb(mem, arena, {
    peb, stackBase: stackTop, stackLimit: stackBase + 2 * PAGE_SIZE, deallocationStack: stackBase,
    processId: 0x1000, threadId: 0x1004, tlsPointerArray: tlsArray,
  });
  st.gsBase = teb;

  let process: Process | undefined;
  const thunks = new ThunkTable({ st, mem, registerNative: (a, f) => engine.registerNative(a, f) }, {
    takeJump: () => process!.takeJump(),
  });
  const callbackReturn = thunks.allocateNative('callback-return', () => {
    throw new Error('internal: callback sentinel executed');
  });
  const exitSentinel = thunks.allocateNative('entry-return', () => process!.exit(st.lo(Reg.RAX)));

  process = new Process({
    mem, st, engine, thunks, host: opts.host, sandbox, createHeap, env: opts.env, commandLine, imagePath,
    imageBase: image.base, teb, peb, environmentBlock: environment, callbackReturn,
  });
  const p = process;
  // API implementations receive the process itself as their context.
  thunks.context = p;
  engine.setFaultHandler((f) => dispatchUnhandled(p, normalizeFault(p, f)));
  addRegion(p, { base: image.base, size: image.size, type: MEM_IMAGE, allocProtect: 0x80 });
  addRegion(p, { base: stackBase, size: stackSize, type: MEM_PRIVATE, allocProtect: 0x04 });
  addRegion(p, { base: heapBase, size: HEAP_RESERVE, type: MEM_PRIVATE, allocProtect: 0x04 });

  // The builtin guest library goes in before anything else can take its fixed base. The
  // process heap is its code, so it comes next, before anything allocates: initialising
  // it is a guest call, which needs a stack (the entry point's frame is set up below).
  guestLibrary(p);
  st.setNum(Reg.RSP, stackTop - 0x28);
  p.setProcessHeap(new Heap(p, heapBase, heapBase + HEAP_RESERVE));
  // malloc & co. find it here (one load; the PEB's ProcessHeap holds it too).
  mem.writePtr(guestLibraryExport(p, 'wexe_process_heap'), heapBase);

  // Imports, eagerly (delay-load ones too: binding them early is indistinguishable).
  const missingImports: string[] = [];
  for (const d of [...image.imports, ...image.delayImports]) {
    for (const f of d.functions) {
      const key = f.name ?? f.ordinal!;
      const b = bindImport(p, d.dll, key);
      mem.pokePtr(f.iatSlot, b.address);
      if (!b.implemented) missingImports.push(`${d.dll}!${typeof key === 'number' ? `#${key}` : key}`);
    }
  }

  setExeExports(p, new Map(image.exports.filter((e) => e.name && e.va).map((e) => [e.name!, e.va!])),
    new Map(image.exports.filter((e) => e.va).map((e) => [e.ordinal, e.va!])));

  // Static TLS: index 0 belongs to the executable, as on Windows.
  if (image.tls) {
    const t = image.tls;
    p.tlsSlots[0] = true;
    if (t.indexAddress) mem.poke32(t.indexAddress, 0);
    const size = t.templateEnd - t.templateStart + t.zeroFill;
    const block = p.alloc(Math.max(size, 8), true);
    if (t.templateEnd > t.templateStart) mem.poke(block, mem.u8.slice(t.templateStart, t.templateEnd));
    mem.pokePtr(tlsArray, block);
  }

  // The entry point is "called": RSP is 8 mod 16 and the return address ends the process.
  const rsp = stackTop - 0x28;
  mem.pokePtr(rsp, exitSentinel);
  st.setNum(Reg.RSP, rsp);
  st.rip = image.entryPoint;
  return { process: p, image, missingImports, exitSentinel, stackTop, stack: { base: stackBase, size: stackSize } };
}

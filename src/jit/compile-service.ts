// Where compilation happens. Binaryen loads asynchronously (top-level await) while the
// guest runs synchronously, so compilation is done by a worker thread the guest thread
// waits for (Atomics.wait + receiveMessageOnPort); one worker per process, started on
// the first request, unref'd so it never keeps the process alive. When binaryen is
// already loaded in this thread (tests that awaited loadBinaryen), it compiles in place.

import { Worker, MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Region } from '../ir/ir.js';
import type { CodegenOptions, CompiledModule } from './codegen.js';
import { compileRegions } from './codegen.js';
import { binaryenLoaded } from './wasm.js';

export interface CompileReply { module: CompiledModule; ms: number }

let service: { port: MessagePort; flag: Int32Array; worker: Worker } | undefined;
let nextId = 1;

function start(): NonNullable<typeof service> {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./compile-worker.js', import.meta.url), {
    workerData: { port: port2, flag }, transferList: [port2],
  });
  worker.unref();
  port1.unref();
  service = { port: port1, flag, worker };
  return service;
}

/** Compiles regions into one module, synchronously. */
export function compileSync(regions: Region[], options: CodegenOptions): CompileReply {
  const local = binaryenLoaded();
  if (local !== undefined) {
    const t0 = performance.now();
    return { module: compileRegions(local, regions, options), ms: performance.now() - t0 };
  }
  const s = service ?? start();
  const id = nextId++;
  Atomics.store(s.flag, 0, 0);
  s.port.postMessage({ id, regions, options });
  for (;;) {
    const r = Atomics.wait(s.flag, 0, 0, 60_000);
    if (r === 'timed-out') throw new Error('JIT compile worker did not answer within 60 s');
    const msg = receiveMessageOnPort(s.port);
    if (msg === undefined) { Atomics.store(s.flag, 0, 0); continue; }
    const m = msg.message as { id: number; result?: CompiledModule; error?: string; ms?: number };
    if (m.id !== id) continue;
    if (m.error !== undefined) throw new Error(`JIT compile failed: ${m.error}`);
    return { module: m.result!, ms: m.ms ?? 0 };
  }
}

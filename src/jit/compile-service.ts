// Where compilation happens. Binaryen loads asynchronously (top-level await) while the
// guest runs synchronously, so compilation is done by a worker thread: one per process,
// unref'd so it never keeps the process alive. startCompileService() starts it (and its
// binaryen load) in the background as soon as a JIT engine exists, so the load overlaps
// with interpretation. Requests are posted without waiting (requestCompile); replies land
// in a mailbox the guest thread fills without blocking (pollCompiles: an Atomics flag the
// worker raises after each reply, then receiveMessageOnPort) or by waiting for one reply
// (compileSync: Atomics.wait). When binaryen is already loaded in this thread (tests that
// awaited loadBinaryen), compileSync compiles in place.

import { Worker, MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Region } from '../ir/ir.js';
import type { CodegenOptions, CompiledModule } from './codegen.js';
import { compileRegions } from './codegen.js';
import { binaryenLoaded } from './wasm.js';

export interface CompileReply { module: CompiledModule; ms: number }

interface Service { port: MessagePort; flag: Int32Array; worker: Worker }
interface WorkerReply { id: number; result?: CompiledModule; error?: string; ms?: number }

let service: Service | undefined;
let nextId = 1;
/** Replies received but not yet taken, by request id. */
const mailbox = new Map<number, WorkerReply>();

/** Starts the compile worker (and its binaryen load) unless it runs already; never waits. */
export function startCompileService(): void {
  if (service === undefined && binaryenLoaded() === undefined) start();
}

function start(): Service {
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

function drain(s: Service): void {
  Atomics.store(s.flag, 0, 0);
  for (let msg = receiveMessageOnPort(s.port); msg !== undefined; msg = receiveMessageOnPort(s.port)) {
    const m = msg.message as WorkerReply;
    mailbox.set(m.id, m);
  }
}

function unpack(m: WorkerReply): CompileReply {
  if (m.error !== undefined) throw new Error(`JIT compile failed: ${m.error}`);
  return { module: m.result!, ms: m.ms ?? 0 };
}

/** Posts regions to the worker for compilation into one module; returns the request id. */
export function requestCompile(regions: Region[], options: CodegenOptions): number {
  const s = service ?? start();
  const id = nextId++;
  s.port.postMessage({ id, regions, options });
  return id;
}

/**
 * Without blocking: the reply to request `id` if it has arrived, else undefined.
 * Cheap when nothing arrived (one atomic load).
 */
export function takeCompiled(id: number): CompileReply | undefined {
  const s = service;
  if (s !== undefined && Atomics.load(s.flag, 0) !== 0) drain(s);
  const m = mailbox.get(id);
  if (m === undefined) return undefined;
  mailbox.delete(id);
  return unpack(m);
}

/** Whether any reply may be waiting (one atomic load; the guest thread polls this). */
export function compileRepliesPending(): boolean {
  return mailbox.size > 0 || (service !== undefined && Atomics.load(service.flag, 0) !== 0);
}

/** Compiles regions into one module, synchronously. */
export function compileSync(regions: Region[], options: CodegenOptions): CompileReply {
  const local = binaryenLoaded();
  if (local !== undefined) {
    const t0 = performance.now();
    return { module: compileRegions(local, regions, options), ms: performance.now() - t0 };
  }
  const id = requestCompile(regions, options);
  const s = service!;
  for (;;) {
    const m = mailbox.get(id);
    if (m !== undefined) { mailbox.delete(id); return unpack(m); }
    const r = Atomics.wait(s.flag, 0, 0, 60_000);
    if (r === 'timed-out') throw new Error('JIT compile worker did not answer within 60 s');
    drain(s);
  }
}

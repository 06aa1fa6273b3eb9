// The compile worker: loads binaryen.js once (off the guest's thread, so a program
// that never gets hot never waits for it) and turns IR regions into wasm bytes.
// Protocol: a request { id, regions, options } on the port; the reply { id, result }
// or { id, error } on the same port, then flag[0] = 1 and a notify, so the guest thread
// can wait synchronously (Atomics.wait) and fetch it with receiveMessageOnPort.

import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Region } from '../ir/ir.js';
import type { CodegenOptions } from './codegen.js';
import { compileRegions } from './codegen.js';
import { loadBinaryen } from './wasm.js';

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };
const binaryen = await loadBinaryen();

port.on('message', (req: { id: number; regions: Region[]; options: CodegenOptions }) => {
  let reply: object;
  const t0 = performance.now();
  try {
    const result = compileRegions(binaryen, req.regions, req.options);
    reply = { id: req.id, result, ms: performance.now() - t0 };
  } catch (e) {
    reply = { id: req.id, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});

// Library entry point: what tests, benches and embedders import.
export { run, prepare, loadExecutable, defaultEnvironment, ExecutableError } from './api.js';
export type { RunOptions, RunReport } from './api.js';
export type { RunResult, Ending } from './process/run.js';
export { ExitStatus } from './process/exit-status.js';
export { ENGINE_NAMES, createEngine } from './engines.js';
export type { EngineName } from './engines.js';
export type { Engine, EngineStats } from './engine.js';
export { CaptureHost } from '../runtime/host-capture.js';
export { NodeHost } from '../runtime/host-node.js';
export type { Host } from '../runtime/host.js';
export { GuestMemory, Prot } from './mem/memory.js';
export { GuestFault, ExceptionCode, exceptionName } from './mem/fault.js';
export { CpuState } from './cpu/state.js';
export { decode } from './x86/decode.js';
export { formatInsn } from './x86/format.js';
export * from './pe/index.js';

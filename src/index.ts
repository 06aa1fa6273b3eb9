// Library entry point: what tests, benches and embedders import.
export { GuestMemory, Prot } from './mem/memory.js';
export { GuestFault, ExceptionCode, exceptionName } from './mem/fault.js';
export { CpuState } from './cpu/state.js';

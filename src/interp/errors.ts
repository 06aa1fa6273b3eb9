// Non-fault reasons why Interpreter.run() stops early.

/** The instruction budget given to run() ran out; RIP is the next instruction to execute. */
export class InstructionLimitExceeded extends Error {
  constructor(readonly executed: number, readonly rip: number) {
    super(`instruction limit reached after ${executed} instructions (next RIP 0x${rip.toString(16)})`);
    this.name = 'InstructionLimitExceeded';
  }
}

/**
 * run() saw a stop request (process exit, timeout) at a block boundary. It propagates
 * through nested run() calls, so a host-to-guest callback in progress unwinds too.
 */
export class ExecutionStopped extends Error {
  constructor(readonly reason: string) {
    super(`execution stopped: ${reason}`);
    this.name = 'ExecutionStopped';
  }
}

// Runs one piece of guest code from the same start state on the reference interpreter
// and on the JIT (compiled at first sight) and returns both outcomes, plus how the JIT
// got there (bails, un-liftable instructions), so a test can also prove the code really
// ran compiled. The machine, interpreter and JIT runtime are built once per code: later
// runs reuse the compiled region, which keeps hundreds of operand sets cheap.

import { makeMachine, CODE, DATA, icedDecodeFn } from '../../interp/support/machine.js';
import type { TestMachine } from '../../interp/support/machine.js';
import { GuestFault } from '../../../src/mem/fault.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../../src/jit/engine.js';
import type { JitOptions } from '../../../src/jit/engine.js';

/** Where RDI points: the middle of the compared data window, so negative offsets stay mapped. */
export const DATA_PTR = DATA + 0x800;
export const DATA_SIZE = 0x1000;

export interface Start {
  /** RAX..R15 (RSP and RDI are overwritten: stack and DATA_PTR). */
  regs: bigint[];
  rflags: number;
  data: Uint8Array;
}

export interface Outcome { state: Uint8Array; data: Uint8Array; fault?: string }

export interface JitRun extends Outcome {
  /** Guest instructions run in compiled code. */
  compiled: number;
  /** Bails and interpreter hand-overs. */
  bails: number;
}

export class Lockstep {
  private readonly m: TestMachine;
  private readonly jit: JitRuntime;
  private readonly end: number;
  private readonly initial: Uint8Array;

  constructor(code: readonly number[], opts: Partial<JitOptions> = {}) {
    this.m = makeMachine();
    this.end = CODE + code.length + 5;
    // jmp end; end: int3 (never run: the runs stop at end; un-liftable, so it stays out of
    // the region, whose instructions the dispatcher would otherwise run cold to find stopAt)
    this.m.load(Uint8Array.from([...code, 0xe9, 0, 0, 0, 0, 0xcc]));
    this.initial = this.m.st.snapshot();
    this.jit = new JitRuntime(this.m.st, this.m.mem, icedDecodeFn, [], {
      ...DEFAULT_JIT_OPTIONS, threshold: 0, ...opts, codegen: { ...DEFAULT_JIT_OPTIONS.codegen, validate: true, ...opts.codegen },
    });
  }

  private setUp(s: Start): void {
    const { st, mem } = this.m;
    st.restore(this.initial);
    s.regs.forEach((v, r) => st.setBig(r, BigInt.asUintN(64, v)));
    st.setNum(4, 0x700000 - 0x100);
    st.setNum(7, DATA_PTR);
    st.rflags = s.rflags;
    mem.u8.set(s.data, DATA);
  }

  private outcome(run: () => void): Outcome {
    const { st, mem } = this.m;
    let fault: string | undefined;
    try { run(); } catch (e) {
      if (!(e instanceof GuestFault)) throw e;
      fault = `${e.message} at 0x${st.rip.toString(16)}`;
    }
    return { state: st.snapshot(), data: mem.u8.slice(DATA, DATA + DATA_SIZE), fault };
  }

  interp(s: Start): Outcome {
    this.setUp(s);
    return this.outcome(() => this.m.interp.run({ stopAt: this.end }));
  }

  jitRun(s: Start): JitRun {
    this.setUp(s);
    const st = this.jit.stats;
    const b0 = st.bails, c0 = st.jitInstructions;
    const o = this.outcome(() => this.jit.run({ stopAt: this.end }));
    return { ...o, bails: st.bails - b0, compiled: st.jitInstructions - c0 };
  }
}

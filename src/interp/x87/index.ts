// The x87 FPU instruction handlers, keyed by iced-x86 mnemonic name. Every handler that
// is a waiting instruction first delivers exceptions left pending by an unmasking
// FLDCW/FLDENV/FRSTOR (see exec.ts for how unmasked exceptions are reported).

import type { Handler, HandlerTable } from '../machine.js';
import { checkPending } from './exec.js';
import { arithHandlers } from './handlers-arith.js';
import { compareHandlers } from './handlers-compare.js';
import { controlHandlers } from './handlers-control.js';
import { loadStoreHandlers } from './handlers-load-store.js';
import { transcendentalHandlers } from './handlers-transcendental.js';

function waiting(table: HandlerTable): HandlerTable {
  const out: HandlerTable = {};
  for (const [name, h] of Object.entries(table)) {
    const wrapped: Handler = (m, insn) => { checkPending(m.st); h(m, insn); };
    out[name] = wrapped;
  }
  return out;
}

export const x87Handlers: HandlerTable = {
  ...waiting(loadStoreHandlers),
  ...waiting(arithHandlers),
  ...waiting(compareHandlers),
  ...waiting(transcendentalHandlers),
  ...controlHandlers,
};

export type { F80 } from './float80.js';

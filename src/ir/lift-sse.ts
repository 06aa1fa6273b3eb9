// SSE lifters (scalar double/single moves and arithmetic, 128-bit moves and logic).
// Empty for now: every SSE instruction hands over to the interpreter.

import type { Lifter } from './lift-int.js';

export const sseLifters: Record<string, Lifter> = {};

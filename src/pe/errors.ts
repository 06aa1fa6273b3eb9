// The one error a malformed or unsupported PE file produces. Its message is a single
// line naming the structure and the offending value, so `wexe` can print it as is.

export class PeFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeFormatError';
  }
}

/** Formats a number as 0x-prefixed lower-case hex (the notation of every PE message). */
export function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}

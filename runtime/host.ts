// The host interface: everything the runtime needs from outside the guest. Node
// implements it in host-node.ts; a browser host can implement it later, which is why
// nothing else under runtime/ imports Node modules directly except the file system
// sandbox's Node backend.

export interface Host {
  /** Writes bytes to the host's stdout (1) or stderr (2). */
  write(fd: 1 | 2, bytes: Uint8Array): void;
  /** Reads up to `max` bytes from stdin; an empty result means end of file. Blocks. */
  readStdin(max: number): Uint8Array;
  /** True when stdin/stdout/stderr are terminals (console handles) rather than pipes or files. */
  isTerminal(fd: 0 | 1 | 2): boolean;
  /** Milliseconds since the Unix epoch, with sub-millisecond precision where available. */
  now(): number;
  /** A monotonic clock in nanoseconds. */
  monotonicNs(): bigint;
  /** Blocks the whole guest for `ms` milliseconds. */
  sleep(ms: number): void;
}

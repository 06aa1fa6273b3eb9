// Exit statuses wexe itself uses. A guest's own exit code (or crash code) is reported
// as its low 8 bits, as Wine does on Linux; wexe's own endings use these values, chosen
// above the codes programs commonly return, and documented in README.md.
export const ExitStatus = {
  /** Bad command-line usage. */
  Usage: 2,
  /** The file is not a valid or supported PE executable. */
  BadExecutable: 120,
  /** The guest called a function the runtime does not implement. */
  NotImplemented: 121,
  /** --max-instructions was reached. */
  InstructionLimit: 122,
  /** --timeout was reached. */
  Timeout: 124,
  /** A bug in wexe itself (the message asks for a report). */
  InternalError: 125,
  /** The executable file could not be read. */
  FileNotFound: 127,
} as const;

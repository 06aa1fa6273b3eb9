// Command-line quoting, both directions, with the rules msvcrt's argv parser uses:
// backslashes are literal unless they precede a quote; 2n backslashes + quote give n
// backslashes and toggle quoting; 2n+1 give n backslashes and a literal quote; "" inside
// quotes is a literal quote (msvcrt 2008+ behaviour).

export function parseCommandLine(cmd: string): string[] {
  const args: string[] = [];
  let i = 0;
  // argv[0]: up to the next space, or inside quotes; no backslash processing.
  let first = '';
  if (cmd[0] === '"') {
    i = 1;
    while (i < cmd.length && cmd[i] !== '"') first += cmd[i++];
    if (i < cmd.length) i++;
  } else {
    while (i < cmd.length && cmd[i] !== ' ' && cmd[i] !== '\t') first += cmd[i++];
  }
  args.push(first);
  for (;;) {
    while (i < cmd.length && (cmd[i] === ' ' || cmd[i] === '\t')) i++;
    if (i >= cmd.length) break;
    let arg = '';
    let quoted = false;
    while (i < cmd.length) {
      const c = cmd[i]!;
      if (!quoted && (c === ' ' || c === '\t')) break;
      if (c === '\\') {
        let n = 0;
        while (cmd[i] === '\\') { n++; i++; }
        if (cmd[i] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) { arg += '"'; i++; }
        } else arg += '\\'.repeat(n);
        continue;
      }
      if (c === '"') {
        if (quoted && cmd[i + 1] === '"') { arg += '"'; i += 2; continue; }
        quoted = !quoted;
        i++;
        continue;
      }
      arg += c;
      i++;
    }
    args.push(arg);
  }
  return args;
}

/** Quotes one argument so that parseCommandLine gives it back unchanged. */
export function quoteArgument(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const c of arg) {
    if (c === '\\') { backslashes++; continue; }
    if (c === '"') { out += '\\'.repeat(2 * backslashes + 1) + '"'; backslashes = 0; continue; }
    out += '\\'.repeat(backslashes) + c;
    backslashes = 0;
  }
  return out + '\\'.repeat(2 * backslashes) + '"';
}

export function buildCommandLine(argv0: string, args: readonly string[]): string {
  const first = /[\s]/.test(argv0) ? `"${argv0}"` : argv0;
  return [first, ...args.map(quoteArgument)].join(' ');
}

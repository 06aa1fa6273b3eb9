// tsc does not keep the executable bit: make the CLI entry runnable for `npx wexe`.
import { chmodSync } from 'node:fs';
chmodSync('dist/src/cli/main.js', 0o755);

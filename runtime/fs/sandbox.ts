// The guest's view of the file system (DESIGN item 11, "The sandbox holds").
//
// - `C:\` maps to one host directory, the root (chosen with --root; default a private
//   temporary directory). The guest's current directory starts at `C:\`.
// - When the program's own directory is not inside the root, it is visible as `D:\`,
//   so a program can open files that sit beside it.
// - Nothing resolves outside these mounts: `..` stops at the drive root, absolute host
//   paths are not guest paths, UNC paths and device names other than NUL and CON are
//   refused, and a symlink whose target leaves the mount is refused.
// - Windows paths are case-insensitive: a component that does not exist with the exact
//   case is matched case-insensitively against the directory's entries.

import { existsSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

export interface Mount {
  drive: string; // "C"
  hostRoot: string; // absolute, real path
  readOnly: boolean;
}

export type Resolved =
  | { kind: 'file'; hostPath: string; guestPath: string; readOnly: boolean }
  | { kind: 'device'; device: 'NUL' | 'CON' | 'CONIN$' | 'CONOUT$'; guestPath: string }
  | { kind: 'error'; error: SandboxError; guestPath: string };

/** Why a path cannot be used; the runtime turns these into Win32 error codes. */
export type SandboxError = 'invalid-name' | 'path-not-found' | 'access-denied' | 'bad-netpath';

const DEVICE_NAMES = /^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$/i;

export class Sandbox {
  private mounts = new Map<string, Mount>();
  /** Current directory as a normalised guest path, e.g. "C:\\" or "C:\\data". */
  cwd = 'C:\\';

  constructor(root: string, programDir?: string) {
    const realRoot = realpathSync(resolve(root));
    this.mounts.set('C', { drive: 'C', hostRoot: realRoot, readOnly: false });
    if (programDir !== undefined) {
      const realProg = realpathSync(resolve(programDir));
      if (!isInside(realRoot, realProg)) this.mounts.set('D', { drive: 'D', hostRoot: realProg, readOnly: true });
    }
  }

  /** The guest path under which a host path is visible, if any (for the program's own path). */
  guestPathOf(hostPath: string): string | undefined {
    const real = realpathSync(resolve(hostPath));
    for (const m of this.mounts.values()) {
      if (isInside(m.hostRoot, real)) {
        const rel = real.slice(m.hostRoot.length).split(sep).filter(Boolean);
        return `${m.drive}:\\${rel.join('\\')}`;
      }
    }
    return undefined;
  }

  /** Normalises a guest path to an absolute `X:\a\b` form without resolving the host side. */
  normalize(path: string): string | undefined {
    let p = path.replace(/\//g, '\\');
    if (p.startsWith('\\\\?\\') || p.startsWith('\\??\\')) p = p.slice(4);
    if (p.startsWith('\\\\')) return undefined; // UNC
    let drive: string;
    let rest: string;
    if (/^[A-Za-z]:/.test(p)) {
      drive = p[0]!.toUpperCase();
      rest = p.slice(2);
      if (!rest.startsWith('\\')) {
        // Drive-relative ("C:foo"): relative to the cwd when it is on that drive.
        rest = (this.cwd[0] === drive ? this.cwd.slice(2) : '\\') + '\\' + rest;
      }
    } else if (p.startsWith('\\')) {
      drive = this.cwd[0]!;
      rest = p;
    } else {
      drive = this.cwd[0]!;
      rest = this.cwd.slice(2) + '\\' + p;
    }
    const parts: string[] = [];
    const components = rest.split('\\');
    for (let i = 0; i < components.length; i++) {
      const c = components[i]!;
      if (c === '' || c === '.') continue;
      if (c === '..') { parts.pop(); continue; }
      // As Windows normalises ("File path formats on Windows systems", Trim characters):
      // the last component loses all trailing dots and spaces; another one loses a
      // single trailing dot ("..." and "a " stay valid names).
      const trimmed = i === components.length - 1 ? c.replace(/[. ]+$/, '') : /[^.]\.$/.test(c) ? c.slice(0, -1) : c;
      if (trimmed === '') continue;
      parts.push(trimmed);
    }
    return `${drive}:\\${parts.join('\\')}`;
  }

  resolve(path: string): Resolved {
    if (path === '') return { kind: 'error', error: 'path-not-found', guestPath: path };
    const base = path.replace(/\//g, '\\').split('\\').pop() ?? '';
    if (/^(CONIN\$|CONOUT\$)$/i.test(base)) return { kind: 'device', device: base.toUpperCase() as 'CONIN$' | 'CONOUT$', guestPath: base };
    if (DEVICE_NAMES.test(base)) {
      const dev = base.split('.')[0]!.toUpperCase();
      if (dev === 'NUL' || dev === 'CON') return { kind: 'device', device: dev, guestPath: dev };
      return { kind: 'error', error: 'access-denied', guestPath: base };
    }
    if (/[<>"|?*\x00-\x1f]/.test(path.replace(/^\\\\\?\\/, ''))) return { kind: 'error', error: 'invalid-name', guestPath: path };
    const guestPath = this.normalize(path);
    // UNC paths: Windows answers ERROR_BAD_NETPATH for a server it cannot reach.
    if (guestPath === undefined) return { kind: 'error', error: 'bad-netpath', guestPath: path };
    const mount = this.mounts.get(guestPath[0]!);
    if (!mount) return { kind: 'error', error: 'path-not-found', guestPath };
    const parts = guestPath.slice(3).split('\\').filter(Boolean);
    let host = mount.hostRoot;
    for (const part of parts) host = join(host, matchCase(host, part));
    // Symlinks: the deepest existing ancestor must really be inside the mount. A dangling
    // symlink counts as existing (lstat), and is refused: creating a file through it
    // would create the link's target, wherever that is.
    let probe = host;
    while (!lexists(probe) && probe.length > mount.hostRoot.length) probe = resolve(probe, '..');
    let real: string;
    try { real = realpathSync(probe); } catch { return { kind: 'error', error: 'access-denied', guestPath }; }
    if (!isInside(mount.hostRoot, real)) return { kind: 'error', error: 'access-denied', guestPath };
    return { kind: 'file', hostPath: host, guestPath, readOnly: mount.readOnly };
  }
}

/** Whether a directory entry exists, a dangling symlink included (existsSync follows links). */
function lexists(p: string): boolean {
  try { lstatSync(p); return true; } catch { return false; }
}

function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The directory entry matching `name` case-insensitively, or `name` itself. */
function matchCase(dir: string, name: string): string {
  if (existsSync(join(dir, name))) return name;
  try {
    const lower = name.toLowerCase();
    for (const e of readdirSync(dir)) if (e.toLowerCase() === lower) return e;
  } catch {
    // Directory does not exist: the caller reports path-not-found when it opens.
  }
  return name;
}

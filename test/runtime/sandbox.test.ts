// runtime/fs/sandbox.ts: Windows path rules (Microsoft Learn, "File path formats on
// Windows systems" and "Naming Files, Paths, and Namespaces": `/` is a separator, `.`
// and `..` are resolved with `..` stopping at the root, trailing dots and spaces of the last
// component are dropped (a single trailing dot of the others), `C:x` is relative to the current directory of drive C,
// `\x` to the root of the current drive, reserved device names are devices in any
// directory, `<>:"|?*` and control characters are invalid) and the sandbox's own:
// nothing resolves outside the mounted directories.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../../runtime/fs/sandbox.js';

const top = realpathSync(mkdtempSync(join(tmpdir(), 'wexe-sandbox-test-')));
after(() => rmSync(top, { recursive: true, force: true }));
const root = join(top, 'root');
const prog = join(top, 'prog');
const outside = join(top, 'outside');
for (const d of [root, prog, outside, join(root, 'Data', 'Sub')]) mkdirSync(d, { recursive: true });
writeFileSync(join(root, 'Data', 'File.TXT'), 'x');
writeFileSync(join(prog, 'app.exe'), 'x');
writeFileSync(join(outside, 'secret'), 'x');
symlinkSync(outside, join(root, 'out-link'));
symlinkSync(join(root, 'Data'), join(root, 'in-link'));
symlinkSync(join(outside, 'not-yet'), join(root, 'dangling'));
symlinkSync('../outside/secret', join(root, 'relative-link'));

function sandbox(cwd = 'C:\\'): Sandbox {
  const s = new Sandbox(root, prog);
  s.cwd = cwd;
  return s;
}

const normalizeCases: [string, string, string | undefined][] = [
  // [cwd, path, normalized]
  ['C:\\', 'a\\b.txt', 'C:\\a\\b.txt'],
  ['C:\\dir', 'a/b/../c', 'C:\\dir\\a\\c'],
  ['C:\\dir', '.\\x', 'C:\\dir\\x'],
  ['C:\\dir\\sub', '..\\..\\..\\..\\x', 'C:\\x'],
  ['C:\\', 'C:\\..\\..\\etc\\passwd', 'C:\\etc\\passwd'],
  ['C:\\', '/etc/passwd', 'C:\\etc\\passwd'],
  ['C:\\dir', '\\top', 'C:\\top'],
  ['C:\\dir', 'C:rel', 'C:\\dir\\rel'],
  ['C:\\dir', 'D:rel', 'D:\\rel'],
  ['C:\\dir', 'c:\\Mixed\\Case', 'C:\\Mixed\\Case'],
  ['C:\\', 'C:\\a\\\\b\\', 'C:\\a\\b'],
  ['C:\\', 'C:\\name.txt.  ', 'C:\\name.txt'],
  ['C:\\', 'C:\\dir.\\f', 'C:\\dir\\f'],
  ['C:\\', 'C:\\dir. \\f', 'C:\\dir. \\f'],
  ['C:\\', 'C:\\...\\f', 'C:\\...\\f'],
  ['C:\\', 'C:\\trailing \\', 'C:\\trailing '],
  ['C:\\', '\\\\?\\C:\\x\\y', 'C:\\x\\y'],
  ['C:\\', 'C:', 'C:\\'],
  ['C:\\', '\\\\server\\share\\x', undefined],
];

for (const [cwd, path, want] of normalizeCases) {
  test(`normalize ${JSON.stringify(path)} in ${cwd} -> ${want ?? 'not a local path'}`, () => {
    assert.equal(sandbox(cwd).normalize(path), want);
  });
}

test('resolve maps C:\\ to the root and matches names case-insensitively', () => {
  const r = sandbox().resolve('c:\\DATA\\file.txt');
  assert.deepEqual(r, { kind: 'file', hostPath: join(root, 'Data', 'File.TXT'), guestPath: 'C:\\DATA\\file.txt', readOnly: false });
  const newFile = sandbox().resolve('C:\\data\\sub\\NEW.txt');
  assert.equal(newFile.kind === 'file' && newFile.hostPath, join(root, 'Data', 'Sub', 'NEW.txt'), 'existing directories matched, the new name kept');
});

test('the program directory, outside the root, is the read-only drive D:', () => {
  const s = sandbox();
  assert.equal(s.guestPathOf(join(prog, 'app.exe')), 'D:\\app.exe');
  const r = s.resolve('D:\\APP.EXE');
  assert.deepEqual(r, { kind: 'file', hostPath: join(prog, 'app.exe'), guestPath: 'D:\\APP.EXE', readOnly: true });
  assert.equal(s.guestPathOf(join(outside, 'secret')), undefined);
});

test('.. never leaves a drive: C:\\..\\ and D:\\..\\ stay at the drive root', () => {
  const s = sandbox();
  for (const p of ['..\\..\\outside\\secret', 'C:\\..\\outside\\secret', 'D:\\..\\outside\\secret']) {
    const r = s.resolve(p);
    assert.equal(r.kind, 'file');
    assert.ok(r.kind === 'file' && !r.hostPath.startsWith(outside), `${p} -> ${r.kind === 'file' ? r.hostPath : ''}`);
  }
});

test('drives other than C: and D:, and UNC paths, do not resolve', () => {
  const s = sandbox();
  assert.deepEqual(s.resolve('Z:\\x'), { kind: 'error', error: 'path-not-found', guestPath: 'Z:\\x' });
  assert.deepEqual(s.resolve('\\\\server\\share\\x'), { kind: 'error', error: 'bad-netpath', guestPath: '\\\\server\\share\\x' });
  assert.equal(s.resolve('//server/share').kind, 'error');
  assert.deepEqual(s.resolve(''), { kind: 'error', error: 'path-not-found', guestPath: '' });
});

test('reserved device names are devices in any directory and with any extension', () => {
  const s = sandbox();
  for (const p of ['NUL', 'nul', 'C:\\Data\\NUL', 'nul.txt', 'C:\\x\\Nul.dat']) {
    assert.deepEqual(s.resolve(p), { kind: 'device', device: 'NUL', guestPath: 'NUL' }, p);
  }
  assert.equal(s.resolve('CON').kind, 'device');
  assert.deepEqual(s.resolve('CONOUT$'), { kind: 'device', device: 'CONOUT$', guestPath: 'CONOUT$' });
  for (const p of ['COM1', 'lpt1.txt', 'AUX', 'PRN']) assert.equal(s.resolve(p).kind, 'error', p);
  assert.equal(s.resolve('NULL').kind, 'file', 'NULL is an ordinary name');
  assert.equal(s.resolve('CONSOLE.txt').kind, 'file');
});

test('invalid characters give invalid-name (ERROR_INVALID_NAME)', () => {
  const s = sandbox();
  for (const p of ['a<b', 'a>b', 'a|b', 'a"b', 'a?b', 'a*b', 'a\x01b']) {
    assert.deepEqual(s.resolve(p), { kind: 'error', error: 'invalid-name', guestPath: p }, JSON.stringify(p));
  }
});

test('symlinks leading out of the root are refused; ones that stay inside work', () => {
  const s = sandbox();
  for (const p of ['C:\\out-link', 'C:\\out-link\\secret', 'out-link\\new-file', 'OUT-LINK\\SECRET', 'C:\\relative-link']) {
    assert.equal(s.resolve(p).kind === 'error' && (s.resolve(p) as { error: string }).error, 'access-denied', p);
  }
  const inside = s.resolve('C:\\in-link\\File.TXT');
  assert.equal(inside.kind, 'file');
});

test('a dangling symlink is refused: creating a file through it would create its target outside', () => {
  const r = sandbox().resolve('C:\\dangling');
  assert.deepEqual(r, { kind: 'error', error: 'access-denied', guestPath: 'C:\\dangling' });
});

test('the root itself may be reached through a symlink', () => {
  const linkRoot = join(top, 'root-link');
  symlinkSync(root, linkRoot);
  const s = new Sandbox(linkRoot);
  const r = s.resolve('C:\\Data\\File.TXT');
  assert.equal(r.kind, 'file');
});

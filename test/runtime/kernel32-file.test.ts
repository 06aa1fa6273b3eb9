// KERNEL32 file functions' results and GetLastError codes, called through their thunks.
// Expected values are the documented ones: CreateFile (Microsoft Learn: CREATE_NEW on an
// existing file fails with ERROR_FILE_EXISTS 80; CREATE_ALWAYS and OPEN_ALWAYS on an
// existing file succeed with ERROR_ALREADY_EXISTS 183, else 0; OPEN_EXISTING on a
// missing file fails with ERROR_FILE_NOT_FOUND 2), ReadFile ("when a synchronous read
// reaches the end of a file, ReadFile returns TRUE and sets *lpNumberOfBytesRead to
// zero"), and the System Error Codes list (3 PATH_NOT_FOUND, 6 INVALID_HANDLE,
// 32 SHARING_VIOLATION, 131 NEGATIVE_SEEK, 145 DIR_NOT_EMPTY).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, api32, apiU32, cstr, makeGuest, scratch } from './support/guest.js';

const g = makeGuest();
after(() => g.dispose());
const p = g.p;
const K = 'KERNEL32.dll';

const GENERIC_READ = 0x80000000;
const GENERIC_WRITE = 0x40000000;
const [CREATE_NEW, CREATE_ALWAYS, OPEN_EXISTING, OPEN_ALWAYS, TRUNCATE_EXISTING] = [1, 2, 3, 4, 5];
const SHARE_ALL = 7;
const INVALID = 0xffff_ffff_ffff_ffffn;

const lastError = () => apiU32(p, K, 'GetLastError');
function createFile(path: string, access: number, disposition: number, share = SHARE_ALL): bigint {
  api(p, K, 'SetLastError', 0xdead);
  return api(p, K, 'CreateFileA', cstr(p, path), access, share, 0, disposition, 0x80, 0);
}
const close = (h: bigint) => assert.equal(api32(p, K, 'CloseHandle', h), 1);

test('missing files and directories: CreateFile and DeleteFile fail with ERROR_FILE_NOT_FOUND, or ERROR_PATH_NOT_FOUND when the directory is missing', () => {
  assert.equal(createFile('C:\\missing.txt', GENERIC_READ, OPEN_EXISTING), INVALID);
  assert.equal(lastError(), 2);
  assert.equal(createFile('C:\\nodir\\missing.txt', GENERIC_READ, OPEN_EXISTING), INVALID);
  assert.equal(lastError(), 3);
  assert.equal(createFile('C:\\nodir\\new.txt', GENERIC_WRITE, CREATE_ALWAYS), INVALID);
  assert.equal(lastError(), 3);
  assert.equal(api32(p, K, 'DeleteFileA', cstr(p, 'C:\\nothing\\x')), 0);
  assert.equal(lastError(), 3, 'DeleteFile in a missing directory');
  assert.equal(api32(p, K, 'DeleteFileA', cstr(p, 'C:\\nothing')), 0);
  assert.equal(lastError(), 2, 'DeleteFile of a missing file');
});

test('CREATE_NEW, CREATE_ALWAYS, OPEN_ALWAYS, TRUNCATE_EXISTING: results and last errors', () => {
  let h = createFile('C:\\d.txt', GENERIC_WRITE, CREATE_NEW);
  assert.notEqual(h, INVALID);
  assert.equal(lastError(), 0, 'CREATE_NEW of a new file');
  close(h);
  assert.equal(createFile('C:\\d.txt', GENERIC_WRITE, CREATE_NEW), INVALID);
  assert.equal(lastError(), 80);
  writeFileSync(join(g.root, 'd.txt'), 'old contents');
  h = createFile('C:\\d.txt', GENERIC_WRITE, CREATE_ALWAYS);
  assert.notEqual(h, INVALID);
  assert.equal(lastError(), 183, 'CREATE_ALWAYS over an existing file');
  close(h);
  assert.equal(readFileSync(join(g.root, 'd.txt')).length, 0, 'CREATE_ALWAYS truncates');
  h = createFile('C:\\e.txt', GENERIC_WRITE, CREATE_ALWAYS);
  assert.equal(lastError(), 0, 'CREATE_ALWAYS of a new file');
  close(h);
  h = createFile('C:\\e.txt', GENERIC_READ, OPEN_ALWAYS);
  assert.equal(lastError(), 183, 'OPEN_ALWAYS of an existing file');
  close(h);
  h = createFile('C:\\f.txt', GENERIC_READ, OPEN_ALWAYS);
  assert.equal(lastError(), 0, 'OPEN_ALWAYS of a new file');
  close(h);
  assert.ok(existsSync(join(g.root, 'f.txt')));
  assert.equal(createFile('C:\\missing2.txt', GENERIC_WRITE, TRUNCATE_EXISTING), INVALID);
  assert.equal(lastError(), 2);
});

test('sharing: a second open the first one does not share fails with ERROR_SHARING_VIOLATION; so does DeleteFile', () => {
  writeFileSync(join(g.root, 's.txt'), 'x');
  const h = createFile('C:\\s.txt', GENERIC_READ, OPEN_EXISTING, 0);
  assert.notEqual(h, INVALID);
  assert.equal(createFile('C:\\s.txt', GENERIC_READ, OPEN_EXISTING), INVALID);
  assert.equal(lastError(), 32);
  assert.equal(api32(p, K, 'DeleteFileA', cstr(p, 'C:\\s.txt')), 0);
  assert.equal(lastError(), 32);
  close(h);
  const shared = createFile('C:\\s.txt', GENERIC_READ, OPEN_EXISTING, 1);
  const second = createFile('C:\\s.txt', GENERIC_READ, OPEN_EXISTING, 1);
  assert.notEqual(second, INVALID, 'FILE_SHARE_READ readers coexist');
  assert.equal(createFile('C:\\s.txt', GENERIC_WRITE, OPEN_EXISTING, SHARE_ALL), INVALID, 'a writer is not shared');
  assert.equal(lastError(), 32);
  close(shared);
  close(second);
  assert.equal(api32(p, K, 'DeleteFileA', cstr(p, 'C:\\s.txt')), 1);
});

test('ReadFile at the end of a file succeeds with 0 bytes (no ERROR_HANDLE_EOF for synchronous handles)', () => {
  writeFileSync(join(g.root, 'r.txt'), 'abc');
  const h = createFile('C:\\r.txt', GENERIC_READ, OPEN_EXISTING);
  const buf = scratch(p, 16);
  const got = scratch(p, 4);
  assert.equal(api32(p, K, 'ReadFile', h, buf, 16, got, 0), 1);
  assert.equal(p.mem.read32(got), 3);
  api(p, K, 'SetLastError', 0);
  p.mem.write32(got, 99);
  assert.equal(api32(p, K, 'ReadFile', h, buf, 16, got, 0), 1);
  assert.equal(p.mem.read32(got), 0);
  assert.equal(lastError(), 0);
  close(h);
});

test('seeking before the start fails with ERROR_NEGATIVE_SEEK and keeps the position', () => {
  writeFileSync(join(g.root, 'n.txt'), '0123456789');
  const h = createFile('C:\\n.txt', GENERIC_READ, OPEN_EXISTING);
  assert.equal(apiU32(p, K, 'SetFilePointer', h, 4, 0, 0), 4);
  assert.equal(apiU32(p, K, 'SetFilePointer', h, -5, 0, 1), 0xffffffff);
  assert.equal(lastError(), 131);
  assert.equal(apiU32(p, K, 'SetFilePointer', h, 0, 0, 1), 4);
  close(h);
});

test('invalid handles: ERROR_INVALID_HANDLE from GetFileSize, ReadFile and CloseHandle', () => {
  assert.equal(apiU32(p, K, 'GetFileSize', 0x1234, 0), 0xffffffff);
  assert.equal(lastError(), 6);
  assert.equal(api32(p, K, 'ReadFile', 0x1234, scratch(p, 4), 4, scratch(p, 4), 0), 0);
  assert.equal(lastError(), 6);
  assert.equal(api32(p, K, 'CloseHandle', 0x1234), 0);
  assert.equal(lastError(), 6);
});

test('directories: CreateDirectory over an existing one gives ERROR_ALREADY_EXISTS; RemoveDirectory of a non-empty one ERROR_DIR_NOT_EMPTY', () => {
  assert.equal(api32(p, K, 'CreateDirectoryA', cstr(p, 'C:\\dir'), 0), 1);
  assert.equal(api32(p, K, 'CreateDirectoryA', cstr(p, 'C:\\dir'), 0), 0);
  assert.equal(lastError(), 183);
  assert.equal(api32(p, K, 'CreateDirectoryA', cstr(p, 'C:\\no\\such'), 0), 0);
  assert.equal(lastError(), 3);
  writeFileSync(join(g.root, 'dir', 'x'), '');
  assert.equal(api32(p, K, 'RemoveDirectoryA', cstr(p, 'C:\\dir')), 0);
  assert.equal(lastError(), 145);
});

test('GetFileAttributes: INVALID_FILE_ATTRIBUTES with ERROR_FILE_NOT_FOUND or ERROR_PATH_NOT_FOUND; directories flagged', () => {
  mkdirSync(join(g.root, 'attrdir'));
  assert.equal(apiU32(p, K, 'GetFileAttributesA', cstr(p, 'C:\\attrdir')) & 0x10, 0x10);
  assert.equal(apiU32(p, K, 'GetFileAttributesA', cstr(p, 'C:\\nothing')), 0xffffffff);
  assert.equal(lastError(), 2);
  assert.equal(apiU32(p, K, 'GetFileAttributesA', cstr(p, 'C:\\nothing\\x')), 0xffffffff);
  assert.equal(lastError(), 3);
});

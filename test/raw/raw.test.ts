// Raw mode (src/raw, `wexe raw`): endings, state dump, CLI exit statuses, and straight-
// line code against the real CPU through the native oracle, for every engine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_NAMES } from '../../src/engines.js';
import { runRaw } from '../../src/raw/run.js';
import { f80Decimal } from '../../src/raw/dump.js';
import type { RawStateDump } from '../../src/raw/dump.js';
import { RawSetupError } from '../../src/raw/setup.js';
import { runOnCpu, nativeCpuAvailable, CODE_ADDRESS, SCRATCH_ADDRESS, xmmF64, f80 } from '../native/cpu.js';
import type { CpuCase, CpuResult } from '../native/cpu.js';

const bytes = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/), (b) => parseInt(b, 16));
const HLT = 'f4';

test('hlt ends the run normally, RIP after it', () => {
  const r = runRaw({ code: bytes(`48 01 d8 ${HLT}`), base: 0x10000, set: { rax: 5n, rbx: 7n } });
  assert.deepEqual(r.ending, { kind: 'hlt' });
  assert.equal(r.state.gpr.rax, '0x000000000000000c');
  assert.equal(r.state.rip, '0x0000000000010004');
  assert.equal(r.state.rflags, '0x00000206');
  assert.equal(r.instructions, 2);
});

test('initial state: RFLAGS 0x202, MXCSR 0x1F80, x87 as after FNINIT, bases zero', () => {
  const r = runRaw({ code: bytes(HLT), base: 0x400000 });
  assert.equal(r.state.rflags, '0x00000202');
  assert.equal(r.state.mxcsr, '0x00001f80');
  assert.deepEqual([r.state.x87.control, r.state.x87.status, r.state.x87.tag], ['0x037f', '0x0000', '0xffff']);
  assert.equal(r.state.fsbase, '0x0000000000000000');
  assert.ok(Object.values(r.state.gpr).every((v) => BigInt(v) === 0n));
});

test('mapped memory is read-write and zeroed; the code page is writable', () => {
  // mov qword [rbx], rax; mov rcx, [rbx]; mov byte [rip+0], 0x90 (overwrites the next byte: an int3 becomes a nop); int3; hlt
  const r = runRaw({ code: bytes(`48 89 03 48 8b 0b c6 05 00 00 00 00 90 cc ${HLT}`), base: 0x10000,
    maps: [{ addr: 0x200000, size: 0x1000 }], set: { rax: 0x1122334455667788n, rbx: 0x200008n } });
  assert.equal(r.ending.kind, 'hlt');
  assert.equal(r.state.gpr.rcx, '0x1122334455667788');
});

test('faults are reported with the Windows exception, RIP at the faulting instruction', () => {
  const av = runRaw({ code: bytes(`90 48 8b 03 ${HLT}`), base: 0x10000, set: { rbx: 0x5000n } });
  assert.deepEqual(av.ending, { kind: 'fault', code: 0xc0000005, name: 'EXCEPTION_ACCESS_VIOLATION', rip: 0x10001, address: 0x5000, access: 0 });
  const de = runRaw({ code: bytes(`48 f7 f1 ${HLT}`), base: 0x10000 });
  assert.equal(de.ending.kind === 'fault' && de.ending.name, 'EXCEPTION_INT_DIVIDE_BY_ZERO');
  const ud = runRaw({ code: bytes('0f 0b'), base: 0x10000 });
  assert.equal(ud.ending.kind === 'fault' && ud.ending.code, 0xc000001d);
  const bp = runRaw({ code: bytes('cc'), base: 0x10000 });
  assert.equal(bp.ending.kind === 'fault' && bp.ending.name, 'EXCEPTION_BREAKPOINT');
  // Running off the end of the code page.
  const off = runRaw({ code: bytes('90'), base: 0x10000 });
  // The zeroed rest of the page decodes as add [rax], al: rax = 0 is unmapped.
  assert.deepEqual(off.ending, { kind: 'fault', code: 0xc0000005, name: 'EXCEPTION_ACCESS_VIOLATION', rip: 0x10001, address: 0, access: 0 });
});

test('the instruction budget stops an endless loop', () => {
  const r = runRaw({ code: bytes('eb fe'), base: 0x10000 }, { maxInstructions: 50 });
  assert.deepEqual(r.ending, { kind: 'limit', instructions: 50 });
});

test('setup errors are reported, not thrown as crashes', () => {
  assert.throws(() => runRaw({ code: bytes(HLT), base: 0x10001 }), RawSetupError);
  assert.throws(() => runRaw({ code: bytes(HLT), base: 0x1000 }), RawSetupError);
  assert.throws(() => runRaw({ code: bytes(HLT), base: 0x10000, maps: [{ addr: 0x10000, size: 16 }] }), RawSetupError);
  assert.throws(() => runRaw({ code: bytes(HLT), base: 0x10000, set: { eax: 1n } }), RawSetupError);
  assert.throws(() => runRaw({ code: bytes(HLT), base: 0x10000, set: { rflags: 0x100n } }), RawSetupError);
});

test('x87 registers are shown as hex and decimal', () => {
  assert.equal(f80Decimal(0x3fff, 0x8000000000000000n), '1e+0');
  assert.equal(f80Decimal(0xbfff, 0xc000000000000000n), '-1.5e+0');
  assert.equal(f80Decimal(0x3ffb, 0xcccccccccccccccdn), '1.00000000000000000001e-1');
  assert.equal(f80Decimal(0x0000, 1n), '3.64519953188247460253e-4951');
  assert.equal(f80Decimal(0x7ffe, 0xffffffffffffffffn), '1.18973149535723176502e+4932');
  assert.equal(f80Decimal(0x7fff, 0x8000000000000000n), 'inf');
  assert.equal(f80Decimal(0xffff, 0xc000000000000000n), 'nan');
  assert.equal(f80Decimal(0x7fff, 0x8000000000000001n), 'snan');
  assert.equal(f80Decimal(0x4000, 0x4000000000000000n), 'unsupported');
  // fld1; fldpi; faddp
  const r = runRaw({ code: bytes(`d9 e8 d9 eb de c1 ${HLT}`), base: 0x10000 });
  assert.equal(r.state.x87.top, 7);
  assert.deepEqual(r.state.x87.st[0], { physical: 7, hex: '0x4001:8487ed5110b4611a', value: '4.1415926535897932383e+0', tag: 'valid' });
  assert.equal(r.state.x87.st[1]!.tag, 'empty');
});

// ---- the CLI ---------------------------------------------------------------------------

const MAIN = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

function cli(code: Uint8Array, ...args: string[]): { status: number | null; json?: Record<string, unknown>; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wexe-raw-'));
  const file = join(dir, 'code.bin');
  writeFileSync(file, code);
  const r = spawnSync(process.execPath, [MAIN, 'raw', file, ...args], { encoding: 'utf8' });
  return { status: r.status, json: r.stdout ? JSON.parse(r.stdout) as Record<string, unknown> : undefined, stderr: r.stderr };
}

test('wexe raw: JSON output and exit statuses', () => {
  const ok = cli(bytes(`48 01 d8 0f 28 c1 ${HLT}`), '--base', '0x400000', '--set', 'rax=-1', '--set', 'rbx=2',
    '--set', 'xmm1=0x0123456789abcdef0011223344556677', '--map', '0x500000:0x2000');
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(ok.json!.ending, { kind: 'hlt' });
  assert.equal((ok.json!.gpr as Record<string, string>).rax, '0x0000000000000001');
  assert.equal((ok.json!.xmm as Record<string, string>).xmm0, '0x0123456789abcdef0011223344556677');
  assert.equal(ok.json!.rip, '0x0000000000400007');
  assert.equal(ok.json!.flags, 'CF AF');

  const fault = cli(bytes('8b 03'), '--set', 'rbx=0x1234');
  assert.equal(fault.status, 1);
  assert.deepEqual(fault.json!.ending, { kind: 'fault', exception: 'EXCEPTION_ACCESS_VIOLATION', code: '0xc0000005', rip: '0x10000', address: '0x1234', access: 'read' });

  assert.equal(cli(bytes('eb fe'), '--max-instructions', '10').status, 3);
  assert.equal(cli(bytes(HLT), '--set', 'bogus=1').status, 2);
  assert.equal(cli(bytes(HLT), '--base', '0x10001').status, 2);
  for (const engine of ENGINE_NAMES) assert.equal(cli(bytes(HLT), '--engine', engine).status, 0);
});

// ---- against the real CPU -----------------------------------------------------------------

const SNIPPETS: CpuCase[] = [
  // add rax, rbx; imul rcx, rax, 7; sbb edx, ecx; bsr r8, rcx; rol r9w, 3; setc r10b; cmp ecx, edx (flags all defined again)
  { code: bytes('48 01 d8 48 6b c8 07 19 ca 4c 0f bd c1 66 41 c1 c1 03 41 0f 92 c2 39 d1'), gpr: { rax: -5, rbx: 0x123456789n, r9: 0x8421 } },
  // mov [rsi], rdi; add qword [rsi+8], -1; xadd [rsi], rdi; movzx eax, byte [rsi+1]; lea r11, [rsi+rdi*4+12]
  { code: bytes('48 89 3e 48 83 46 08 ff 48 0f c1 3e 0f b6 46 01 4c 8d 5c be 0c'), gpr: { rsi: SCRATCH_ADDRESS, rdi: 0x7fffffffffffffffn } },
  // divsd xmm0, xmm1; sqrtsd xmm2, xmm0; cvttsd2si rax, xmm2; pshufd xmm3, xmm1, 0x1b; paddq xmm3, xmm0
  { code: bytes('f2 0f 5e c1 f2 0f 51 d0 f2 48 0f 2c c2 66 0f 70 d9 1b 66 0f d4 d8'), xmm: [xmmF64(10, -1), xmmF64(3, 0.5)] },
  // fld tword-free x87: fldpi; fmul st0, st1; fsqrt; fxch; fstp st0... (fild qword [rsi]; fdiv st1)
  { code: bytes('d9 eb d8 c9 d9 fa d9 c9 df 2e dc f9'), gpr: { rsi: SCRATCH_ADDRESS }, x87: { st: [f80(2.5)] }, scratch: new Uint8Array([7, 0, 0, 0, 0, 0, 0, 0]) },
  // rounding: ldmxcsr-free: cvtsd2si with RC = down via the case's MXCSR
  { code: bytes('f2 48 0f 2d c0 f2 0f 59 c0'), xmm: [xmmF64(-2.5)], mxcsr: 0x3f80 },
];

function rawAsCase(c: CpuCase, engine: (typeof ENGINE_NAMES)[number]): RawStateDump {
  const set: Record<string, bigint> = {};
  for (const [k, v] of Object.entries(c.gpr ?? {})) set[k] = BigInt.asUintN(64, BigInt(v as number | bigint));
  c.xmm?.forEach((x, i) => {
    if (!x) return;
    const dv = new DataView(x.buffer, x.byteOffset, 16);
    set[`xmm${i}`] = (dv.getBigUint64(8, true) << 64n) | dv.getBigUint64(0, true);
  });
  if (c.mxcsr !== undefined) set.mxcsr = BigInt(c.mxcsr);
  // x87 inputs and scratch contents go in through a prologue: fld tword [scratch+0x800] per value.
  const prologue: number[] = [];
  const scratch = new Uint8Array(0x1000);
  if (c.scratch) scratch.set(c.scratch);
  const st = c.x87?.st ?? [];
  for (let i = st.length - 1; i >= 0; i--) {
    scratch.set(st[i]!, 0x800 + 16 * i);
    // fld tword [abs32 disp]: db 2c 25 <disp32>
    const a = SCRATCH_ADDRESS + 0x800 + 16 * i;
    prologue.push(0xdb, 0x2c, 0x25, a & 0xff, (a >> 8) & 0xff, (a >> 16) & 0xff, a >>> 24);
  }
  // The scratch page is a mapped region; its initial bytes are copied in by a prologue of
  // mov byte [abs32], imm8 for each non-zero byte.
  const init: number[] = [];
  scratch.forEach((b, off) => {
    if (b === 0) return;
    const a = SCRATCH_ADDRESS + off;
    init.push(0xc6, 0x04, 0x25, a & 0xff, (a >> 8) & 0xff, (a >> 16) & 0xff, a >>> 24, b);
  });
  const code = Uint8Array.from([...init, ...prologue, ...c.code, 0xf4]);
  const r = runRaw({ code, base: CODE_ADDRESS - 0x1000, maps: [{ addr: SCRATCH_ADDRESS, size: 0x1000 }],
    set: { ...set, rip: BigInt(CODE_ADDRESS - 0x1000) } }, { engine });
  assert.equal(r.ending.kind, 'hlt', JSON.stringify(r.ending));
  return r.state;
}

function cpuAsDump(r: CpuResult): Pick<RawStateDump, 'gpr' | 'flags' | 'xmm' | 'mxcsr'> & { st: string[] } {
  const names = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
  const gpr: Record<string, string> = {};
  names.forEach((n, i) => { gpr[n] = `0x${r.gpr[i]!.toString(16).padStart(16, '0')}`; });
  const xmm: Record<string, string> = {};
  r.xmm.forEach((x, i) => {
    const dv = new DataView(x.buffer, x.byteOffset, 16);
    xmm[`xmm${i}`] = `0x${((dv.getBigUint64(8, true) << 64n) | dv.getBigUint64(0, true)).toString(16).padStart(32, '0')}`;
  });
  const top = (r.x87.status >> 11) & 7;
  const st = r.x87.st.map((v, i) => {
    if (((r.x87.tag >> (2 * ((top + i) & 7))) & 3) === 3) return 'empty';
    const dv = new DataView(v.buffer, v.byteOffset, 10);
    return `0x${dv.getUint16(8, true).toString(16).padStart(4, '0')}:${dv.getBigUint64(0, true).toString(16).padStart(16, '0')}`;
  });
  const flagNames: [number, string][] = [[0x1, 'CF'], [0x4, 'PF'], [0x10, 'AF'], [0x40, 'ZF'], [0x80, 'SF'], [0x400, 'DF'], [0x800, 'OF']];
  return { gpr, flags: flagNames.filter(([b]) => r.rflags & b).map(([, n]) => n).join(' '), xmm, mxcsr: `0x${r.mxcsr.toString(16).padStart(8, '0')}`, st };
}

for (const engine of ENGINE_NAMES) {
  test(`raw mode matches the CPU on straight-line code (${engine})`, { skip: !nativeCpuAvailable() && 'no native x86-64 CPU' }, () => {
    const native = runOnCpu(SNIPPETS);
    SNIPPETS.forEach((c, n) => {
      const want = cpuAsDump(native[n]!);
      assert.equal(native[n]!.fault, undefined);
      const got = rawAsCase(c, engine);
      const gotGpr = { ...got.gpr, rsp: want.gpr.rsp! };
      assert.deepEqual(
        { gpr: gotGpr, flags: got.flags, xmm: got.xmm, mxcsr: got.mxcsr, st: got.x87.st.map((s) => (s.tag === 'empty' ? 'empty' : s.hex)) },
        want, `snippet ${n}`);
    });
  });
}

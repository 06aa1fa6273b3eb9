// The native-CPU oracle: runs CpuCases on the host x86-64 CPU and returns the state
// they leave, so interpreter/SSE/x87 tests can prove their semantics against silicon.
//
//   import { runOnCpu, SCRATCH_ADDRESS } from '../native/cpu.js';
//   const [r] = runOnCpu([{ code: new Uint8Array([0x48, 0x01, 0xd8]), gpr: { rax: 5n, rbx: 7n } }]);
//   r.gpr[0] === 12n
//
// How it works: test/native/harness.c is compiled with `cc -O1` on first use into
// $TMPDIR/wexe-native/<hash of the source>/harness (so every test file after the first
// reuses it), then one harness process per batch (spawnSync) reads all cases from stdin
// and writes the results to stdout. Every case is first checked by safety.ts and
// refused (UnsafeCaseError) if it could do anything but compute: no system or
// privileged instructions, control transfers only single-stepped and caught when they
// leave the code page, a stack only in the scratch page, memory only through general
// registers at the scratch page or at unmapped low addresses.
//
// Each case starts with: the given GPRs (others 0; RSP is the case's own: 0, or in the
// scratch page for cases that use the stack), RFLAGS
// = given arithmetic flags and DF | 0x202, MXCSR (default 0x1F80), XMM0-15, and x87
// state loaded with FXRSTOR (default: FNINIT's state, control 0x037F, all empty), the
// scratch page at SCRATCH_ADDRESS (0x10000000) and the code at CODE_ADDRESS (0x20000000).
// Results are read back with FXSAVE (x87 tag word expanded to the full 16-bit form
// from the abridged one plus register contents, as FSTENV would report it). Faults
// (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP) are caught; the result then holds the state
// at the fault from the signal context. Faults leave RF (0x10000) set in the reported
// RFLAGS, so compare flags through a mask (compare.ts does).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuCase, CpuResult, FaultSignal } from './case.js';
import {
  CODE_ADDRESS, SCRATCH_SIZE, caseGprs, caseMxcsr, caseRflags, caseScratch, caseX87, caseXmm, fullTagWord,
} from './case.js';
import { checkCase } from './safety.js';

export * from './case.js';
export { UnsafeCaseError, checkCase, disassemble } from './safety.js';

const MAGIC = 0x314e5857; // "WXN1"
const IN_RECORD = 720;
const OUT_RECORD = 672;
const FLAG_SCRATCH_IN = 1;
const FLAG_SCRATCH_OUT = 2;
const FLAG_STEP = 4;
/** harness.c's si_code for a stepped case whose transfer left the code page, and for one that ran too long. */
const SI_ESCAPED = 0x7e01;
const SI_STEP_LIMIT = 0x7e02;
/** Bytes of the harness's tail jump after the code; the code page is INT3 after it. */
const TAIL_BYTES = 14;
/** Cases per harness process; keeps pipes and buffers bounded for huge batches. */
const BATCH = 8192;

const SIGNALS: Record<number, FaultSignal> = { 4: 'SIGILL', 5: 'SIGTRAP', 7: 'SIGBUS', 8: 'SIGFPE', 11: 'SIGSEGV' };
const SEGV_MAPERR = 1;
const SEGV_ACCERR = 2;
const BUS_ADRALN = 1;
const BUS_ADRERR = 2;

let harnessPath: string | undefined;

/** Whether this host can run the oracle at all (x86-64 Linux). */
export function nativeCpuAvailable(): boolean {
  return process.arch === 'x64' && process.platform === 'linux';
}

function findHarnessSource(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Compiled tests live in dist/test/native; the C source stays in test/native.
  for (const p of [join(here, 'harness.c'), join(here, '..', '..', '..', 'test', 'native', 'harness.c')]) {
    if (existsSync(p)) return p;
  }
  throw new Error(`native harness source test/native/harness.c not found (looked from ${here})`);
}

/** Compiles the harness once per source version; returns the executable's path. */
export function harnessExecutable(): string {
  if (harnessPath) return harnessPath;
  if (!nativeCpuAvailable()) throw new Error(`the native CPU oracle needs x86-64 Linux (this is ${process.platform}/${process.arch})`);
  const srcPath = findHarnessSource();
  const source = readFileSync(srcPath);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'wexe-native', hash);
  const exe = join(dir, 'harness');
  if (!existsSync(exe)) {
    mkdirSync(dir, { recursive: true });
    // Compile to a private name and rename: test files run in parallel processes.
    const tmp = join(dir, `harness.${process.pid}.tmp`);
    const r = spawnSync('cc', ['-O1', '-o', tmp, srcPath], { encoding: 'utf8' });
    if (r.error) {
      const code = (r.error as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT'
        ? 'the native CPU oracle needs a C compiler: `cc` was not found on PATH (install gcc or clang)'
        : `cannot run cc: ${r.error.message}`);
    }
    if (r.status !== 0) {
      rmSync(tmp, { force: true });
      throw new Error(`cc failed to compile ${srcPath}:\n${r.stderr}`);
    }
    renameSync(tmp, exe);
  }
  harnessPath = exe;
  return exe;
}

/** Runs the cases on the host CPU, in order; throws UnsafeCaseError before running anything if one is refused. */
export function runOnCpu(cases: readonly CpuCase[]): CpuResult[] {
  const checked = cases.map((c, n) => {
    try {
      return checkCase(c);
    } catch (e) {
      if (e instanceof Error) e.message = `case ${n}${c.name ? ` (${c.name})` : ''}: ${e.message}`;
      throw e;
    }
  });
  const exe = harnessExecutable();
  const results: CpuResult[] = [];
  for (let start = 0; start < cases.length; start += BATCH) {
    const slice = cases.slice(start, start + BATCH);
    const readBack = slice.map((c, n) => c.scratch !== undefined || checked[start + n]!.usesMemory);
    const step = slice.map((_c, n) => checked[start + n]!.transfers);
    results.push(...runBatch(exe, slice, readBack, step));
  }
  return results;
}

function runBatch(exe: string, cases: readonly CpuCase[], readBack: boolean[], step: boolean[]): CpuResult[] {
  let inputSize = 8;
  for (const c of cases) inputSize += IN_RECORD + (c.scratch !== undefined ? SCRATCH_SIZE : 0);
  const input = Buffer.alloc(inputSize);
  input.writeUInt32LE(MAGIC, 0);
  input.writeUInt32LE(cases.length, 4);
  let at = 8;
  cases.forEach((c, n) => { at = encodeCase(c, readBack[n]!, step[n]!, input, at); });
  const expected = readBack.reduce((sum, rb) => sum + OUT_RECORD + (rb ? SCRATCH_SIZE : 0), 0);
  const r = spawnSync(exe, [], { input, maxBuffer: expected + 65536, timeout: 120_000 });
  if (r.error) throw new Error(`native harness failed to run: ${r.error.message}`);
  if (r.status !== 0 || r.stdout.length !== expected) {
    throw new Error(`native harness ${r.signal ? `died of ${r.signal}` : `exited with ${r.status}`} `
      + `after ${r.stdout.length} of ${expected} output bytes: ${r.stderr.toString().trim()}`);
  }
  const out: CpuResult[] = [];
  let pos = 0;
  for (let n = 0; n < cases.length; n++) {
    const c = cases[n]!;
    const record = r.stdout.subarray(pos, pos + OUT_RECORD);
    pos += OUT_RECORD;
    let scratch: Uint8Array | undefined;
    if (readBack[n]) {
      scratch = view(r.stdout, pos, SCRATCH_SIZE);
      pos += SCRATCH_SIZE;
    }
    out.push(decodeResult(c, record, scratch, step[n]!));
  }
  return out;
}

/** Builds the FXSAVE image FXRSTOR loads: x87, MXCSR and XMM state. */
function writeFxsaveImage(c: CpuCase, b: Buffer, at: number): void {
  const fx = b.subarray(at, at + 512);
  const x = caseX87(c);
  fx.writeUInt16LE(x.control, 0);
  fx.writeUInt16LE(x.status | (x.top << 11), 2);
  let abridged = 0;
  for (let i = 0; i < 8; i++) if ((x.validSt >> i) & 1) abridged |= 1 << ((x.top + i) & 7);
  fx.writeUInt8(abridged, 4);
  fx.writeUInt32LE(caseMxcsr(c), 24);
  for (let i = 0; i < 8; i++) fx.set(x.st[i]!, 32 + 16 * i); // FXSAVE stores ST(i) order
  for (let i = 0; i < 16; i++) if (c.xmm?.[i]) fx.set(caseXmm(c, i), 160 + 16 * i);
}

/** Writes the case's IN record (and scratch block) into `b` at `at`; returns the end offset. */
function encodeCase(c: CpuCase, readBack: boolean, step: boolean, b: Buffer, at: number): number {
  const hasScratch = c.scratch !== undefined;
  b.writeUInt32LE(c.code.length, at);
  b.writeUInt32LE((hasScratch ? FLAG_SCRATCH_IN : 0) | (readBack ? FLAG_SCRATCH_OUT : 0) | (step ? FLAG_STEP : 0), at + 4);
  b.set(c.code, at + 8);
  const { values } = caseGprs(c);
  for (let i = 0; i < 16; i++) b.writeBigUInt64LE(values[i]!, at + 72 + 8 * i);
  b.writeBigUInt64LE(BigInt(caseRflags(c)), at + 200);
  writeFxsaveImage(c, b, at + 208);
  if (!hasScratch) return at + IN_RECORD;
  b.set(caseScratch(c), at + IN_RECORD);
  return at + IN_RECORD + SCRATCH_SIZE;
}

/**
 * A plain Uint8Array over part of the harness output (no copy; results share the
 * output's memory). Not a Buffer, so deepEqual against Uint8Arrays works.
 */
function view(b: Buffer, offset: number, length: number): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset + offset, length);
}

/** Defers building an untouched scratch copy until a test looks at it (saves 4 KiB per case). */
function lazyScratch(result: CpuResult, c: CpuCase): void {
  let value: Uint8Array | undefined;
  Object.defineProperty(result, 'scratch', {
    enumerable: true,
    get: () => (value ??= caseScratch(c)),
    set: (v: Uint8Array) => { value = v; },
  });
}

/** The byte at `offset` of the code page as the harness fills it (code, tail jump, INT3). */
function codePageByte(c: CpuCase, offset: number): number | undefined {
  if (offset < 0 || offset >= SCRATCH_SIZE) return undefined;
  if (offset < c.code.length) return c.code[offset];
  return offset >= c.code.length + TAIL_BYTES ? 0xcc : undefined;
}

function decodeResult(c: CpuCase, rec: Buffer, scratch: Uint8Array | undefined, stepped: boolean): CpuResult {
  const sig = rec.readUInt32LE(0);
  const siCode = rec.readUInt32LE(4);
  const faultAddr = rec.readBigUInt64LE(8);
  const rip = Number(rec.readBigUInt64LE(16));
  const gpr: bigint[] = [];
  for (let i = 0; i < 16; i++) gpr.push(rec.readBigUInt64LE(24 + 8 * i));
  const rflags = Number(rec.readBigUInt64LE(152));
  const fx = rec.subarray(160, 672);
  const st: Uint8Array[] = [];
  for (let i = 0; i < 8; i++) st.push(view(fx, 32 + 16 * i, 10));
  const xmm: Uint8Array[] = [];
  for (let i = 0; i < 16; i++) xmm.push(view(fx, 160 + 16 * i, 16));
  const status = fx.readUInt16LE(2);
  const result = {
    gpr, rflags, xmm, mxcsr: fx.readUInt32LE(24),
    x87: { control: fx.readUInt16LE(0), status, tag: fullTagWord(fx.readUInt8(4), (status >> 11) & 7, st), st },
  } as CpuResult;
  if (scratch) result.scratch = scratch;
  else lazyScratch(result, c); // nothing in the case touches memory: the page is unchanged
  if (sig !== 0) {
    const fault = SIGNALS[sig];
    if (!fault) throw new Error(`native harness reported unexpected signal ${sig}`);
    if (siCode === SI_STEP_LIMIT) throw new Error(`native case ran more than the harness's step limit (a loop?): ${c.name ?? ''}`);
    let offset = rip - CODE_ADDRESS;
    // A stepped case may transfer anywhere on its code page, or leave it (SI_ESCAPED).
    const inRange = stepped ? siCode === SI_ESCAPED || (offset >= 0 && offset < SCRATCH_SIZE) : offset >= 0 && offset <= c.code.length;
    if (!inRange) {
      throw new Error(`native harness faulted outside the case code (${fault} at 0x${rip.toString(16)}): a harness bug or a bad x87/MXCSR input`);
    }
    // INT3 traps after the instruction; report the INT3 itself, as Windows does.
    if (fault === 'SIGTRAP' && offset > 0 && codePageByte(c, offset - 1) === 0xcc) offset -= 1;
    result.fault = fault;
    result.faultOffset = offset;
    const pageFault = (fault === 'SIGSEGV' && (siCode === SEGV_MAPERR || siCode === SEGV_ACCERR || siCode === SI_ESCAPED))
      || (fault === 'SIGBUS' && (siCode === BUS_ADRALN || siCode === BUS_ADRERR));
    if (pageFault) result.faultAddress = faultAddr;
  }
  return result;
}

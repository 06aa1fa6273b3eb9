// The real CPU as an x87 oracle: a small C program (compiled once per source hash with
// the host `cc`) that runs arbitrary instruction bytes between FRSTOR of a given
// 108-byte FSAVE image and FNSAVE of the result, with RDI pointing at a memory buffer
// and RAX/RFLAGS given and captured. One process runs a whole batch of cases.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const C_SOURCE = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>

static int hv(int c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
static size_t readhex(const char *s, uint8_t *out, size_t max) {
  size_t n = 0;
  if (s[0] == '-') return 0;
  while (s[0] && s[1] && n < max) { out[n++] = (uint8_t)(hv(s[0]) * 16 + hv(s[1])); s += 2; }
  return n;
}
static void puthex(const uint8_t *p, size_t n) { for (size_t i = 0; i < n; i++) printf("%02x", p[i]); }

static const uint8_t prologue[] = {
  0x48, 0x8b, 0x01,       /* mov rax, [rcx] */
  0xff, 0x71, 0x08,       /* push qword [rcx+8] */
  0x9d,                   /* popfq */
  0xdd, 0x26,             /* frstor [rsi] */
};
static const uint8_t epilogue[] = {
  0xdd, 0x32,             /* fnsave [rdx] */
  0x48, 0x89, 0x01,       /* mov [rcx], rax */
  0x9c,                   /* pushfq */
  0x8f, 0x41, 0x08,       /* pop qword [rcx+8] */
  0xc3,                   /* ret */
};

static uint8_t mem[1024] __attribute__((aligned(64)));

int main(void) {
  uint8_t *code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) { perror("mmap"); return 1; }
  static char line[16384];
  uint8_t insn[16], in[108], out[108];
  uint64_t regs[2];
  while (fgets(line, sizeof line, stdin)) {
    char *f[5];
    f[0] = strtok(line, " \n");
    for (int i = 1; i < 5; i++) f[i] = strtok(0, " \n");
    if (!f[4]) { fprintf(stderr, "bad line\n"); return 1; }
    size_t ilen = readhex(f[0], insn, sizeof insn);
    memset(in, 0, sizeof in);
    readhex(f[1], in, sizeof in);
    memset(mem, 0, sizeof mem);
    size_t mlen = readhex(f[2], mem, sizeof mem);
    regs[0] = strtoull(f[3], 0, 16);
    regs[1] = strtoull(f[4], 0, 16);
    size_t n = 0;
    memcpy(code + n, prologue, sizeof prologue); n += sizeof prologue;
    memcpy(code + n, insn, ilen); n += ilen;
    memcpy(code + n, epilogue, sizeof epilogue); n += sizeof epilogue;
    ((void (*)(void *, void *, void *, void *))code)(mem, in, out, regs);
    __builtin_ia32_ldmxcsr(0x1f80);
    puthex(out, sizeof out); putchar(' ');
    if (mlen) puthex(mem, mlen); else putchar('-');
    printf(" %llx %llx\n", (unsigned long long)regs[0], (unsigned long long)regs[1]);
  }
  return 0;
}
`;

export interface HostCase {
  /** Instruction bytes; memory operands should use [rdi]. */
  code: Uint8Array;
  /** 108-byte FSAVE image (32-bit protected-mode layout) loaded with FRSTOR first. */
  image: Uint8Array;
  /** Initial bytes at [rdi] (the rest of a 1 KiB buffer is zero); the same length comes back. */
  mem: Uint8Array;
  rax: bigint;
  rflags: bigint;
}

export interface HostResult { image: Uint8Array; mem: Uint8Array; rax: bigint; rflags: bigint }

let binary: string | undefined;

function compile(): string {
  if (binary) return binary;
  const hash = createHash('sha256').update(C_SOURCE).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'wexe-x87-oracle');
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, `oracle-${hash}`);
  if (!existsSync(exe)) {
    const src = join(dir, `oracle-${hash}-${process.pid}.c`);
    writeFileSync(src, C_SOURCE);
    const tmpExe = `${exe}.${process.pid}`;
    const r = spawnSync('cc', ['-O1', '-o', tmpExe, src], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cc failed: ${r.stderr}`);
    spawnSync('mv', [tmpExe, exe]);
  }
  binary = exe;
  return exe;
}

const hex = (b: Uint8Array): string => (b.length ? Buffer.from(b).toString('hex') : '-');
const unhex = (s: string): Uint8Array => (s === '-' ? new Uint8Array(0) : new Uint8Array(Buffer.from(s, 'hex')));

/** Runs every case on the real CPU (x86-64 host only). */
export function runOnHost(cases: HostCase[]): HostResult[] {
  const exe = compile();
  const input = cases.map((c) => `${hex(c.code)} ${hex(c.image)} ${hex(c.mem)} ${c.rax.toString(16)} ${c.rflags.toString(16)}`).join('\n') + '\n';
  const r = spawnSync(exe, [], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`x87 oracle failed (status ${r.status}, signal ${r.signal}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  if (lines.length !== cases.length) throw new Error(`x87 oracle returned ${lines.length} results for ${cases.length} cases`);
  return lines.map((l) => {
    const [img, mem, rax, fl] = l.split(' ');
    return { image: unhex(img!), mem: unhex(mem!), rax: BigInt('0x' + rax!), rflags: BigInt('0x' + fl!) };
  });
}

export const hostIsX86 = process.arch === 'x64';

// Native-CPU oracle harness: runs test cases of a few x86-64 instructions on the host
// CPU and reports the resulting architectural state. Compiled and driven by
// test/native/cpu.ts, which has already refused anything unsafe (system instructions,
// explicit writes of RSP, a stack outside the scratch page, memory operands outside
// the scratch page; control transfers are single-stepped, below); this file
// trusts its input only that far and still checks what it cheaply can.
//
// Protocol (all little-endian; the record layouts are mirrored in cpu.ts):
//   stdin:  u32 magic 'WXN1', u32 case count, then per case an IN record (720 bytes),
//           followed by 4096 scratch bytes when flags bit 0 is set.
//   stdout: per case an OUT record (672 bytes), followed by the 4096 scratch bytes after
//           the run when flags bit 1 is set.
//
// The case's code is copied to CODE_ADDRESS followed by `jmp [rip+0]; dq case_return`,
// and the rest of the code page is filled with INT3. The stub below saves the harness's
// callee-saved registers and stack pointer, loads x87/SSE/MXCSR with FXRSTOR, the GPRs,
// RFLAGS with POPFQ and RSP (the case's own: 0 when it does not use the stack, else an
// address in the scratch page; the harness stack is never the case's), then jumps to
// the code. The return stub stores the GPRs without touching the case's stack. Faults
// (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP) arrive on an alternate signal stack; the
// handler records the state from the signal context and siglongjmps back to the case
// loop. Before the first case, a seccomp filter limits the process to read, write,
// signal mask/return and exit.
//
// Control transfers (FLAG_STEP): the case runs with the trap flag set, so the CPU traps
// after every instruction, before the next one runs. The handler lets a step continue
// while RIP stays on the code page (or in the entry stub before the code is reached),
// clears TF when RIP reaches case_return, and otherwise stops the case before a single
// instruction at the wrong target runs: reported as SIGSEGV (si_code ESCAPED) at that
// address, as an execute fault there would be. A case that keeps running (a loop) is
// stopped after STEP_LIMIT instructions (si_code STEP_LIMIT).

#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <asm/prctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define SCRATCH_ADDRESS 0x10000000UL
#define CODE_ADDRESS 0x20000000UL
#define PAGE 4096
#define MAX_CODE 64
#define MAGIC 0x314e5857u /* "WXN1" */
#define FLAG_SCRATCH_IN 1u
#define FLAG_SCRATCH_OUT 2u
#define FLAG_STEP 4u
#define TRAP_FLAG 0x100u
#define STEP_LIMIT 4096u
/* si_code values of our own (the kernel's are small): why a stepped case was stopped. */
#define SI_ESCAPED 0x7e01u
#define SI_STEP_LIMIT 0x7e02u
/* Only CF PF AF ZF SF OF DF may come from a case; bit 1 and IF are always set. */
#define RFLAGS_ALLOWED 0xcd5u
#define RFLAGS_FIXED 0x202u

struct in_record {
  uint32_t code_len;
  uint32_t flags;
  uint8_t code[MAX_CODE];
  uint64_t gpr[16];
  uint64_t rflags;
  uint8_t fxsave[512];
};

struct out_record {
  uint32_t signal;
  uint32_t si_code;
  uint64_t fault_address;
  uint64_t rip;
  uint64_t gpr[16];
  uint64_t rflags;
  uint8_t fxsave[512];
};

_Static_assert(sizeof(struct in_record) == 720, "in_record layout");
_Static_assert(sizeof(struct out_record) == 672, "out_record layout");

/* What the assembly stub loads and stores; offsets are hard-coded in the stub. */
struct context {
  uint64_t gpr[16]; /* 0: RAX RCX RDX RBX RSP RBP RSI RDI R8..R15 */
  uint64_t rflags;  /* 128 */
  uint64_t pad;     /* 136 */
  uint8_t fx[512];  /* 144, 16-byte aligned */
} __attribute__((aligned(16)));

struct context wexe_ctx_block;
void *wexe_ctx;
void *wexe_code_entry;
extern char wexe_case_return[];
extern char wexe_run_case_entry_end[];
uint64_t wexe_harness_rsp;
uint64_t wexe_saved_rdi;
void wexe_run_case(struct context *c);

__asm__(
    ".text\n"
    ".globl wexe_run_case\n"
    "wexe_run_case:\n"
    "  push %rbx\n  push %rbp\n  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
    "  mov %rdi, wexe_ctx(%rip)\n"
    "  fxrstor64 144(%rdi)\n"
    "  mov 0(%rdi), %rax\n  mov 8(%rdi), %rcx\n  mov 16(%rdi), %rdx\n  mov 24(%rdi), %rbx\n"
    "  mov 40(%rdi), %rbp\n  mov 48(%rdi), %rsi\n"
    "  mov 64(%rdi), %r8\n  mov 72(%rdi), %r9\n  mov 80(%rdi), %r10\n  mov 88(%rdi), %r11\n"
    "  mov 96(%rdi), %r12\n  mov 104(%rdi), %r13\n  mov 112(%rdi), %r14\n  mov 120(%rdi), %r15\n"
    "  mov %rsp, wexe_harness_rsp(%rip)\n"
    "  pushq 128(%rdi)\n"
    /* From POPFQ on, a case with TF set traps after each instruction (still in this stub),
       and nothing may change the flags. */
    "  popfq\n"
    "  mov 32(%rdi), %rsp\n"
    "  mov 56(%rdi), %rdi\n"
    "  jmp *wexe_code_entry(%rip)\n"
    ".globl wexe_run_case_entry_end\n"
    "wexe_run_case_entry_end:\n"
    ".globl wexe_case_return\n"
    "wexe_case_return:\n"
    "  mov %rdi, wexe_saved_rdi(%rip)\n"
    "  mov wexe_ctx(%rip), %rdi\n"
    "  mov %rax, 0(%rdi)\n  mov %rcx, 8(%rdi)\n  mov %rdx, 16(%rdi)\n  mov %rbx, 24(%rdi)\n"
    "  mov %rsp, 32(%rdi)\n  mov %rbp, 40(%rdi)\n  mov %rsi, 48(%rdi)\n"
    "  mov %r8, 64(%rdi)\n  mov %r9, 72(%rdi)\n  mov %r10, 80(%rdi)\n  mov %r11, 88(%rdi)\n"
    "  mov %r12, 96(%rdi)\n  mov %r13, 104(%rdi)\n  mov %r14, 112(%rdi)\n  mov %r15, 120(%rdi)\n"
    "  mov wexe_harness_rsp(%rip), %rsp\n"
    "  pushfq\n"
    "  pop %rax\n  mov %rax, 128(%rdi)\n"
    "  mov wexe_saved_rdi(%rip), %rax\n  mov %rax, 56(%rdi)\n"
    "  fxsave64 144(%rdi)\n"
    "  cld\n"
    "  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n  pop %rbp\n  pop %rbx\n"
    "  ret\n");

static uint8_t harness_fx[512] __attribute__((aligned(16)));
static sigjmp_buf recover;
static volatile sig_atomic_t in_case;
static volatile sig_atomic_t stepping, entered;
static unsigned steps;
static struct out_record out;

static void die(const char *what) {
  fprintf(stderr, "wexe native harness: %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
  exit(2);
}

/* Signal context register order (REG_*) for our GPR numbering. */
static const int greg_of[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};

static void on_fault(int sig, siginfo_t *si, void *uc_void) {
  if (!in_case) {
    /* A fault in the harness itself: die loudly with the default action. */
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  ucontext_t *uc = uc_void;
  greg_t *g = uc->uc_mcontext.gregs;
  out.signal = (uint32_t)sig;
  out.si_code = (uint32_t)si->si_code;
  out.fault_address = (uint64_t)(uintptr_t)si->si_addr;
  if (sig == SIGTRAP && stepping && si->si_code == TRAP_TRACE) {
    out.signal = 0; /* a step: not a fault unless the case is stopped below */
    uint64_t rip = (uint64_t)g[REG_RIP];
    if (rip >= CODE_ADDRESS && rip < CODE_ADDRESS + PAGE) {
      entered = 1;
      if (++steps < STEP_LIMIT) return;
      out.signal = SIGTRAP;
      out.si_code = SI_STEP_LIMIT;
    } else if (rip == (uint64_t)(uintptr_t)wexe_case_return) {
      g[REG_EFL] &= ~(greg_t)TRAP_FLAG;
      stepping = 0;
      return;
    } else if (!entered && rip >= (uint64_t)(uintptr_t)wexe_run_case && rip < (uint64_t)(uintptr_t)wexe_run_case_entry_end) {
      return;
    } else {
      /* A transfer left the code page: stop before anything runs there. */
      out.signal = SIGSEGV;
      out.si_code = SI_ESCAPED;
      out.fault_address = rip;
    }
  }
  stepping = 0;
  out.rip = (uint64_t)g[REG_RIP];
  for (int r = 0; r < 16; r++) out.gpr[r] = (uint64_t)g[greg_of[r]];
  out.rflags = (uint64_t)g[REG_EFL] & ~(uint64_t)TRAP_FLAG;
  if (uc->uc_mcontext.fpregs) memcpy(out.fxsave, uc->uc_mcontext.fpregs, 512);
  in_case = 0;
  siglongjmp(recover, 1);
}

static void install_handlers(void) {
  static uint8_t alt_stack[1 << 16];
  stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0) die("sigaltstack");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    if (sigaction(sigs[i], &sa, NULL) != 0) die("sigaction");
}

static void *map_fixed(uintptr_t addr, int prot) {
  void *p = mmap((void *)addr, PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED) die("cannot map a fixed page (is something already mapped there?)");
  if ((uintptr_t)p != addr) die("the kernel ignored MAP_FIXED_NOREPLACE");
  return p;
}

/* Case memory operands are only allowed below 4 GiB (the TypeScript side checks), so
   nothing of the harness may live there except our two pages. */
static void check_low_memory_is_ours(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return;
  char line[512];
  while (fgets(line, sizeof line, f)) {
    unsigned long start = strtoul(line, NULL, 16);
    if (start < 0x100000000UL && start != SCRATCH_ADDRESS && start != CODE_ADDRESS) {
      errno = 0;
      fprintf(stderr, "wexe native harness: unexpected mapping below 4 GiB: %s", line);
      exit(2);
    }
  }
  fclose(f);
}

/* Defence in depth behind the TypeScript checks: once set up, the harness needs only
   these system calls; anything else (a case that slipped through, or a case that
   corrupted the harness) kills the process instead of reaching the kernel. */
static void restrict_syscalls(void) {
#define ALLOW(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      ALLOW(SYS_read), ALLOW(SYS_write), ALLOW(SYS_rt_sigprocmask), ALLOW(SYS_rt_sigreturn),
      ALLOW(SYS_exit_group), ALLOW(SYS_exit),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
  };
#undef ALLOW
  struct sock_fprog prog = {.len = sizeof filter / sizeof filter[0], .filter = filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(NO_NEW_PRIVS)");
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) die("prctl(SECCOMP)");
}

static int read_full(void *buf, size_t n) {
  return fread(buf, 1, n, stdin) == n;
}

static void write_full(const void *buf, size_t n) {
  if (fwrite(buf, 1, n, stdout) != n) die("write to stdout");
}

int main(void) {
  static char inbuf[1 << 20], outbuf[1 << 20];
  setvbuf(stdin, inbuf, _IOFBF, sizeof inbuf);
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  uint8_t *scratch = map_fixed(SCRATCH_ADDRESS, PROT_READ | PROT_WRITE);
  uint8_t *code = map_fixed(CODE_ADDRESS, PROT_READ | PROT_WRITE | PROT_EXEC);
  check_low_memory_is_ours();
  install_handlers();
  wexe_code_entry = code;
  wexe_ctx = &wexe_ctx_block;
  /* GS base = the scratch page for every case, so GS-prefixed operands address it (glibc on
     x86-64 keeps its thread pointer in FS and never uses GS; FS overrides stay refused). */
  if (syscall(SYS_arch_prctl, ARCH_SET_GS, SCRATCH_ADDRESS) != 0) die("arch_prctl(ARCH_SET_GS)");
  __asm__ volatile("fxsave64 %0" : "=m"(harness_fx));
  restrict_syscalls();

  uint32_t header[2];
  if (!read_full(header, sizeof header) || header[0] != MAGIC) die("bad input header");
  static struct in_record in;
  for (uint32_t n = 0; n < header[1]; n++) {
    if (!read_full(&in, sizeof in)) die("truncated case record");
    if (in.code_len < 1 || in.code_len > MAX_CODE) die("code length out of range");
    if (in.flags & FLAG_SCRATCH_IN) {
      if (!read_full(scratch, PAGE)) die("truncated scratch block");
    } else {
      memset(scratch, 0, PAGE);
    }
    memset(code, 0xcc, PAGE);
    memcpy(code, in.code, in.code_len);
    uint8_t *tail = code + in.code_len; /* jmp qword [rip+0]; dq wexe_case_return */
    static const uint8_t jmp_rip0[6] = {0xff, 0x25, 0, 0, 0, 0};
    memcpy(tail, jmp_rip0, sizeof jmp_rip0);
    uint64_t back = (uint64_t)(uintptr_t)wexe_case_return;
    memcpy(tail + 6, &back, 8);

    struct context *c = &wexe_ctx_block;
    memcpy(c->gpr, in.gpr, sizeof c->gpr);
    c->rflags = (in.rflags & RFLAGS_ALLOWED) | RFLAGS_FIXED | (in.flags & FLAG_STEP ? TRAP_FLAG : 0);
    memcpy(c->fx, in.fxsave, 512);
    memset(&out, 0, sizeof out);

    in_case = 1;
    stepping = (in.flags & FLAG_STEP) != 0;
    entered = 0;
    steps = 0;
    if (sigsetjmp(recover, 1) == 0) {
      wexe_run_case(c);
      in_case = 0;
      stepping = 0;
      out.rip = CODE_ADDRESS + in.code_len;
      memcpy(out.gpr, c->gpr, sizeof out.gpr);
      out.rflags = c->rflags;
      memcpy(out.fxsave, c->fx, 512);
    }
    /* Back to the harness's own x87/SSE state whichever way the case ended. */
    __asm__ volatile("fxrstor64 %0\n\tcld" : : "m"(harness_fx));
    write_full(&out, sizeof out);
    if (in.flags & FLAG_SCRATCH_OUT) write_full(scratch, PAGE);
  }
  if (fflush(stdout) != 0) die("flush stdout");
  return 0;
}

/* bytecode: a small register-machine interpreter (a switch over opcodes, compiled to an
   indirect jump through a table) running a hashing loop argv[1] times.
   Self-check: the same loop in plain C gives the same accumulator. */
#include "common.h"

enum { LOADI, ADD, MULK, MODK, XOR, SHR, DECJNZ, HALT };

static uint32_t run(const int32_t *prog, uint32_t *steps) {
  uint32_t r[4] = {0};
  int pc = 0;
  uint32_t n = 0;
  for (;;) {
    n++;
    switch (prog[pc]) {
      case LOADI: r[prog[pc + 1]] = (uint32_t)prog[pc + 2]; pc += 3; break;
      case ADD: r[prog[pc + 1]] += r[prog[pc + 2]]; pc += 3; break;
      case MULK: r[prog[pc + 1]] *= (uint32_t)prog[pc + 2]; pc += 3; break;
      case MODK: r[prog[pc + 1]] %= (uint32_t)prog[pc + 2]; pc += 3; break;
      case XOR: r[prog[pc + 1]] ^= r[prog[pc + 2]]; pc += 3; break;
      case SHR: r[prog[pc + 1]] >>= prog[pc + 2]; pc += 3; break;
      case DECJNZ: if (--r[prog[pc + 1]]) pc = prog[pc + 2]; else pc += 3; break;
      case HALT: *steps = n; return r[0];
      default: *steps = n; return 0xffffffffu;
    }
  }
}

int main(int argc, char **argv) {
  int n = work_size(argc, argv, 1000000);
  /* r0 = acc, r1 = counter; per round: acc = (((acc * 31) ^ counter) + counter) >> 1) % 1000003 */
  int32_t prog[] = { LOADI, 0, 1, LOADI, 1, 0, MULK, 0, 31, XOR, 0, 1, ADD, 0, 1, SHR, 0, 1, MODK, 0, 1000003, DECJNZ, 1, 6, HALT };
  prog[5] = n;
  uint32_t steps;
  uint32_t acc = run(prog, &steps);
  uint32_t check = 1;
  for (uint32_t c = (uint32_t)n; c; c--) check = ((((check * 31) ^ c) + c) >> 1) % 1000003;
  if (acc != check) return fail("bytecode", "interpreted and native loops disagree");
  printf("bytecode n=%d acc=%u steps=%u checksum=%08x\n", n, acc, steps, mix32(acc, steps));
  return 0;
}

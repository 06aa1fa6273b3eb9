// Measures interpreter speed on a tight integer loop: `node dist/test/interp/bench-mips.js [iterations]`.
import { makeMachine, CODE } from './support/machine.js';

const n = Number(process.argv[2] ?? 20_000_000 / 5);
const m = makeMachine();
// mov ecx, n; loop: add eax, ebx; xor edx, eax; shl ebx, 3; add esi, 1; cmp esi, ecx; jne loop; int3
const imm = [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].map((b) => b.toString(16).padStart(2, '0')).join('');
m.load(`b9${imm} 01d8 31c2 c1e303 83c601 39ce 75f2 90`);
const end = CODE + 0x13;
for (let rep = 0; rep < 3; rep++) {
  m.st.rip = CODE; m.st.setNum(6, 0); m.st.setNum(3, 7);
  const before = m.interp.instructions;
  const t0 = performance.now();
  m.interp.run({ stopAt: end });
  const ms = performance.now() - t0;
  const count = m.interp.instructions - before;
  console.log(`${count} instructions in ${ms.toFixed(1)} ms: ${(count / ms / 1000).toFixed(1)} MIPS`);
}

// Flag liveness at region exits (src/jit/exit-flags.ts): what the look-ahead finds at an
// exit target, and that regions relying on it still end in the interpreter's state when
// the code after a loop reads a flag the loop's last compare did not write (one block
// a region, so every edge is an exit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMachine, CODE, DATA, icedDecodeFn } from '../interp/support/machine.js';
import { ExitFlags } from '../../src/jit/exit-flags.js';
import { JitRuntime, DEFAULT_JIT_OPTIONS } from '../../src/jit/engine.js';
import { ALL_FLAGS, F } from '../../src/ir/ir.js';

const bit = (f: F): number => 1 << f;

function liveAt(code: number[]): number {
  const m = makeMachine();
  m.load(Uint8Array.from(code));
  return new ExitFlags(m.mem, icedDecodeFn).at(CODE).live;
}

test('exit targets: flags read before written are live, written ones are not, DF stays live', () => {
  assert.equal(liveAt([0x83, 0xc0, 0x01, 0xc3]), bit(F.DF), 'add eax,1; ret');
  assert.equal(liveAt([0x0f, 0x92, 0xc0, 0x83, 0xc0, 0x01, 0xc3]), bit(F.CF) | bit(F.DF), 'setc al; add eax,1; ret');
  assert.equal(liveAt([0xff, 0xc0, 0xc3]), bit(F.CF) | bit(F.DF), 'inc eax keeps CF; ret');
  assert.equal(liveAt([0x89, 0xc3, 0x39, 0xd8, 0xfc, 0xc3]), 0, 'mov ebx,eax; cmp eax,ebx; cld; ret');
  assert.equal(liveAt(new Array<number>(12).fill(0x90)), ALL_FLAGS, 'nothing written within the look-ahead');
  assert.equal(liveAt([0x72, 0x00]), ALL_FLAGS, 'jc: the block ends in a branch whose targets are not examined');
});

test('a loop whose exit target reads CF and OF ends in the interpreter\'s state', () => {
  // stc; mov ecx, 5; loop: add ebx, ecx; dec ecx; jnz loop;   (dec keeps the stc's CF)
  // after: setc al; seto dl; add esi, 1; jmp end; end: int3
  const code = [0xf9, 0xb9, 5, 0, 0, 0, 0x01, 0xcb, 0xff, 0xc9, 0x75, 0xfa,
    0x0f, 0x92, 0xc0, 0x0f, 0x90, 0xc2, 0x83, 0xc6, 0x01, 0xe9, 0, 0, 0, 0, 0xcc];
  const end = CODE + code.length - 1;
  const states = (['interp', 'jit'] as const).map((engine) => {
    const m = makeMachine();
    m.load(Uint8Array.from(code));
    m.st.setNum(7, DATA);
    if (engine === 'interp') m.interp.run({ stopAt: end });
    else new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 0, regions: false }).run({ stopAt: end });
    return m.st.snapshot();
  });
  assert.deepEqual(states[1], states[0]);
});

test('a region is dropped when the code at its exit changes, even on another page', () => {
  // The loop's add writes CF, which the code after the loop (the next page) overwrites,
  // so the region drops it. The guest then patches that code into setc al and runs the
  // loop again: the region must be recompiled, or al would show the CF that test left.
  const code = new Array<number>(0x1020).fill(0xcc);
  const put = (at: number, bytes: number[]): void => { bytes.forEach((b, i) => { code[at + i] = b; }); };
  const rel32 = (from: number, to: number): number[] => { const d = (to - from) >>> 0; return [d & 0xff, (d >>> 8) & 0xff, (d >>> 16) & 0xff, d >>> 24]; };
  put(0x000, [0xe9, ...rel32(0x005, 0xff0)]); // jmp start
  put(0xff0, [0xb9, 3, 0, 0, 0, 0x90]); // start: mov ecx, 3; nop
  // loop: add edx, 0x80000000 (CF alternates: the last add of the second pass sets it); dec ecx; jnz loop
  put(0xff6, [0x81, 0xc2, 0, 0, 0, 0x80, 0xff, 0xc9, 0x75, 0xf6]);
  put(0x1000, [0x83, 0xc6, 0x01]); // add esi, 1  (patched to setc al)
  put(0x1003, [0x85, 0xed, 0x75, 0x17, 0xff, 0xc5]); // test ebp, ebp (CF = 0); jnz done; inc ebp
  put(0x1009, [0xc6, 0x05, ...rel32(0x1010, 0x1000), 0x0f]); // mov byte [0x1000], 0x0f
  put(0x1010, [0x66, 0xc7, 0x05, ...rel32(0x1019, 0x1001), 0x92, 0xc0]); // mov word [0x1001], 0xc092
  put(0x1019, [0xe9, ...rel32(0x101e, 0xff0)]); // jmp start
  const done = CODE + 0x101e;
  const states = (['interp', 'jit'] as const).map((engine) => {
    const m = makeMachine();
    m.load(Uint8Array.from(code));
    if (engine === 'interp') m.interp.run({ stopAt: done });
    else new JitRuntime(m.st, m.mem, icedDecodeFn, [], { ...DEFAULT_JIT_OPTIONS, threshold: 0, regions: false }).run({ stopAt: done });
    return m.st.snapshot();
  });
  assert.equal(states[0]![0], 1, 'the interpreter: al = CF of the last add = 1');
  assert.deepEqual(states[1], states[0]);
});

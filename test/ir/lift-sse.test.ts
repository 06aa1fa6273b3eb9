// What SSE instructions lift to (IR text), the text form's round trip for the vector
// and `sse` ops, and the verifier's rules for them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liftBlock } from '../../src/ir/lift.js';
import { insns, lines, assertRoundTrips } from './support.js';
import { printBlock, parseBlocks } from '../../src/ir/text.js';
import { verifyBlock } from '../../src/ir/verify.js';

function lift(hexStr: string): string {
  const { block, stoppedAt } = liftBlock(insns(hexStr));
  verifyBlock(block);
  assert.equal(stoppedAt, undefined, `stopped: ${stoppedAt?.why}`);
  return lines(printBlock(block));
}

test('addsd xmm0, xmm1 is one sse op on the two registers', () => {
  assert.equal(lift('f20f58c1 c3').split('\n').slice(0, 6).join('\n'), lines(`
    block 0x401000 end 0x401005 count 2
    insn 0x401000
    %0:v128 = getxmm xmm1
    %1:v128 = getxmm xmm0
    %2:v128 = sse addsd, %1, %0
    setxmm xmm0, %2`));
});

test('mulsd xmm0, [rdi+8] loads 8 bytes into lane 0 of a zero vector', () => {
  const t = lift('f20f594708 c3');
  assert.match(t, /%(\d+):v128 = const 0x0\n%(\d+):i64 = load %\d+\n%(\d+):v128 = vinsert %\1, %\2, 0\n%(\d+):v128 = getxmm xmm0\n%(\d+):v128 = sse mulsd, %\4, %\3\nsetxmm xmm0, %\5/);
});

test('movapd xmm1, [rax] checks 16-byte alignment with a bail before the load; movupd does not', () => {
  const t = lift('660f2808 c3');
  assert.match(t, /%(\d+):i64 = and %0, %\d+\n.*\n%(\d+):i32 = ne %\1, %\d+\nbail %\2\n%(\d+):v128 = load %0\nsetxmm xmm1, %\3/);
  assert.doesNotMatch(lift('660f1008 c3'), /bail/);
});

test('comisd sets ZF, PF and CF from the ordering code and clears OF, SF, AF', () => {
  const t = lift('660f2fc1 c3');
  assert.match(t, /%(\d+):i32 = sse comisd, %\d+, %\d+/);
  for (const f of ['cf', 'zf', 'pf', 'of', 'sf', 'af']) assert.match(t, new RegExp(`setflag ${f}, %\\d+`));
});

test('conversions: cvtsi2sd from a 64-bit GPR, cvttsd2si into a 32-bit GPR', () => {
  assert.match(lift('f2480f2ac0 c3'), /%\d+:i64 = getreg rax\n%\d+:v128 = getxmm xmm0\n%\d+:v128 = sse cvtsi2sd64, %\d+, %0/);
  assert.match(lift('f20f2cc1 c3'), /%(\d+):i32 = sse cvttsd2si32, %\d+, %\d+\n%(\d+):i64 = zext %\1\nsetreg rax, %\2/);
});

test('moves and shuffles are bit operations: movsd reg merge, unpcklpd, pxor, andnpd, movq to a GPR', () => {
  assert.match(lift('f20f10c1 c3'), /%(\d+):i64 = vlane %\d+, 0\n%\d+:v128 = getxmm xmm0\n%(\d+):v128 = vinsert %\d+, %\1, 0\nsetxmm xmm0, %\2/);
  assert.match(lift('660f14c1 c3'), /vshuffle %\d+, %\d+, 0x17161514131211100706050403020100/);
  assert.match(lift('660fefc0 c3'), /%\d+:v128 = xor %\d+, %\d+/);
  assert.match(lift('660f55c1 c3'), /%\d+:v128 = vandn %\d+, %\d+/);
  assert.match(lift('66480f7ec0 c3'), /%(\d+):i64 = vlane %\d+, 0\nsetreg rax, %\1/);
});

test('text form round-trips for lifted SSE blocks', () => {
  for (const code of ['f20f58c1 660f2fc1 7302', 'f20f594708 660f1401 c3', '660f70c11b f2480f2dc0 c3', 'f30f5ac1 0fc6c1e4 660fdfc1 c3']) {
    const { block } = liftBlock(insns(code));
    verifyBlock(block);
    assertRoundTrips(block);
  }
});

test('the verifier checks lanes, SSE form operand types and the state-write rule of sse', () => {
  const bad = (body: string, msg: RegExp): void => {
    const [b] = parseBlocks(`block 0x1000\n insn 0x1000\n${body}\n jump 0x1010`);
    assert.throws(() => verifyBlock(b!), msg);
  };
  bad('%0:v128 = getxmm xmm0\n %1:f64 = vlane %0, 2', /bad lane/);
  bad('%0:v128 = getxmm xmm0\n %1:i32 = const 0x1\n %2:v128 = sse addsd, %0, %1', /operand 2 must be v128/);
  bad('%0:v128 = getxmm xmm0\n %1:v128 = sse comisd, %0, %0', /comisd defines i32/);
  bad('%0:v128 = getxmm xmm0\n %1:i32 = sse comisd, %0, %0\n %2:i64 = getreg rax\n %3:i32 = load %2', /memory access after a state write/);
  bad('%0:v128 = const 0x5', /v128 constant is zero/);
});

test('MMX-register and string forms are not lifted', () => {
  assert.match(liftBlock(insns('a5')).stoppedAt?.why ?? '', /Movsd/); // movsd (string)
});

test('packed integers lift to vop rows; shifts by the lane width or more give zero', () => {
  assert.match(lift('660ffec1 c3'), /%\d+:v128 = vop i32x4\.add, %\d+, %\d+/);
  assert.match(lift('660f72d205 c3'), /%\d+:v128 = vop i32x4\.shr_u, %\d+, 5\nsetxmm xmm2/);
  assert.match(lift('660f72d228 c3'), /%(\d+):v128 = const 0x0\nsetxmm xmm2, %\1/);
  assert.match(lift('660f72e228 c3'), /vop i32x4\.shr_s, %\d+, 31/);
  assert.match(lift('660fd7c1 c3'), /%(\d+):i32 = vop i8x16\.bitmask, %\d+\n%(\d+):i64 = zext %\1\nsetreg rax, %\2/);
  const { block } = liftBlock(insns('660ffec1 660f72d205 c3'));
  const t = printBlock(block);
  assert.equal(printBlock(parseBlocks(t)[0]!), t);
});

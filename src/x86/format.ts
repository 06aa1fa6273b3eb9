// Intel-syntax text for a decoded instruction, for crash reports and traces. It follows
// iced-x86's Intel formatter (FormatterSyntax.Intel, default options) on the common
// instructions: lowercase, no space after commas, `qword ptr` only where the operands
// leave the size open, hex numbers as `0FFh`, branch targets as 16 hex digits.

import type { Insn, Operand } from './insn.js';
import { OpKind, RegClass, Rep, Seg } from './insn.js';

const GPR64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const GPR32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const GPR16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const GPR8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];
const HIGH8 = ['ah', 'ch', 'dh', 'bh'];
const SEGS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
const MEM_SIZE_NAMES: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 6: 'fword', 8: 'qword', 10: 'tbyte', 16: 'xmmword' };

/** Memory operands whose size iced never prints (the instruction has only one). */
const NEVER_SIZED = new Set(['Lea', 'Nop', 'Prefetch', 'Prefetchw', 'Prefetchwt1', 'Prefetchnta', 'Prefetcht0', 'Prefetcht1',
  'Prefetcht2', 'Fxsave', 'Fxsave64', 'Fxrstor', 'Fxrstor64', 'Ldmxcsr', 'Stmxcsr', 'Cmpxchg8b', 'Cmpxchg16b', 'Fnstenv',
  'Fldenv', 'Fldcw', 'Fnstcw', 'Fnstsw', 'Xlatb',
  ...['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'].map((c) => `Set${c}`)]);
/** Memory operands whose size iced always prints (a register operand does not fix it). */
const ALWAYS_SIZED = new Set(['Movzx', 'Movsx', 'Cvtsi2ss', 'Cvtsi2sd', 'Rol', 'Ror', 'Rcl', 'Rcr', 'Shl', 'Shr', 'Sar']);
/** x87 instructions iced shows with an explicit `st` destination before a memory/ST(i) source. */
const X87_IMPLICIT_ST = new Set(['Fld', 'Fild', 'Fadd', 'Fmul', 'Fsub', 'Fsubr', 'Fdiv', 'Fdivr', 'Fiadd', 'Fimul', 'Fisub',
  'Fisubr', 'Fidiv', 'Fidivr', 'Fcom', 'Fcomp', 'Ficom', 'Ficomp']);
/** x87 stores iced shows with an explicit `st` source after the memory destination. */
const X87_STORES = new Set(['Fst', 'Fstp', 'Fist', 'Fistp', 'Fisttp']);
/** x87 instructions iced prints bare when their operand is the default ST(1). */
const X87_DEFAULT_ST1 = new Set(['Fxch', 'Fucom', 'Fucomp', 'Fcom', 'Fcomp', 'Faddp', 'Fmulp', 'Fsubp', 'Fsubrp', 'Fdivp', 'Fdivrp']);
const CMP_PREDICATES = ['eq', 'lt', 'le', 'unord', 'neq', 'nlt', 'nle', 'ord'];
const BRANCHES = new Set(['Jmp', 'Call', 'Ret']);
const SPECIAL_NAMES: Record<string, string> = { Wait: 'fwait', Xlatb: 'xlat' };

/** iced-style number: decimal below 10, else uppercase hex with an `h` suffix (and a leading 0 before A-F). */
export function formatNumber(v: bigint): string {
  if (v < 10n) return v.toString();
  const hex = v.toString(16).toUpperCase();
  return `${/^[A-F]/.test(hex) ? '0' : ''}${hex}h`;
}

function u64(n: number): bigint {
  return BigInt.asUintN(64, BigInt(Math.trunc(n)));
}

function register(op: Operand): string {
  switch (op.regClass) {
    case RegClass.GprHigh8: return HIGH8[op.reg - 4]!;
    case RegClass.Xmm: return `xmm${op.reg}`;
    case RegClass.St: return `st(${op.reg})`;
    case RegClass.Seg: return SEGS[op.reg] ?? '?';
    default: return (op.size === 8 ? GPR64 : op.size === 4 ? GPR32 : op.size === 2 ? GPR16 : GPR8)[op.reg]!;
  }
}

function address(op: Operand, addrSize: number): string {
  const regs = addrSize === 4 ? GPR32 : GPR64;
  let text = '';
  if (op.ripRelative || (op.base < 0 && op.index < 0)) {
    text = formatNumber(op.ripRelative ? u64(op.disp) : addrSize === 4 ? BigInt(op.disp >>> 0) : u64(op.disp));
  } else {
    if (op.base >= 0) text = regs[op.base]!;
    if (op.index >= 0) text += `${text ? '+' : ''}${regs[op.index]!}${op.scale > 1 || op.base < 0 ? `*${op.scale}` : ''}`;
    if (op.disp > 0) text += `+${formatNumber(BigInt(op.disp))}`;
    else if (op.disp < 0) text += `-${formatNumber(BigInt(-op.disp))}`;
  }
  const seg = op.seg === Seg.Fs ? 'fs:' : op.seg === Seg.Gs ? 'gs:' : '';
  return `${seg}[${text}]`;
}

function showsMemorySize(insn: Insn): boolean {
  if (NEVER_SIZED.has(insn.mnemonic)) return false;
  if (ALWAYS_SIZED.has(insn.mnemonic) || insn.mnemonic.startsWith('F')) return true;
  return !insn.ops.some((o) => o.kind === OpKind.Reg);
}

function operand(insn: Insn, op: Operand): string {
  switch (op.kind) {
    case OpKind.Reg: return register(op);
    case OpKind.Imm: return formatNumber((BigInt(op.immHi >>> 0) << 32n) | BigInt(op.immLo >>> 0));
    case OpKind.Rel: return `${u64(op.disp).toString(16).toUpperCase().padStart(16, '0')}h`;
    case OpKind.Mem: {
      // The 16-bit (66) x87 environment and FSAVE images are named; their 32-bit forms are not.
      if (op.size === 14) return `fpuenv14 ptr ${address(op, insn.addrSize)}`;
      if (op.size === 94) return `fpustate94 ptr ${address(op, insn.addrSize)}`;
      const size = MEM_SIZE_NAMES[op.size];
      return `${size && showsMemorySize(insn) ? `${size} ptr ` : ''}${address(op, insn.addrSize)}`;
    }
    default: return '?';
  }
}

/** The opcode byte after prefixes and REX (for x87 operand order). */
function opcodeByte(insn: Insn): number {
  for (const b of insn.bytes) {
    const prefix = b === 0x66 || b === 0x67 || b === 0xf0 || b === 0xf2 || b === 0xf3 || b === 0x26 || b === 0x2e
      || b === 0x36 || b === 0x3e || b === 0x64 || b === 0x65 || (b & 0xf0) === 0x40;
    if (!prefix) return b;
  }
  return 0;
}

function x87Operands(insn: Insn): string[] | null {
  const ops = insn.ops;
  const sts = ops.filter((o) => o.kind === OpKind.Reg && o.regClass === RegClass.St);
  if (ops.length === 2 && sts.length === 2) {
    // One operand is ST(0) by encoding ("st"), the other ST(i) ("st(i)"): DC/DE put ST(i) first.
    const opcode = opcodeByte(insn);
    const stiFirst = (opcode === 0xdc || opcode === 0xde) && insn.mnemonic !== 'Fcom' && insn.mnemonic !== 'Fcomp';
    const sti = stiFirst ? ops[0]! : ops[1]!;
    if (sti.reg === 1 && X87_DEFAULT_ST1.has(insn.mnemonic)) return [];
    return stiFirst ? [`st(${sti.reg})`, 'st'] : ['st', `st(${sti.reg})`];
  }
  if (ops.length === 1 && sts.length === 1) {
    const sti = `st(${ops[0]!.reg})`;
    if (insn.mnemonic === 'Fld') return ['st', sti];
    if (insn.mnemonic === 'Fst' || insn.mnemonic === 'Fstp') return [sti, 'st'];
    return [sti];
  }
  if (ops.length === 1 && ops[0]!.kind === OpKind.Mem && X87_IMPLICIT_ST.has(insn.mnemonic)) return ['st', operand(insn, ops[0]!)];
  if (ops.length === 1 && ops[0]!.kind === OpKind.Mem && X87_STORES.has(insn.mnemonic)) return [operand(insn, ops[0]!), 'st'];
  return null;
}

function stringOperands(insn: Insn): string[] | null {
  const m = /^(Movs|Cmps|Stos|Lods|Scas)[bwdq]$/.exec(insn.mnemonic);
  if (!m || insn.ops.some((o) => o.kind !== OpKind.Reg || o.regClass !== RegClass.Gpr || o.reg !== 0)) return null;
  const r = insn.addrSize === 4 ? 'e' : 'r';
  const di = `[${r}di]`, si = `[${r}si]`;
  switch (m[1]) {
    case 'Movs': return [di, si];
    case 'Cmps': return [si, di];
    case 'Lods': return [si];
    default: return [di];
  }
}

function prefixText(insn: Insn, isString: boolean): string {
  let text = insn.lock ? 'lock ' : '';
  if (insn.rep !== Rep.None) {
    if (isString) {
      const compares = /^(Cmps|Scas)/.test(insn.mnemonic);
      text += insn.rep === Rep.Repne ? 'repne ' : compares ? 'repe ' : 'rep ';
    } else if (insn.rep === Rep.Repne && (BRANCHES.has(insn.mnemonic) || (insn.cond >= 0 && insn.mnemonic.startsWith('J')))) {
      text += 'bnd ';
    } else if (insn.rep === Rep.Rep && insn.mnemonic === 'Ret' && insn.ops.length === 0) {
      text += 'rep ';
    }
  }
  return text;
}

/** Formats `insn` in Intel syntax, close to iced-x86's Intel formatter. */
export function formatInsn(insn: Insn): string {
  if (insn.mnemonic === 'INVALID') return '(bad)';
  let name = SPECIAL_NAMES[insn.mnemonic] ?? insn.mnemonic.toLowerCase();
  let ops: string[] | null = insn.mnemonic.startsWith('F') ? x87Operands(insn) : null;
  const str = stringOperands(insn);
  if (str) ops = str;
  if (insn.mnemonic === 'Xlatb') ops = [insn.addrSize === 4 ? '[ebx]' : '[rbx]'];
  if (insn.mnemonic === 'Nop' && insn.ops.length === 0 && insn.opSize !== 4) {
    const r = insn.opSize === 8 ? 'rax' : 'ax';
    ops = [r, r];
    name = 'xchg';
  }
  if (/^Cmp(ps|pd|ss|sd)$/.test(insn.mnemonic) && insn.ops.length === 3) {
    const pred = insn.ops[2]!.immLo;
    if (pred < 8) {
      name = `cmp${CMP_PREDICATES[pred]}${insn.mnemonic.slice(3)}`;
      ops = insn.ops.slice(0, 2).map((o) => operand(insn, o));
    }
  }
  ops ??= insn.ops.map((o) => operand(insn, o));
  // iced shortens the three-operand IMUL when destination and source are one register.
  if (insn.mnemonic === 'Imul' && ops.length === 3 && ops[0] === ops[1]) ops.splice(1, 1);
  const first = insn.ops[0];
  if (first?.kind === OpKind.Rel && /^Jmp$|^J/.test(insn.mnemonic) && insn.len - relImmStart(insn) === 1 && !/^Jr|^Je?cx/.test(insn.mnemonic)) {
    name += ' short';
  }
  const text = `${prefixText(insn, str !== null)}${name}`;
  return ops.length > 0 ? `${text} ${ops.join(',')}` : text;
}

/** Index of the first byte after the opcode of a relative branch (to tell rel8 from rel32). */
function relImmStart(insn: Insn): number {
  let i = 0;
  const b = insn.bytes;
  while (i < b.length) {
    const x = b[i]!;
    const prefix = x === 0x66 || x === 0x67 || x === 0xf0 || x === 0xf2 || x === 0xf3 || x === 0x26 || x === 0x2e
      || x === 0x36 || x === 0x3e || x === 0x64 || x === 0x65 || (x & 0xf0) === 0x40;
    if (!prefix) break;
    i++;
  }
  return b[i] === 0x0f ? i + 2 : i + 1;
}

// The IR's text form: printing and parsing, so tests can state what an instruction
// lifts to and feed hand-written IR to passes.
//
//   block 0x401000 end 0x401007 count 2
//     insn 0x401000
//     %0:i64 = getreg rax
//     %1:i64 = const 0x5
//     %2:i64 = add %0, %1
//     setreg rax, %2
//     jump 0x401007

import type { Block, Inst, Op, Ty } from './ir.js';
import { OPS, TYPES, GPR_NAMES, FLAG_NAMES, newInst } from './ir.js';
import { SSE_FORMS, sseFormIndex } from './sse-forms.js';
import { VEC_OPS, vecOpIndex } from './vec-ops.js';

const hex = (n: number): string => '0x' + n.toString(16);

function operandK(inst: Inst): string {
  switch (inst.op) {
    case 'getreg': case 'setreg': return GPR_NAMES[inst.k]!;
    case 'getflag': case 'setflag': return FLAG_NAMES[inst.k]!;
    case 'getxmm': case 'setxmm': return `xmm${inst.k}`;
    default: return hex(inst.k);
  }
}

export function printInst(inst: Inst): string {
  const args = inst.args.map((a) => `%${a}`);
  let rhs: string;
  switch (inst.op) {
    case 'const': rhs = `const 0x${inst.c.toString(16)}`; break;
    case 'getreg': case 'getflag': case 'getxmm': rhs = `${inst.op} ${operandK(inst)}`; break;
    case 'setreg': case 'setflag': case 'setxmm': rhs = `${inst.op} ${operandK(inst)}, ${args[0]}`; break;
    case 'insn': case 'jump': case 'interp': rhs = `${inst.op} ${hex(inst.k)}`; break;
    case 'helper': rhs = `helper ${hex(inst.k)}${inst.k2 !== 0 ? `, id ${inst.k2}` : ''}`; break;
    case 'repmovs': case 'repstos': rhs = `${inst.op} ${inst.ty}, ${hex(inst.k)}${inst.k2 !== 0 ? `, id ${inst.k2}` : ''}`; break;
    case 'branch': rhs = `branch ${args[0]}, ${hex(inst.k)}, ${hex(inst.k2)}`; break;
    case 'call': rhs = `call ${hex(inst.k)}, ${hex(inst.k2)}`; break;
    case 'callind': rhs = `callind ${args[0]}, ${hex(inst.k2)}`; break;
    case 'vlane': rhs = `vlane ${args[0]}, ${inst.k}`; break;
    case 'vinsert': rhs = `vinsert ${args[0]}, ${args[1]}, ${inst.k}`; break;
    case 'vshuffle': rhs = `vshuffle ${args[0]}, ${args[1]}, 0x${inst.c.toString(16)}`; break;
    case 'sse': rhs = `sse ${SSE_FORMS[inst.k]?.name ?? inst.k}, ${args[0]}, ${args[1]}`; break;
    case 'vop': {
      const o = VEC_OPS[inst.k];
      rhs = `vop ${o?.name ?? inst.k}, ${args.join(', ')}${o?.shift ? `, ${inst.k2}` : ''}`;
      break;
    }
    default: rhs = `${inst.op}${args.length ? ' ' + args.join(', ') : ''}`;
  }
  return inst.dst >= 0 ? `%${inst.dst}:${inst.ty} = ${rhs}` : rhs;
}

export function printBlock(b: Block): string {
  const lines = [`block ${hex(b.addr)} end ${hex(b.end)} count ${b.count}`];
  for (const i of b.insts) lines.push('  ' + printInst(i));
  return lines.join('\n') + '\n';
}

export function printBlocks(blocks: readonly Block[]): string { return blocks.map(printBlock).join('\n'); }

export class IrParseError extends Error {
  constructor(line: number, msg: string) { super(`IR line ${line}: ${msg}`); this.name = 'IrParseError'; }
}

/** Parses one or more blocks in the text form; value types are checked by the verifier, not here. */
export function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let cur: Block | undefined;
  const types = new Map<number, Ty>();
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/;.*$/, '').trim();
    if (line === '') continue;
    const fail = (m: string): never => { throw new IrParseError(n + 1, `${m}: "${line}"`); };
    const head = /^block\s+(\S+)(?:\s+end\s+(\S+))?(?:\s+count\s+(\d+))?$/.exec(line);
    if (head) {
      const addr = Number(head[1]);
      cur = { addr, end: head[2] ? Number(head[2]) : addr, count: head[3] ? Number(head[3]) : 0, insts: [], nextValue: 0 };
      blocks.push(cur);
      types.clear();
      continue;
    }
    if (!cur) fail('instruction outside a block');
    const blk = cur!;
    let dst = -1, ty: Ty = 'i32', rest = line;
    const def = /^%(\d+):(\w+)\s*=\s*(.*)$/.exec(line);
    if (def) {
      dst = Number(def[1]);
      if (!TYPES.includes(def[2] as Ty)) fail(`unknown type ${def[2]}`);
      ty = def[2] as Ty;
      rest = def[3]!;
    }
    const m = /^(\w+)\s*(.*)$/.exec(rest);
    if (!m) fail('cannot read the opcode');
    const op = m![1] as Op;
    if (!(op in OPS)) fail(`unknown opcode ${op}`);
    const parts = m![2]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const value = (s: string): number => {
      const v = /^%(\d+)$/.exec(s);
      if (!v) fail(`expected a value, got ${s}`);
      return Number(v![1]);
    };
    const num = (s: string | undefined): number => {
      if (s === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(s)) fail(`expected a number, got ${s}`);
      return Number(s);
    };
    const named = (names: readonly string[], s: string | undefined): number => {
      const i = names.indexOf(s ?? '');
      if (i < 0) fail(`unknown name ${s}`);
      return i;
    };
    let inst: Inst;
    switch (op) {
      case 'const': inst = newInst(op, dst, ty, [], 0, 0, BigInt(parts[0] ?? fail('missing constant'))); break;
      case 'getreg': inst = newInst(op, dst, ty, [], named(GPR_NAMES, parts[0])); break;
      case 'getflag': inst = newInst(op, dst, ty, [], named(FLAG_NAMES, parts[0])); break;
      case 'getxmm': inst = newInst(op, dst, ty, [], Number((parts[0] ?? '').replace(/^xmm/, ''))); break;
      case 'setreg': inst = newInst(op, -1, 'i64', [value(parts[1]!)], named(GPR_NAMES, parts[0])); break;
      case 'setflag': inst = newInst(op, -1, 'i32', [value(parts[1]!)], named(FLAG_NAMES, parts[0])); break;
      case 'setxmm': inst = newInst(op, -1, 'v128', [value(parts[1]!)], Number((parts[0] ?? '').replace(/^xmm/, ''))); break;
      case 'insn': case 'jump': case 'interp': inst = newInst(op, -1, 'i32', [], num(parts[0])); break;
      case 'helper': {
        const id = parts.find((p) => p.startsWith('id '));
        inst = newInst(op, -1, 'i32', [], num(parts[0]), id === undefined ? 0 : num(id.slice(3)));
        break;
      }
      case 'repmovs': case 'repstos': {
        const id = parts.find((p) => p.startsWith('id '));
        if (!TYPES.includes(parts[0] as Ty)) fail(`unknown type ${parts[0]}`);
        inst = newInst(op, -1, parts[0] as Ty, [], num(parts[1]), id === undefined ? 0 : num(id.slice(3)));
        break;
      }
      case 'branch': inst = newInst(op, -1, 'i32', [value(parts[0]!)], num(parts[1]), num(parts[2])); break;
      case 'call': inst = newInst(op, -1, 'i32', [], num(parts[0]), num(parts[1])); break;
      case 'callind': inst = newInst(op, -1, 'i64', [value(parts[0]!)], 0, num(parts[1])); break;
      case 'vlane': inst = newInst(op, dst, ty, [value(parts[0]!)], num(parts[1])); break;
      case 'vinsert': inst = newInst(op, dst, ty, [value(parts[0]!), value(parts[1]!)], num(parts[2])); break;
      case 'vshuffle': inst = newInst(op, dst, ty, [value(parts[0]!), value(parts[1]!)], 0, 0, BigInt(parts[2] ?? fail('missing selectors'))); break;
      case 'sse': {
        let k = -1;
        try { k = sseFormIndex(parts[0] ?? ''); } catch { fail(`unknown SSE form ${parts[0]}`); }
        inst = newInst(op, dst, ty, [value(parts[1]!), value(parts[2]!)], k);
        break;
      }
      case 'vop': {
        let k = -1;
        try { k = vecOpIndex(parts[0] ?? ''); } catch { fail(`unknown vector op ${parts[0]}`); }
        const o = VEC_OPS[k]!;
        inst = newInst(op, dst, ty, parts.slice(1, 1 + o.arity).map(value), k, o.shift ? num(parts[1 + o.arity]) : 0);
        break;
      }
      case 'store': {
        const args = parts.map(value);
        inst = newInst(op, -1, types.get(args[1]!) ?? 'i32', args);
        break;
      }
      default: inst = newInst(op, dst, dst >= 0 ? ty : (op === 'jumpind' || op === 'ret' ? 'i64' : 'i32'), parts.map(value));
    }
    if (dst >= 0) { types.set(dst, ty); blk.nextValue = Math.max(blk.nextValue, dst + 1); }
    blk.insts.push(inst);
  }
  return blocks;
}

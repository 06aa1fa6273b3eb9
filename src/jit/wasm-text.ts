// A disassembler from WebAssembly bytes to readable text, for `wexe run --dump-wasm`:
// what either JIT backend actually handed to V8. The output follows the WAT flat style
// (one instruction per line, indented by block depth, labels named where they open), so
// it reads like `wasm-dis` output without needing binaryen, which loads asynchronously
// while the guest runs synchronously.
//
// It knows the module sections the JIT writes (type, import, function, export, code; the
// others are summarised) and every instruction of the core spec up to SIMD, bulk memory,
// sign extension, non-trapping conversions and tail calls. An opcode it does not know
// stops that function's listing with `;; unknown opcode 0x..` rather than a guess at its
// immediates, which would print everything after it wrongly.

const VALTYPES: Record<number, string> = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref',
};

// ---- opcode tables (numbering of the WebAssembly core specification) ---------------------

/** Opcodes without immediates. */
export const PLAIN_OPS = new Map<number, string>([
  [0x00, 'unreachable'], [0x01, 'nop'], [0x0f, 'return'], [0x1a, 'drop'], [0x1b, 'select'], [0xd1, 'ref.is_null'],
]);

/** Appends `names` to PLAIN_OPS at consecutive opcodes from `first`. */
function plainRun(first: number, names: string): void {
  names.split(' ').forEach((n, i) => PLAIN_OPS.set(first + i, n));
}
const ICMP = 'eqz eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u';
const FCMP = 'eq ne lt gt le ge';
const IARITH = 'clz ctz popcnt add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr';
const FARITH = 'abs neg ceil floor trunc nearest sqrt add sub mul div min max copysign';
const prefixed = (t: string, ops: string): string => ops.split(' ').map((o) => `${t}.${o}`).join(' ');
plainRun(0x45, prefixed('i32', ICMP));
plainRun(0x50, prefixed('i64', ICMP));
plainRun(0x5b, prefixed('f32', FCMP));
plainRun(0x61, prefixed('f64', FCMP));
plainRun(0x67, prefixed('i32', IARITH));
plainRun(0x79, prefixed('i64', IARITH));
plainRun(0x8b, prefixed('f32', FARITH));
plainRun(0x99, prefixed('f64', FARITH));
plainRun(0xa7, 'i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u'
  + ' i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u'
  + ' f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64'
  + ' f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32'
  + ' i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64'
  + ' i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s');

/** Loads and stores (0x28-0x3e): name and log2 of the natural alignment. */
export const MEMORY_OPS = new Map<number, [string, number]>();
('i32.load:2 i64.load:3 f32.load:2 f64.load:3 i32.load8_s:0 i32.load8_u:0 i32.load16_s:1 i32.load16_u:1'
  + ' i64.load8_s:0 i64.load8_u:0 i64.load16_s:1 i64.load16_u:1 i64.load32_s:2 i64.load32_u:2'
  + ' i32.store:2 i64.store:3 f32.store:2 f64.store:3 i32.store8:0 i32.store16:1 i64.store8:0 i64.store16:1 i64.store32:2')
  .split(' ').forEach((s, i) => { const [n, a] = s.split(':'); MEMORY_OPS.set(0x28 + i, [n!, Number(a)]); });

/** 0xFC-prefixed instructions without immediates (saturating truncations). */
export const FC_PLAIN_OPS: readonly string[] = ['i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u',
  'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u'];

/** How a SIMD instruction's immediates look. */
export type SimdImmediate = 'none' | 'mem' | 'lane' | 'memlane' | 'const' | 'shuffle';
/** A SIMD instruction: its name, immediates and (memory ops) log2 of the natural alignment. */
export interface SimdDef { name: string; imm: SimdImmediate; align?: number }

/** 0xFD-prefixed instructions by opcode (the final SIMD proposal's numbering). */
export const SIMD_OPS = new Map<number, SimdDef>();
{
  const mem = (op: number, name: string, align: number): void => { SIMD_OPS.set(op, { name, imm: 'mem', align }); };
  const lane = (op: number, name: string): void => { SIMD_OPS.set(op, { name, imm: 'lane' }); };
  const run = (first: number, names: string): void => {
    names.split(' ').forEach((n, i) => { if (n !== '-') SIMD_OPS.set(first + i, { name: n, imm: 'none' }); });
  };
  mem(0x00, 'v128.load', 4);
  'load8x8_s load8x8_u load16x4_s load16x4_u load32x2_s load32x2_u'.split(' ').forEach((n, i) => mem(0x01 + i, `v128.${n}`, 3));
  'load8_splat load16_splat load32_splat load64_splat'.split(' ').forEach((n, i) => mem(0x07 + i, `v128.${n}`, i));
  mem(0x0b, 'v128.store', 4);
  SIMD_OPS.set(0x0c, { name: 'v128.const', imm: 'const' });
  SIMD_OPS.set(0x0d, { name: 'i8x16.shuffle', imm: 'shuffle' });
  run(0x0e, 'i8x16.swizzle i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat');
  ['i8x16.extract_lane_s', 'i8x16.extract_lane_u', 'i8x16.replace_lane', 'i16x8.extract_lane_s', 'i16x8.extract_lane_u',
    'i16x8.replace_lane', 'i32x4.extract_lane', 'i32x4.replace_lane', 'i64x2.extract_lane', 'i64x2.replace_lane',
    'f32x4.extract_lane', 'f32x4.replace_lane', 'f64x2.extract_lane', 'f64x2.replace_lane'].forEach((n, i) => lane(0x15 + i, n));
  const ICMP_V = 'eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u';
  run(0x23, prefixed('i8x16', ICMP_V));
  run(0x2d, prefixed('i16x8', ICMP_V));
  run(0x37, prefixed('i32x4', ICMP_V));
  run(0x41, prefixed('f32x4', FCMP));
  run(0x47, prefixed('f64x2', FCMP));
  run(0x4d, 'v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true');
  ['load8_lane', 'load16_lane', 'load32_lane', 'load64_lane', 'store8_lane', 'store16_lane', 'store32_lane', 'store64_lane']
    .forEach((n, i) => SIMD_OPS.set(0x54 + i, { name: `v128.${n}`, imm: 'memlane', align: i % 4 }));
  mem(0x5c, 'v128.load32_zero', 2);
  mem(0x5d, 'v128.load64_zero', 3);
  run(0x5e, 'f32x4.demote_f64x2_zero f64x2.promote_low_f32x4');
  run(0x60, 'i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u'
    + ' f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest i8x16.shl i8x16.shr_s i8x16.shr_u'
    + ' i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub i8x16.sub_sat_s i8x16.sub_sat_u f64x2.ceil f64x2.floor'
    + ' i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc i8x16.avgr_u'
    + ' i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u');
  run(0x80, 'i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true i16x8.bitmask i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u'
    + ' i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u'
    + ' i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add i16x8.add_sat_s i16x8.add_sat_u i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u'
    + ' f64x2.nearest i16x8.mul i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u - i16x8.avgr_u'
    + ' i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u i16x8.extmul_high_i8x16_u');
  run(0xa0, 'i32x4.abs i32x4.neg - i32x4.all_true i32x4.bitmask - -'
    + ' i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u'
    + ' i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add - - i32x4.sub - - -'
    + ' i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s -'
    + ' i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u');
  run(0xc0, 'i64x2.abs i64x2.neg - i64x2.all_true i64x2.bitmask - -'
    + ' i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u'
    + ' i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add - - i64x2.sub - - - i64x2.mul'
    + ' i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s'
    + ' i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u');
  run(0xe0, 'f32x4.abs f32x4.neg - f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max f32x4.pmin f32x4.pmax'
    + ' f64x2.abs f64x2.neg - f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div f64x2.min f64x2.max f64x2.pmin f64x2.pmax'
    + ' i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u'
    + ' i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u');
}

// ---- reading ---------------------------------------------------------------------------

class WasmFormatError extends Error {}

/** A cursor over the bytes with the binary format's integer encodings. */
class Reader {
  constructor(readonly b: Uint8Array, public pos = 0, readonly end = b.length) {}

  get done(): boolean { return this.pos >= this.end; }

  u8(): number {
    if (this.pos >= this.end) throw new WasmFormatError(`unexpected end at byte ${this.pos}`);
    return this.b[this.pos++]!;
  }

  /** Unsigned LEB128 (up to 32 bits). */
  u32(): number {
    let result = 0, scale = 1;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new WasmFormatError(`LEB128 too long at byte ${this.pos}`);
  }

  /** Signed LEB128 of up to `bits` bits, as a BigInt. */
  sleb(bits: number): bigint {
    let result = 0n, shift = 0n;
    for (let i = 0; i < Math.ceil(bits / 7); i++) {
      const byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) {
        if (byte & 0x40) result -= 1n << shift;
        return result;
      }
    }
    throw new WasmFormatError(`LEB128 too long at byte ${this.pos}`);
  }

  s32(): number { return Number(this.sleb(32)); }
  s64(): bigint { return this.sleb(64); }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) throw new WasmFormatError(`unexpected end at byte ${this.pos}`);
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  name(): string { return new TextDecoder().decode(this.bytes(this.u32())); }

  valtype(): string {
    const t = this.u8();
    const name = VALTYPES[t];
    if (name === undefined) throw new WasmFormatError(`unknown value type 0x${t.toString(16)} at byte ${this.pos - 1}`);
    return name;
  }
}

// ---- the module model ---------------------------------------------------------------------

export interface WasmFuncType { params: string[]; results: string[] }
export interface WasmImport { module: string; name: string; kind: 'func' | 'memory' | 'table' | 'global'; desc: string; type?: number }

export interface WasmFunction {
  /** Function index (imports first). */
  index: number;
  /** `$name`: its export name, else `$f<index>`. */
  name: string;
  type: number;
  /** Declared locals (not parameters), in index order. */
  locals: string[];
  /** One line per instruction, already indented by block depth (0 = the body's top level). */
  lines: string[];
  /** Instructions decoded, the function's final `end` included. */
  instructions: number;
  /** Bytes of the body (locals included) and how many the listing consumed. */
  size: number;
  consumed: number;
  /** Why the listing stopped early (unknown opcode, malformed body). */
  error?: string;
}

export interface WasmModuleText {
  types: WasmFuncType[];
  imports: WasmImport[];
  exports: { name: string; kind: number; index: number }[];
  functions: WasmFunction[];
  /** Sections outside the JIT's set, summarised. */
  other: string[];
}

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];

function limits(r: Reader): string {
  const flags = r.u8();
  const min = r.u32();
  const range = flags & 1 ? `${min} ${r.u32()}` : `${min}`;
  return flags & 2 ? `${range} shared` : range;
}

/** Parses a module and lists every function body. Throws on a malformed module header or section. */
export function disassemble(bytes: Uint8Array): WasmModuleText {
  const r = new Reader(bytes);
  const magic = r.bytes(8);
  if (magic[0] !== 0 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d || magic[4] !== 1) {
    throw new WasmFormatError('not a WebAssembly version 1 module');
  }
  const out: WasmModuleText = { types: [], imports: [], exports: [], functions: [], other: [] };
  const funcTypes: number[] = [];
  const bodies: Reader[] = [];
  while (!r.done) {
    const id = r.u8();
    const size = r.u32();
    const s = new Reader(bytes, r.pos, r.pos + size);
    r.pos += size;
    if (s.end > bytes.length) throw new WasmFormatError(`section ${id} runs past the end`);
    switch (id) {
      case 1: {
        for (let n = s.u32(); n > 0; n--) {
          if (s.u8() !== 0x60) throw new WasmFormatError('type section: expected a function type');
          const params: string[] = [], results: string[] = [];
          for (let k = s.u32(); k > 0; k--) params.push(s.valtype());
          for (let k = s.u32(); k > 0; k--) results.push(s.valtype());
          out.types.push({ params, results });
        }
        break;
      }
      case 2: {
        for (let n = s.u32(); n > 0; n--) {
          const module = s.name(), name = s.name(), kind = s.u8();
          if (kind === 0) { const type = s.u32(); out.imports.push({ module, name, kind: 'func', desc: `(type $t${type})`, type }); }
          else if (kind === 1) { const t = s.valtype(); out.imports.push({ module, name, kind: 'table', desc: `${limits(s)} ${t}` }); }
          else if (kind === 2) out.imports.push({ module, name, kind: 'memory', desc: limits(s) });
          else if (kind === 3) { const t = s.valtype(); out.imports.push({ module, name, kind: 'global', desc: s.u8() ? `(mut ${t})` : t }); }
          else throw new WasmFormatError(`import kind ${kind}`);
        }
        break;
      }
      case 3: for (let n = s.u32(); n > 0; n--) funcTypes.push(s.u32()); break;
      case 7: for (let n = s.u32(); n > 0; n--) out.exports.push({ name: s.name(), kind: s.u8(), index: s.u32() }); break;
      case 10: {
        for (let n = s.u32(); n > 0; n--) {
          const len = s.u32();
          bodies.push(new Reader(bytes, s.pos, s.pos + len));
          s.pos += len;
        }
        break;
      }
      default:
        out.other.push(id === 0 ? `custom section "${s.name()}" (${size} bytes)` : `${SECTION_NAMES[id] ?? `unknown (id ${id})`} section (${size} bytes)`);
    }
  }
  const importedFuncs = out.imports.filter((i) => i.kind === 'func');
  const names: string[] = importedFuncs.map((i) => `$${i.module}.${i.name}`);
  for (let i = 0; i < funcTypes.length; i++) names.push(`$f${importedFuncs.length + i}`);
  for (const e of out.exports) if (e.kind === 0 && e.index < names.length) names[e.index] = `$${e.name}`;
  bodies.forEach((body, i) => {
    const index = importedFuncs.length + i;
    out.functions.push(listFunction(body, index, names[index]!, funcTypes[i] ?? -1, out.types, names));
  });
  return out;
}

// ---- function bodies ---------------------------------------------------------------------

const hex = (v: number | bigint): string => `0x${v.toString(16)}`;
/** An opcode byte: two hex digits. */
const opHex = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;

function intConst(v: bigint, bits: 32 | 64): string {
  const big = v > 255n || v < -256n;
  return big ? `${v} ;; ${hex(BigInt.asUintN(bits, v))}` : `${v}`;
}

function floatText(v: number, nanPayload: bigint, canonical: bigint, sign: boolean): string {
  if (Number.isNaN(v)) return `${sign ? '-' : ''}nan${nanPayload === canonical ? '' : `:${hex(nanPayload)}`}`;
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

function f32Text(bits: number): string {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint32(0, bits >>> 0, true);
  const v = dv.getFloat32(0, true);
  if (Number.isFinite(v) && v !== 0) {
    // The shortest decimal that reads back as the same float32.
    for (let p = 1; p <= 9; p++) {
      const s = v.toPrecision(p);
      if (Math.fround(Number(s)) === v) return String(Number(s));
    }
  }
  return floatText(v, BigInt(bits & 0x7fffff), 0x400000n, (bits >>> 31) !== 0);
}

function f64Text(bits: bigint): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, bits, true);
  return floatText(dv.getFloat64(0, true), bits & 0xfffffffffffffn, 0x8000000000000n, (bits >> 63n) !== 0n);
}

function blockType(r: Reader, types: readonly WasmFuncType[]): string {
  const t = r.b[r.pos];
  if (t === 0x40) { r.pos++; return ''; }
  if (t !== undefined && VALTYPES[t] !== undefined) { r.pos++; return ` (result ${VALTYPES[t]})`; }
  const index = Number(r.sleb(33));
  const ft = types[index];
  const params = ft && ft.params.length > 0 ? ` (param ${ft.params.join(' ')})` : '';
  const results = ft && ft.results.length > 0 ? ` (result ${ft.results.join(' ')})` : '';
  return ` (type $t${index})${params}${results}`;
}

function memarg(r: Reader, natural: number): string {
  let align = r.u32();
  let memory = '';
  if (align & 0x40) { align &= ~0x40; memory = ` ${r.u32()}`; }
  const offset = r.u32();
  return `${memory}${offset !== 0 ? ` offset=${offset}` : ''}${align !== natural ? ` align=${2 ** align}` : ''}`;
}

/** Lists one function body; stops (with `error`) at an unknown opcode or malformed bytes. */
function listFunction(r: Reader, index: number, name: string, type: number, types: readonly WasmFuncType[], funcNames: readonly string[]): WasmFunction {
  const fn: WasmFunction = { index, name, type, locals: [], lines: [], instructions: 0, size: r.end - r.pos, consumed: 0 };
  const start = r.pos;
  /** Open labels, innermost last: their names for branch targets. */
  const labels: string[] = [];
  let nextLabel = 0;
  const target = (depth: number): string => (depth < labels.length ? labels[labels.length - 1 - depth]! : `${depth}`);
  const line = (text: string, depth = labels.length): void => { fn.lines.push(`${'  '.repeat(depth)}${text}`); };
  const fname = (i: number): string => funcNames[i] ?? `${i}`;
  try {
    for (let n = r.u32(); n > 0; n--) {
      const count = r.u32(), t = r.valtype();
      for (let k = 0; k < count; k++) fn.locals.push(t);
    }
    for (;;) {
      const at = r.pos;
      const op = r.u8();
      fn.instructions++;
      const plain = PLAIN_OPS.get(op);
      if (plain !== undefined) { line(plain); continue; }
      const mem = MEMORY_OPS.get(op);
      if (mem !== undefined) { line(`${mem[0]}${memarg(r, mem[1])}`); continue; }
      switch (op) {
        case 0x02: case 0x03: case 0x04: {
          const kind = op === 0x02 ? 'block' : op === 0x03 ? 'loop' : 'if';
          const label = `$${kind === 'block' ? 'b' : kind === 'loop' ? 'L' : 'i'}${nextLabel++}`;
          line(`${kind} ${label}${blockType(r, types)}`);
          labels.push(label);
          continue;
        }
        case 0x05: line('else', labels.length - 1); continue;
        case 0x0b:
          if (labels.length === 0) {
            fn.consumed = r.pos - start;
            if (r.pos !== r.end) throw new WasmFormatError(`the body's final end at byte ${at} is followed by ${r.end - r.pos} more bytes`);
            return fn;
          }
          labels.pop();
          line('end');
          continue;
        case 0x0c: line(`br ${target(r.u32())}`); continue;
        case 0x0d: line(`br_if ${target(r.u32())}`); continue;
        case 0x0e: {
          const targets: string[] = [];
          for (let k = r.u32(); k > 0; k--) targets.push(target(r.u32()));
          targets.push(target(r.u32()));
          line(`br_table ${targets.join(' ')}`);
          continue;
        }
        case 0x10: line(`call ${fname(r.u32())}`); continue;
        case 0x11: { const t = r.u32(); line(`call_indirect ${r.u32()} (type $t${t})`); continue; }
        case 0x12: line(`return_call ${fname(r.u32())}`); continue;
        case 0x13: { const t = r.u32(); line(`return_call_indirect ${r.u32()} (type $t${t})`); continue; }
        case 0x1c: {
          const ts: string[] = [];
          for (let k = r.u32(); k > 0; k--) ts.push(r.valtype());
          line(`select (result ${ts.join(' ')})`);
          continue;
        }
        case 0x20: line(`local.get ${r.u32()}`); continue;
        case 0x21: line(`local.set ${r.u32()}`); continue;
        case 0x22: line(`local.tee ${r.u32()}`); continue;
        case 0x23: line(`global.get ${r.u32()}`); continue;
        case 0x24: line(`global.set ${r.u32()}`); continue;
        case 0x3f: line(`memory.size${memIndex(r.u32())}`); continue;
        case 0x40: line(`memory.grow${memIndex(r.u32())}`); continue;
        case 0x41: line(`i32.const ${intConst(BigInt(r.s32()), 32)}`); continue;
        case 0x42: line(`i64.const ${intConst(r.s64(), 64)}`); continue;
        case 0x43: {
          const b = r.bytes(4);
          line(`f32.const ${f32Text(b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24))}`);
          continue;
        }
        case 0x44: {
          const b = r.bytes(8);
          let bits = 0n;
          for (let k = 7; k >= 0; k--) bits = (bits << 8n) | BigInt(b[k]!);
          line(`f64.const ${f64Text(bits)}`);
          continue;
        }
        case 0xd0: line(`ref.null ${r.u8() === 0x70 ? 'func' : 'extern'}`); continue;
        case 0xd2: line(`ref.func ${fname(r.u32())}`); continue;
        case 0xfc: {
          const sub = r.u32();
          const text = prefixFc(sub, r);
          if (text === undefined) return stop(fn, r, start, `;; unknown opcode 0xfc ${opHex(sub)}`, labels.length);
          line(text);
          continue;
        }
        case 0xfd: {
          const sub = r.u32();
          const text = prefixFd(sub, r);
          if (text === undefined) return stop(fn, r, start, `;; unknown opcode 0xfd ${opHex(sub)}`, labels.length);
          line(text);
          continue;
        }
        default:
          return stop(fn, r, start, `;; unknown opcode ${opHex(op)}`, labels.length);
      }
    }
  } catch (e) {
    if (!(e instanceof WasmFormatError)) throw e;
    return stop(fn, r, start, `;; malformed: ${e.message}`, labels.length);
  }
}

function memIndex(i: number): string { return i === 0 ? '' : ` ${i}`; }

function stop(fn: WasmFunction, r: Reader, start: number, message: string, depth: number): WasmFunction {
  fn.instructions--;
  fn.lines.push(`${'  '.repeat(depth)}${message}`);
  fn.error = message.replace(/^;; /, '');
  fn.consumed = r.pos - start;
  return fn;
}

function prefixFc(sub: number, r: Reader): string | undefined {
  if (sub < FC_PLAIN_OPS.length) return FC_PLAIN_OPS[sub];
  switch (sub) {
    case 8: { const data = r.u32(); return `memory.init${memIndex(r.u32())} ${data}`; }
    case 9: return `data.drop ${r.u32()}`;
    case 10: { const dst = r.u32(), src = r.u32(); return `memory.copy${dst === 0 && src === 0 ? '' : ` ${dst} ${src}`}`; }
    case 11: return `memory.fill${memIndex(r.u32())}`;
    default: return undefined;
  }
}

function prefixFd(sub: number, r: Reader): string | undefined {
  const d = SIMD_OPS.get(sub);
  if (d === undefined) return undefined;
  switch (d.imm) {
    case 'none': return d.name;
    case 'mem': return `${d.name}${memarg(r, d.align!)}`;
    case 'lane': return `${d.name} ${r.u8()}`;
    case 'memlane': { const m = memarg(r, d.align!); return `${d.name}${m} ${r.u8()}`; }
    case 'shuffle': return `${d.name} ${Array.from(r.bytes(16)).join(' ')}`;
    case 'const': {
      const b = r.bytes(16);
      const words: string[] = [];
      for (let k = 0; k < 16; k += 4) words.push(`0x${((b[k]! | (b[k + 1]! << 8) | (b[k + 2]! << 16) | (b[k + 3]! << 24)) >>> 0).toString(16).padStart(8, '0')}`);
      return `${d.name} i32x4 ${words.join(' ')}`;
    }
  }
}

// ---- printing ------------------------------------------------------------------------------

function signature(t: WasmFuncType | undefined): string {
  if (t === undefined) return '';
  return `${t.params.length > 0 ? ` (param ${t.params.join(' ')})` : ''}${t.results.length > 0 ? ` (result ${t.results.join(' ')})` : ''}`;
}

/** The module as text: types, imports, exports, then each function with its locals and body. */
export function printModule(m: WasmModuleText): string {
  const out: string[] = ['(module'];
  m.types.forEach((t, i) => out.push(`  (type $t${i} (func${signature(t)}))`));
  for (const i of m.imports) {
    out.push(i.kind === 'func'
      ? `  (import "${i.module}" "${i.name}" (func $${i.module}.${i.name} ${i.desc}))`
      : `  (import "${i.module}" "${i.name}" (${i.kind} ${i.desc}))`);
  }
  for (const o of m.other) out.push(`  ;; ${o}`);
  const exportKinds = ['func', 'table', 'memory', 'global'];
  for (const e of m.exports) {
    const target = e.kind === 0 ? (m.functions.find((f) => f.index === e.index)?.name ?? `${e.index}`) : `${e.index}`;
    out.push(`  (export "${e.name}" (${exportKinds[e.kind] ?? `kind${e.kind}`} ${target}))`);
  }
  for (const f of m.functions) {
    const t = m.types[f.type];
    const params = t?.params.length ?? 0;
    out.push(`  (func ${f.name} (type $t${f.type})${signature(t)}${params === 1 ? ' ;; param 0' : params > 1 ? ` ;; params 0-${params - 1}` : ''}`);
    for (let i = 0; i < f.locals.length;) {
      let j = i;
      while (j < f.locals.length && f.locals[j] === f.locals[i]) j++;
      const first = params + i, last = params + j - 1;
      // Long runs (a region's register locals) are written as a count: easier to read.
      const types = j - i <= 8 ? ` ${f.locals[i]}`.repeat(j - i) : ` ${f.locals[i]} *${j - i}`;
      out.push(`    (local${types}) ;; ${first === last ? first : `${first}-${last}`}`);
      i = j;
    }
    for (const l of f.lines) out.push(`    ${l}`);
    out.push('  )');
  }
  out.push(')');
  return `${out.join('\n')}\n`;
}

/** The text of a wasm module (one instruction per line), or a one-line reason it cannot be read. */
export function wasmToText(bytes: Uint8Array): string {
  try {
    return printModule(disassemble(bytes));
  } catch (e) {
    if (e instanceof WasmFormatError) return `;; not a readable wasm module: ${e.message}\n`;
    throw e;
  }
}

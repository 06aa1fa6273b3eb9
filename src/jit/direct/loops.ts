// Guest loops as wasm loops in the direct backend.
//
// Default (--jit-loops off): the layout is a reverse postorder (codegen.ts layoutOrder)
// and findLoops is asked only for blocks that jump to themselves. --jit-loops on: the
// layout is loopLayout's (below), in which every loop's blocks are contiguous, and its
// loops are the wasm loops. What follows describes findLoops on any layout.
//
// In a layout most jumps go forward. A jump
// back to position h from position i >= h closes a loop whose body is the positions
// [h, t], t the last position that jumps back to h. Bodies that nest (or are disjoint)
// become wasm `loop`s, so their back edges are a `br` to the loop; the others, and jumps
// back into a body from outside it, still go through the region's dispatch (set the
// entry position, branch to the head of the function's outer loop, br_table), which
// merges every block's locals at one place (V8's register allocator then shuffles them
// on every iteration) and costs an indirect jump.
//
// Positions inside a body other than its head (its interior) are reached from outside
// only through the loop's own dispatch at the top of the loop: the entry position is
// put in the local and control enters the loop, whose br_table sends it on (see
// codegen.ts, emitLoop).

/** A wasm loop over the layout positions [head, last]. */
export interface LayoutLoop {
  head: number;
  last: number;
  /** The innermost accepted loop around this one (-1: none). */
  parent: number;
}

export interface LoopNest {
  /** Accepted loops, by increasing head (an enclosing loop comes before those inside it). */
  loops: LayoutLoop[];
  /** Per position: the loop whose head it is (-1: none). */
  headOf: Int32Array;
  /** Per position: the innermost loop whose body holds it, head included (-1: none). */
  innermost: Int32Array;
}

/**
 * The loops of a layout: `succ[p]` lists the positions position p may jump to. A loop
 * whose body would overlap another's without nesting is left to the dispatch (the first
 * one, by head, wins). `multiBlock` false: only blocks that jump to themselves.
 */
export function findLoops(succ: readonly (readonly number[])[], multiBlock = true): LoopNest {
  const n = succ.length;
  const last = new Int32Array(n).fill(-1);
  for (let p = 0; p < n; p++) for (const q of succ[p]!) if (q <= p && q >= 0 && p > last[q]!) last[q] = p;
  const loops: LayoutLoop[] = [];
  const headOf = new Int32Array(n).fill(-1);
  const innermost = new Int32Array(n).fill(-1);
  const open: number[] = [];
  for (let h = 0; h < n; h++) {
    while (open.length > 0 && loops[open[open.length - 1]!]!.last < h) open.pop();
    const t = last[h]!;
    if (t < 0 || (!multiBlock && t !== h)) continue;
    const parent = open.length > 0 ? open[open.length - 1]! : -1;
    if (parent >= 0 && loops[parent]!.last < t) continue;
    headOf[h] = loops.length;
    open.push(loops.length);
    loops.push({ head: h, last: t, parent });
  }
  // Inner loops come later in `loops`: the last one covering a position is the innermost.
  loops.forEach((l, k) => innermost.fill(k, l.head, l.last + 1));
  return { loops, headOf, innermost };
}

/** Whether position p lies in the body of loop k (head included). */
export function inBody(nest: LoopNest, k: number, p: number): boolean {
  const l = nest.loops[k]!;
  return p >= l.head && p <= l.last;
}

/**
 * For a jump from position `from` forward to `to`: the outermost loop holding `to` in
 * its interior whose body does not hold `from` (the jump enters it through its dispatch),
 * or -1 when `to` can be branched to directly.
 */
export function enteredLoop(nest: LoopNest, from: number, to: number): number {
  let entered = -1;
  for (let k = nest.innermost[to]!; k >= 0; k = nest.loops[k]!.parent) {
    if (nest.loops[k]!.head === to) continue;
    if (!inBody(nest, k, from)) entered = k;
  }
  return entered;
}

/**
 * A loop-aware layout (--jit-loops on): block indices in layout order, and the loops of
 * that layout. `succ[b]` lists the blocks block b may continue at (-1: outside the
 * region), a call's return site included. Reverse postorder alone does not keep a loop's
 * blocks together (a block reached first from outside a loop lands before or inside it),
 * so loop bodies overlapped (and were left to the dispatch) or were entered in their
 * interior from outside. Here the strongly connected components of the region's graph
 * are placed in topological order (Tarjan's, which is a reverse postorder of the
 * components: a branch's fall-through still tends to come right after it), each one
 * contiguous, headed by its first block reached; inside a component, the edges back to
 * its head are dropped and the rest is placed the same way. So every backward jump in
 * the layout goes to the head of a loop around it (a `br` to that wasm loop), loops
 * nest by construction, and only an irreducible loop (several ways in) or an entry
 * into the region is left entering a body in its interior.
 */
export function loopLayout(succ: readonly (readonly number[])[]): { order: number[]; nest: LoopNest } {
  const n = succ.length;
  const order: number[] = [];
  const loops: LayoutLoop[] = [];
  const scopeOf = new Int32Array(n).fill(-1);
  let scopes = 0;
  const place = (nodes: readonly number[], header: number, parent: number): void => {
    const scope = scopes++;
    for (const v of nodes) scopeOf[v] = scope;
    const comps = components(succ, header >= 0 ? [header] : nodes, (w) => scopeOf[w] === scope && w !== header);
    for (let c = comps.length - 1; c >= 0; c--) {
      const { nodes: cn, root } = comps[c]!;
      const selfLoop = root !== header && succ[root]!.includes(root);
      if (cn.length === 1 && !selfLoop) { order.push(root); continue; }
      const k = loops.length;
      loops.push({ head: order.length, last: order.length + cn.length - 1, parent });
      place(cn, root, k);
    }
  };
  place(Array.from({ length: n }, (_, b) => b), -1, -1);
  const headOf = new Int32Array(n).fill(-1);
  const innermost = new Int32Array(n).fill(-1);
  // Enclosing loops are pushed before the loops inside them: the last one covering a position is the innermost.
  loops.forEach((l, k) => { headOf[l.head] = k; innermost.fill(k, l.head, l.last + 1); });
  return { order, nest: { loops, headOf, innermost } };
}

/**
 * Tarjan's strongly connected components of the blocks reachable from `roots` (in turn)
 * along edges to blocks `follow` accepts, in the order they complete (reverse
 * topological); `root` is the component's first block reached. Iterative: a region may
 * hold long chains of blocks.
 */
function components(succ: readonly (readonly number[])[], roots: readonly number[], follow: (b: number) => boolean): { nodes: number[]; root: number }[] {
  const n = succ.length;
  const index = new Int32Array(n).fill(-1), low = new Int32Array(n), onStack = new Uint8Array(n);
  const stack: number[] = [], out: { nodes: number[]; root: number }[] = [];
  let counter = 0;
  const visit = (v: number, calls: [number, number][]): void => {
    index[v] = low[v] = counter++; stack.push(v); onStack[v] = 1; calls.push([v, 0]);
  };
  for (const r of roots) {
    if (index[r]! >= 0) continue;
    const calls: [number, number][] = [];
    visit(r, calls);
    while (calls.length > 0) {
      const top = calls[calls.length - 1]!, v = top[0], es = succ[v]!;
      if (top[1] < es.length) {
        const w = es[top[1]++]!;
        if (w < 0 || !follow(w)) continue;
        if (index[w]! < 0) visit(w, calls);
        else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      calls.pop();
      if (calls.length > 0) { const u = calls[calls.length - 1]![0]; low[u] = Math.min(low[u]!, low[v]!); }
      if (low[v] === index[v]) {
        const nodes: number[] = [];
        for (let w = -1; w !== v;) { w = stack.pop()!; onStack[w] = 0; nodes.push(w); }
        out.push({ nodes, root: v });
      }
    }
  }
  return out;
}

// Guest loops as wasm loops in the direct backend.
//
// A region's blocks are laid out in reverse postorder, so most jumps go forward. A jump
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

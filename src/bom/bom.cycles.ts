/**
 * Cycle detection over assembly → sub-assembly edges. A BOM is a directed acyclic graph; a cycle
 * would make every explosion through it infinite, so the import refuses one and names it.
 */
export interface AssemblyEdge {
  parent: string;
  child: string;
  /** Line in bom.csv, or null for an edge already stored. */
  line: number | null;
}

export interface Cycle {
  /** The assemblies around the cycle, first repeated at the end: [A, B, C, A]. */
  path: string[];
  /** The file line of an edge on the cycle (the closing one when it came from the file). */
  line: number | null;
}

/** The first cycle found (deterministic for a given edge order), or null for a DAG. Iterative DFS. */
export function findCycle(edges: readonly AssemblyEdge[]): Cycle | null {
  const out = new Map<string, AssemblyEdge[]>();
  for (const e of edges) {
    const list = out.get(e.parent);
    if (list) list.push(e);
    else out.set(e.parent, [e]);
  }
  const DONE = 2;
  const ON_STACK = 1;
  const state = new Map<string, number>();
  for (const root of out.keys()) {
    if (state.has(root)) continue;
    // Each frame: the node and the index of the next outgoing edge to follow.
    const stack: { node: string; next: number; via: AssemblyEdge | null }[] = [
      { node: root, next: 0, via: null },
    ];
    state.set(root, ON_STACK);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = out.get(top.node) ?? [];
      if (top.next >= succ.length) {
        state.set(top.node, DONE);
        stack.pop();
        continue;
      }
      const e = succ[top.next++]!;
      const s = state.get(e.child);
      if (s === ON_STACK) {
        const start = stack.findIndex((f) => f.node === e.child);
        const frames = stack.slice(start);
        const path = [...frames.map((f) => f.node), e.child];
        const onCycle = [...frames.slice(1).map((f) => f.via!), e];
        const fromFile = onCycle.filter((x) => x.line !== null);
        return { path, line: fromFile.length > 0 ? fromFile[fromFile.length - 1]!.line : null };
      }
      if (s === undefined) {
        state.set(e.child, ON_STACK);
        stack.push({ node: e.child, next: 0, via: e });
      }
    }
  }
  return null;
}

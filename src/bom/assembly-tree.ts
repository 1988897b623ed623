/**
 * The assemblies a part sits in, as the tree a person reads top-down: products at the roots, each
 * sub-assembly under every parent that uses it (with the quantity per parent), down to the
 * assemblies that hold the part on their own BOM (with the part's quantity there). Pure: built from
 * the nodes and edges the store gives. An assembly used by two parents appears under both; the
 * tree is cut at `maxNodes` so a very wide graph still answers.
 */
export interface TreeAssembly {
  assembly_id: string;
  name: string;
  annual_demand: number;
  end_of_production: string;
  /** Units of the part on this assembly's own BOM; null when it holds the part only through children. */
  part_qty: number | null;
}

export interface TreeEdge {
  parent: string;
  child: string;
  qty_per: number;
}

export interface AssemblyTreeNode extends TreeAssembly {
  /** Units of this assembly per unit of its parent; null at a root. */
  qty_per: number | null;
  /** Units of the part per unit of this assembly, over every path below it. */
  part_units_per_unit: number;
  children: AssemblyTreeNode[];
}

export interface AssemblyTree {
  roots: AssemblyTreeNode[];
  /** True when the tree was cut at maxNodes. */
  truncated: boolean;
}

const byId = (a: { assembly_id: string }, b: { assembly_id: string }) =>
  a.assembly_id < b.assembly_id ? -1 : a.assembly_id > b.assembly_id ? 1 : 0;

export function assemblyTree(
  assemblies: readonly TreeAssembly[],
  edges: readonly TreeEdge[],
  maxNodes = 500,
): AssemblyTree {
  const nodes = new Map(assemblies.map((a) => [a.assembly_id, a]));
  const children = new Map<string, TreeEdge[]>();
  const hasParent = new Set<string>();
  for (const e of edges) {
    if (!nodes.has(e.parent) || !nodes.has(e.child)) continue;
    children.set(e.parent, [...(children.get(e.parent) ?? []), e]);
    hasParent.add(e.child);
  }
  // Units of the part per unit of each assembly, memoised (the graph is acyclic: imports refuse cycles).
  const units = new Map<string, number>();
  const unitsOf = (id: string, depth = 0): number => {
    const known = units.get(id);
    if (known !== undefined) return known;
    let u = nodes.get(id)?.part_qty ?? 0;
    if (depth < 64) for (const e of children.get(id) ?? []) u += e.qty_per * unitsOf(e.child, depth + 1);
    const rounded = Math.round(u * 1e6) / 1e6;
    units.set(id, rounded);
    return rounded;
  };

  let count = 0;
  let truncated = false;
  const build = (id: string, qtyPer: number | null, depth: number): AssemblyTreeNode | null => {
    if (count >= maxNodes || depth > 64) {
      truncated = true;
      return null;
    }
    count += 1;
    const a = nodes.get(id)!;
    const kids: AssemblyTreeNode[] = [];
    for (const e of [...(children.get(id) ?? [])].sort((x, y) =>
      byId({ assembly_id: x.child }, { assembly_id: y.child }),
    )) {
      const k = build(e.child, e.qty_per, depth + 1);
      if (k) kids.push(k);
    }
    return { ...a, qty_per: qtyPer, part_units_per_unit: unitsOf(id), children: kids };
  };

  const roots: AssemblyTreeNode[] = [];
  for (const a of [...assemblies].sort(byId)) {
    if (hasParent.has(a.assembly_id)) continue;
    const r = build(a.assembly_id, null, 0);
    if (r) roots.push(r);
  }
  return { roots, truncated };
}

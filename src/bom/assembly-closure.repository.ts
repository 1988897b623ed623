import type { Sql } from "../store/driver.ts";

/**
 * `assembly_closure` (migration 008): for every assembly, each assembly above it (itself included)
 * with the units of it per unit of the ancestor, summed over all BOM paths. Rebuilt whole, in the
 * import's transaction, whenever assemblies or BOM lines change: imports are rare, where-used lookups
 * are not.
 */
export const assemblyClosureRepository = {
  async rebuild(tx: Sql): Promise<void> {
    await tx.query("delete from assembly_closure");
    await tx.query(
      `insert into assembly_closure (descendant, ancestor, qty)
       with recursive up (descendant, ancestor, qty, depth) as (
         select assembly_id, assembly_id, 1::numeric, 0 from assemblies
         union all
         select up.descendant, b.parent_assembly_id, up.qty * b.qty_per, up.depth + 1
         from up join bom_lines b on b.child_assembly_id = up.ancestor
         where up.depth < 64
       )
       select descendant, ancestor, sum(qty) from up group by descendant, ancestor`,
    );
  },
};

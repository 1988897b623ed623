import type { Sql } from "../store/driver.ts";
import { type AssemblyTree, assemblyTree, type TreeAssembly, type TreeEdge } from "./assembly-tree.ts";

/**
 * The assembly tree of a part as the BOM stands now: every assembly that holds the part directly
 * and every assembly above those (through `assembly_closure`), with the lines between them.
 */
export async function assemblyTreeOfPart(db: Sql, partId: number | string): Promise<AssemblyTree> {
  const nodes = await db.query<TreeAssembly>(
    `with holders as (select parent_assembly_id as id, qty_per from bom_lines where child_part_id = $1),
     above as (select distinct c.ancestor as id from assembly_closure c join holders h on h.id = c.descendant)
     select a.assembly_id, a.name, a.annual_demand::float8 as annual_demand, a.end_of_production::text as end_of_production,
       h.qty_per::float8 as part_qty
     from above x join assemblies a on a.assembly_id = x.id left join holders h on h.id = a.assembly_id`,
    [partId],
  );
  const ids = nodes.rows.map((n) => n.assembly_id);
  const edges = await db.query<TreeEdge>(
    `select parent_assembly_id as parent, child_assembly_id as child, qty_per::float8 as qty_per from bom_lines
     where child_assembly_id = any($1::text[]) and parent_assembly_id = any($1::text[])`,
    [ids],
  );
  return assemblyTree(nodes.rows, edges.rows);
}

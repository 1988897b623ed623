-- Where-used at scale (issue 6, docs/adr/0006-case-identity.md §where-used): for every assembly,
-- every assembly above it (itself included) with the units of it per unit of the ancestor, summed
-- over all BOM paths. Rebuilt by the import, in its transaction, whenever assemblies or BOM lines
-- change; where-used is then one indexed join instead of a walk over every path.
create table assembly_closure (
  descendant text not null references assemblies (assembly_id),
  ancestor text not null references assemblies (assembly_id),
  qty numeric not null check (qty > 0),
  primary key (descendant, ancestor) include (qty)
);

-- Graphs imported before this migration get their closure now.
insert into assembly_closure (descendant, ancestor, qty)
with recursive up (descendant, ancestor, qty, depth) as (
  select assembly_id, assembly_id, 1::numeric, 0 from assemblies
  union all
  select up.descendant, b.parent_assembly_id, up.qty * b.qty_per, up.depth + 1
  from up join bom_lines b on b.child_assembly_id = up.ancestor
  where up.depth < 64
)
select descendant, ancestor, sum(qty) from up group by descendant, ancestor;

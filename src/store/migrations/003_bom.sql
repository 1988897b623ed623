-- The BOM graph (DESIGN §7). Rows are upserted by import; nothing here is ever derived from notices.

create table assemblies (
  assembly_id text primary key,
  name text not null,
  annual_demand numeric not null check (annual_demand >= 0),
  unit_price numeric not null check (unit_price >= 0),
  end_of_production date not null,
  notify_channel text,
  updated_at timestamptz not null default now()
);

-- A part's identity is its maker's canonical key plus the MPN with case and whitespace folded
-- (manufacturer_key, mpn_fold). mpn_norm (packaging/RoHS suffixes stripped) is for matching
-- notices only: a part and its packaging variant share mpn_norm but stay two rows.
create table parts (
  id bigserial primary key,
  manufacturer text not null,
  mpn text not null,
  manufacturer_key text not null,
  mpn_fold text not null,
  mpn_norm text not null,
  unit_cost numeric not null check (unit_cost >= 0),
  on_hand bigint not null check (on_hand >= 0),
  on_order bigint not null check (on_order >= 0),
  lifecycle_status text not null,
  lifecycle_status_raw text,
  updated_at timestamptz not null default now(),
  unique (manufacturer_key, mpn_fold)
);
create index parts_mpn_norm on parts (mpn_norm);
create index parts_mpn_fold on parts (mpn_fold);

-- One line of a parent's BOM: exactly one of child_assembly_id / child_part_id is set.
create table bom_lines (
  parent_assembly_id text not null references assemblies (assembly_id),
  child_assembly_id text references assemblies (assembly_id),
  child_part_id bigint references parts (id),
  qty_per numeric not null check (qty_per > 0),
  check ((child_assembly_id is null) <> (child_part_id is null))
);
create unique index bom_lines_parent_assembly on bom_lines (parent_assembly_id, child_assembly_id)
  where child_assembly_id is not null;
create unique index bom_lines_parent_part on bom_lines (parent_assembly_id, child_part_id)
  where child_part_id is not null;
-- Where-used walks the graph upwards: from a part to its holders, from an assembly to its parents.
create index bom_lines_by_part on bom_lines (child_part_id, parent_assembly_id, qty_per)
  where child_part_id is not null;
create index bom_lines_by_child_assembly on bom_lines (child_assembly_id, parent_assembly_id, qty_per)
  where child_assembly_id is not null;

-- Alternates are keyed by the alternate's identity, not a parts row: an alternate absent from
-- parts counts as active (DESIGN §6) and may be imported before or after its own parts row.
create table part_alternates (
  part_id bigint not null references parts (id),
  alt_manufacturer text not null,
  alt_mpn text not null,
  alt_manufacturer_key text not null,
  alt_mpn_fold text not null,
  kind text not null check (kind in ('drop_in', 'substitute')),
  alt_unit_cost numeric check (alt_unit_cost >= 0),
  primary key (part_id, alt_manufacturer_key, alt_mpn_fold)
);

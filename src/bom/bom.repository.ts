import type { AlternateFacts, AssemblyFacts, Holder, PartFacts, Usage } from "../impact/impact.model.ts";
import type { LifecycleStatus } from "../parts/lifecycle.ts";
import type { Sql, SqlDriver } from "../store/driver.ts";
import type { AlternateRow, AssemblyRow, PartRow } from "./bom.rows.ts";
import { foldMpn, manufacturerKey, normalizeMpn } from "./part-key.ts";

/**
 * The BOM graph's tables (assemblies, parts, part_alternates, bom_lines): the reads the impact model
 * and the routes need, and, at the end, the import's writes (the only ones). Dates leave SQL as text
 * so no driver turns them into local-time Dates.
 */

export interface StoredPart extends PartFacts {
  id: number;
  manufacturerKey: string;
  mpnNorm: string;
}

const PART_COLUMNS = `id::float8 as id, manufacturer, mpn, manufacturer_key, mpn_norm, unit_cost::float8 as unit_cost,
  on_hand::float8 as on_hand, on_order::float8 as on_order, lifecycle_status`;

interface PartRecord {
  id: number;
  manufacturer: string;
  mpn: string;
  manufacturer_key: string;
  mpn_norm: string;
  unit_cost: number;
  on_hand: number;
  on_order: number;
  lifecycle_status: LifecycleStatus;
}

function toPart(r: PartRecord): StoredPart {
  return {
    id: r.id,
    manufacturer: r.manufacturer,
    mpn: r.mpn,
    manufacturerKey: r.manufacturer_key,
    mpnNorm: r.mpn_norm,
    unitCost: r.unit_cost,
    onHand: r.on_hand,
    onOrder: r.on_order,
    status: r.lifecycle_status,
  };
}

/**
 * The stored parts a notice names (DESIGN §7): by canonical maker and MPN, or by MPN alone when
 * the notice names no maker. An MPN written exactly as stored (case and spaces folded) wins over
 * the normalised key, so a notice for `BC807-25,235` never also hits its packaging variant.
 */
export async function matchParts(db: Sql, manufacturer: string | null, mpn: string): Promise<StoredPart[]> {
  const mk = manufacturer?.trim() ? manufacturerKey(manufacturer) : null;
  const byMaker = mk === null ? "" : " and manufacturer_key = $2";
  const params = (key: string) => (mk === null ? [key] : [key, mk]);
  const exact = await db.query<PartRecord>(
    `select ${PART_COLUMNS} from parts where mpn_fold = $1${byMaker} order by id`,
    params(foldMpn(mpn)),
  );
  if (exact.rows.length > 0) return exact.rows.map(toPart);
  const norm = await db.query<PartRecord>(
    `select ${PART_COLUMNS} from parts where mpn_norm = $1${byMaker} order by id`,
    params(normalizeMpn(mpn)),
  );
  return norm.rows.map(toPart);
}

export async function getPart(db: Sql, id: number): Promise<StoredPart | null> {
  const r = await db.query<PartRecord>(`select ${PART_COLUMNS} from parts where id = $1`, [id]);
  return r.rows[0] ? toPart(r.rows[0]) : null;
}

export interface WhereUsedAssembly {
  assembly_id: string;
  name: string;
  qty_per_unit: number;
  /** True when the assembly holds the part on its own BOM (not only through sub-assemblies). */
  direct: boolean;
  annual_demand: number;
  unit_price: number;
  end_of_production: string;
}

export interface WhereUsed {
  /** Every assembly above the part, by assembly id. */
  assemblies: WhereUsedAssembly[];
  holders: Holder[];
}

/**
 * Every assembly above the part with the units of the part per unit of it: the sum over BOM paths
 * of the product of qty_per along each path. The per-path products up the assembly graph are
 * precomputed by the import in `assembly_closure` (a recursive CTE summed per pair), so this is
 * one join from the part's direct holders, whatever the number of paths. Beside it, per direct
 * holder, the latest end of production among the assemblies with demand it reaches (itself
 * included), for the redesign count.
 */
export async function whereUsed(
  db: Sql,
  partId: number,
  opts: {
    /** Only assemblies with annual demand (all the impact model reads); holders are always complete. */
    demandOnly?: boolean;
  } = {},
): Promise<WhereUsed> {
  const r = await db.query<{
    kind: "a" | "h";
    id: string;
    qty: number | null;
    name: string | null;
    annual_demand: number | null;
    unit_price: number | null;
    eop: string | null;
  }>(
    `with reach as (
       select b.parent_assembly_id as holder, c.ancestor, b.qty_per * c.qty as qty
       from bom_lines b join assembly_closure c on c.descendant = b.parent_assembly_id
       where b.child_part_id = $1
     ), per_assembly as (
       select ancestor as assembly_id, sum(qty) as qty from reach group by ancestor
     ), per_holder as (
       select r.holder, max(a.end_of_production) filter (where a.annual_demand > 0) as latest
       from reach r join assemblies a on a.assembly_id = r.ancestor group by r.holder
     )
     select 'a' as kind, p.assembly_id as id, p.qty::float8 as qty, a.name, a.annual_demand::float8 as annual_demand,
       a.unit_price::float8 as unit_price, a.end_of_production::text as eop
     from per_assembly p join assemblies a on a.assembly_id = p.assembly_id
     where not $2::boolean or a.annual_demand > 0
     union all
     select 'h', holder, null, null, null, null, latest::text from per_holder`,
    [partId, opts.demandOnly === true],
  );
  const holders: Holder[] = [];
  const assemblies: WhereUsedAssembly[] = [];
  for (const x of r.rows) {
    if (x.kind === "h") holders.push({ holderId: x.id, latestDemandEnd: x.eop });
    else {
      assemblies.push({
        assembly_id: x.id,
        name: x.name!,
        // Six places removes binary noise from products of decimal quantities.
        qty_per_unit: Math.round(x.qty! * 1e6) / 1e6,
        direct: false,
        annual_demand: x.annual_demand!,
        unit_price: x.unit_price!,
        end_of_production: x.eop!,
      });
    }
  }
  const direct = new Set(holders.map((h) => h.holderId));
  for (const a of assemblies) a.direct = direct.has(a.assembly_id);
  assemblies.sort((a, b) => (a.assembly_id < b.assembly_id ? -1 : a.assembly_id > b.assembly_id ? 1 : 0));
  holders.sort((a, b) => (a.holderId < b.holderId ? -1 : a.holderId > b.holderId ? 1 : 0));
  return { assemblies, holders };
}

export async function alternatesOf(db: Sql, partId: number): Promise<AlternateFacts[]> {
  const r = await db.query<{
    kind: "drop_in" | "substitute";
    alt_manufacturer: string;
    alt_mpn: string;
    alt_unit_cost: number | null;
    part_unit_cost: number | null;
    part_status: LifecycleStatus | null;
  }>(
    `select a.kind, a.alt_manufacturer, a.alt_mpn, a.alt_unit_cost::float8 as alt_unit_cost,
       p.unit_cost::float8 as part_unit_cost, p.lifecycle_status as part_status
     from part_alternates a
     left join parts p on p.manufacturer_key = a.alt_manufacturer_key and p.mpn_fold = a.alt_mpn_fold
     where a.part_id = $1 order by a.alt_manufacturer_key, a.alt_mpn_fold`,
    [partId],
  );
  return r.rows.map((x) => ({
    kind: x.kind,
    manufacturer: x.alt_manufacturer,
    mpn: x.alt_mpn,
    altUnitCost: x.alt_unit_cost,
    partUnitCost: x.part_unit_cost,
    partStatus: x.part_status,
  }));
}

/** The graph facts the impact model needs for one part. */
export async function loadPartGraph(
  db: Sql,
  partId: number,
): Promise<{
  usages: Usage[];
  holders: Holder[];
  assemblies: Map<string, AssemblyFacts>;
  alternates: AlternateFacts[];
}> {
  // Assemblies without demand add nothing to demand, exposure or the affected list (DESIGN §6).
  const used = await whereUsed(db, partId, { demandOnly: true });
  const assemblies = new Map<string, AssemblyFacts>();
  const usages: Usage[] = [];
  for (const a of used.assemblies) {
    usages.push({ assemblyId: a.assembly_id, qtyPerUnit: a.qty_per_unit });
    assemblies.set(a.assembly_id, {
      assemblyId: a.assembly_id,
      annualDemand: a.annual_demand,
      unitPrice: a.unit_price,
      endOfProduction: a.end_of_production,
    });
  }
  return { usages, holders: used.holders, assemblies, alternates: await alternatesOf(db, partId) };
}

const IMPORT_LOCK = 7_243_906;

/** Stored parts by identity ((maker key, folded MPN) → id) and by folded MPN alone. */
export interface PartIndex {
  byIdentity: Map<string, number>;
  byFold: Map<string, number[]>;
}

/** A BOM line staged during an import, before it replaces its parent's stored lines. */
export interface StagedLine {
  line: number;
  parent: string;
  childAssembly: string | null;
  childPart: number | null;
  qty: number;
}

/**
 * The only writes to the BOM graph (assemblies, parts, part_alternates, bom_lines), made by the
 * import inside its transaction. Batches go as one `unnest` statement each.
 */
export const bomWrites = {
  /** Serialises imports: two at once would each check cycles against a graph the other changes. */
  async lockImports(tx: Sql): Promise<void> {
    await tx.query("select pg_advisory_xact_lock($1)", [IMPORT_LOCK]);
  },

  async upsertAssemblies(tx: Sql, rows: AssemblyRow[]): Promise<void> {
    await tx.query(
      `with up as (insert into assemblies (assembly_id, name, annual_demand, unit_price, end_of_production, notify_channel)
       select * from unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::date[], $6::text[])
       on conflict (assembly_id) do update set name = excluded.name, annual_demand = excluded.annual_demand,
         unit_price = excluded.unit_price, end_of_production = excluded.end_of_production,
         notify_channel = excluded.notify_channel, updated_at = now()
       where (assemblies.name, assemblies.annual_demand, assemblies.unit_price, assemblies.end_of_production,
         assemblies.notify_channel) is distinct from (excluded.name, excluded.annual_demand, excluded.unit_price,
         excluded.end_of_production, excluded.notify_channel)
       returning assembly_id)
       insert into bom_changed_assemblies select assembly_id from up on conflict do nothing`,
      [
        rows.map((r) => r.assemblyId),
        rows.map((r) => r.name),
        rows.map((r) => r.annualDemand),
        rows.map((r) => r.unitPrice),
        rows.map((r) => r.endOfProduction),
        rows.map((r) => r.notifyChannel),
      ],
    );
  },

  async upsertParts(tx: Sql, rows: PartRow[]): Promise<void> {
    await tx.query(
      `with up as (insert into parts (manufacturer, mpn, manufacturer_key, mpn_fold, mpn_norm, unit_cost, on_hand, on_order,
         lifecycle_status, lifecycle_status_raw)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[],
         $7::bigint[], $8::bigint[], $9::text[], $10::text[])
       on conflict (manufacturer_key, mpn_fold) do update set manufacturer = excluded.manufacturer,
         mpn = excluded.mpn, mpn_norm = excluded.mpn_norm, unit_cost = excluded.unit_cost,
         on_hand = excluded.on_hand, on_order = excluded.on_order, lifecycle_status = excluded.lifecycle_status,
         lifecycle_status_raw = excluded.lifecycle_status_raw, updated_at = now()
       where (parts.manufacturer, parts.mpn, parts.mpn_norm, parts.unit_cost, parts.on_hand, parts.on_order,
         parts.lifecycle_status, parts.lifecycle_status_raw) is distinct from (excluded.manufacturer, excluded.mpn,
         excluded.mpn_norm, excluded.unit_cost, excluded.on_hand, excluded.on_order, excluded.lifecycle_status,
         excluded.lifecycle_status_raw)
       returning id)
       insert into bom_changed_parts select id from up on conflict do nothing`,
      [
        rows.map((r) => r.manufacturer),
        rows.map((r) => r.mpn),
        rows.map((r) => r.manufacturerKey),
        rows.map((r) => r.mpnFold),
        rows.map((r) => r.mpnNorm),
        rows.map((r) => r.unitCost),
        rows.map((r) => r.onHand),
        rows.map((r) => r.onOrder),
        rows.map((r) => r.status),
        rows.map((r) => r.statusRaw),
      ],
    );
  },

  async partIndex(tx: Sql): Promise<PartIndex> {
    const byIdentity = new Map<string, number>();
    const byFold = new Map<string, number[]>();
    const { rows } = await tx.query<{ id: number; manufacturer_key: string; mpn_fold: string }>(
      "select id::float8 as id, manufacturer_key, mpn_fold from parts",
    );
    for (const r of rows) {
      byIdentity.set(`${r.manufacturer_key}\u0000${r.mpn_fold}`, r.id);
      const list = byFold.get(r.mpn_fold);
      if (list) list.push(r.id);
      else byFold.set(r.mpn_fold, [r.id]);
    }
    return { byIdentity, byFold };
  },

  async upsertAlternates(tx: Sql, rows: (AlternateRow & { partId: number })[]): Promise<void> {
    await tx.query(
      `with up as (insert into part_alternates (part_id, alt_manufacturer, alt_mpn, alt_manufacturer_key, alt_mpn_fold, kind,
         alt_unit_cost)
       select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[])
       on conflict (part_id, alt_manufacturer_key, alt_mpn_fold) do update set alt_manufacturer = excluded.alt_manufacturer,
         alt_mpn = excluded.alt_mpn, kind = excluded.kind, alt_unit_cost = excluded.alt_unit_cost
       where (part_alternates.alt_manufacturer, part_alternates.alt_mpn, part_alternates.kind,
         part_alternates.alt_unit_cost) is distinct from (excluded.alt_manufacturer, excluded.alt_mpn, excluded.kind,
         excluded.alt_unit_cost)
       returning part_id)
       insert into bom_changed_parts select part_id from up on conflict do nothing`,
      [
        rows.map((r) => r.partId),
        rows.map((r) => r.altManufacturer),
        rows.map((r) => r.altMpn),
        rows.map((r) => r.altManufacturerKey),
        rows.map((r) => r.altMpnFold),
        rows.map((r) => r.kind),
        rows.map((r) => r.altUnitCost),
      ],
    );
  },

  async assemblyIds(tx: Sql): Promise<Set<string>> {
    const r = await tx.query<{ assembly_id: string }>("select assembly_id from assemblies");
    return new Set(r.rows.map((x) => x.assembly_id));
  },

  /** A staging table for this transaction's BOM lines (dropped at commit). */
  async openStaging(tx: Sql): Promise<void> {
    await tx.query(
      `create temp table bom_stage (line integer not null, parent text not null, child_assembly text,
         child_part bigint, qty numeric not null) on commit drop`,
    );
  },

  async stageLines(tx: Sql, rows: StagedLine[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `insert into bom_stage select * from unnest($1::integer[], $2::text[], $3::text[], $4::bigint[], $5::numeric[])`,
      [
        rows.map((r) => r.line),
        rows.map((r) => r.parent),
        rows.map((r) => r.childAssembly),
        rows.map((r) => r.childPart),
        rows.map((r) => r.qty),
      ],
    );
  },

  /** Staged lines naming the same parent and child more than once, with every line they are on. */
  async duplicateStagedLines(tx: Sql, limit: number): Promise<{ parent: string; lines: number[] }[]> {
    const r = await tx.query<{ parent: string; lines: number[] }>(
      `select parent, array_agg(line order by line) as lines
       from bom_stage group by parent, child_assembly, child_part having count(*) > 1 order by min(line) limit $1`,
      [limit],
    );
    return r.rows;
  },

  async storedAssemblyEdges(tx: Sql): Promise<{ parent: string; child: string }[]> {
    const r = await tx.query<{ parent: string; child: string }>(
      `select parent_assembly_id as parent, child_assembly_id as child from bom_lines where child_assembly_id is not null`,
    );
    return r.rows;
  },

  /**
   * Each parent named in the staged file gets exactly its staged lines. A line added, removed or
   * with another quantity changes its child: a part directly, or every part under a sub-assembly.
   */
  async replaceLinesOfStagedParents(tx: Sql): Promise<void> {
    await tx.query(
      `with old as (
         select parent_assembly_id as parent, child_assembly_id as child_assembly, child_part_id as child_part,
           qty_per as qty from bom_lines where parent_assembly_id in (select distinct parent from bom_stage)
       ), staged as (
         select parent, child_assembly, child_part, qty from bom_stage
       ), diff as (
         (select * from old except select * from staged) union (select * from staged except select * from old)
       ), parts as (
         insert into bom_changed_parts select distinct child_part from diff where child_part is not null
         on conflict do nothing
       )
       insert into bom_changed_assemblies select distinct child_assembly from diff where child_assembly is not null
       on conflict do nothing`,
    );
    await tx.query(
      "delete from bom_lines where parent_assembly_id in (select distinct parent from bom_stage)",
    );
    await tx.query(
      `insert into bom_lines (parent_assembly_id, child_assembly_id, child_part_id, qty_per)
       select parent, child_assembly, child_part, qty from bom_stage`,
    );
  },

  /**
   * The change log of this import's transaction (dropped at commit): the parts and assemblies whose
   * rows or BOM lines it inserted or changed. Unchanged rows are not rewritten and not logged, so a
   * re-import of the same files changes nothing and re-evaluates nothing.
   */
  async openChangeLog(tx: Sql): Promise<void> {
    await tx.query("create temp table bom_changed_parts (part_id bigint primary key) on commit drop");
    await tx.query("create temp table bom_changed_assemblies (assembly_id text primary key) on commit drop");
  },

  /**
   * Closes the log after the closure is rebuilt: a changed assembly (demand, price, end of
   * production, a sub-assembly attached or detached) changes every part under it, and a changed
   * part changes the parts that name it as their alternate. Records the import as a BOM version.
   */
  async recordImport(
    tx: Sql,
    r: { source: string; counts: Record<string, number> },
  ): Promise<{
    version: number;
    changedParts: number;
    changed: { manufacturerKey: string; mpnNorm: string }[];
  }> {
    await tx.query(
      `insert into bom_changed_parts
       select distinct b.child_part_id from bom_lines b join assembly_closure c on c.descendant = b.parent_assembly_id
       where b.child_part_id is not null and c.ancestor in (select assembly_id from bom_changed_assemblies)
       on conflict do nothing`,
    );
    await tx.query(
      `insert into bom_changed_parts
       select distinct a.part_id from part_alternates a
       join parts p on p.manufacturer_key = a.alt_manufacturer_key and p.mpn_fold = a.alt_mpn_fold
       where p.id in (select part_id from bom_changed_parts)
       on conflict do nothing`,
    );
    const changed = await tx.query<{ manufacturer_key: string; mpn_norm: string }>(
      `select distinct p.manufacturer_key, p.mpn_norm from parts p join bom_changed_parts c on c.part_id = p.id`,
    );
    const count = await tx.query<{ n: number }>("select count(*)::int as n from bom_changed_parts");
    const v = await tx.query<{ version: number }>(
      `insert into bom_imports (source, counts, changed_parts) values ($1, $2, $3) returning version::float8 as version`,
      [r.source, JSON.stringify(r.counts), Number(count.rows[0]!.n)],
    );
    return {
      version: Number(v.rows[0]!.version),
      changedParts: Number(count.rows[0]!.n),
      changed: changed.rows.map((x) => ({ manufacturerKey: x.manufacturer_key, mpnNorm: x.mpn_norm })),
    };
  },

  /** The latest BOM version (0 before the first import). */
  async currentVersion(db: Sql): Promise<number> {
    const r = await db.query<{ v: number }>("select coalesce(max(version), 0)::float8 as v from bom_imports");
    return Number(r.rows[0]!.v);
  },

  /**
   * After a bulk load the where-used query would be planned as if the tables were empty, and its
   * index-only scans would still visit the heap (measured 3x slower on PostgreSQL); PGlite has no
   * autovacuum to fix either. VACUUM cannot run inside the import's transaction, so it runs after
   * the commit; the import has already succeeded, so a failure here (a role without the right to
   * vacuum) only leaves that work to autovacuum.
   */
  async refreshPlannerState(db: SqlDriver): Promise<void> {
    try {
      await db.exec("vacuum (analyze) assemblies, parts, bom_lines, part_alternates, assembly_closure");
    } catch {
      // Not fatal: see above.
    }
  },
};

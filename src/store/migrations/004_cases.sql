-- Obsolescence cases: one per part and lifecycle event (docs/adr/0006-case-identity.md).

create table cases (
  id uuid primary key,
  part_id bigint not null references parts (id),
  event_kind text not null check (event_kind in ('discontinuance', 'product_change', 'status_update')),
  manufacturer_key text not null,
  mpn_norm text not null,
  -- The case's current facts, merged from its notices (newest non-null value wins).
  lifecycle_status text not null,
  ltb_date date,
  last_ship_date date,
  pcn_id text,
  replacement_mpn text,
  facts_as_of timestamptz not null,
  -- Headline of the latest impact report, denormalised for listing and sorting.
  report_version integer not null,
  revenue_at_risk numeric not null,
  pnl_impact numeric not null,
  recommendation text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (part_id, event_kind)
);
create index cases_exposure on cases (revenue_at_risk desc, id);
create index cases_ltb on cases (ltb_date, id);
create index cases_manufacturer on cases (manufacturer_key);

-- Versioned impact reports: a re-assessment appends a version, never rewrites one.
create table impact_reports (
  case_id uuid not null references cases (id),
  version integer not null,
  trace_id text not null,
  as_of date not null,
  lifecycle_status text not null,
  ltb_date date,
  result jsonb not null,
  changes jsonb not null default '[]'::jsonb,
  created_at timestamptz not null,
  primary key (case_id, version)
);

-- Which notice (trace id + index of the extracted notice) went where. A row per matched part, or
-- one with case_id null for no match. Its presence makes the match & assess phase idempotent.
create table case_notices (
  trace_id text not null,
  notice_index integer not null,
  part_id bigint references parts (id),
  case_id uuid references cases (id),
  outcome text not null check (outcome in ('created', 'updated', 'unchanged', 'no_match')),
  notice jsonb not null,
  changes jsonb not null default '[]'::jsonb,
  report_version integer,
  received_at timestamptz not null,
  created_at timestamptz not null default now()
);
create unique index case_notices_identity on case_notices (trace_id, notice_index, coalesce(part_id, 0));
create index case_notices_case on case_notices (case_id, received_at);

-- The assemblies a case's latest report affects, for the product filter of GET /v1/cases.
create table case_assemblies (
  case_id uuid not null references cases (id),
  assembly_id text not null,
  qty_per_unit double precision not null,
  primary key (case_id, assembly_id)
);
create index case_assemblies_assembly on case_assemblies (assembly_id);

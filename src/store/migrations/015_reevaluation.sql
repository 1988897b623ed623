-- Issue 16: re-evaluation of notices after a BOM import (docs/adr/0016-reevaluation.md).

-- Every BOM import is a version of the BOM. A re-evaluation is keyed by (notice, BOM version), so
-- the same import never re-evaluates a notice twice, however many times it is asked.
create table bom_imports (
  version bigserial primary key,
  imported_at timestamptz not null default now(),
  -- cli | http | demo: who imported it
  source text not null,
  counts jsonb not null,
  -- Parts new or changed by this import (their row, alternates, BOM lines, or an assembly above them).
  changed_parts integer not null
);

-- A re-evaluation is its own traced work: an inbox row (route `reevaluate`, its own trace id) that
-- runs the pipeline from the notice's stored extraction. This table links it to the notice it
-- re-evaluates; the pair (notice, BOM version) is unique.
create table reevaluations (
  trace_id uuid primary key references inbox (trace_id),
  notice_trace_id uuid not null references inbox (trace_id),
  bom_version bigint not null,
  -- bom_import | on_demand
  cause text not null check (cause in ('bom_import', 'on_demand')),
  requested_at timestamptz not null,
  unique (notice_trace_id, bom_version)
);
create index reevaluations_notice on reevaluations (notice_trace_id, bom_version);

-- Cases say what made each report and link: null for a notice, else
-- {"kind": "reevaluation", "notice_trace_id": …, "bom_version": …}.
alter table impact_reports add column cause jsonb;
alter table case_notices add column cause jsonb;

-- The notices a re-evaluation reads: those received in the window, by receipt time.
create index inbox_received_at on inbox (received_at);

-- Polled sources (issue 14, DESIGN §13). One row per configured source (a platform's alert feed, the
-- BOM lifecycle scan): its checkpoint, who holds it now, when it runs next, how it has been failing.
-- The lease is the only thing that lets a process poll a source, so however many processes run,
-- each source is polled by one of them at a time. Times are the database's clock, like inbox leases.
create table source_checkpoints (
  name text primary key,
  -- What the source has read through; its shape is the source's own (validated by it on read).
  checkpoint jsonb,
  lease_until timestamptz,
  leased_by text,
  next_run_at timestamptz not null default now(),
  last_run_at timestamptz,
  last_success_at timestamptz,
  -- Start of the current failure streak (null while healthy) and its length.
  failing_since timestamptz,
  consecutive_failures integer not null default 0,
  last_error text,
  -- When the engineering alert for the current streak went out (one per streak, whoever polls).
  alerted_at timestamptz,
  -- A window to re-read (replay), asked for by an operator; cleared once read.
  replay_from date,
  replay_to date,
  alerts_read bigint not null default 0,
  updated_at timestamptz not null default now(),
  check ((replay_from is null) = (replay_to is null))
);

-- DESIGN §8: every lifecycle record keeps its raw value, its source and its as-of date. One row per
-- observed change of a part's status at a source (a repeat scan that sees the same status adds none).
create table part_lifecycle_history (
  id bigserial primary key,
  part_id bigint not null references parts (id),
  source text not null,
  status text not null,
  raw_status text not null,
  -- The day the source says the status holds from (its own history), else the day we observed it.
  as_of date not null,
  observed_at timestamptz not null,
  ltb_date date,
  last_ship_date date,
  -- The platform's identifier of the part (SiliconExpert ComID) and anything else worth keeping.
  platform_ref text,
  detail jsonb not null default '{}'::jsonb
);
create index part_lifecycle_history_part on part_lifecycle_history (part_id, source, id desc);

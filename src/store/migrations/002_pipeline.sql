-- The durable pipeline (issue 3). The inbox row is the job: its lease says who holds it, its
-- next_attempt_at when it may run again, its lane which queue it belongs to. Both queue adapters
-- (embedded claim-from-inbox, BullMQ) hand work out, but only a lease taken here lets a worker
-- run it, so two workers never run one notice at once (docs/adr: queue design).
alter table inbox add column lane text not null default 'main' check (lane in ('main', 'replay'));
alter table inbox add column next_attempt_at timestamptz not null default now();
alter table inbox add column lease_until timestamptz;
alter table inbox add column claimed_by text;
create index inbox_due on inbox (lane, next_attempt_at) where status in ('received', 'processing');

-- One row per phase per notice: its recorded output (the input of the next phase) or its error.
-- A phase with status 'ok' is never run again for that trace id.
create table pipeline_phases (
  trace_id uuid not null references inbox (trace_id),
  phase text not null check (phase in ('extract', 'assess', 'persist', 'notify')),
  status text not null check (status in ('ok', 'failed')),
  output jsonb,
  attempts integer not null default 0,
  error text,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  primary key (trace_id, phase)
);

-- One row per claim of a notice by a worker: the history behind `attempts`, and the evidence that
-- no two workers held one notice at the same time. finished_at is null while held (or if the
-- holder died).
create table pipeline_runs (
  id bigserial primary key,
  trace_id uuid not null references inbox (trace_id),
  worker text not null,
  lane text not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  outcome text check (outcome in ('completed', 'retry', 'dead', 'released', 'lost'))
);
create index pipeline_runs_trace on pipeline_runs (trace_id, id);

-- Work that exhausted its retries or failed permanently. The payload is the inbox row (trace_id).
create table dead_letters (
  id bigserial primary key,
  trace_id uuid not null references inbox (trace_id),
  phase text not null,
  error text not null,
  permanent boolean not null,
  attempts integer not null,
  first_attempt_at timestamptz,
  failed_at timestamptz not null,
  replayed_at timestamptz,
  replay_count integer not null default 0
);
create index dead_letters_open on dead_letters (failed_at desc) where replayed_at is null;
create unique index dead_letters_one_open on dead_letters (trace_id) where replayed_at is null;

-- The persist phase's own effect: the extracted notices of each trace id with their assessed
-- exposure. The key makes a repeated persist a no-op.
create table extracted_notices (
  trace_id uuid not null references inbox (trace_id),
  notice_index integer not null,
  manufacturer text,
  mpn text not null,
  lifecycle_status text not null,
  notice_type text not null,
  notice jsonb not null,
  assessment jsonb not null,
  created_at timestamptz not null,
  primary key (trace_id, notice_index)
);
create index extracted_notices_mpn on extracted_notices (mpn);

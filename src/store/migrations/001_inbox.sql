-- The inbox: every accepted notice, committed before its 202. The raw payload is the record;
-- everything downstream can be recomputed from it.
create table inbox (
  trace_id uuid primary key,
  route text not null,                      -- component-alert | email-forward | email/sendgrid …
  source text not null,                     -- source_platform, sender domain or provider name
  provider text,                            -- sendgrid | mailgun | ses | postmark, for email routes
  idempotency_key text not null,
  received_at timestamptz not null,
  content_type text not null,
  raw_payload bytea not null,
  status text not null default 'received'   -- received | processing | completed | dead
    check (status in ('received', 'processing', 'completed', 'dead')),
  phase text,                               -- the phase in hand or last failed
  attempts integer not null default 0,
  last_error text,
  updated_at timestamptz not null default now()
);
create unique index inbox_idempotency_key on inbox (idempotency_key);
create index inbox_status_received on inbox (status, received_at) where status <> 'completed';

-- Append-only audit trail: what happened to each notice, by whom, when.
create table audit_log (
  id bigserial primary key,
  trace_id uuid,
  at timestamptz not null default now(),
  actor text not null,                      -- api | worker | cli | operator
  action text not null,
  detail jsonb not null default '{}'::jsonb
);
create index audit_log_trace on audit_log (trace_id, id);

-- Schema drift: fields a source sent that the contract does not know, counted per source and field.
create table schema_drift (
  source text not null,
  field text not null,
  first_seen timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  occurrences bigint not null default 0,
  primary key (source, field)
);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end
$$;
create trigger audit_log_no_rewrite before update or delete on audit_log
  for each row execute function audit_log_append_only();

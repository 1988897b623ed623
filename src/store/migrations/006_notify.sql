-- Notification outbox (issue 7). Every stakeholder message is a row here before it is sent.
-- delivery_id is deterministic (case id + event version + destination key, hashed), so a retried
-- notify phase or a second worker can never add a second row for the same message.
-- States:
--   pending      waiting for its first attempt
--   failed       an attempt failed retryably (5xx, timeout, 429); next_attempt_at says when to retry
--   sending      claimed by a worker; the HTTP call may be in flight (recorded BEFORE the call)
--   delivered    the destination took it
--   digested     merged into the digest row named by digest_id (which carries it)
--   unconfirmed  a worker died while sending to an at-most-once channel (Slack, Teams): the
--                destination may have it, so it is alerted and never resent blindly
--   dead         permanently refused, out of attempts, or its destination is gone; see last_error
create table if not exists notify_outbox (
  delivery_id text primary key,
  case_id text not null,
  event_version integer not null,
  event text not null check (event in ('created', 'updated', 'digest')),
  destination text not null,
  channel text not null check (channel in ('slack', 'teams', 'webhook')),
  revenue_at_risk numeric(16, 2) not null default 0,
  -- A NotificationCase for case rows; {"cases": [NotificationCase…]} for digest rows.
  payload jsonb not null,
  state text not null default 'pending'
    check (state in ('pending', 'failed', 'sending', 'delivered', 'digested', 'unconfirmed', 'dead')),
  attempts integer not null default 0,
  -- Retryable failures only (5xx, timeouts); 429s are waits, not failures.
  failures integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_until timestamptz,
  claimed_by text,
  digest_id text,
  last_status integer,
  last_error text,
  -- Every answer of the destination, oldest first: [{at, status, outcome, detail}].
  responses jsonb not null default '[]'::jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  sent_at timestamptz
);

create index if not exists notify_outbox_due on notify_outbox (destination, next_attempt_at)
  where state in ('pending', 'failed');
create index if not exists notify_outbox_sending on notify_outbox (lease_until) where state = 'sending';
create index if not exists notify_outbox_case on notify_outbox (case_id);

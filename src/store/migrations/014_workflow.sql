-- Case workflow (issue 12, DESIGN §11): people, the state of each case, its append-only history,
-- and the reminders already claimed.

-- People who read and act. Only a salted scrypt hash of each token is kept (src/users/token.ts).
create table users (
  id text primary key,
  name text not null,
  role text not null check (role in ('viewer', 'decider', 'admin')),
  email text,
  slack_user_id text,
  token_hash text not null,
  created_at timestamptz not null,
  disabled_at timestamptz
);
create unique index users_name on users (lower(name));
create unique index users_email on users (lower(email)) where email is not null;
create unique index users_slack on users (slack_user_id) where slack_user_id is not null;

-- The workflow part of a case, written only by people's actions and by a material new notice.
-- A case without a row here is `open` at version 1 (the row is made on its first action).
create table case_workflow (
  case_id uuid primary key references cases (id),
  state text not null check (state in ('open', 'acknowledged', 'decided', 'mitigating', 'closed', 'dismissed')),
  version integer not null check (version >= 1),
  assignee text,
  decision jsonb,
  updated_at timestamptz not null
);
create index case_workflow_state on case_workflow (state);
create index case_workflow_assignee on case_workflow (assignee) where assignee is not null;

-- Every change of a case's workflow, written in the same transaction as the change. Append-only:
-- the trigger refuses updates and deletes, so the history cannot be rewritten through the API or SQL
-- short of dropping the trigger. (case_id, version) is unique: an action is recorded once.
create table case_events (
  id bigserial primary key,
  case_id uuid not null references cases (id),
  version integer not null,
  at timestamptz not null,
  actor text not null,
  action text not null,
  from_state text not null,
  to_state text not null,
  payload jsonb not null default '{}'::jsonb,
  unique (case_id, version)
);

create function case_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'case_events is append-only';
end
$$;
create trigger case_events_append_only before update or delete on case_events
  for each row execute function case_events_append_only();

-- Reminders claimed: one row per case and threshold, inserted in the transaction that enqueues the
-- reminder's outbox rows, so any number of schedulers send each reminder exactly once.
-- `superseded`: a larger threshold passed unseen (the process was down) and the smaller one was sent.
create table case_reminders (
  case_id uuid not null references cases (id),
  threshold text not null,
  due_date date not null,
  state text not null check (state in ('enqueued', 'superseded', 'no_destination')),
  claimed_at timestamptz not null,
  claimed_by text not null,
  primary key (case_id, threshold)
);

-- Weekly digests claimed: one per destination and week.
create table weekly_digests (
  destination text not null,
  week date not null,
  cases integer not null,
  claimed_at timestamptz not null,
  claimed_by text not null,
  primary key (destination, week)
);

-- Reminders travel through the outbox like every other message.
alter table notify_outbox drop constraint notify_outbox_event_check;
alter table notify_outbox add constraint notify_outbox_event_check
  check (event in ('created', 'updated', 'digest', 'reminder'));

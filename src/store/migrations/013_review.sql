-- The review queue (issue 19 §4): notices the extractor was not sure of, one row per notice, made by
-- the persist phase in the transaction that records it (so a retried or replayed notice makes none
-- twice), and decided once by a person: confirmed, corrected or rejected, with who and when.
create table review_items (
  id bigserial primary key,
  trace_id uuid not null references inbox (trace_id),
  notice_index integer not null,
  status text not null default 'pending' check (status in ('pending', 'confirmed', 'corrected', 'rejected')),
  -- The notice as extracted, and the extractor's word on it.
  notice jsonb not null,
  confidence double precision not null check (confidence >= 0 and confidence <= 1),
  reasons jsonb not null,
  matched_by text not null,
  evidence jsonb,
  -- Where the message names the part: {part, layout, line, excerpt, message: {id, from, subject}}.
  source jsonb not null,
  -- The maker of the notice as it now stands (the correction's once corrected), for the maker filter.
  manufacturer_key text,
  received_at timestamptz not null,
  created_at timestamptz not null,
  -- The decision: set once, with the person and the time.
  corrected jsonb,
  note text,
  decided_by text,
  decided_at timestamptz,
  unique (trace_id, notice_index),
  check ((status = 'pending') = (decided_at is null)),
  check ((status = 'corrected') = (corrected is not null))
);
create index review_items_status on review_items (status, created_at desc, id desc);
create index review_items_created on review_items (created_at desc, id desc);
create index review_items_maker on review_items (manufacturer_key) where manufacturer_key is not null;

-- A notice a person rejected (or replaced by a correction) no longer counts as evidence for its
-- case. The link stays, marked, so the history of what was read and what was undone is kept.
alter table case_notices add column unlinked_at timestamptz;
alter table case_notices add column unlinked_by text;

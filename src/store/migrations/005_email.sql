-- Origin tokens already seen (Mailgun's `token`), kept until their signature would be stale anyway.
-- A second insert of the same token is a replay; the table is shared by every API process.
create table email_seen_tokens (
  provider text not null,
  token text not null,
  expires_at timestamptz not null,
  primary key (provider, token)
);
create index email_seen_tokens_expiry on email_seen_tokens (expires_at);

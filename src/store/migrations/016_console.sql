-- Console (issue 13, DESIGN §12): sign-ins.

-- A session cookie stands for a user, or for the bootstrap
-- API_TOKEN, until it lapses unused (SESSION_TTL_HOURS), reaches its absolute end, or is signed out.
-- Only a SHA-256 of the cookie's random secret is kept, so reading this table gives no session away.
create table console_sessions (
  id_hash text primary key,
  -- The user signed in; null for a sign-in with API_TOKEN.
  user_id text references users (id),
  -- SHA-256 of API_TOKEN at sign-in: rotating the token ends the sessions it opened.
  api_token_hash text,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  check ((user_id is null) <> (api_token_hash is null))
);
create index console_sessions_expires on console_sessions (expires_at);
create index console_sessions_user on console_sessions (user_id) where user_id is not null;

-- The console's Notices page lists accepted notices newest first: migration 015's inbox_received_at
-- serves it (scanned backwards).

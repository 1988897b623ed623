-- Language-model assistance (issue 8): the answer cache and the budget counters.
-- Both live in the store so that they survive restarts and are shared by every worker.

-- Validated model answers by sha256(model, purpose, prompt version, prompt content).
-- The answer is stored before the hallucination guard, which is pure and re-runs on every use.
create table if not exists llm_cache (
  key text primary key,
  purpose text not null,
  model text not null,
  prompt_version text not null,
  answer jsonb not null,
  prompt_tokens integer not null default 0,
  completion_tokens integer not null default 0,
  created_at timestamptz not null
);

-- Calls and tokens per clock hour and per UTC day, for LLM_MAX_CALLS_PER_HOUR / LLM_MAX_TOKENS_PER_DAY.
create table if not exists llm_budget (
  window_kind text not null check (window_kind in ('hour', 'day')),
  window_start timestamptz not null,
  calls integer not null default 0,
  tokens bigint not null default 0,
  primary key (window_kind, window_start)
);

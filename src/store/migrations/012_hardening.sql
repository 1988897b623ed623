-- Issue 18. The model-answer cache is pruned by age and size (LLM_CACHE_MAX_AGE_DAYS,
-- LLM_CACHE_MAX_ENTRIES): both prunes walk created_at.
create index if not exists llm_cache_created_at on llm_cache (created_at);

import { createHash } from "node:crypto";
import type { Sql } from "../store/driver.ts";
import type { LlmPurpose } from "./llm.metrics.ts";

/**
 * The answer cache: the same prompt content, prompt version and model give the same answer, so a
 * replayed or re-delivered notice costs no second call. Entries hold the schema-valid answer as the
 * model gave it; callers re-validate on read (the schema may have moved on) and re-run their guard.
 */
export interface CacheEntry {
  answer: unknown;
  promptTokens: number;
  completionTokens: number;
}

export interface LlmCache {
  get(key: string): Promise<CacheEntry | null>;
  put(key: string, meta: CacheMeta, entry: CacheEntry): Promise<void>;
  /** Applies the cache's limits now (also done on writes); returns the entries removed. */
  prune?(at: Date): Promise<number>;
}

export interface CacheMeta {
  purpose: LlmPurpose;
  model: string;
  promptVersion: string;
  at: Date;
}

export function cacheKey(parts: {
  model: string;
  purpose: LlmPurpose;
  promptVersion: string;
  content: string;
}): string {
  return createHash("sha256")
    .update(JSON.stringify([parts.model, parts.purpose, parts.promptVersion, parts.content]))
    .digest("hex");
}

/** LLM_CACHE_MAX_AGE_DAYS and LLM_CACHE_MAX_ENTRIES; 0 turns a limit off. */
export interface CacheLimits {
  maxAgeDays: number;
  maxEntries: number;
}

/** How often one process prunes (on a write; a cache that is never written does not grow). */
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Store-backed: survives restarts and is shared by every worker on the same database. Pruned on
 * write, at most every ten minutes per process: entries older than the age limit go, then the oldest
 * beyond the size limit. Pruning only costs a future call for an old prompt, never a wrong answer.
 */
export function sqlCache(db: Sql, limits: CacheLimits = { maxAgeDays: 0, maxEntries: 0 }): LlmCache {
  let lastPrune = Number.NEGATIVE_INFINITY;
  return {
    async prune(at: Date) {
      return pruneLlmCache(db, limits, at);
    },
    async get(key) {
      const r = await db.query<{ answer: unknown; prompt_tokens: number; completion_tokens: number }>(
        "select answer, prompt_tokens, completion_tokens from llm_cache where key = $1",
        [key],
      );
      const row = r.rows[0];
      if (!row) return null;
      return {
        answer: row.answer,
        promptTokens: Number(row.prompt_tokens),
        completionTokens: Number(row.completion_tokens),
      };
    },
    async put(key, meta, entry) {
      // Two workers may answer the same prompt at once; the first stored answer stays.
      await db.query(
        `insert into llm_cache (key, purpose, model, prompt_version, answer, prompt_tokens, completion_tokens, created_at)
         values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) on conflict (key) do nothing`,
        [
          key,
          meta.purpose,
          meta.model,
          meta.promptVersion,
          JSON.stringify(entry.answer),
          entry.promptTokens,
          entry.completionTokens,
          meta.at.toISOString(),
        ],
      );
      if (meta.at.getTime() - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = meta.at.getTime();
        await pruneLlmCache(db, limits, meta.at);
      }
    },
  };
}

/** Deletes entries past the age limit, then the oldest past the size limit; returns how many went. */
export async function pruneLlmCache(db: Sql, limits: CacheLimits, at: Date): Promise<number> {
  let removed = 0;
  if (limits.maxAgeDays > 0) {
    const cutoff = new Date(at.getTime() - limits.maxAgeDays * 86_400_000);
    removed += (await db.query("delete from llm_cache where created_at < $1", [cutoff.toISOString()]))
      .affected;
  }
  if (limits.maxEntries > 0) {
    removed += (
      await db.query(
        `delete from llm_cache where key in (
           select key from llm_cache order by created_at desc, key offset $1)`,
        [limits.maxEntries],
      )
    ).affected;
  }
  return removed;
}

/**
 * In-process, bounded (least recently used out). Only for runs without a store (unit use, the CLI's
 * `extract`); the gateway always passes its database.
 */
export function memoryCache(maxEntries = 1_000): LlmCache {
  const map = new Map<string, CacheEntry>();
  return {
    async get(key) {
      const hit = map.get(key);
      if (!hit) return null;
      map.delete(key);
      map.set(key, hit);
      return hit;
    },
    async put(key, _meta, entry) {
      if (map.has(key)) return;
      map.set(key, entry);
      while (map.size > maxEntries) {
        const oldest = map.keys().next().value;
        if (oldest === undefined) break;
        map.delete(oldest);
      }
    },
  };
}

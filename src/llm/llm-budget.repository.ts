import type { Sql } from "../store/driver.ts";

/**
 * The spending limit: calls per clock hour and tokens per UTC day (0 = no limit). When either is
 * used up, calls are refused before any request is made and the callers fall back to the rules.
 *
 * The check reads, the record adds afterwards: workers racing at the edge of a window can overshoot
 * by the calls they have in flight at that moment. That is accepted; a hard cap would need a lock
 * held for the length of a model call.
 */
export interface BudgetLimits {
  maxCallsPerHour: number;
  maxTokensPerDay: number;
}

export type BudgetVerdict =
  | { kind: "ok" }
  | { kind: "exhausted"; limit: "calls_per_hour" | "tokens_per_day" };

export interface LlmBudget {
  check(at: Date): Promise<BudgetVerdict>;
  record(at: Date, use: { calls: number; tokens: number }): Promise<void>;
}

interface Used {
  hourCalls: number;
  dayTokens: number;
}

function windows(at: Date): { hour: string; day: string } {
  const iso = at.toISOString();
  return { hour: `${iso.slice(0, 13)}:00:00.000Z`, day: `${iso.slice(0, 10)}T00:00:00.000Z` };
}

function verdict(limits: BudgetLimits, used: Used): BudgetVerdict {
  if (limits.maxCallsPerHour > 0 && used.hourCalls >= limits.maxCallsPerHour)
    return { kind: "exhausted", limit: "calls_per_hour" };
  if (limits.maxTokensPerDay > 0 && used.dayTokens >= limits.maxTokensPerDay)
    return { kind: "exhausted", limit: "tokens_per_day" };
  return { kind: "ok" };
}

/** Store-backed, so that all workers on one database share the one budget. */
export function sqlBudget(db: Sql, limits: BudgetLimits): LlmBudget {
  return {
    async check(at) {
      if (limits.maxCallsPerHour <= 0 && limits.maxTokensPerDay <= 0) return { kind: "ok" };
      const w = windows(at);
      const r = await db.query<{ window_kind: string; calls: number; tokens: string | number }>(
        `select window_kind, calls, tokens from llm_budget
         where (window_kind = 'hour' and window_start = $1) or (window_kind = 'day' and window_start = $2)`,
        [w.hour, w.day],
      );
      const used: Used = { hourCalls: 0, dayTokens: 0 };
      for (const row of r.rows) {
        if (row.window_kind === "hour") used.hourCalls = Number(row.calls);
        else used.dayTokens = Number(row.tokens);
      }
      return verdict(limits, used);
    },
    async record(at, use) {
      const w = windows(at);
      await db.query(
        `insert into llm_budget (window_kind, window_start, calls, tokens)
         values ('hour', $1, $3, $4), ('day', $2, $3, $4)
         on conflict (window_kind, window_start)
         do update set calls = llm_budget.calls + excluded.calls, tokens = llm_budget.tokens + excluded.tokens`,
        [w.hour, w.day, use.calls, use.tokens],
      );
    },
  };
}

/** Per process, for runs without a store. */
export function memoryBudget(limits: BudgetLimits): LlmBudget {
  const calls = new Map<string, number>();
  const tokens = new Map<string, number>();
  return {
    async check(at) {
      const w = windows(at);
      return verdict(limits, { hourCalls: calls.get(w.hour) ?? 0, dayTokens: tokens.get(w.day) ?? 0 });
    },
    async record(at, use) {
      const w = windows(at);
      // Only the current windows matter; older ones are dropped so the maps stay small.
      for (const k of calls.keys()) if (k !== w.hour) calls.delete(k);
      for (const k of tokens.keys()) if (k !== w.day) tokens.delete(k);
      calls.set(w.hour, (calls.get(w.hour) ?? 0) + use.calls);
      tokens.set(w.day, (tokens.get(w.day) ?? 0) + use.tokens);
    },
  };
}

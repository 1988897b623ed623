/**
 * The JSON the API answers, as types: the one source the console (console/src/api/types.ts) and the
 * routes share. Routes that build an answer here check it with `satisfies`; the rest return the query
 * types named below as they are. Types only: nothing here reaches the browser bundle.
 */

import type { z } from "zod";
import type { AssemblyTreeNode } from "../bom/assembly-tree.ts";
import type { ImportCounts } from "../bom/bom.import.ts";
import type { WhereUsedAssembly } from "../bom/bom.repository.ts";
import type { CaseDetail, CaseFacets, CaseSummary, CaseTotals } from "../cases/cases.query.ts";
import type { ExtractedNotice } from "../extract/notice.ts";
import type { ImpactInputs, ImpactResult, OptionKind, Recommendation } from "../impact/impact.model.ts";
import type { EngineeringOption, Severity } from "../impact/impact.time.ts";
import type { HealthSample, HealthSummary } from "../observability/health.summary.ts";
import type { LifecycleStatus } from "../parts/lifecycle.ts";
import type { DeadLetter } from "../pipeline/dead-letters.repository.ts";
import type { NoticeExcerpt } from "../pipeline/notice-excerpts.ts";
import type { NoticeListItem } from "../pipeline/notice-search.query.ts";
import type { NoticeStatus } from "../pipeline/notice-status.query.ts";
import type { ReviewItem, ReviewPage } from "../review/review.item.ts";
import type { ReviewStatus } from "../review/review.repository.ts";
import type { SourceCheckpoint } from "../sources/source.ts";
import type { Principal, Role } from "../users/roles.ts";
import type {
  ActionRequest,
  CaseAction,
  CaseState,
  Decision,
  TRANSITIONS,
} from "../workflow/case.workflow.ts";
import type { CaseEvent } from "../workflow/case-events.repository.ts";

export type {
  ActionRequest,
  AssemblyTreeNode,
  CaseAction,
  CaseDetail,
  CaseEvent,
  CaseFacets,
  CaseState,
  CaseSummary,
  CaseTotals,
  DeadLetter,
  Decision,
  EngineeringOption,
  ExtractedNotice,
  HealthSample,
  HealthSummary,
  ImpactInputs,
  ImpactResult,
  ImportCounts,
  LifecycleStatus,
  NoticeExcerpt,
  NoticeListItem,
  NoticeStatus,
  OptionKind,
  Recommendation,
  ReviewItem,
  ReviewStatus,
  Role,
  Severity,
  WhereUsedAssembly,
};

/** `GET|POST|DELETE /v1/session`: who the console's browser is, and what the page may offer them. */
export interface SessionInfo {
  /** A caller is known: signed in, or an open local trial. */
  authenticated: boolean;
  /** A local trial: no API_TOKEN and no active user, so the API is open to anyone who reaches it. */
  open: boolean;
  user: { name: string; role: Role; via: Principal["via"] } | null;
  can: {
    /** Act on cases (deciders and admins). */
    act: boolean;
    /** Replay dead letters, import the BOM, manage users (admins). */
    admin: boolean;
  };
  expires_at: string | null;
  /** The currency of every money figure (CURRENCY, ISO 4217): the console writes amounts in it. */
  currency: string;
}

/** `GET /v1/cases`. */
export interface CaseListResponse {
  total: number;
  limit: number;
  offset: number;
  cases: CaseSummary[];
}

/** `GET /v1/cases/{id}/context`. */
export interface CaseContext {
  excerpts: NoticeExcerpt[];
  tree: { roots: AssemblyTreeNode[]; truncated: boolean };
  /** The latest report's time view (run-out, bridges, severity, decide-by, stress) in sentences. */
  explanation: string[];
  transitions: typeof TRANSITIONS;
}

/** `GET /v1/cases/{id}/events`. */
export interface CaseEventsResponse {
  case_id: string;
  events: CaseEvent[];
}

/** `GET /v1/notices`. */
export interface NoticeSearchResponse {
  notices: NoticeListItem[];
  has_more: boolean;
  limit: number;
  offset: number;
}

/** `GET /v1/notices/{trace_id}/raw`. */
export interface RawPayload {
  trace_id: string;
  content_type: string;
  bytes: number;
  truncated: boolean;
  text: string;
}

/** `GET /v1/dead-letters`. */
export interface DeadLettersResponse {
  dead_letters: DeadLetter[];
}

/** `POST /v1/dead-letters/{id}/replay`. */
export interface ReplayResponse {
  replayed: true;
  id: number;
  trace_id: string;
}

/** `POST /v1/dead-letters/replay-all`. */
export interface ReplayAllResponse {
  replayed: number;
  dead_letters: { id: number; trace_id: string }[];
  /** More open dead letters remain than one call replays. */
  more: boolean;
}

/** `POST /v1/bom/import`. */
export interface BomImportResponse {
  imported: true;
  counts: ImportCounts;
}

/** `GET /v1/parts/{mpn}/where-used`. */
export interface WhereUsedResponse {
  mpn: string;
  parts: {
    part: { manufacturer: string; mpn: string; lifecycle_status: LifecycleStatus };
    assemblies: WhereUsedAssembly[];
  }[];
}

/** `GET /v1/sources`: each polled source's state (issue 14, docs/sources.md). */
export interface SourcesResponse {
  sources: {
    name: string;
    /** Polled by this installation (its settings are set); false: known from an earlier run only. */
    polled: boolean;
    next_run_at: string;
    last_run_at: string | null;
    last_success_at: string | null;
    /** Seconds since the last success, by the store's clock; null: never succeeded. */
    lag_seconds: number | null;
    failing_since: string | null;
    consecutive_failures: number;
    last_error: string | null;
    lease: { held_by: string; until: string } | null;
    replay: { from: string; to: string } | null;
    alerts_read: number;
    checkpoint: SourceCheckpoint | null;
  }[];
}

/** `GET /v1/review` (src/http/review.routes.ts): a page of the review queue. */
export type ReviewListResponse = z.infer<typeof ReviewPage>;

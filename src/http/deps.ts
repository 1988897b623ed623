import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { MailgunStorage } from "../email/email.adapters.ts";
import type { SeenTokens } from "../email/seen-tokens.repository.ts";
import type { HttpsGet, SnsCertificateSource } from "../email/sns.certificates.ts";
import type { DriftTracker } from "../ingest/drift.ts";
import type { Ingestor } from "../ingest/ingest.ts";
import type { Registry } from "../observability/metrics.ts";
import type { Lane } from "../pipeline/jobs.ts";
import type { ReviewDeps } from "../review/review.service.ts";
import type { SlackInteractionDeps } from "../slack/slack.interactions.service.ts";
import type { ColumnOverrides } from "../sources/export/export.columns.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { AuthService } from "../users/auth.service.ts";
import type { Sessions } from "../users/sessions.service.ts";

/** Outside things the email routes reach, built by the composition root (tests pass fakes for AWS). */
export interface EmailRouteOptions {
  certificates: SnsCertificateSource;
  httpsGet: HttpsGet;
  tokens: SeenTokens;
  /** Mailgun store(notify) posts: the guarded GET of the storage API, its breaker, retry waits. */
  mailgunStorage: MailgunStorage;
}

/** What the source routes need: the polled sources this deployment runs and the export settings. */
export interface SourceRouteOptions {
  /** Names of the polled sources this deployment runs. */
  polled: readonly string[];
  /** Default column mapping of alert exports (SOURCE_IMPORT_COLUMNS, checked). */
  importColumns: ColumnOverrides;
  /** Largest export upload (SOURCE_IMPORT_MAX_BYTES). */
  importMaxBytes: number;
}

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/**
 * What the HTTP edge is given by the composition root (src/main.ts). Every route lives in src/http
 * and reaches the rest of the system only through these: ports (the ingestor, the store driver,
 * the queue's wake-up) and the named query and repository functions of the areas.
 */
export interface HttpDeps {
  config: Pick<Config, "http" | "email" | "impact" | "pipeline" | "console">;
  db: SqlDriver;
  ingestor: Ingestor;
  drift: DriftTracker;
  metrics: Registry;
  logger: Logger;
  /** Injected clock (tests pin it). */
  now: () => Date;
  readiness: ReadinessCheck[];
  /** Outside things the email routes reach (SNS certificates, replay memory of signed tokens). */
  email: EmailRouteOptions;
  /**
   * Where the ingest rate limit counts (Redis, its own fail-fast connection, when REDIS_URL is set, so
   * every API process shares one count); null counts in memory.
   */
  rateLimitRedis: Redis | null;
  /** Wakes the queue for replayed notices (the poll or the sweeper would find them anyway). */
  enqueue: (traceIds: readonly string[], lane: Lane) => void;
  /** Who is calling: bearer tokens to users and roles (DESIGN §11). */
  auth: AuthService;
  /** Console sign-ins (DESIGN §12): session cookies to the same users and roles. */
  sessions: Sessions;
  /** Slack interactivity; null without SLACK_SIGNING_SECRET (then the route does not exist). */
  slack: SlackInteractionDeps | null;
  /** Base of the case links (PUBLIC_BASE_URL), for exports. */
  publicBaseUrl: string;
  /** What a review decision needs to re-assess and announce cases (issue 19). */
  review: ReviewDeps;
  /** The polled sources and the export import's settings (src/http/sources.routes.ts). */
  sources: SourceRouteOptions;
  /** The built console (dist/console), served at `/`; null when it was not built. */
  consoleDir: string | null;
}

import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { SeenTokens } from "../email/seen-tokens.repository.ts";
import type { HttpsGet, SnsCertificateSource } from "../email/sns.certificates.ts";
import type { DriftTracker } from "../ingest/drift.ts";
import type { Ingestor } from "../ingest/ingest.ts";
import type { Registry } from "../observability/metrics.ts";
import type { Lane } from "../pipeline/jobs.ts";
import type { ReviewDeps } from "../review/review.service.ts";
import type { SlackInteractionDeps } from "../slack/slack.interactions.service.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { AuthService } from "../users/auth.service.ts";

/** Outside things the email routes reach, built by the composition root (tests pass fakes for AWS). */
export interface EmailRouteOptions {
  certificates: SnsCertificateSource;
  httpsGet: HttpsGet;
  tokens: SeenTokens;
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
  config: Pick<Config, "http" | "email">;
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
  /** Wakes the queue for replayed notices (the poll or the sweeper would find them anyway). */
  enqueue: (traceIds: readonly string[], lane: Lane) => void;
  /** Who is calling: bearer tokens to users and roles (DESIGN §11). */
  auth: AuthService;
  /** Slack interactivity; null without SLACK_SIGNING_SECRET (then the route does not exist). */
  slack: SlackInteractionDeps | null;
  /** Base of the case links (PUBLIC_BASE_URL), for exports. */
  publicBaseUrl: string;
  /** What a review decision needs to re-assess and announce cases (issue 19). */
  review: ReviewDeps;
}

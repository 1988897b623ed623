import { isIP } from "node:net";
import { resolve } from "node:path";
import { z } from "zod";

/**
 * The whole configuration, parsed once from the environment at start (DESIGN §9), then cut into
 * slices: the composition root (src/main.ts) hands each factory only its slice (`config.llm`,
 * `config.notify`…), and nothing else reads the environment. A slice keeps each setting under its
 * variable's name, so a setting is found by the same name in the README, `.env.example` and the code.
 * A bad value stops the process with a message naming the variable; values of secrets are never
 * echoed.
 */

/** `data/` beside eolgate's package.json: src/config.ts and dist/config.js both sit one level below. */
export const DEFAULT_DATA_DIR = resolve(import.meta.dirname, "..", "data");

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const str = () => z.preprocess(emptyToUndefined, z.string().optional());
const secret = () =>
  z.preprocess(emptyToUndefined, z.string().min(8, "must be at least 8 characters").optional());
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(def));
const num = (def: number, min = 0, max = Number.MAX_VALUE) =>
  z.preprocess(emptyToUndefined, z.coerce.number().min(min).max(max).default(def));
const url = () => z.preprocess(emptyToUndefined, z.url().optional());
const list = () =>
  z.preprocess(
    (v) =>
      typeof v === "string"
        ? v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(z.string()).default([]),
  );

const flag = (def: boolean) =>
  z.preprocess(
    (v) => {
      if (typeof v !== "string" || v.trim() === "") return undefined;
      const s = v.trim().toLowerCase();
      return ["1", "true", "yes", "on"].includes(s)
        ? true
        : ["0", "false", "no", "off"].includes(s)
          ? false
          : v;
    },
    z.boolean({ error: "must be true or false" }).default(def),
  );
/**
 * Which proxies' X-Forwarded-For / -Proto to believe (Fastify's `trustProxy`): off by default, so a
 * client cannot pick its own rate-limit bucket; `true` for any, a hop count, or addresses and CIDRs.
 */
const trustProxy = () =>
  z.preprocess(
    (v) => {
      if (typeof v !== "string" || v.trim() === "") return undefined;
      const s = v.trim().toLowerCase();
      if (["0", "false", "no", "off"].includes(s)) return false;
      if (["true", "yes", "on"].includes(s)) return true;
      if (/^[1-9]\d?$/.test(s)) return Number(s);
      return s
        .split(",")
        .map((a) => a.trim())
        .filter(Boolean);
    },
    z
      .union([
        z.boolean(),
        z.number().int().min(1).max(99),
        z
          .array(
            z
              .string()
              .refine((a) => isIP(a.split("/")[0] ?? "") !== 0, "must list IP addresses or CIDR ranges"),
          )
          .min(1),
      ])
      .default(false),
  );
const jsonObject = () =>
  z.preprocess((v) => {
    if (typeof v !== "string" || v.trim() === "") return undefined;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, z
    .record(z.string(), z.string(), { error: 'must be a JSON object of strings, e.g. {"part_number":"MPN"}' })
    .optional());

export const ConfigSchema = z.object({
  HOST: z.preprocess(emptyToUndefined, z.string().default("127.0.0.1")),
  PORT: int(8000, 0, 65535),
  /** A worker-only process's /metrics and /healthz (`eolgate worker`): not PORT, which the API takes. */
  WORKER_PORT: int(8001, 0, 65535),
  /**
   * The embedded store's folder. Default: `data/` in eolgate's own folder (where its package.json
   * is), whatever the current directory; a relative value given here is taken from the current
   * directory, like any path typed in a shell.
   */
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(DEFAULT_DATA_DIR)),
  MAX_JSON_BYTES: int(1024 * 1024, 1024),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),

  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  DATABASE_POOL_SIZE: int(10, 1, 1000),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
  ),
  WORKER_CONCURRENCY: int(4, 1, 256),
  MAX_RETRIES: int(2, 0, 50),
  /** Pipeline (issue 3): a worker's hold on a notice, renewed while it works; lapses when it dies. */
  WORKER_LEASE_SECONDS: num(30, 1, 3600),
  /** How often idle workers look for due work (embedded) and the sweeper re-enqueues (BullMQ). */
  PIPELINE_POLL_MS: int(1000, 10, 60_000),
  PIPELINE_PHASE_TIMEOUT_SECONDS: num(120, 0.1, 3600),
  /** First retry waits up to this long; each further retry doubles the ceiling (full jitter). */
  PIPELINE_BACKOFF_BASE_MS: int(1000, 1, 3_600_000),
  /** After a BOM import, notices received this many days back are re-evaluated (issue 16). */
  REEVALUATE_DAYS: int(365, 0, 36_500),
  /** On SIGTERM, how long in-hand work may take to finish before it is released. */
  DRAIN_TIMEOUT_SECONDS: num(20, 0, 600),
  /** Group commit: how long the first write of a batch waits for company, and the batch's size cap. */
  INGEST_BATCH_WINDOW_MS: num(2, 0, 100),
  INGEST_BATCH_MAX: int(256, 1, 10_000),
  /** Per-client request limit on the ingest routes (0 turns it off), and its window. */
  INGEST_RATE_LIMIT_MAX: int(6000, 0, 100_000_000),
  INGEST_RATE_LIMIT_WINDOW_SECONDS: int(60, 1, 86_400),
  /** Behind a load balancer: whose forwarded client address (and protocol) to believe. */
  TRUST_PROXY: trustProxy(),

  API_TOKEN: secret(),
  INGEST_TOKEN: secret(),
  INGEST_HMAC_SECRET: secret(),
  INBOUND_PARSE_SECRET_KEY: secret(),
  MAILGUN_SIGNING_KEY: secret(),
  SENDGRID_VERIFICATION_KEY: str(),
  SNS_TOPIC_ARNS: list(),
  /** SNS messages older than this are refused as replays. */
  SNS_MAX_AGE_SECONDS: int(3600, 1, 7 * 86_400),
  /** `user:password` in the SNS subscription URL: the only proof raw message delivery can carry. */
  SNS_RAW_BASIC_AUTH: secret(),
  /** `user:password` that SendGrid Inbound Parse / Postmark inbound put in the webhook URL (basic auth). */
  SENDGRID_BASIC_AUTH: secret(),
  POSTMARK_BASIC_AUTH: secret(),
  /** How old a signed Mailgun / SendGrid webhook may be before it counts as stale (a replay). */
  MAILGUN_MAX_AGE_SECONDS: int(300, 1, 86_400),
  SENDGRID_MAX_AGE_SECONDS: int(600, 1, 86_400),
  /** Mailgun store(notify): the API key that reads stored messages, and the hosts it may read them from. */
  MAILGUN_API_KEY: secret(),
  MAILGUN_STORAGE_HOSTS: z.preprocess(
    (v) =>
      typeof v === "string" && v.trim()
        ? v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined,
    z
      .array(z.string())
      .default(["*.api.mailgun.net", "*.api.eu.mailgun.net", "api.mailgun.net", "api.eu.mailgun.net"]),
  ),

  SLACK_WEBHOOK_URL: url(),
  TEAMS_WEBHOOK_URL: url(),
  ENGINEERING_WEBHOOK_URL: url(),
  /** Notifications (docs/notifications.md): routes as JSON {"route": ["slack:<url>", "teams:<url>", "webhook:<url>"]}. */
  NOTIFY_ROUTES: str(),
  NOTIFY_MIN_REVENUE_AT_RISK: num(0),
  NOTIFY_DIGEST_WINDOW_SECONDS: num(60, 1, 86_400),
  /** Outbound rate per destination, by channel (steady messages per second, and burst). */
  NOTIFY_SLACK_RATE_PER_SEC: num(1, 0.001, 1000),
  NOTIFY_SLACK_BURST: int(1, 1, 10_000),
  NOTIFY_TEAMS_RATE_PER_SEC: num(1, 0.001, 1000),
  NOTIFY_TEAMS_BURST: int(2, 1, 10_000),
  NOTIFY_WEBHOOK_RATE_PER_SEC: num(10, 0.001, 1000),
  NOTIFY_WEBHOOK_BURST: int(10, 1, 10_000),
  WEBHOOK_URL: url(),
  WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{24,}$/, "must be whsec_ followed by a base64 key")
      .optional(),
  ),
  PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, z.url().default("http://127.0.0.1:8000")),

  /** Case workflow (DESIGN §11): Slack buttons, reminders, weekly digest. */
  SLACK_SIGNING_SECRET: secret(),
  /** `U024BE7LH=alice,U0G9QF9C6=bob`: Slack user id → eolgate user name. */
  SLACK_USER_MAP: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^\s*[UW][A-Z0-9]{2,30}\s*=\s*[^,=]+(,\s*[UW][A-Z0-9]{2,30}\s*=\s*[^,=]+)*\s*,?\s*$/,
        "must be SLACKUSERID=name pairs, comma-separated (like U024BE7LH=alice)",
      )
      .optional(),
  ),
  /** A bot token with users:read.email, to match Slack users to eolgate users by e-mail. */
  SLACK_BOT_TOKEN: secret(),
  SLACK_API_URL: z.preprocess(emptyToUndefined, z.url().default("https://slack.com/api/")),
  /** Days before the decide-by date at which undecided cases are reminded; then once when overdue. */
  REMINDER_DAYS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^\s*\d{1,4}(\s*,\s*\d{1,4})*\s*$/,
        "must be whole numbers of days, comma-separated (like 90,30,7)",
      )
      .default("90,30,7"),
  ),
  REMINDER_POLL_SECONDS: num(60, 1, 86_400),
  /** The weekly digest of open cases: its weekday (or `off`) and hour (UTC). */
  DIGEST_WEEKDAY: z.preprocess(
    (v) => (typeof v === "string" ? emptyToUndefined(v.toLowerCase()) : v),
    z
      .enum(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "off"])
      .default("monday"),
  ),
  DIGEST_HOUR_UTC: int(8, 0, 23),
  /** Extracted notices below this confidence are marked needs_review (issue 19). */
  EXTRACT_REVIEW_THRESHOLD: num(0.6, 0, 1),

  LLM_PROVIDER: z.preprocess(emptyToUndefined, z.enum(["none", "openai"]).default("none")),
  LLM_BASE_URL: url(),
  LLM_API_KEY: str(),
  LLM_MODEL: str(),
  LLM_TIMEOUT_SECONDS: num(30, 1, 600),
  /** Rules' notices below this confidence (or no notices at all) ask the model. */
  LLM_MIN_CONFIDENCE: num(0.7, 0, 1),
  /** Budget, shared by all workers through the store; 0 means no limit. */
  LLM_MAX_CALLS_PER_HOUR: int(600),
  LLM_MAX_TOKENS_PER_DAY: int(2_000_000),
  /** Prices for `eolgate_llm_cost_usd_total`; 0 (unknown, e.g. a local model) counts no cost. */
  LLM_USD_PER_MILLION_INPUT_TOKENS: num(0),
  LLM_USD_PER_MILLION_OUTPUT_TOKENS: num(0),
  /** The model-answer cache: entries older than this many days, and past this many entries, are pruned (0 = no limit). */
  LLM_CACHE_MAX_AGE_DAYS: num(30, 0, 36_500),
  LLM_CACHE_MAX_ENTRIES: int(20_000, 0),

  /** Polled sources (issue 14, docs/sources.md). SiliconExpert is on when login and API key are set. */
  SILICONEXPERT_LOGIN: str(),
  SILICONEXPERT_API_KEY: secret(),
  SILICONEXPERT_BASE_URL: z.preprocess(
    emptyToUndefined,
    z.url().default("https://api.siliconexpert.com/ProductAPI"),
  ),
  SILICONEXPERT_POLL_INTERVAL_SECONDS: num(3600, 1, 7 * 86_400),
  SILICONEXPERT_BACKFILL_DAYS: int(1, 1, 30),
  SILICONEXPERT_ALERT_TYPES: z.preprocess(emptyToUndefined, z.string().default("lifecycle,pcn")),
  SILICONEXPERT_MAX_REQUESTS_PER_SECOND: num(2, 0.01, 1000),
  SILICONEXPERT_TIMEOUT_SECONDS: num(30, 1, 600),
  SILICONEXPERT_WATCH_BOM: flag(true),
  SILICONEXPERT_SCAN_INTERVAL_HOURS: num(168, 0, 24 * 366),
  SOURCE_LEASE_SECONDS: num(120, 1, 3600),
  SOURCE_TICK_SECONDS: num(5, 0.01, 3600),
  SOURCE_SCAN_CHECK_SECONDS: num(60, 0.01, 86_400),
  SOURCE_BACKOFF_BASE_SECONDS: num(30, 0.01, 86_400),
  SOURCE_BACKOFF_MAX_SECONDS: num(3600, 0.01, 7 * 86_400),
  SOURCE_ALERT_AFTER_SECONDS: num(3600, 0, 30 * 86_400),
  SOURCE_MAX_INLINE_WAIT_SECONDS: num(30, 0, 600),
  SOURCE_IMPORT_COLUMNS: jsonObject(),
  SOURCE_IMPORT_MAX_BYTES: int(50 * 1024 * 1024, 1024),

  ATTRITION_RATE: num(0.03, 0, 10),
  HOLDING_COST_RATE: num(0.2, 0, 10),
  ALTERNATE_NRE: num(41000),
  SUBSTITUTE_NRE: num(34000),
  REDESIGN_NRE: num(1118000),
  BROKER_PREMIUM: num(3.0, 1),
  /** Time view (DESIGN §6b): months to qualify each option, and the stress case's yearly growth. */
  ALTERNATE_LEAD_MONTHS: num(6, 0, 600),
  SUBSTITUTE_LEAD_MONTHS: num(9, 0, 600),
  REDESIGN_LEAD_MONTHS: num(18, 0, 600),
  DEMAND_STRESS_GROWTH: num(0.05, 0, 10),
  /** The currency of the BOM's costs and prices, shown beside every money figure (ISO 4217). */
  CURRENCY: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() || undefined : v),
    z
      .string()
      // One check, one problem: a malformed code is not also reported as unknown.
      .refine((c) => /^[A-Z]{3}$/.test(c) && currencyKnown(c), {
        message: "must be a three-letter ISO 4217 currency code Intl knows, such as USD or EUR",
      })
      .default("USD"),
  ),

  /** Console (DESIGN §12; its cookies are Secure behind TLS as TRUST_PROXY lets a proxy say). How long a sign-in lasts without use. */
  SESSION_TTL_HOURS: num(12, 0.05, 24 * 90),
  /** Where the built console is (default: dist/console of this installation). */
  CONSOLE_DIR: str(),
});

function currencyKnown(code: string): boolean {
  try {
    new Intl.NumberFormat("en-US", { style: "currency", currency: code });
    return Intl.supportedValuesOf("currency").includes(code);
  } catch {
    return false;
  }
}

/** The environment as parsed: every setting by its variable's name. */
export type Env = z.infer<typeof ConfigSchema>;

/** Which settings each part of the system is given. Every setting belongs to exactly one slice. */
const SLICES = {
  log: ["LOG_LEVEL"],
  http: [
    "HOST",
    "PORT",
    "WORKER_PORT",
    "MAX_JSON_BYTES",
    "API_TOKEN",
    "INGEST_TOKEN",
    "INGEST_HMAC_SECRET",
    "INGEST_RATE_LIMIT_MAX",
    "INGEST_RATE_LIMIT_WINDOW_SECONDS",
    "TRUST_PROXY",
  ],
  store: ["DATA_DIR", "DATABASE_URL", "DATABASE_POOL_SIZE"],
  queue: ["REDIS_URL", "WORKER_LEASE_SECONDS", "PIPELINE_POLL_MS"],
  pipeline: [
    "WORKER_CONCURRENCY",
    "MAX_RETRIES",
    "PIPELINE_PHASE_TIMEOUT_SECONDS",
    "PIPELINE_BACKOFF_BASE_MS",
    "DRAIN_TIMEOUT_SECONDS",
    "REEVALUATE_DAYS",
  ],
  ingest: ["INGEST_BATCH_WINDOW_MS", "INGEST_BATCH_MAX"],
  email: [
    "INBOUND_PARSE_SECRET_KEY",
    "MAILGUN_SIGNING_KEY",
    "SENDGRID_VERIFICATION_KEY",
    "SNS_TOPIC_ARNS",
    "SENDGRID_BASIC_AUTH",
    "POSTMARK_BASIC_AUTH",
    "MAILGUN_MAX_AGE_SECONDS",
    "SENDGRID_MAX_AGE_SECONDS",
    "MAILGUN_API_KEY",
    "MAILGUN_STORAGE_HOSTS",
    "SNS_MAX_AGE_SECONDS",
    "SNS_RAW_BASIC_AUTH",
  ],
  notify: [
    "SLACK_WEBHOOK_URL",
    "TEAMS_WEBHOOK_URL",
    "NOTIFY_ROUTES",
    "NOTIFY_MIN_REVENUE_AT_RISK",
    "NOTIFY_DIGEST_WINDOW_SECONDS",
    "NOTIFY_SLACK_RATE_PER_SEC",
    "NOTIFY_SLACK_BURST",
    "NOTIFY_TEAMS_RATE_PER_SEC",
    "NOTIFY_TEAMS_BURST",
    "NOTIFY_WEBHOOK_RATE_PER_SEC",
    "NOTIFY_WEBHOOK_BURST",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "PUBLIC_BASE_URL",
  ],
  alerts: ["ENGINEERING_WEBHOOK_URL"],
  console: ["SESSION_TTL_HOURS", "CONSOLE_DIR"],
  workflow: [
    "SLACK_SIGNING_SECRET",
    "SLACK_USER_MAP",
    "SLACK_BOT_TOKEN",
    "SLACK_API_URL",
    "REMINDER_DAYS",
    "REMINDER_POLL_SECONDS",
    "DIGEST_WEEKDAY",
    "DIGEST_HOUR_UTC",
  ],
  extract: ["EXTRACT_REVIEW_THRESHOLD"],
  llm: [
    "LLM_PROVIDER",
    "LLM_BASE_URL",
    "LLM_API_KEY",
    "LLM_MODEL",
    "LLM_TIMEOUT_SECONDS",
    "LLM_MIN_CONFIDENCE",
    "LLM_MAX_CALLS_PER_HOUR",
    "LLM_MAX_TOKENS_PER_DAY",
    "LLM_USD_PER_MILLION_INPUT_TOKENS",
    "LLM_USD_PER_MILLION_OUTPUT_TOKENS",
    "LLM_CACHE_MAX_AGE_DAYS",
    "LLM_CACHE_MAX_ENTRIES",
  ],
  impact: [
    "ATTRITION_RATE",
    "HOLDING_COST_RATE",
    "ALTERNATE_NRE",
    "SUBSTITUTE_NRE",
    "REDESIGN_NRE",
    "BROKER_PREMIUM",
    "ALTERNATE_LEAD_MONTHS",
    "SUBSTITUTE_LEAD_MONTHS",
    "REDESIGN_LEAD_MONTHS",
    "DEMAND_STRESS_GROWTH",
    "CURRENCY",
  ],
  sources: [
    "SILICONEXPERT_LOGIN",
    "SILICONEXPERT_API_KEY",
    "SILICONEXPERT_BASE_URL",
    "SILICONEXPERT_POLL_INTERVAL_SECONDS",
    "SILICONEXPERT_BACKFILL_DAYS",
    "SILICONEXPERT_ALERT_TYPES",
    "SILICONEXPERT_MAX_REQUESTS_PER_SECOND",
    "SILICONEXPERT_TIMEOUT_SECONDS",
    "SILICONEXPERT_WATCH_BOM",
    "SILICONEXPERT_SCAN_INTERVAL_HOURS",
    "SOURCE_LEASE_SECONDS",
    "SOURCE_TICK_SECONDS",
    "SOURCE_SCAN_CHECK_SECONDS",
    "SOURCE_BACKOFF_BASE_SECONDS",
    "SOURCE_BACKOFF_MAX_SECONDS",
    "SOURCE_ALERT_AFTER_SECONDS",
    "SOURCE_MAX_INLINE_WAIT_SECONDS",
    "SOURCE_IMPORT_COLUMNS",
    "SOURCE_IMPORT_MAX_BYTES",
  ],
} as const satisfies Record<string, readonly (keyof Env)[]>;

type Slices = typeof SLICES;
export type Config = { readonly [S in keyof Slices]: Readonly<Pick<Env, Slices[S][number]>> };

export type HttpConfig = Config["http"];
export type StoreConfig = Config["store"];
export type QueueConfig = Config["queue"];
export type PipelineConfig = Config["pipeline"];
export type IngestConfig = Config["ingest"];
export type EmailConfig = Config["email"];
export type NotifyConfig = Config["notify"];
export type LlmConfig = Config["llm"];
export type SourcesConfig = Config["sources"];
export type ConsoleConfig = Config["console"];
export type WorkflowConfig = Config["workflow"];
export type ExtractConfig = Config["extract"];

function slice(env: Env): Config {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, keys] of Object.entries(SLICES))
    out[name] = Object.fromEntries(keys.map((k) => [k, env[k]]));
  return out as Config;
}

/** Names of settings whose values must never be printed. */
export const SECRET_KEYS = [
  "API_TOKEN",
  "INGEST_TOKEN",
  "INGEST_HMAC_SECRET",
  "INBOUND_PARSE_SECRET_KEY",
  "MAILGUN_SIGNING_KEY",
  "MAILGUN_API_KEY",
  "SNS_RAW_BASIC_AUTH",
  "SENDGRID_BASIC_AUTH",
  "POSTMARK_BASIC_AUTH",
  "LLM_API_KEY",
  "SILICONEXPERT_API_KEY",
  "DATABASE_URL",
  "REDIS_URL",
  "SLACK_WEBHOOK_URL",
  "TEAMS_WEBHOOK_URL",
  "ENGINEERING_WEBHOOK_URL",
  "NOTIFY_ROUTES",
  "WEBHOOK_URL",
  "WEBHOOK_SECRET",
  "SLACK_SIGNING_SECRET",
  "SLACK_BOT_TOKEN",
] as const satisfies readonly (keyof Env)[];

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join("; ")}`);
  }
}

/** Parses the environment. Throws ConfigError naming each bad variable (never its value). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = ConfigSchema.safeParse(env);
  if (r.success) {
    const cfg = r.data;
    if (cfg.LLM_PROVIDER === "openai" && !cfg.LLM_BASE_URL && !cfg.LLM_API_KEY) {
      throw new ConfigError([
        {
          variable: "LLM_PROVIDER",
          message: "openai needs LLM_BASE_URL or LLM_API_KEY (or set LLM_PROVIDER=none)",
        },
      ]);
    }
    if (Boolean(cfg.SILICONEXPERT_LOGIN) !== Boolean(cfg.SILICONEXPERT_API_KEY)) {
      const missing = cfg.SILICONEXPERT_LOGIN ? "SILICONEXPERT_API_KEY" : "SILICONEXPERT_LOGIN";
      throw new ConfigError([
        {
          variable: missing,
          message: "SiliconExpert needs both SILICONEXPERT_LOGIN and SILICONEXPERT_API_KEY",
        },
      ]);
    }
    if (cfg.SOURCE_BACKOFF_MAX_SECONDS < cfg.SOURCE_BACKOFF_BASE_SECONDS) {
      throw new ConfigError([
        { variable: "SOURCE_BACKOFF_MAX_SECONDS", message: "must be at least SOURCE_BACKOFF_BASE_SECONDS" },
      ]);
    }
    return slice(cfg);
  }
  throw new ConfigError(
    r.error.issues.map((i) => ({
      variable: String(i.path[0] ?? "?"),
      // zod messages describe the expectation, not the received value, so no secret leaks here.
      message: i.message,
    })),
  );
}

/** The configuration with secrets masked, for logs and `/docs`: every setting by its variable's name. */
export function redactedConfig(cfg: Config): Record<string, unknown> {
  const out: Record<string, unknown> = Object.assign({}, ...Object.values(cfg));
  for (const k of SECRET_KEYS) if (out[k] !== undefined) out[k] = "[set]";
  return out;
}

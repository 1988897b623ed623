import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { EMAIL_ADAPTERS, type EmailRouteProvider } from "../email/email.adapters.ts";
import { emailIdempotencyKey } from "../email/email.idempotency.ts";
import { EMAIL_LIMITS } from "../email/email.limits.ts";
import type { Issue, Rejection } from "../email/email.outcome.ts";
import { invalid, reject } from "../email/email.outcome.ts";
import { headerValue } from "../email/proof.ts";
import { senderDomain } from "../mail/mime.ts";
import type { NormalizedEmail } from "../mail/normalized-email.ts";
import { counter } from "../observability/metrics.ts";
import type { HttpDeps } from "./deps.ts";
import { accepted, emailRefusalStatuses, emailRefused, internalError, retryLater } from "./errors.ts";
import { AckSchema } from "./ingest.routes.ts";
import { documentOnly, responses } from "./openapi.ts";

const PROVIDERS = Object.keys(EMAIL_ADAPTERS) as EmailRouteProvider[];

/**
 * POST /v1/ingest/email/{sendgrid,mailgun,ses,postmark}: verify origin on the raw bytes the provider's
 * way, parse into a NormalizedEmail (which validates it is an email), then hand the RAW body to the
 * ingestor, which commits it before the 202. Bodies are read as Buffers by parsers registered in this
 * encapsulated scope only, so the app's JSON parsing elsewhere is untouched.
 */
export async function registerEmailRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, "config" | "ingestor" | "metrics" | "now" | "email">,
): Promise<void> {
  documentOnly(app);
  const ingested = counter(
    deps.metrics,
    "eolgate_email_ingest_total",
    "Email ingest requests by provider and outcome",
    ["provider", "outcome"],
  );
  const rejected = counter(
    deps.metrics,
    "eolgate_email_rejected_total",
    "Email ingest refusals by provider and reason",
    ["provider", "reason"],
  );
  const { httpsGet, certificates, tokens, mailgunStorage } = deps.email;

  const refuse = (reply: FastifyReply, provider: EmailRouteProvider, r: Rejection) => {
    ingested.inc({ provider, outcome: "rejected" });
    rejected.inc({ provider, reason: r.reason });
    reply.log.info({ provider, reason: r.reason, issues: r.issues }, "email refused");
    return emailRefused(reply, provider, r);
  };
  const notTaken = (reply: FastifyReply, provider: EmailRouteProvider, outcome: string, detail: string) => {
    ingested.inc({ provider, outcome });
    reply.log.warn({ provider, outcome, detail }, "email not taken; the provider will retry");
    return retryLater(reply, outcome, "the message could not be taken now; retry later", 30);
  };

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ["multipart/form-data", "application/x-www-form-urlencoded", "text/plain", "application/json"],
      { parseAs: "buffer" },
      (_req: FastifyRequest, body: Buffer, done: (err: null, body: Buffer) => void) => done(null, body),
    );
    scope.setErrorHandler((err: FastifyError, req, reply) => {
      const provider = providerOf(req);
      if (!provider) throw err;
      const r = fastifyRejection(err, req);
      if (r) return refuse(reply, provider, r);
      req.log.error({ err, provider }, "email route failed unexpectedly");
      return internalError(reply);
    });

    for (const provider of PROVIDERS) {
      const adapter = EMAIL_ADAPTERS[provider];
      scope.post(
        `/v1/ingest/email/${provider}`,
        {
          bodyLimit: EMAIL_LIMITS[provider].bodyBytes,
          schema: {
            tags: ["ingest"],
            summary: `Inbound email from ${provider} (its native format)`,
            description:
              "Verified the provider's way; see docs/email-providers.md. 202 once stored. Refusals use " +
              "the status the provider treats as final (Mailgun 406, Postmark 403); the body's `reason` " +
              "names the class of refusal (too_large, unauthorized, invalid, media_type, forbidden).",
            consumes: [...adapter.mediaTypes],
            ...(provider === "sendgrid"
              ? {
                  querystring: {
                    type: "object",
                    properties: {
                      key: { type: "string", description: "INBOUND_PARSE_SECRET_KEY, when set" },
                    },
                  },
                }
              : {}),
            response: responses(
              {
                202: { description: "stored durably (or a repeat: duplicate true)", schema: AckSchema },
                ...(provider === "ses"
                  ? { 200: { description: "an SNS housekeeping message (subscription confirmed)" } as const }
                  : {}),
              },
              [...emailRefusalStatuses(provider), 503],
            ),
          },
        },
        async (req, reply) => {
          const contentType = req.headers["content-type"] ?? "";
          const essence = contentType.split(";")[0]!.trim().toLowerCase();
          if (!Buffer.isBuffer(req.body) || !adapter.mediaTypes.includes(essence))
            return refuse(
              reply,
              provider,
              reject(
                "media_type",
                "unsupported_media_type",
                `${provider} posts ${adapter.mediaTypes.join(" or ")}, not ${essence || "(none)"}`,
              ),
            );
          const raw = req.body;
          const query = req.query as Record<string, string | undefined>;
          const outcome = await adapter.handle(
            { raw, contentType, headers: req.headers, query },
            {
              config: deps.config.email,
              now: deps.now(),
              tokens,
              certificates,
              httpsGet,
              logger: req.log as HttpDeps["logger"],
              mailgunStorage,
            },
          );
          switch (outcome.kind) {
            case "rejected":
              return refuse(reply, provider, outcome);
            case "retry_later":
              return notTaken(reply, provider, outcome.reason, outcome.message);
            case "control":
              ingested.inc({ provider, outcome: outcome.outcome });
              return outcome.body;
            case "email":
              break;
          }
          const problems = emailIssues(outcome.email);
          const maxAttachments = EMAIL_LIMITS[provider].attachments;
          // Raw MIME (SendGrid raw, Mailgun body-mime, SES, Postmark RawEmail) is only counted once parsed.
          const refusal =
            problems.length > 0
              ? invalid("not_an_email", problems)
              : outcome.email.attachments.length > maxAttachments
                ? reject("too_large", "too_many_attachments", `more than ${maxAttachments} attachments`, [
                    { path: "(attachments)", message: `at most ${maxAttachments} attachments are accepted` },
                  ])
                : null;
          if (refusal) {
            await outcome.release?.().catch(() => {});
            return refuse(reply, provider, refusal);
          }
          let stored: Awaited<ReturnType<HttpDeps["ingestor"]["accept"]>>;
          try {
            stored = await deps.ingestor.accept({
              route: `email/${provider}`,
              source: senderDomain(outcome.email.from) ?? provider,
              provider,
              idempotencyKey: emailIdempotencyKey(
                headerValue(req.headers, "idempotency-key"),
                outcome.email,
                outcome.providerMessageId,
              ),
              contentType: outcome.stored?.contentType ?? contentType,
              raw: outcome.stored?.raw ?? raw,
            });
          } catch (err) {
            stored = { kind: "store_unavailable", reason: (err as Error).message };
          }
          if (stored.kind === "store_unavailable") {
            await outcome.release?.().catch(() => {});
            return notTaken(reply, provider, "store_unavailable", stored.reason);
          }
          ingested.inc({ provider, outcome: stored.duplicate ? "duplicate" : "accepted" });
          reply.ingestResult = stored.duplicate ? "duplicate" : "accepted";
          return accepted(reply, { ack: true, trace_id: stored.traceId, duplicate: stored.duplicate });
        },
      );
    }
  });
}

/** What makes a parsed message an email worth storing; an S3-action notification has no body by design. */
export function emailIssues(e: NormalizedEmail): Issue[] {
  const issues: Issue[] = [];
  if (!e.from) issues.push({ path: "from", message: "the message has no sender address" });
  return issues;
}

function providerOf(req: FastifyRequest): EmailRouteProvider | null {
  const last = (req.routeOptions.url ?? "").split("/").pop() ?? "";
  return (PROVIDERS as string[]).includes(last) ? (last as EmailRouteProvider) : null;
}

/** Fastify's own refusals (body over the route's limit, no parser for the type) as Rejections. */
function fastifyRejection(err: FastifyError, req: FastifyRequest): Rejection | null {
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return reject("too_large", "body_too_large", "request body exceeds this provider's limit");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return reject(
        "media_type",
        "unsupported_media_type",
        `unsupported content type: ${String(req.headers["content-type"] ?? "(none)")}`,
      );
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return invalid("truncated_body", [
        { path: "(body)", message: "body length does not match Content-Length" },
      ]);
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return invalid("bad_request", [{ path: "(request)", message: err.message }]);
  return null;
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { idempotencyKey } from "../ingest/idempotency.ts";
import {
  ComponentAlertSchema,
  EmailForwardSchema,
  toIssues,
  unknownFields,
} from "../ingest/ingest.schemas.ts";
import type { AcceptOutcome } from "../ingest/ingest.ts";
import { lifecycleStatusDrift } from "../ingest/lifecycle.drift.ts";
import { unstorableText } from "../store/storable-text.ts";
import { checkBearer, checkBodySignature } from "./auth.ts";
import type { HttpDeps } from "./deps.ts";
import { accepted, retryLater, unauthorized, validationFailed } from "./errors.ts";
import { docSchema, documentOnly, responses } from "./openapi.ts";

/** The body as the JSON parser leaves it: the exact bytes (for signatures and storage) and the parse. */
interface RawJsonBody {
  raw: Buffer;
  parsed: { ok: true; value: unknown } | { ok: false; message: string };
}

export const AckSchema = z.object({
  ack: z.literal(true),
  trace_id: z.uuid(),
  duplicate: z.boolean(),
});

/**
 * POST /v1/ingest/component-alert and /v1/ingest/email-forward (DESIGN §4). Encapsulated: its JSON
 * parser keeps the raw bytes and turns malformed JSON into a 422 after the origin check, so a
 * stranger learns nothing about the payload before proving who they are.
 */
export async function registerIngestRoutes(app: FastifyInstance, deps: HttpDeps) {
  documentOnly(app);
  const config = deps.config.http;
  // JSON only: without this, Fastify's inherited text/plain parser hands the handler a string.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "application/json",
    { parseAs: "buffer", bodyLimit: config.MAX_JSON_BYTES },
    (_req, body: Buffer, done) => {
      let parsed: RawJsonBody["parsed"];
      try {
        parsed = { ok: true, value: JSON.parse(body.toString("utf8")) };
      } catch (err) {
        parsed = { ok: false, message: `body is not valid JSON: ${(err as Error).message}` };
      }
      done(null, { raw: body, parsed } satisfies RawJsonBody);
    },
  );

  app.addHook("onRequest", async (req, reply) => {
    const outcome = checkBearer(config.INGEST_TOKEN, req.headers.authorization);
    if (outcome.kind === "rejected") return unauthorized(reply, outcome.reason);
  });
  app.addHook("preHandler", async (req, reply) => {
    const body = req.body as RawJsonBody | undefined;
    const sig = req.headers["x-eolgate-signature"];
    const outcome = checkBodySignature(
      config.INGEST_HMAC_SECRET,
      Array.isArray(sig) ? sig[0] : sig,
      body?.raw ?? Buffer.alloc(0),
    );
    if (outcome.kind === "rejected") return unauthorized(reply, outcome.reason);
  });

  const response = responses(
    {
      202: {
        description: "stored durably (or a repeat of a stored notice: duplicate true)",
        schema: AckSchema,
      },
    },
    [401, 413, 415, 422, 503],
  );

  app.post(
    "/v1/ingest/component-alert",
    {
      schema: {
        summary: "Accept a structured component lifecycle alert",
        tags: ["ingest"],
        body: docSchema(ComponentAlertSchema),
        response,
      },
    },
    async (req, reply) => {
      const body = req.body as RawJsonBody | undefined;
      if (!body) return validationFailed(reply, [{ path: "(body)", message: "body is required" }]);
      if (!body.parsed.ok) return validationFailed(reply, [{ path: "(body)", message: body.parsed.message }]);
      const unstorable = unstorableText(body.parsed.value);
      if (unstorable.length > 0) return validationFailed(reply, unstorable);
      const r = ComponentAlertSchema.safeParse(body.parsed.value);
      if (!r.success) return validationFailed(reply, toIssues(r.error, body.parsed.value));
      const alert = r.data;
      deps.drift.record(alert.source_platform, [
        ...unknownFields(ComponentAlertSchema, body.parsed.value),
        ...lifecycleStatusDrift(alert.lifecycle_status),
      ]);
      const { idempotency_key, ...content } = alert;
      const known = Object.fromEntries(
        Object.entries(content).filter(([k]) => k in ComponentAlertSchema.shape),
      );
      const key = idempotencyKey({
        header: header(req, "idempotency-key"),
        field: idempotency_key,
        content: known,
      });
      const outcome = await deps.ingestor.accept({
        route: "component-alert",
        source: alert.source_platform,
        provider: null,
        idempotencyKey: key,
        contentType: "application/json",
        raw: body.raw,
      });
      return answer(req, reply, outcome);
    },
  );

  app.post(
    "/v1/ingest/email-forward",
    {
      schema: {
        summary: "Accept an email notice forwarded as JSON",
        tags: ["ingest"],
        body: docSchema(EmailForwardSchema),
        response,
      },
    },
    async (req, reply) => {
      const body = req.body as RawJsonBody | undefined;
      if (!body) return validationFailed(reply, [{ path: "(body)", message: "body is required" }]);
      if (!body.parsed.ok) return validationFailed(reply, [{ path: "(body)", message: body.parsed.message }]);
      const unstorable = unstorableText(body.parsed.value);
      if (unstorable.length > 0) return validationFailed(reply, unstorable);
      const r = EmailForwardSchema.safeParse(body.parsed.value);
      if (!r.success) return validationFailed(reply, toIssues(r.error, body.parsed.value));
      const email = r.data;
      const source = email.sender_domain.toLowerCase();
      deps.drift.record(source, unknownFields(EmailForwardSchema, body.parsed.value));
      const key = idempotencyKey({
        header: header(req, "idempotency-key"),
        field: email.idempotency_key,
        messageId: email.message_id,
        content: {
          sender_domain: source,
          subject_line: email.subject_line,
          body_content: email.body_content,
          attachment_metadata: email.attachment_metadata ?? null,
        },
      });
      const outcome = await deps.ingestor.accept({
        route: "email-forward",
        source,
        provider: null,
        idempotencyKey: key,
        contentType: "application/json",
        raw: body.raw,
      });
      return answer(req, reply, outcome);
    },
  );
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The ingest outcome as HTTP: 202 when durable (new or repeat), 503 when the store cannot take it. */
export function answer(req: FastifyRequest, reply: FastifyReply, outcome: AcceptOutcome) {
  if (outcome.kind === "store_unavailable") {
    return retryLater(reply, "store_unavailable", "the notice was not stored; retry later", 5);
  }
  req.log.info({ trace_id: outcome.traceId, duplicate: outcome.duplicate }, "notice accepted");
  reply.ingestResult = outcome.duplicate ? "duplicate" : "accepted";
  return accepted(reply, { ack: true, trace_id: outcome.traceId, duplicate: outcome.duplicate });
}

declare module "fastify" {
  interface FastifyReply {
    /** Set by ingest handlers for the outcome metric. */
    ingestResult?: "accepted" | "duplicate";
  }
}

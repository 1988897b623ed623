import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { EmailRouteProvider } from "../email/email.adapters.ts";
import type { RejectClass, Rejection } from "../email/email.outcome.ts";
import type { ValidationIssue } from "../ingest/ingest.schemas.ts";

/**
 * The one place where outcomes become HTTP statuses: every route answers anything but a plain 200
 * through a function here. Bodies never echo secrets or payloads.
 */
export function validationFailed(
  reply: FastifyReply,
  issues: ValidationIssue[],
  extra: Record<string, unknown> = {},
) {
  return reply.code(422).send({ error: "validation_failed", issues, ...extra });
}

export function unauthorized(reply: FastifyReply, reason: string) {
  return reply
    .code(401)
    .header("www-authenticate", "Bearer")
    .send({ error: "unauthorized", message: reason });
}

/** 404; the body names what is missing when `what` is given. */
export function notFound(reply: FastifyReply, what?: string) {
  return reply
    .code(404)
    .send(what === undefined ? { error: "not_found" } : { error: "not_found", message: what });
}

/** 409: the request is understood but contradicts the current state (e.g. a dead letter already replayed). */
export function conflict(
  reply: FastifyReply,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return reply.code(409).send({ error, message, ...extra });
}

export function payloadTooLarge(reply: FastifyReply, message?: string) {
  return reply
    .code(413)
    .send(message === undefined ? { error: "payload_too_large" } : { error: "payload_too_large", message });
}

export function unsupportedMediaType(reply: FastifyReply, extra: Record<string, unknown>) {
  return reply.code(415).send({ error: "unsupported_media_type", ...extra });
}

/** 503 with Retry-After: nothing was taken, the sender should try again. */
export function retryLater(
  reply: FastifyReply,
  error: string,
  message: string,
  retryAfterSeconds: number,
  extra: Record<string, unknown> = {},
) {
  return reply
    .code(503)
    .header("retry-after", String(retryAfterSeconds))
    .send({ error, message, ...extra });
}

/** 429 with Retry-After: this client sent more than its share; the request was not looked at. */
export function tooManyRequests(reply: FastifyReply, message: string, retryAfterSeconds: number) {
  return reply
    .code(429)
    .header("retry-after", String(retryAfterSeconds))
    .send({ error: "rate_limited", message });
}

/** /readyz: 200 when every dependency answers, else 503 with the checks. */
export function readiness(reply: FastifyReply, ready: boolean, checks: unknown[]) {
  return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks });
}

/** 202: the work is durable (a notice stored, a replay scheduled); it happens in the background. */
export function accepted(reply: FastifyReply, body: Record<string, unknown>) {
  return reply.code(202).send(body);
}

export function internalError(reply: FastifyReply) {
  return reply.code(500).send({ error: "internal_error", message: "unexpected error; it has been logged" });
}

/**
 * Each email provider's retry rules decide the status of a refusal (docs/adr/0004-email-status-codes.md):
 * Mailgun stops retrying only on 406 and Postmark only on 403, so every permanent refusal gets that
 * code there (the body still names the error); SNS stops on any 4xx; SendGrid retries whatever we say.
 */
const EMAIL_STATUS: Record<EmailRouteProvider, Record<RejectClass, number>> = {
  sendgrid: { unauthorized: 401, forbidden: 403, invalid: 422, too_large: 413, media_type: 415 },
  ses: { unauthorized: 401, forbidden: 403, invalid: 422, too_large: 413, media_type: 415 },
  mailgun: { unauthorized: 406, forbidden: 406, invalid: 406, too_large: 406, media_type: 406 },
  postmark: { unauthorized: 403, forbidden: 403, invalid: 403, too_large: 403, media_type: 403 },
};

const EMAIL_ERROR_CODE: Record<RejectClass, string> = {
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  invalid: "validation_failed",
  too_large: "payload_too_large",
  media_type: "unsupported_media_type",
};

export function emailRefused(reply: FastifyReply, provider: EmailRouteProvider, r: Rejection) {
  const body =
    r.class === "invalid"
      ? { error: EMAIL_ERROR_CODE.invalid, issues: r.issues }
      : {
          error: EMAIL_ERROR_CODE[r.class],
          message: r.message,
          ...(r.issues.length > 0 ? { issues: r.issues } : {}),
        };
  return reply.code(EMAIL_STATUS[provider][r.class]).send(body);
}

/** Fastify's own errors for bad requests, mapped to DESIGN §4's statuses; anything else is a 500. */
export function httpErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return payloadTooLarge(reply, "request body exceeds the limit");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return unsupportedMediaType(reply, {
        message: `unsupported content type: ${String(req.headers["content-type"] ?? "(none)")}`,
      });
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return reply.code(400).send({ error: "bad_request", message: err.message });
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return validationFailed(reply, [{ path: "(body)", message: "body is not valid JSON" }]);
    case "FST_ERR_VALIDATION":
      return validationFailed(
        reply,
        (err.validation ?? []).map((v) => ({
          path: v.instancePath || "(request)",
          message: v.message ?? "invalid",
        })),
      );
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: "bad_request", message: err.message });
  }
  req.log.error({ err }, "unhandled error");
  return internalError(reply);
}

/** 403: authenticated, but the caller's role does not include the one the route needs. */
export function forbidden(reply: FastifyReply, needed: string, role: string) {
  return reply.code(403).send({
    error: "forbidden",
    message: `this needs the ${needed} role; the caller is a ${role}`,
    needed,
    role,
  });
}

/** 409: another request changed the case first (optimistic concurrency); the body carries the current case. */
export function versionConflict(reply: FastifyReply, current: unknown) {
  return reply.code(409).send({ error: "version_conflict", case: current });
}

/** 409: the action cannot move the case from its state (DESIGN §11), naming both states. */
export function illegalTransition(reply: FastifyReply, from: string, to: string) {
  return reply
    .code(409)
    .send({ error: "illegal_transition", from, to, message: `a case cannot go from ${from} to ${to}` });
}

export function created(reply: FastifyReply, body: Record<string, unknown>) {
  return reply.code(201).send(body);
}

export function conflictOn(reply: FastifyReply, error: string, body: Record<string, unknown>) {
  return reply.code(409).send({ error, ...body });
}

/** A file download (exports): the body is streamed by the caller. */
export function attachment(reply: FastifyReply, contentType: string, filename: string) {
  return reply
    .code(200)
    .type(contentType)
    .header("content-disposition", `attachment; filename="${filename}"`);
}

/** 401 for a Slack interaction whose signature is forged, stale or replayed. */
export function badSignature(reply: FastifyReply, reason: string) {
  return reply.code(401).send({ error: "unauthorized", message: `Slack request refused: ${reason}` });
}

export function serviceUnavailable(reply: FastifyReply, message: string) {
  return reply.code(503).header("retry-after", "5").send({ error: "unavailable", message });
}

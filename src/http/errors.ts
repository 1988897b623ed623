import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { EmailRouteProvider } from "../email/email.adapters.ts";
import type { RejectClass, Rejection } from "../email/email.outcome.ts";
import type { ValidationIssue } from "../ingest/ingest.schemas.ts";

/**
 * The one place where outcomes become HTTP statuses: every route answers anything but a plain 200
 * through a function here. Every error body has one shape, `{error, message, …}`: `error` is a
 * stable code a client branches on, `message` a sentence a person reads, and any further fields
 * (`issues`, `allow`, `candidates`…) are detail. Fastify's own refusals (a bad URL, a parameter over
 * the length limit, a header block too large, malformed JSON) are mapped here to the same shape.
 * Bodies never echo secrets or payloads.
 */
export interface ErrorBody {
  error: string;
  message: string;
  [detail: string]: unknown;
}

function send(reply: FastifyReply, status: number, body: ErrorBody) {
  return reply.code(status).send(body);
}

/** The message of a 422: the first issues, in one line. */
export function issuesMessage(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return "the request is invalid";
  const shown = issues
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join("; ");
  return issues.length > 3 ? `${shown} (and ${issues.length - 3} more)` : shown;
}

export function validationFailed(
  reply: FastifyReply,
  issues: ValidationIssue[],
  extra: Record<string, unknown> = {},
) {
  return send(reply, 422, {
    error: "validation_failed",
    message: issuesMessage(issues),
    issues,
    ...extra,
  });
}

export function unauthorized(reply: FastifyReply, reason: string) {
  return reply
    .header("www-authenticate", "Bearer")
    .code(401)
    .send({ error: "unauthorized", message: reason });
}

/** 404; the message names what is missing. */
export function notFound(reply: FastifyReply, what = "not found") {
  return send(reply, 404, { error: "not_found", message: what });
}

/** 405: the path exists, with other methods (listed in `Allow`, as RFC 9110 asks). */
export function methodNotAllowed(reply: FastifyReply, method: string, allow: readonly string[]) {
  return reply
    .header("allow", allow.join(", "))
    .code(405)
    .send({
      error: "method_not_allowed",
      message: `${method} is not allowed here; use ${allow.join(", ")}`,
      allow,
    } satisfies ErrorBody);
}

/** 409: the request is understood but contradicts the current state (e.g. a dead letter already replayed). */
export function conflict(
  reply: FastifyReply,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return send(reply, 409, { error, message, ...extra });
}

export function payloadTooLarge(reply: FastifyReply, message = "request body exceeds the limit") {
  return send(reply, 413, { error: "payload_too_large", message });
}

export function unsupportedMediaType(
  reply: FastifyReply,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return send(reply, 415, { error: "unsupported_media_type", message, ...extra });
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
    .send({ error, message, ...extra } satisfies ErrorBody);
}

/** 429 with Retry-After: this client sent more than its share; the request was not looked at. */
export function tooManyRequests(reply: FastifyReply, message: string, retryAfterSeconds: number) {
  return reply
    .code(429)
    .header("retry-after", String(retryAfterSeconds))
    .send({ error: "rate_limited", message } satisfies ErrorBody);
}

/** /readyz: 200 when every dependency answers, else 503 naming the ones that do not. */
export function readiness(
  reply: FastifyReply,
  checks: readonly { name: string; ok: boolean; error?: string }[],
) {
  const failing = checks.filter((c) => !c.ok);
  if (failing.length === 0) return reply.code(200).send({ status: "ready", checks });
  return send(reply, 503, {
    error: "not_ready",
    message: failing.map((c) => `${c.name}: ${c.error ?? "not ready"}`).join("; "),
    status: "not_ready",
    checks,
  });
}

/** 202: the work is durable (a notice stored, a replay scheduled); it happens in the background. */
export function accepted(reply: FastifyReply, body: Record<string, unknown>) {
  return reply.code(202).send(body);
}

export function internalError(reply: FastifyReply) {
  return send(reply, 500, { error: "internal_error", message: "unexpected error; it has been logged" });
}

/**
 * Each email provider's retry rules decide the status of a refusal (docs/adr/0004-email-status-codes.md):
 * Mailgun stops retrying only on 406 and Postmark only on 403, so every permanent refusal gets that
 * code there (the body still names the error and its reason); SNS stops on any 4xx; SendGrid retries
 * whatever we say.
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

/** What a provider does with the status it gets, said in the body where it is not the usual one. */
const PROVIDER_STATUS_NOTE: Partial<Record<EmailRouteProvider, string>> = {
  mailgun: "406 is Mailgun's 'do not retry': the refusal is final",
  postmark: "403 is Postmark's 'do not retry': the refusal is final",
};

export function emailRefused(reply: FastifyReply, provider: EmailRouteProvider, r: Rejection) {
  const status = EMAIL_STATUS[provider][r.class];
  const note = PROVIDER_STATUS_NOTE[provider];
  return send(reply, status, {
    error: EMAIL_ERROR_CODE[r.class],
    message: note ? `${r.message} (${note})` : r.message,
    // The class of refusal (too_large, unauthorized, invalid…) and its precise cause, the same
    // whatever status the provider's rules forced.
    reason: r.class,
    cause: r.reason,
    ...(r.issues.length > 0 ? { issues: r.issues } : {}),
  });
}

/** Fastify's own errors for bad requests, mapped to DESIGN §4's statuses; anything else is a 500. */
export function httpErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return payloadTooLarge(reply);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return unsupportedMediaType(
        reply,
        `unsupported content type: ${String(req.headers["content-type"] ?? "(none)")}`,
      );
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return send(reply, 400, { error: "bad_request", message: err.message });
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
  if (status >= 400 && status < 500)
    return send(reply, status, { error: "bad_request", message: err.message });
  req.log.error({ err }, "unhandled error");
  return internalError(reply);
}

/**
 * Fastify's router refusals (its `frameworkErrors` option): a URL that does not decode, and a path
 * parameter longer than the router takes (414). Same shape as every other error.
 */
export function frameworkError(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  if (err.code === "FST_ERR_MAX_PARAM_LENGTH")
    return send(reply, 414, {
      error: "uri_too_long",
      message: "a path segment is longer than 100 characters",
    });
  if (err.code === "FST_ERR_BAD_URL")
    return send(reply, 400, { error: "bad_url", message: "the URL is not valid (bad percent-encoding?)" });
  return send(reply, 400, { error: "bad_request", message: err.message });
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (its `clientErrorHandler`): a
 * header block or URL over Node's 16 KiB limit, a malformed request line. Answered on the socket
 * in the same JSON shape, then the connection closes.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const [status, body]: [number, ErrorBody] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, { error: "headers_too_large", message: "the URL and headers exceed 16 KiB" }]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, { error: "request_timeout", message: "the request took too long to arrive" }]
        : [400, { error: "bad_request", message: "the request is not valid HTTP" }];
  const text = JSON.stringify(body);
  const reason = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" }[
    status
  ];
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  socket.destroy(err);
}

/** The refusal statuses an e-mail route answers (for its documentation), from the table above. */
export function emailRefusalStatuses(provider: EmailRouteProvider): number[] {
  return [...new Set(Object.values(EMAIL_STATUS[provider]))].sort((a, b) => a - b);
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
  return reply.code(409).send({
    error: "version_conflict",
    message: "the case changed since you read it; the current case is attached",
    case: current,
  });
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

/** 303 to where the resource lives (a console page's JSON twin, for API clients). */
export function seeOther(reply: FastifyReply, location: string) {
  return reply.code(303).header("location", location).send({ location });
}

/** 503: the console's files are missing (installed without `npm run build`). */
export function consoleNotBuilt(reply: FastifyReply) {
  return reply.code(503).send({
    error: "console_not_built",
    message: "the console is not built: run `npm run build` (npm ci does it) and restart",
  });
}

/** 403: a state-changing call by cookie (or with no credentials) from another site's page. */
export function foreignOrigin(reply: FastifyReply, reason: string) {
  return reply.code(403).send({ error: "foreign_origin", message: reason });
}

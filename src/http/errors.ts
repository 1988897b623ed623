import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { ValidationIssue } from "../ingest/ingest.schemas.ts";

/** The one place where failures become HTTP statuses. Bodies never echo secrets or payloads. */
export function validationFailed(reply: FastifyReply, issues: ValidationIssue[]) {
  return reply.code(422).send({ error: "validation_failed", issues });
}

export function unauthorized(reply: FastifyReply, reason: string) {
  return reply
    .code(401)
    .header("www-authenticate", "Bearer")
    .send({ error: "unauthorized", message: reason });
}

export function notFound(reply: FastifyReply, what = "not found") {
  return reply.code(404).send({ error: "not_found", message: what });
}

/** Fastify's own errors for bad requests, mapped to DESIGN §4's statuses; anything else is a 500. */
export function httpErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return reply.code(413).send({ error: "payload_too_large", message: "request body exceeds the limit" });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
        ? reply.code(415).send({
            error: "unsupported_media_type",
            message: `unsupported content type: ${String(req.headers["content-type"] ?? "(none)")}`,
          })
        : reply.code(400).send({ error: "bad_request", message: err.message });
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
  return reply.code(500).send({ error: "internal_error", message: "unexpected error; it has been logged" });
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

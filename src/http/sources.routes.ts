import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { parseForm } from "../email/form.parse.ts";
import { parseColumnSpec } from "../sources/export/export.columns.ts";
import { type AlertImportOutcome, importAlertExport } from "../sources/export/export.import.ts";
import { earliestReadable, SE_SOURCE } from "../sources/siliconexpert/se.source.ts";
import { isDayString } from "../sources/source.ts";
import { sourceCheckpoints } from "../sources/source-checkpoints.repository.ts";
import type { SourcesResponse } from "./api.types.ts";
import type { HttpDeps } from "./deps.ts";
import { accepted, notFound, payloadTooLarge, retryLater, validationFailed } from "./errors.ts";
import { docSchema, documentOnly } from "./openapi.ts";

/**
 * Sources (DESIGN §13, docs/sources.md):
 * - `GET /v1/sources`: every polled source's state (last success, failure streak, lease, checkpoint);
 * - `POST /v1/sources/{name}/import`: an exported alert report (CSV or XLSX) as the raw body
 *   (`text/csv`, the XLSX type, `application/octet-stream`) or as the `file` part of a
 *   multipart/form-data upload; `?columns=field=Header,…` maps columns. 202 when every row is in the
 *   inbox; 422 with each bad row's number when any row is bad (nothing is ingested);
 * - `POST /v1/sources/{name}/replay` `{from, to}`: re-read a window of a polled source, done by
 *   whichever process holds its lease next (202); re-reading adds nothing already in.
 */

const NAME = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i, "a source name: letters, digits, - and _");
const ImportQuery = z.object({
  columns: z.string().max(4000).optional(),
  filename: z.string().max(255).optional(),
});
const ReplayBody = z.object({ from: z.string(), to: z.string() });

const RAW_TYPES = [
  "text/csv",
  "text/plain",
  "text/tab-separated-values",
  "application/csv",
  "application/octet-stream",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

interface Upload {
  bytes: Buffer;
  filename: string | null;
  contentType: string;
}

export async function registerSourceRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, "db" | "ingestor" | "now" | "sources">,
): Promise<void> {
  const maxBytes = deps.sources.importMaxBytes;
  await app.register(async (scope) => {
    // Schemas document (the /docs page, the unknown-query guard); zod validates in the handlers.
    documentOnly(scope);
    for (const t of ["text/plain", "multipart/form-data"])
      if (scope.hasContentTypeParser(t)) scope.removeContentTypeParser(t);
    scope.addContentTypeParser(
      [...RAW_TYPES, "multipart/form-data"],
      { parseAs: "buffer", bodyLimit: maxBytes },
      (_req, body: Buffer, done) => done(null, body),
    );

    scope.get(
      "/v1/sources",
      { schema: { summary: "Polled sources and their state", tags: ["sources"] } },
      async () => {
        const states = await sourceCheckpoints.list(deps.db);
        return {
          sources: states.map((s) => ({
            name: s.name,
            polled: deps.sources.polled.includes(s.name),
            next_run_at: s.nextRunAt.toISOString(),
            last_run_at: s.lastRunAt?.toISOString() ?? null,
            last_success_at: s.lastSuccessAt?.toISOString() ?? null,
            lag_seconds: s.secondsSinceSuccess,
            failing_since: s.failingSince?.toISOString() ?? null,
            consecutive_failures: s.consecutiveFailures,
            last_error: s.lastError,
            lease:
              s.leasedBy && s.leaseUntil && s.leaseUntil.getTime() > Date.now()
                ? { held_by: s.leasedBy, until: s.leaseUntil.toISOString() }
                : null,
            replay: s.replay,
            alerts_read: s.alertsRead,
            checkpoint: s.checkpoint,
          })),
        } satisfies SourcesResponse;
      },
    );

    scope.post(
      "/v1/sources/:name/import",
      {
        schema: {
          summary: "Import an exported alert report (CSV or XLSX; Accuris columns by default)",
          tags: ["sources"],
          querystring: docSchema(ImportQuery),
        },
      },
      async (req, reply) => {
        const name = NAME.safeParse((req.params as { name: string }).name);
        if (!name.success)
          return validationFailed(reply, [{ path: "name", message: name.error.issues[0]!.message }]);
        const q = ImportQuery.safeParse(req.query);
        if (!q.success)
          return validationFailed(
            reply,
            q.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
          );
        let columns = deps.sources.importColumns;
        if (q.data.columns) {
          const spec = parseColumnSpec(q.data.columns);
          if (spec.kind === "invalid")
            return validationFailed(reply, [{ path: "columns", message: spec.reason }]);
          columns = { ...columns, ...spec.columns };
        }
        const upload = await uploadOf(req, q.data.filename ?? null, maxBytes);
        if (upload.kind === "invalid")
          return validationFailed(reply, [{ path: "(body)", message: upload.message }]);
        if (upload.kind === "too_large") return payloadTooLarge(reply, `the file exceeds ${maxBytes} bytes`);
        const out = await importAlertExport(deps.ingestor, {
          source: name.data.toLowerCase(),
          bytes: upload.file.bytes,
          filename: upload.file.filename,
          contentType: upload.file.contentType,
          columns,
        });
        return answer(reply, out);
      },
    );

    scope.post(
      "/v1/sources/:name/replay",
      { schema: { summary: "Re-read a window of days of a polled source", tags: ["sources"] } },
      async (req, reply) => {
        const name = (req.params as { name: string }).name;
        if (!deps.sources.polled.includes(name)) return notFound(reply, `no polled source named ${name}`);
        const body = ReplayBody.safeParse(req.body);
        if (!body.success)
          return validationFailed(
            reply,
            body.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
          );
        const { from, to } = body.data;
        const issues = [];
        if (!isDayString(from)) issues.push({ path: "from", message: "expected a date YYYY-MM-DD" });
        if (!isDayString(to)) issues.push({ path: "to", message: "expected a date YYYY-MM-DD" });
        if (issues.length === 0 && from > to) issues.push({ path: "from", message: "must not be after to" });
        const today = deps.now().toISOString().slice(0, 10);
        if (issues.length === 0 && name === SE_SOURCE && from < earliestReadable(today))
          issues.push({
            path: "from",
            message: `SiliconExpert serves updates from ${earliestReadable(today)} on (30 days)`,
          });
        if (issues.length > 0) return validationFailed(reply, issues);
        await sourceCheckpoints.ensure(deps.db, [name]);
        await sourceCheckpoints.requestReplay(deps.db, name, from, to);
        return accepted(reply, { replay: { source: name, from, to } });
      },
    );
  });
}

async function uploadOf(
  req: FastifyRequest,
  filename: string | null,
  maxBytes: number,
): Promise<{ kind: "ok"; file: Upload } | { kind: "invalid"; message: string } | { kind: "too_large" }> {
  const contentType = String(req.headers["content-type"] ?? "application/octet-stream");
  const body = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0)
    return { kind: "invalid", message: "the body holds no file" };
  if (!contentType.toLowerCase().startsWith("multipart/form-data"))
    return { kind: "ok", file: { bytes: body, filename, contentType } };
  const form = await parseForm(body, contentType, {
    bodyBytes: maxBytes,
    smallFieldBytes: 4096,
    attachments: 1,
    fields: 8,
  });
  if (form.kind === "rejected")
    return form.class === "too_large" ? { kind: "too_large" } : { kind: "invalid", message: form.message };
  const file = form.value.files[0];
  if (!file) return { kind: "invalid", message: "the form holds no file part" };
  return {
    kind: "ok",
    file: { bytes: file.content, filename: file.filename ?? filename, contentType: file.contentType },
  };
}

function answer(reply: FastifyReply, out: AlertImportOutcome) {
  switch (out.kind) {
    case "imported":
      return accepted(reply, out);
    case "rejected":
      return validationFailed(
        reply,
        out.errors.map((e) => ({
          path: e.row === null ? "(file)" : `row ${e.row}`,
          message: e.reason,
          row: e.row,
        })),
        { truncated: out.truncated },
      );
    case "store_unavailable":
      return retryLater(
        reply,
        "store_unavailable",
        "some rows were not stored; send the same file again (rows already in are not doubled)",
        5,
        { stored: out.stored, unstored: out.unstored },
      );
  }
}

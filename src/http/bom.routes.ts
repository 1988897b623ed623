import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { fileSource } from "../bom/bom.files.ts";
import type { BomSources } from "../bom/bom.import.ts";
import { BOM_FILES, type BomFile } from "../bom/bom.rows.ts";
import { importAndReevaluate, reevaluationSince } from "../pipeline/reevaluation.service.ts";
import type { HttpDeps } from "./deps.ts";
import { payloadTooLarge, unsupportedMediaType, validationFailed } from "./errors.ts";
import { documentOnly, MANAGEMENT_ERRORS, responses } from "./openapi.ts";

/**
 * POST /v1/bom/import (multipart, one file field per CSV). Registered in its own encapsulated scope so
 * the multipart handling stays local to it (email routes parse multipart their own way).
 */

const MAX_FILE_BYTES = 512 * 1024 * 1024;

type BomRouteDeps = Pick<HttpDeps, "db" | "now" | "enqueue"> & {
  config: Pick<HttpDeps["config"], "pipeline">;
};

export async function registerBomRoutes(app: FastifyInstance, deps: BomRouteDeps) {
  documentOnly(app);
  await app.register(async (scope) => {
    if (scope.hasContentTypeParser("multipart/form-data"))
      scope.removeContentTypeParser("multipart/form-data");
    // The import reads the raw request itself (busboy), streaming each file to disk.
    scope.addContentTypeParser("multipart/form-data", (_req, _payload, done) => done(null, undefined));
    scope.post(
      "/v1/bom/import",
      {
        schema: {
          summary: "Load the BOM graph (DESIGN §7): one transaction, idempotent upsert",
          description:
            "multipart/form-data with one file field per CSV: assemblies, parts, bom, alternates " +
            "(curl -F parts=@parts.csv …). A bad row rejects the whole import (422, each row named).",
          tags: ["bom"],
          consumes: ["multipart/form-data"],
          response: responses(
            { 200: { description: "{imported: true, counts, bom_version, reevaluation}" } },
            [...MANAGEMENT_ERRORS, 413, 415],
          ),
        },
      },
      async (req, reply) => importRoute(deps, req, reply),
    );
  });
}

/** Which BOM file a multipart part is: its field name, else its file name (`bom.csv`). */
function bomFileOf(field: string, filename: string | undefined): BomFile | null {
  for (const candidate of [field, (filename ?? "").replace(/\.csv$/i, "")]) {
    const k = candidate.trim().toLowerCase();
    if ((BOM_FILES as readonly string[]).includes(k)) return k as BomFile;
  }
  return null;
}

async function importRoute(deps: BomRouteDeps, req: FastifyRequest, reply: FastifyReply) {
  if (!req.headers["content-type"]?.toLowerCase().startsWith("multipart/form-data")) {
    return unsupportedMediaType(reply, "the BOM import takes multipart/form-data (curl -F)", {
      expected: "multipart/form-data",
    });
  }
  const dir = await mkdtemp(join(tmpdir(), "eolgate-import-"));
  try {
    const spooled = await spool(req, dir);
    if (spooled.kind === "invalid") return validationFailed(reply, spooled.issues);
    if (spooled.kind === "too_large") return payloadTooLarge(reply);
    const sources: BomSources = {};
    for (const [file, f] of Object.entries(spooled.files) as [BomFile, { path: string; name: string }][]) {
      sources[file] = { ...fileSource(f.path), name: f.name };
    }
    const now = deps.now();
    const { outcome: out, reevaluation } = await importAndReevaluate(deps.db, sources, {
      source: "http",
      since: reevaluationSince(now, deps.config.pipeline.REEVALUATE_DAYS),
      now,
    });
    if (out.kind === "imported") {
      if (reevaluation) deps.enqueue(reevaluation.queued, "replay");
      return {
        imported: true,
        counts: out.counts,
        bom_version: out.version,
        changed_parts: out.changedParts,
        reevaluation,
      };
    }
    return validationFailed(
      reply,
      out.errors.map((e) => ({
        path: e.row === null ? e.file : `${e.file}:${e.row}`,
        message: e.reason,
        file: e.file,
        row: e.row,
      })),
      { truncated: out.truncated },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Spooled =
  | { kind: "ok"; files: Partial<Record<BomFile, { path: string; name: string }>> }
  | { kind: "invalid"; issues: { path: string; message: string }[] }
  | { kind: "too_large" };

/** Streams each CSV part to a file in `dir`; the import then reads them in dependency order. */
function spool(req: FastifyRequest, dir: string): Promise<Spooled> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 4, fileSize: MAX_FILE_BYTES, fields: 16 } });
    } catch (err) {
      resolve({ kind: "invalid", issues: [{ path: "body", message: (err as Error).message }] });
      return;
    }
    const files: Partial<Record<BomFile, { path: string; name: string }>> = {};
    const issues: { path: string; message: string }[] = [];
    const writes: Promise<void>[] = [];
    let tooLarge = false;
    bb.on("file", (field, stream, info) => {
      // A truncated form errors every open part as well as busboy itself; busboy's own 'error' (below)
      // answers the request, so a part's error must not go unhandled (it would end the process).
      stream.on("error", () => {});
      const kind = bomFileOf(field, info.filename);
      if (!kind || files[kind]) {
        issues.push({
          path: field,
          message: kind ? `${kind} given twice` : `unknown file: expected one of ${BOM_FILES.join(", ")}`,
        });
        stream.resume();
        return;
      }
      const path = join(dir, `${kind}.csv`);
      files[kind] = { path, name: info.filename || `${kind}.csv` };
      stream.on("limit", () => {
        tooLarge = true;
      });
      const write = pipeline(stream, createWriteStream(path));
      write.catch(() => {}); // awaited on 'close'; after an 'error' nobody awaits it
      writes.push(write);
    });
    bb.on("error", (err: Error) =>
      resolve({ kind: "invalid", issues: [{ path: "body", message: err.message }] }),
    );
    bb.on("close", () => {
      Promise.all(writes).then(() => {
        if (tooLarge) resolve({ kind: "too_large" });
        else if (issues.length > 0) resolve({ kind: "invalid", issues });
        else if (Object.keys(files).length === 0) {
          resolve({
            kind: "invalid",
            issues: [{ path: "body", message: `no CSV file: expected ${BOM_FILES.join(", ")}` }],
          });
        } else resolve({ kind: "ok", files });
      }, reject);
    });
    req.raw.pipe(bb);
  });
}

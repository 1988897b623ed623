import { PassThrough } from "node:stream";
import type { FastifyInstance } from "fastify";
import { iterateCases } from "../cases/cases.query.ts";
import { writeCasesCsv, writeCasesXlsx } from "../exports/cases.export.ts";
import { isoDay } from "../impact/impact.model.ts";
import { caseUrl } from "../notify/notification.types.ts";
import type { SqlDriver } from "../store/driver.ts";
import { CaseListFilters } from "./case-list.query.ts";
import { attachment, validationFailed } from "./errors.ts";
import { docSchema, MANAGEMENT_ERRORS, responses } from "./openapi.ts";

/**
 * `GET /v1/cases.csv` and `/v1/cases.xlsx`: every case the list's filters select, in the list's
 * order (no paging), streamed as it is read. For the buyers who live in spreadsheets.
 */
const FORMATS = {
  csv: { type: "text/csv; charset=utf-8", write: writeCasesCsv },
  xlsx: { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write: writeCasesXlsx },
} as const;

export async function registerCaseExportRoutes(
  app: FastifyInstance,
  deps: { db: SqlDriver; now: () => Date; publicBaseUrl: string },
) {
  for (const [ext, f] of Object.entries(FORMATS)) {
    app.get(
      `/v1/cases.${ext}`,
      {
        schema: {
          summary: `The case list as ${ext.toUpperCase()} (the filters of GET /v1/cases, every page)`,
          tags: ["cases"],
          security: [{ bearer: [] }],
          querystring: docSchema(CaseListFilters),
          produces: [f.type],
          response: responses(
            { 200: { description: "the spreadsheet, every matching case", text: true } },
            MANAGEMENT_ERRORS,
          ),
        },
      },
      async (req, reply) => {
        const q = CaseListFilters.safeParse(req.query);
        if (!q.success)
          return validationFailed(
            reply,
            q.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
          );
        const now = deps.now();
        const rows = iterateCases(deps.db, { ...q.data, today: isoDay(now) });
        const body = new PassThrough();
        const written = f.write(rows, (id) => caseUrl(deps.publicBaseUrl, id), body);
        written.catch((err: unknown) => {
          req.log.error({ err }, "case export failed midway");
          body.destroy(err as Error);
        });
        return attachment(reply, f.type, `eolgate-cases-${isoDay(now)}.${ext}`).send(body);
      },
    );
  }
}

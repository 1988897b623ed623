import { z } from "zod";
import { LifecycleStatus } from "../parts/lifecycle.ts";
import { CaseState } from "../workflow/case.workflow.ts";

/** The filters and order of the case list, shared by `GET /v1/cases` and its exports. */
export const CaseListFilters = z.object({
  status: LifecycleStatus.optional(),
  manufacturer: z.string().trim().min(1).optional(),
  product: z.string().trim().min(1).optional(),
  /** One state or several, comma-separated (`open,acknowledged`). */
  state: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()))
    .pipe(z.array(CaseState).min(1))
    .optional(),
  assignee: z.string().trim().min(1).optional(),
  sort: z.enum(["exposure", "days_to_ltb", "decision_by"]).default("exposure"),
});
export const CaseListQuery = CaseListFilters.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

import { z } from "zod";
import { CASE_SORTS } from "../cases/cases.query.ts";
import { SEVERITIES } from "../impact/impact.time.ts";
import { LifecycleStatus } from "../parts/lifecycle.ts";
import { CaseState } from "../workflow/case.workflow.ts";

/** The filters and order of the case list, shared by `GET /v1/cases` and its exports. */
export const CaseListFilters = z.object({
  status: LifecycleStatus.optional(),
  manufacturer: z.string().trim().min(1).optional(),
  product: z.string().trim().min(1).optional(),
  /** One severity or several, comma-separated (`critical,high`). */
  severity: z
    .string()
    .transform((v) => v.split(",").map((x) => x.trim().toLowerCase()))
    .pipe(z.array(z.enum(SEVERITIES)).min(1))
    .optional(),
  decision_by_before: z.iso.date().optional(),
  /** One state or several, comma-separated (`open,acknowledged`). */
  state: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()))
    .pipe(z.array(CaseState).min(1))
    .optional(),
  assignee: z.string().trim().min(1).optional(),
  /** A notification route: cases touching an assembly whose notify_channel is this (`default`: none). */
  route: z.string().trim().min(1).max(200).optional(),
  /** The part as written (`TPS54331DR`) or without packaging suffixes: its cases. */
  mpn: z.string().trim().min(1).max(200).optional(),
  /** Text found in the maker, MPN, PCN id or replacement MPN. */
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(CASE_SORTS).default("exposure"),
});
export const CaseListQuery = CaseListFilters.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

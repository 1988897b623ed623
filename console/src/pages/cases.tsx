import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type FormEvent, useId } from "react";
import { Link, useSearchParams } from "wouter";
import { casePagePath } from "../../../src/http/console.paths.ts";
import { api, query } from "../api/client.ts";
import type { CaseFacets, CaseListResponse, CaseSummary, CaseTotals } from "../api/types.ts";
import { Timeline } from "../components/charts.tsx";
import { ErrorNote, Loading, Pager, SeverityBadge, Stat, StateBadge } from "../components/ui.tsx";
import { day, daysFromNow, label, money, units } from "../format.ts";

/**
 * Cases (DESIGN §12): what is exposed, how badly, and by when someone must decide. Filters, order and
 * page live in the address, so a view can be shared and the back button works; the server pages,
 * sorts and totals (a list of 10,000 cases loads one page at a time).
 */
const PAGE = 50;

const STATE_CHOICES: { value: string; text: string }[] = [
  { value: "open,acknowledged,decided,mitigating", text: "Active" },
  { value: "open,acknowledged", text: "Waiting for a decision" },
  { value: "", text: "All" },
  ...["open", "acknowledged", "decided", "mitigating", "closed", "dismissed"].map((s) => ({
    value: s,
    text: label(s),
  })),
];
const SEVERITY_CHOICES = [
  { value: "", text: "Any" },
  { value: "critical,high", text: "Critical or high" },
  ...["critical", "high", "medium", "low", "none"].map((s) => ({ value: s, text: label(s) })),
];
const STATUS_CHOICES = [
  "",
  "ltb",
  "eol",
  "obsolete",
  "nrnd",
  "active",
  "transferred",
  "preliminary",
  "unknown",
];
const SORTS: { value: CaseSort; text: string }[] = [
  { value: "exposure", text: "Revenue at risk (largest first)" },
  { value: "severity", text: "Severity (most urgent first)" },
  { value: "decision_by", text: "Decide-by date (soonest first)" },
  { value: "days_to_ltb", text: "LTB date (soonest first)" },
];
type CaseSort = "exposure" | "severity" | "decision_by" | "days_to_ltb";
const FILTER_KEYS = ["state", "severity", "status", "manufacturer", "product", "route", "q"] as const;
const DEFAULT_STATE = "open,acknowledged,decided,mitigating";

function readFilters(p: URLSearchParams) {
  const f: Record<string, string> = {};
  for (const k of FILTER_KEYS) f[k] = p.get(k) ?? "";
  if (!p.has("state")) f.state = DEFAULT_STATE;
  const sort = (p.get("sort") ?? "exposure") as CaseSort;
  const offset = Math.max(0, Number.parseInt(p.get("offset") ?? "0", 10) || 0);
  return { f, sort: SORTS.some((s) => s.value === sort) ? sort : "exposure", offset };
}

export function CasesPage() {
  const [params, setParams] = useSearchParams();
  const { f, sort, offset } = readFilters(params);
  const filterQuery = query({ ...f, sort });
  const list = useQuery({
    queryKey: ["cases", filterQuery, offset],
    queryFn: ({ signal }) =>
      api<CaseListResponse>(`/v1/cases${query({ ...f, sort, limit: PAGE, offset })}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  const totals = useQuery({
    queryKey: ["cases-totals", filterQuery],
    queryFn: ({ signal }) => api<CaseTotals>(`/v1/cases/totals${filterQuery}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  const facets = useQuery({
    queryKey: ["case-facets"],
    queryFn: ({ signal }) => api<CaseFacets>("/v1/cases/facets", { signal }),
    staleTime: 300_000,
  });

  const update = (changes: Record<string, string>) => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) next.set(k, v);
      for (const [k, v] of [...next.entries()]) if (v === "" && k !== "state") next.delete(k);
      if (!("offset" in changes)) next.delete("offset");
      return next;
    });
  };

  const today = new Date().toISOString().slice(0, 10);
  return (
    <>
      <h1>Cases</h1>
      <Totals totals={totals.data} error={totals.error} />
      <Filters f={f} sort={sort} facets={facets.data} onChange={update} />
      {list.isPending ? (
        <Loading what="cases" />
      ) : list.isError ? (
        <ErrorNote error={list.error} what="the cases" />
      ) : (
        <>
          {list.data.cases.length > 0 && (
            <Timeline
              today={today}
              caption={`Timeline of the ${list.data.cases.length} cases on this page: LTB date (diamond), decide-by date (square), and the stock from today (dashed line) to its run-out date (bar, dot at the end).`}
              rows={list.data.cases.map((c) => ({
                label: c.part.mpn,
                ltb: c.ltb_date,
                runOut: c.run_out_date,
                decideBy: c.decision_by,
              }))}
            />
          )}
          <CaseTable
            cases={list.data.cases}
            sort={sort}
            onSort={(s) => update({ sort: s })}
            total={list.data.total}
          />
          <Pager
            offset={list.data.offset}
            limit={PAGE}
            total={list.data.total}
            shown={list.data.cases.length}
            onPage={(o) => update({ offset: String(o) })}
            noun="cases"
          />
        </>
      )}
    </>
  );
}

function Totals({ totals, error }: { totals: CaseTotals | undefined; error: unknown }) {
  if (error) return <ErrorNote error={error} what="the totals" />;
  if (!totals) return <div className="stats" aria-busy="true" />;
  const urgent = totals.by_severity.critical + totals.by_severity.high;
  return (
    <section className="stats" aria-label="Totals of the selected cases">
      <Stat
        label="Revenue at risk"
        value={money(totals.revenue_at_risk)}
        hint={`${units(totals.cases)} cases`}
      />
      <Stat
        label="Cost of the recommendations"
        value={money(totals.pnl_impact)}
        hint="P&L impact of each case's cheapest option"
      />
      <Stat
        label="Critical or high"
        value={units(urgent)}
        hint={`${units(totals.by_severity.critical)} critical, ${units(totals.by_severity.high)} high`}
        tone={urgent > 0 ? "bad" : undefined}
      />
      <Stat
        label="Decisions overdue"
        value={units(totals.overdue)}
        hint={`${units(totals.due_within_30_days)} more due within 30 days`}
        tone={totals.overdue > 0 ? "bad" : undefined}
      />
      <Stat
        label="Waiting for a decision"
        value={units(totals.by_state.open + totals.by_state.acknowledged)}
        hint={`${units(totals.by_state.open)} open, ${units(totals.by_state.acknowledged)} acknowledged`}
      />
    </section>
  );
}

function Filters({
  f,
  sort,
  facets,
  onChange,
}: {
  f: Record<string, string>;
  sort: CaseSort;
  facets: CaseFacets | undefined;
  onChange: (changes: Record<string, string>) => void;
}) {
  const id = useId();
  const submitText = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    onChange({
      q: String(data.get("q") ?? "").trim(),
      manufacturer: String(data.get("manufacturer") ?? "").trim(),
    });
  };
  const select = (key: string, text: string, choices: { value: string; text: string }[]) => (
    <label>
      {text}
      <select value={f[key] ?? ""} onChange={(e) => onChange({ [key]: e.target.value })}>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form className="filters" aria-label="Filter and sort cases" onSubmit={submitText}>
      {select("state", "State", STATE_CHOICES)}
      {select("severity", "Severity", SEVERITY_CHOICES)}
      {select(
        "status",
        "Lifecycle",
        STATUS_CHOICES.map((s) => ({ value: s, text: s ? s.toUpperCase() : "Any" })),
      )}
      {select("product", "Assembly", [
        { value: "", text: "Any" },
        ...(facets?.assemblies ?? []).map((a) => ({
          value: a.assembly_id,
          text: `${a.assembly_id} · ${a.name}`,
        })),
      ])}
      {select("route", "Route", [
        { value: "", text: "Any" },
        ...(facets?.routes ?? []).map((r) => ({ value: r, text: r })),
      ])}
      <label>
        Maker
        <input
          name="manufacturer"
          defaultValue={f.manufacturer}
          list={`${id}-makers`}
          key={`m-${f.manufacturer}`}
        />
        <datalist id={`${id}-makers`}>
          {(facets?.manufacturers ?? []).map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      </label>
      <label>
        Part number
        <input name="q" defaultValue={f.q} key={`q-${f.q}`} placeholder="contains…" />
      </label>
      <button type="submit">Search</button>
      <label>
        Sort by
        <select value={sort} onChange={(e) => onChange({ sort: e.target.value })}>
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.text}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

const SORTABLE: Partial<Record<string, CaseSort>> = {
  "Revenue at risk": "exposure",
  Severity: "severity",
  "Decide by": "decision_by",
  LTB: "days_to_ltb",
};

function CaseTable({
  cases,
  sort,
  onSort,
  total,
}: {
  cases: CaseSummary[];
  sort: CaseSort;
  onSort: (s: CaseSort) => void;
  total: number;
}) {
  const head = [
    "Part",
    "Severity",
    "State",
    "Decide by",
    "Runs out",
    "LTB",
    "Revenue at risk",
    "Recommendation",
    "Assignee",
  ];
  if (cases.length === 0) return <p className="empty">No case matches these filters.</p>;
  return (
    <div className="table-wrap">
      <table className="cases">
        <caption className="visually-hidden">
          {total} cases, sorted by {SORTS.find((s) => s.value === sort)?.text}
        </caption>
        <thead>
          <tr>
            {head.map((h) => {
              const key = SORTABLE[h];
              const active = key === sort;
              return (
                <th
                  key={h}
                  scope="col"
                  aria-sort={active ? (key === "exposure" ? "descending" : "ascending") : undefined}
                >
                  {key ? (
                    <button
                      type="button"
                      className="th-sort"
                      onClick={() => onSort(key)}
                      aria-pressed={active}
                    >
                      {h}
                      <span aria-hidden="true">{active ? " ▾" : ""}</span>
                    </button>
                  ) : (
                    h
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr
              key={c.id}
              className={
                c.days_to_decision !== null && c.days_to_decision < 0 && waiting(c) ? "overdue" : undefined
              }
            >
              <th scope="row">
                <Link href={casePagePath(c.id)}>
                  <span className="mpn">{c.part.mpn}</span>
                  <span className="maker">{c.part.manufacturer}</span>
                </Link>
              </th>
              <td>
                <SeverityBadge severity={c.severity} />
              </td>
              <td>
                <StateBadge state={c.state} />
              </td>
              <td>
                {day(c.decision_by)}
                {c.decision_by && <div className="sub">{daysFromNow(c.days_to_decision)}</div>}
              </td>
              <td>{day(c.run_out_date)}</td>
              <td>
                {day(c.ltb_date)}
                <div className="sub">{c.status.toUpperCase()}</div>
              </td>
              <td className="num">{money(c.revenue_at_risk)}</td>
              <td>
                {label(c.recommendation)}
                {c.recommendation !== "none" && <div className="sub">{money(c.pnl_impact)}</div>}
              </td>
              <td>{c.assignee ?? <span className="muted">–</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const waiting = (c: CaseSummary) => c.state === "open" || c.state === "acknowledged";

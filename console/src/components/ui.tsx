import type { ReactNode } from "react";
import { ApiError } from "../api/client.ts";
import { label } from "../format.ts";

/** Small pieces every page uses: loading and error notes, badges, stat cards, the pager. */

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorNote({ error, what }: { error: unknown; what: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div className="note error" role="alert">
      <strong>{forbidden ? `Not allowed to ${what}.` : `Could not load ${what}.`}</strong> {message}
    </div>
  );
}

/** The issues of a 422 answer, one per line (row-level BOM errors among them). */
export function Issues({ error }: { error: unknown }) {
  if (!(error instanceof ApiError)) return error ? <ErrorNote error={error} what="this" /> : null;
  const issues = error.body?.issues ?? [];
  return (
    <div className="note error" role="alert">
      <strong>{error.message}</strong>
      {issues.length > 0 && (
        <ul>
          {issues.map((i, n) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity beyond their order
            <li key={n}>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const SEVERITY_TEXT: Record<string, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
  none: "None",
};

export function SeverityBadge({ severity }: { severity: string | null }) {
  const s = severity ?? "unassessed";
  return <span className={`badge sev-${s}`}>{SEVERITY_TEXT[s] ?? "Not assessed"}</span>;
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${state}`}>{label(state)}</span>;
}

export function Badge({ children, tone = "plain" }: { children: ReactNode; tone?: string }) {
  return <span className={`badge tone-${tone}`}>{children}</span>;
}

export function Stat({
  label: title,
  value,
  hint,
  tone,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: string;
}) {
  return (
    <div className={`stat${tone ? ` tone-${tone}` : ""}`}>
      <div className="stat-label">{title}</div>
      <div className="stat-value">{value}</div>
      {hint !== undefined && <div className="stat-hint">{hint}</div>}
    </div>
  );
}

export function Pager({
  offset,
  limit,
  total,
  shown,
  onPage,
  noun,
}: {
  offset: number;
  limit: number;
  /** null when unknown (then `shown === limit` means there may be more). */
  total: number | null;
  shown: number;
  onPage: (offset: number) => void;
  noun: string;
}) {
  const last = offset + shown;
  const more = total === null ? shown === limit : last < total;
  return (
    <nav className="pager" aria-label={`${noun} pages`}>
      <span role="status" aria-live="polite">
        {shown === 0
          ? `No ${noun}`
          : `${(offset + 1).toLocaleString("en-US")}–${last.toLocaleString("en-US")}${
              total === null ? "" : ` of ${total.toLocaleString("en-US")}`
            } ${noun}`}
      </span>
      <button type="button" onClick={() => onPage(Math.max(0, offset - limit))} disabled={offset === 0}>
        Previous
      </button>
      <button type="button" onClick={() => onPage(offset + limit)} disabled={!more}>
        Next
      </button>
    </nav>
  );
}

/** A text with the stretch [start, end) marked (the part a notice names). */
export function Marked({ text, start, end }: { text: string; start: number; end: number }) {
  return (
    <>
      {text.slice(0, start)}
      <mark>{text.slice(start, end)}</mark>
      {text.slice(end)}
    </>
  );
}

/** A confidence 0..1 as a meter with its value in words. */
export function Confidence({ value }: { value: number | null }) {
  if (value === null) return <span className="muted">–</span>;
  const pct = Math.round(value * 100);
  return (
    <span className="confidence">
      <meter
        min={0}
        max={1}
        low={0.5}
        high={0.8}
        optimum={1}
        value={value}
        aria-label={`confidence ${pct}%`}
      />
      <span>{pct}%</span>
    </span>
  );
}

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link } from "wouter";
import { casePagePath, noticePagePath } from "../../../src/http/console.paths.ts";
import { LIFECYCLE_STATUSES } from "../../../src/parts/lifecycle.statuses.ts";
import { api } from "../api/client.ts";
import type { ExtractedNotice, LifecycleStatus, ReviewItem } from "../api/types.ts";
import { Confidence, Issues, Marked } from "../components/ui.tsx";
import { day, instant, label } from "../format.ts";

/**
 * One notice of the review queue: what the extractor read and why it was unsure, the message's words
 * naming the part, the cases it went to, and (for deciders) confirm, correct or reject. A correction
 * sends only the fields that changed.
 */
type Verdict = "confirm" | "correct" | "reject";
type Field = keyof Pick<
  ExtractedNotice,
  "manufacturer" | "mpn" | "lifecycle_status" | "ltb_date" | "last_ship_date" | "replacement_mpn" | "pcn_id"
>;
const FIELDS: { key: Field; text: string; type?: "date" }[] = [
  { key: "manufacturer", text: "Maker" },
  { key: "mpn", text: "Part number" },
  { key: "lifecycle_status", text: "Lifecycle" },
  { key: "ltb_date", text: "Last-time-buy date", type: "date" },
  { key: "last_ship_date", text: "Last ship date", type: "date" },
  { key: "replacement_mpn", text: "Replacement" },
  { key: "pcn_id", text: "PCN id" },
];
const LIFECYCLES: readonly LifecycleStatus[] = LIFECYCLE_STATUSES;

export function ReviewCard({ item, canAct }: { item: ReviewItem; canAct: boolean }) {
  const n = item.corrected ?? item.notice;
  const headingId = useId();
  return (
    <article className="panel review-item" aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>
          {n.mpn} <span className="muted">{n.manufacturer ?? "maker unknown"}</span>
        </h2>
        <span className={`badge ${item.status === "pending" ? "tone-warn" : "tone-plain"}`}>
          {label(item.status)}
        </span>
        <Confidence value={item.confidence} />
      </header>
      <p className="muted small">
        {item.source.subject ?? "(no subject)"} · from {item.source.from ?? "?"} · received{" "}
        {instant(item.received_at)} · <Link href={noticePagePath(item.trace_id)}>the whole message</Link>
      </p>
      {item.excerpt ? (
        <blockquote className="excerpt">
          <Marked text={item.excerpt.text} start={item.excerpt.start} end={item.excerpt.end} />
        </blockquote>
      ) : (
        <p className="muted">The message does not write this part number as read; check the whole message.</p>
      )}
      <dl className="review-facts">
        <dt>Read as</dt>
        <dd>
          {label(item.notice.lifecycle_status)}
          {item.notice.ltb_date && `, last-time buy ${day(item.notice.ltb_date)}`}
          {item.notice.last_ship_date && `, last ship ${day(item.notice.last_ship_date)}`}
          {item.notice.replacement_mpn && `, replacement ${item.notice.replacement_mpn}`}
        </dd>
        <dt>Unsure because</dt>
        <dd>{item.reasons.length > 0 ? item.reasons.map(label).join(", ") : "–"}</dd>
        <dt>Cases</dt>
        <dd>
          {item.cases.length === 0
            ? "none (no BOM part matched)"
            : item.cases.map((c, i) => (
                <span key={`${c.case_id}-${c.via}`}>
                  {i > 0 && ", "}
                  <Link href={casePagePath(c.case_id)}>{label(c.outcome)} case</Link>
                  {!c.linked && " (withdrawn)"}
                </span>
              ))}
        </dd>
        {item.decision && (
          <>
            <dt>Reviewed</dt>
            <dd>
              {label(item.decision.verdict)} by {item.decision.by}, {instant(item.decision.at)}
              {item.decision.note && ` — “${item.decision.note}”`}
            </dd>
          </>
        )}
      </dl>
      {canAct && item.status === "pending" && <Decide item={item} />}
    </article>
  );
}

function Decide({ item }: { item: ReviewItem }) {
  const qc = useQueryClient();
  const [correcting, setCorrecting] = useState(false);
  const [note, setNote] = useState("");
  const [fields, setFields] = useState<Record<Field, string>>(() => {
    const out = {} as Record<Field, string>;
    for (const f of FIELDS) out[f.key] = String(item.notice[f.key] ?? "");
    return out;
  });
  const decide = useMutation({
    mutationFn: ({ verdict, body }: { verdict: Verdict; body: Record<string, unknown> }) =>
      api<ReviewItem>(`/v1/review/${item.id}/${verdict}`, { method: "POST", body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["review"] }),
  });
  const withNote = (body: Record<string, unknown>) => (note.trim() ? { ...body, note: note.trim() } : body);
  const submitCorrection = (e: FormEvent) => {
    e.preventDefault();
    const changed: Record<string, string | null> = {};
    for (const f of FIELDS) {
      const before = String(item.notice[f.key] ?? "");
      if (fields[f.key] !== before)
        changed[f.key] = fields[f.key].trim() === "" ? null : fields[f.key].trim();
    }
    decide.mutate({ verdict: "correct", body: withNote(changed) });
  };
  const noteId = useId();
  const formId = useId();
  return (
    <form className="review-decide" onSubmit={submitCorrection} aria-label={`Review ${item.notice.mpn}`}>
      {correcting && (
        <fieldset>
          <legend>Corrected notice (change what was misread)</legend>
          <div className="row">
            {FIELDS.map((f) => (
              <div key={f.key} className="field">
                <label htmlFor={`${formId}-${f.key}`}>{f.text}</label>
                {f.key === "lifecycle_status" ? (
                  <select
                    id={`${formId}-${f.key}`}
                    value={fields[f.key]}
                    onChange={(e) => setFields({ ...fields, [f.key]: e.target.value })}
                  >
                    {LIFECYCLES.map((l) => (
                      <option key={l} value={l}>
                        {label(l)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={`${formId}-${f.key}`}
                    type={f.type ?? "text"}
                    value={fields[f.key]}
                    onChange={(e) => setFields({ ...fields, [f.key]: e.target.value })}
                  />
                )}
              </div>
            ))}
          </div>
        </fieldset>
      )}
      <label htmlFor={noteId}>Note (optional)</label>
      <input id={noteId} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="actions">
        {correcting ? (
          <>
            <button type="submit" className="primary" disabled={decide.isPending}>
              Save the correction
            </button>
            <button type="button" onClick={() => setCorrecting(false)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="primary"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ verdict: "confirm", body: withNote({}) })}
            >
              Confirm
            </button>
            <button type="button" onClick={() => setCorrecting(true)} disabled={decide.isPending}>
              Correct…
            </button>
            <button
              type="button"
              className="danger"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ verdict: "reject", body: withNote({}) })}
            >
              Reject
            </button>
          </>
        )}
      </div>
      {decide.isError && <Issues error={decide.error} />}
    </form>
  );
}

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { OPTION_KINDS } from "../../../src/impact/impact.model.ts";
import { ApiError, api } from "../api/client.ts";
import type {
  ActionRequest,
  CaseAction,
  CaseContext,
  CaseDetail,
  OptionKind,
  SessionInfo,
} from "../api/types.ts";
import { Issues } from "../components/ui.tsx";
import { instant, label, money, units } from "../format.ts";
import { caseKey, eventsKey } from "./case.tsx";

/**
 * What a person can do with the case now: the decision (option, quantity, PO/ECO reference, note),
 * and the other workflow moves the case's state allows (DESIGN §11). Only deciders and admins get the
 * forms (the server refuses the rest anyway); a viewer sees the decision as recorded. Every action
 * carries the version the page shows: if someone acted first, the server says so and the page
 * shows their change before anything is overwritten.
 */
type Act = Omit<ActionRequest, "version">;

const BUTTONS: { action: CaseAction; text: string; tone?: string }[] = [
  { action: "acknowledge", text: "Acknowledge" },
  { action: "start", text: "Start mitigating" },
  { action: "close", text: "Close" },
  { action: "dismiss", text: "Dismiss (not relevant)", tone: "quiet" },
  { action: "reopen", text: "Reopen" },
];

export function CaseDecision({
  c,
  session,
  transitions,
}: {
  c: CaseDetail;
  session: SessionInfo;
  transitions: CaseContext["transitions"] | undefined;
}) {
  const qc = useQueryClient();
  const [conflict, setConflict] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: (a: Act) =>
      api<CaseDetail>(`/v1/cases/${encodeURIComponent(c.id)}/actions`, {
        method: "POST",
        body: { ...a, version: c.version },
      }),
    onSuccess: (updated) => {
      setConflict(null);
      qc.setQueryData(caseKey(c.id), updated);
      void qc.invalidateQueries({ queryKey: eventsKey(c.id) });
      void qc.invalidateQueries({ queryKey: ["cases"] });
      void qc.invalidateQueries({ queryKey: ["cases-totals"] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 409 && err.body?.error === "version_conflict") {
        const current = err.body.case as CaseDetail | undefined;
        if (current) qc.setQueryData(caseKey(c.id), current);
        void qc.invalidateQueries({ queryKey: eventsKey(c.id) });
        setConflict(
          "Someone changed this case while you were looking at it. The page now shows their change; check it and try again.",
        );
      }
    },
  });
  const allowed = (a: CaseAction) => transitions?.[a].from.includes(c.state) ?? false;
  const error =
    act.error && !(act.error instanceof ApiError && act.error.body?.error === "version_conflict")
      ? act.error
      : null;

  return (
    <section aria-labelledby="decide-h" className="panel">
      <h2 id="decide-h">Decision</h2>
      <RecordedDecision c={c} />
      {conflict && (
        <div className="note warn" role="alert">
          {conflict}
        </div>
      )}
      {error && <Issues error={error} />}
      {!session.can.act ? (
        <p className="muted">You can read this case; acting on it needs the decider role.</p>
      ) : !transitions ? null : (
        <>
          {allowed("decide") && <DecideForm c={c} busy={act.isPending} onSubmit={(a) => act.mutate(a)} />}
          <fieldset className="actions">
            <legend className="visually-hidden">Other actions</legend>
            {BUTTONS.filter((b) => allowed(b.action)).map((b) => (
              <button
                key={b.action}
                type="button"
                className={b.tone === "quiet" ? "secondary" : undefined}
                disabled={act.isPending}
                onClick={() => act.mutate({ action: b.action })}
              >
                {b.text}
              </button>
            ))}
          </fieldset>
          {allowed("assign") && <AssignForm c={c} busy={act.isPending} onSubmit={(a) => act.mutate(a)} />}
          <CommentForm busy={act.isPending} onSubmit={(a) => act.mutate(a)} />
        </>
      )}
    </section>
  );
}

function RecordedDecision({ c }: { c: CaseDetail }) {
  const d = c.decision;
  if (!d) return <p>No decision yet.</p>;
  return (
    <p className="decision">
      Decided <strong>{label(d.option)}</strong>
      {d.quantity !== null && <> for {units(d.quantity)} units</>}
      {d.reference && <> (ref. {d.reference})</>} by {d.decided_by}, {instant(d.decided_at)}.
      {d.note && <span className="note-text"> “{d.note}”</span>}
    </p>
  );
}

/** The quantity an option usually means: the shortfall to buy, or the bridge to carry a fix. */
function defaultQuantity(c: CaseDetail, option: OptionKind): number | null {
  const r = c.reports[c.reports.length - 1]?.result;
  if (!r) return null;
  if (option === "last_time_buy" || option === "broker") return r.shortfall_units;
  if (option === "existing_stock") return null;
  return r.bridges?.[option]?.units ?? null;
}

function DecideForm({ c, busy, onSubmit }: { c: CaseDetail; busy: boolean; onSubmit: (a: Act) => void }) {
  const id = useId();
  const feasible = OPTION_KINDS.filter((k) => c.options[k] !== null);
  const initial = (feasible.includes(c.recommendation as OptionKind) ? c.recommendation : feasible[0]) as
    | OptionKind
    | undefined;
  const [option, setOption] = useState<OptionKind | undefined>(initial);
  const [quantity, setQuantity] = useState<string>(() =>
    String(initial ? (defaultQuantity(c, initial) ?? "") : ""),
  );
  if (!option)
    return <p className="muted">No option is feasible for this case (nothing to buy or replace).</p>;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (k: string) => {
      const v = String(data.get(k) ?? "").trim();
      return v === "" ? null : v;
    };
    onSubmit({
      action: "decide",
      option,
      quantity: quantity.trim() === "" ? null : Number(quantity),
      reference: text("reference"),
      note: text("note"),
    });
  };
  return (
    <form className="decide" onSubmit={submit} aria-label="Decide">
      <fieldset>
        <legend>Option</legend>
        {feasible.map((k) => (
          <label key={k} className="radio">
            <input
              type="radio"
              name="option"
              value={k}
              checked={option === k}
              onChange={() => {
                setOption(k);
                setQuantity(String(defaultQuantity(c, k) ?? ""));
              }}
            />
            {label(k)} <span className="muted">{money(c.options[k])}</span>
            {k === c.recommendation && <span className="badge tone-good">recommended</span>}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <label htmlFor={`${id}-q`}>
          Quantity (units)
          <input
            id={`${id}-q`}
            inputMode="numeric"
            pattern="[0-9]*"
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
        </label>
        <label htmlFor={`${id}-ref`}>
          Reference (PO or ECO number)
          <input id={`${id}-ref`} name="reference" maxLength={200} />
        </label>
      </div>
      <label htmlFor={`${id}-note`}>
        Note
        <textarea id={`${id}-note`} name="note" rows={2} maxLength={4000} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Decide: {label(option)}
      </button>
    </form>
  );
}

function AssignForm({ c, busy, onSubmit }: { c: CaseDetail; busy: boolean; onSubmit: (a: Act) => void }) {
  const id = useId();
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const v = String(new FormData(e.currentTarget).get("assignee") ?? "").trim();
        onSubmit({ action: "assign", assignee: v === "" ? null : v });
      }}
    >
      <label htmlFor={`${id}-a`}>Assign to</label>
      <input
        id={`${id}-a`}
        name="assignee"
        defaultValue={c.assignee ?? ""}
        key={c.assignee ?? ""}
        placeholder="user name"
      />
      <button type="submit" disabled={busy}>
        Assign
      </button>
    </form>
  );
}

function CommentForm({ busy, onSubmit }: { busy: boolean; onSubmit: (a: Act) => void }) {
  const id = useId();
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const text = String(new FormData(form).get("text") ?? "").trim();
        if (text) {
          onSubmit({ action: "comment", text });
          form.reset();
        }
      }}
    >
      <label htmlFor={`${id}-c`}>Comment</label>
      <input id={`${id}-c`} name="text" maxLength={4000} placeholder="what others should know" />
      <button type="submit" disabled={busy}>
        Add
      </button>
    </form>
  );
}

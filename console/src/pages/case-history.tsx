import type { CaseEvent, Decision } from "../api/types.ts";
import { ErrorNote, Loading } from "../components/ui.tsx";
import { instant, label, units } from "../format.ts";
import { pastTense } from "./case.tsx";

/** The case's history (DESIGN §11): every action, who, when, from which state to which. Newest first. */
export function CaseHistory({ events, error }: { events: CaseEvent[] | undefined; error: unknown }) {
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">History</h2>
      {error ? (
        <ErrorNote error={error} what="the history" />
      ) : !events ? (
        <Loading what="the history" />
      ) : events.length === 0 ? (
        <p className="muted">Nobody has acted on this case yet.</p>
      ) : (
        <ol className="events" reversed>
          {[...events].reverse().map((e) => (
            <li key={e.version}>
              <div>
                <strong>{e.actor}</strong> {pastTense(e.action)}
                {e.from !== e.to && (
                  <>
                    {" "}
                    · {label(e.from)} → {label(e.to)}
                  </>
                )}
              </div>
              <Payload e={e} />
              <time className="sub" dateTime={e.at}>
                {instant(e.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Payload({ e }: { e: CaseEvent }) {
  const p = e.payload as Record<string, unknown>;
  const str = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : null);
  const parts: string[] = [];
  const d = p.decision as Partial<Decision> | undefined;
  if (d?.option) {
    parts.push(label(d.option));
    if (typeof d.quantity === "number") parts.push(`${units(d.quantity)} units`);
    if (d.reference) parts.push(`ref. ${d.reference}`);
  }
  if ("assignee" in p) parts.push(p.assignee === null ? "unassigned" : `to ${String(p.assignee)}`);
  if (str("reason")) parts.push(str("reason")!);
  if (p.via === "slack") parts.push("from Slack");
  const text = str("text") ?? str("note") ?? d?.note ?? null;
  if (parts.length === 0 && !text) return null;
  return (
    <div className="payload">
      {parts.join(" · ")}
      {text && <q>{text}</q>}
    </div>
  );
}

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, query } from "../api/client.ts";
import type { ReviewListResponse, ReviewStatus, SessionInfo } from "../api/types.ts";
import { ErrorNote, Loading, Pager } from "../components/ui.tsx";
import { ReviewCard } from "./review-item.tsx";

/**
 * Review (DESIGN §12, issue 19): the notices the extractor was not sure of, from the review queue
 * (`/v1/review`). Each shows what was read, why it was unsure (confidence and reasons), the words of
 * the message that name the part, and the cases it went to; a decider confirms it, corrects it (the
 * notice is assessed again as corrected) or rejects it (it is withdrawn from its cases).
 */
const PAGE = 20;
const STATUSES: { value: string; text: string }[] = [
  { value: "pending", text: "Waiting for review" },
  { value: "confirmed,corrected,rejected", text: "Reviewed" },
  { value: "pending,confirmed,corrected,rejected", text: "All" },
];

export function ReviewPage({ session }: { session: SessionInfo }) {
  const [status, setStatus] = useState(STATUSES[0]!.value);
  const [offset, setOffset] = useState(0);
  const q = query({ status, limit: PAGE, offset });
  const found = useQuery({
    queryKey: ["review", q],
    queryFn: ({ signal }) => api<ReviewListResponse>(`/v1/review${q}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
  return (
    <>
      <h1>Review</h1>
      <p>
        Notices the extractor was not sure of. Check each against the message: confirm it as read, correct
        what was misread (its case is assessed again), or reject it if it is not a notice about this part.
      </p>
      {!session.can.act && (
        <div className="note info" role="note">
          You can read the queue; deciding on a notice needs the decider role.
        </div>
      )}
      <form className="filters" aria-label="Filter the review queue" onSubmit={(e) => e.preventDefault()}>
        <label>
          Show
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          >
            {STATUSES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.text}
              </option>
            ))}
          </select>
        </label>
      </form>
      {found.isPending ? (
        <Loading what="the review queue" />
      ) : found.isError ? (
        <ErrorNote error={found.error} what="the review queue" />
      ) : found.data.items.length === 0 ? (
        <p className="empty">
          {status === "pending"
            ? "Nothing waits for review: the extractor was sure of every notice."
            : "None."}
        </p>
      ) : (
        <>
          <ol className="review-list">
            {found.data.items.map((item) => (
              <li key={item.id}>
                <ReviewCard item={item} canAct={session.can.act} />
              </li>
            ))}
          </ol>
          <Pager
            offset={offset}
            limit={PAGE}
            total={found.data.total}
            shown={found.data.items.length}
            onPage={setOffset}
            noun={statusNoun(status as ReviewStatus | string)}
          />
        </>
      )}
    </>
  );
}

const statusNoun = (s: string) => (s === "pending" ? "notices to review" : "notices");

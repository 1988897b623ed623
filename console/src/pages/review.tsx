import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, query } from "../api/client.ts";
import type { NoticeSearchResponse } from "../api/types.ts";
import { ErrorNote, Loading, Pager } from "../components/ui.tsx";
import { NoticeTable } from "./notices.tsx";

/**
 * Review (DESIGN §12): the notices the extractor was not sure of — a part it marked for review, or
 * (for records made before it marked them) a confidence under 0.7 — for a person to check against
 * the message. Each opens its notice page, where the extraction sits beside the raw payload.
 */
const PAGE = 50;

export function ReviewPage() {
  const [offset, setOffset] = useState(0);
  const q = query({ needs_review: true, limit: PAGE, offset });
  const found = useQuery({
    queryKey: ["notices", q],
    queryFn: ({ signal }) => api<NoticeSearchResponse>(`/v1/notices${q}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  return (
    <>
      <h1>Review</h1>
      <p>
        Notices the extractor was unsure of: check each part against the message on its notice page. Its cases
        were made from what the extractor read; a wrong part or date there is worth a look before anyone buys.
      </p>
      <div className="note info" role="note">
        Confirming, correcting or rejecting a reading from here needs the review API of the extraction work
        (issue 19), which this build does not have yet: until it lands this page lists what to check and links
        to each message.
      </div>
      {found.isPending ? (
        <Loading what="the notices to review" />
      ) : found.isError ? (
        <ErrorNote error={found.error} what="the notices to review" />
      ) : (
        <>
          <NoticeTable notices={found.data.notices} showConfidence />
          <Pager
            offset={offset}
            limit={PAGE}
            total={null}
            shown={found.data.notices.length}
            onPage={setOffset}
            noun="notices to review"
          />
        </>
      )}
    </>
  );
}

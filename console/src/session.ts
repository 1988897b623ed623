import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./api/client.ts";
import type { SessionInfo } from "./api/types.ts";
import { setCurrency } from "./format.ts";

/** Who the browser is signed in as (`GET /v1/session`), and the sign-in and sign-out calls. */
export const sessionQuery = {
  queryKey: ["session"],
  queryFn: async ({ signal }: { signal: AbortSignal }) => {
    const s = await api<SessionInfo>("/v1/session", { signal });
    setCurrency(s.currency);
    return s;
  },
  staleTime: 60_000,
};

export function useSession() {
  return useQuery(sessionQuery);
}

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => api<SessionInfo>("/v1/session", { method: "POST", body: { token } }),
    onSuccess: (s) => switchTo(qc, s),
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<SessionInfo>("/v1/session", { method: "DELETE" }),
    onSuccess: (s) => switchTo(qc, s),
  });
}

/** Another person now: nothing cached for the last one is kept, and the page follows the new session. */
function switchTo(qc: QueryClient, s: SessionInfo): void {
  setCurrency(s.currency);
  // The session query stays (the page observes it); everything else belonged to whoever was here.
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== "session" });
  qc.setQueryData(["session"], s);
}

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./api/client.ts";
import type { SessionInfo } from "./api/types.ts";

/** Who the browser is signed in as (`GET /v1/session`), and the sign-in and sign-out calls. */
export function useSession() {
  return useQuery({
    queryKey: ["session"],
    queryFn: ({ signal }) => api<SessionInfo>("/v1/session", { signal }),
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => api<SessionInfo>("/v1/session", { method: "POST", body: { token } }),
    onSuccess: (s) => {
      qc.clear();
      qc.setQueryData(["session"], s);
    },
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<SessionInfo>("/v1/session", { method: "DELETE" }),
    onSuccess: (s) => {
      qc.clear();
      qc.setQueryData(["session"], s);
    },
  });
}

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ApiError } from "./api/client.ts";
import { App } from "./app.tsx";
import { sessionQuery } from "./session.ts";
import "uplot/dist/uPlot.min.css";
import "./styles.css";

/**
 * The console's entry: one query cache for the page (TanStack Query). A 401 from any call means the
 * session lapsed or was revoked: the session is asked again, which shows the sign-in page.
 */
const queryClient: QueryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      refetchOnWindowFocus: true,
      retry: (count, err) => !(err instanceof ApiError && err.status > 0 && err.status < 500) && count < 2,
    },
  },
  queryCache: new QueryCache({ onError: (err) => onUnauthorized(err) }),
  mutationCache: new MutationCache({ onError: (err) => onUnauthorized(err) }),
});

function onUnauthorized(err: unknown) {
  if (err instanceof ApiError && err.status === 401)
    void queryClient.invalidateQueries({ queryKey: ["session"] });
}

// Asked before React's first render, so the answer is on its way while the page is built.
void queryClient.prefetchQuery(sessionQuery);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);

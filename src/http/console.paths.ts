/**
 * The console's pages (DESIGN §12): the client routes the browser shows, each answered by the server
 * with the console's index.html so a link or a reload lands on the page. Shared by the server (which
 * registers exactly these, so the console never shadows /v1, /docs, /healthz, /readyz or /metrics)
 * and the client router (console/src/app.tsx). No imports: the client bundles this file.
 */
export const CONSOLE_PAGES = {
  home: "/",
  signIn: "/sign-in",
  cases: "/cases",
  case: "/cases/:id",
  notices: "/notices",
  notice: "/notices/:trace_id",
  review: "/review",
  deadLetters: "/dead-letters",
  bom: "/bom",
  health: "/health",
} as const;

export type ConsolePage = keyof typeof CONSOLE_PAGES;

/** The path of a case's page, as stakeholder messages link to it (`PUBLIC_BASE_URL` + this). */
export function casePagePath(caseId: string): string {
  return `/cases/${encodeURIComponent(caseId)}`;
}

export function noticePagePath(traceId: string): string {
  return `/notices/${encodeURIComponent(traceId)}`;
}

import { lazy, Suspense, useEffect, useRef } from "react";
import { Link, Redirect, Route, Switch, useLocation } from "wouter";
import { CONSOLE_PAGES } from "../../src/http/console.paths.ts";
import type { SessionInfo } from "./api/types.ts";
import { ErrorNote, Loading } from "./components/ui.tsx";
import { CasesPage } from "./pages/cases.tsx";
import { SignInPage } from "./pages/sign-in.tsx";
import { useSession, useSignOut } from "./session.ts";

/**
 * Pages other than Cases (where people land) load when first opened, so the first page parses only
 * what it shows (bench/console.bench.ts measures it).
 */
const CasePage = lazy(() => import("./pages/case.tsx").then((m) => ({ default: m.CasePage })));
const NoticesPage = lazy(() => import("./pages/notices.tsx").then((m) => ({ default: m.NoticesPage })));
const NoticePage = lazy(() => import("./pages/notice.tsx").then((m) => ({ default: m.NoticePage })));
const ReviewPage = lazy(() => import("./pages/review.tsx").then((m) => ({ default: m.ReviewPage })));
const DeadLettersPage = lazy(() =>
  import("./pages/dead-letters.tsx").then((m) => ({ default: m.DeadLettersPage })),
);
const BomPage = lazy(() => import("./pages/bom.tsx").then((m) => ({ default: m.BomPage })));
const HealthPage = lazy(() => import("./pages/health.tsx").then((m) => ({ default: m.HealthPage })));

const NAV: { href: string; label: string }[] = [
  { href: CONSOLE_PAGES.cases, label: "Cases" },
  { href: CONSOLE_PAGES.notices, label: "Notices" },
  { href: CONSOLE_PAGES.review, label: "Review" },
  { href: CONSOLE_PAGES.deadLetters, label: "Dead letters" },
  { href: CONSOLE_PAGES.bom, label: "BOM" },
  { href: CONSOLE_PAGES.health, label: "Health" },
];

export function App() {
  const session = useSession();
  if (session.isPending) return <Loading what="the console" />;
  if (session.isError) return <ErrorNote error={session.error} what="the session" />;
  const s = session.data;
  if (!s.authenticated) return <SignInPage />;
  return <Shell session={s} />;
}

function Shell({ session }: { session: SessionInfo }) {
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const shown = useRef(location);
  // A page change moves focus to the new page, so screen readers announce it; the first load (and
  // any re-run of this effect for the page already shown) leaves focus where a browser puts it, so
  // the skip link stays the first stop.
  useEffect(() => {
    if (shown.current === location) return;
    shown.current = location;
    main.current?.focus({ preventScroll: true });
  }, [location]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href={CONSOLE_PAGES.cases} className="brand" aria-label="eolgate, cases">
          <span aria-hidden="true" className="brand-mark" />
          eolgate
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => {
              const current = location === n.href || location.startsWith(`${n.href}/`);
              return (
                <li key={n.href}>
                  <Link href={n.href} aria-current={current ? "page" : undefined}>
                    {n.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <UserMenu session={session} />
      </header>
      {session.open && (
        <div className="banner warn" role="note">
          <strong>Local trial.</strong> There is no API_TOKEN and no user, so anyone who can reach this
          address can read and act here. Add a user (<code>npx eolgate users add NAME --role admin</code>) to
          require sign-in.
        </div>
      )}
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>
          <Switch>
            <Route path={CONSOLE_PAGES.home}>
              <Redirect to={CONSOLE_PAGES.cases} replace />
            </Route>
            <Route path={CONSOLE_PAGES.signIn}>
              <Redirect to={CONSOLE_PAGES.cases} replace />
            </Route>
            <Route path={CONSOLE_PAGES.cases}>
              <CasesPage />
            </Route>
            <Route path={CONSOLE_PAGES.case}>{(p) => <CasePage id={p.id} session={session} />}</Route>
            <Route path={CONSOLE_PAGES.notices}>
              <NoticesPage />
            </Route>
            <Route path={CONSOLE_PAGES.notice}>{(p) => <NoticePage traceId={p.trace_id} />}</Route>
            <Route path={CONSOLE_PAGES.review}>
              <ReviewPage session={session} />
            </Route>
            <Route path={CONSOLE_PAGES.deadLetters}>
              <DeadLettersPage session={session} />
            </Route>
            <Route path={CONSOLE_PAGES.bom}>
              <BomPage session={session} />
            </Route>
            <Route path={CONSOLE_PAGES.health}>
              <HealthPage />
            </Route>
            <Route>
              <h1>Not found</h1>
              <p>
                There is no such page. <Link href={CONSOLE_PAGES.cases}>Go to the cases.</Link>
              </p>
            </Route>
          </Switch>
        </Suspense>
      </main>
    </>
  );
}

function UserMenu({ session }: { session: SessionInfo }) {
  const signOut = useSignOut();
  const user = session.user;
  if (!user) return null;
  return (
    <div className="user">
      <span>
        <span className="user-name">{user.name}</span> <span className="role">{user.role}</span>
      </span>
      {user.via === "session" && (
        <button type="button" className="link" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          Sign out
        </button>
      )}
    </div>
  );
}

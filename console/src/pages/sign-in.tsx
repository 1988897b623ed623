import { type FormEvent, useId } from "react";
import { Issues } from "../components/ui.tsx";
import { useSignIn } from "../session.ts";

/**
 * Sign-in (DESIGN §12): the token `eolgate users add` printed (or API_TOKEN) is exchanged once for a
 * session cookie the page cannot read; the token itself is not kept by the browser.
 */
export function SignInPage() {
  const id = useId();
  const signIn = useSignIn();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const token = String(new FormData(e.currentTarget).get("token") ?? "").trim();
    if (token) signIn.mutate(token);
  };
  return (
    <main id="main" className="sign-in">
      <div className="card">
        <h1>
          <span aria-hidden="true" className="brand-mark" /> eolgate
        </h1>
        <p>Sign in with your eolgate token.</p>
        <form onSubmit={submit}>
          <label htmlFor={`${id}-t`}>Token</label>
          <input
            id={`${id}-t`}
            name="token"
            type="password"
            autoComplete="current-password"
            required
            spellCheck={false}
          />
          <button type="submit" className="primary" disabled={signIn.isPending}>
            {signIn.isPending ? "Signing in…" : "Sign in"}
          </button>
        </form>
        {signIn.isError && <Issues error={signIn.error} />}
        <p className="muted small">
          An admin makes tokens with <code>npx eolgate users add NAME --role viewer|decider|admin</code>; it
          is shown once. The page keeps only a session cookie, which ends when you sign out or after a while
          unused.
        </p>
      </div>
    </main>
  );
}

import type { Config } from "../config.ts";
import type { Sql } from "../store/driver.ts";
import { type AuthService, createAuthService } from "./auth.service.ts";
import { createSessions, type Sessions } from "./sessions.service.ts";

/** Who may call the API: bearer tokens (DESIGN §11) and console sessions over them (DESIGN §12). */
export function accessOf(
  db: Sql,
  config: Pick<Config, "http" | "console">,
): { auth: AuthService; sessions: Sessions } {
  const auth = createAuthService({ db, apiToken: config.http.API_TOKEN });
  const sessions = createSessions({
    db,
    auth,
    apiToken: config.http.API_TOKEN,
    ttlHours: config.console.SESSION_TTL_HOURS,
  });
  return { auth, sessions };
}

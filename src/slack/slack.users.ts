import type { Sql } from "../store/driver.ts";
import { findActiveUser, type UserRecord } from "../users/users.repository.ts";

/**
 * Which eolgate user a Slack user acts as, first found:
 *  1. `SLACK_USER_MAP` (`U024BE7LH=alice,U0G9QF9C6=bob`): Slack user id → eolgate user name;
 *  2. the user's own Slack id (`eolgate users add NAME --slack-user U…`);
 *  3. the Slack profile's e-mail (Slack's `users.info`, needs `SLACK_BOT_TOKEN` with `users:read.email`)
 *     equal to an eolgate user's e-mail.
 * A disabled user matches nothing. No match: the person cannot act from Slack (and is told so).
 */
export type SlackUserMap = ReadonlyMap<string, string>;

export function parseSlackUserMap(spec: string | undefined): SlackUserMap | { error: string } {
  const out = new Map<string, string>();
  if (!spec) return out;
  for (const [i, pair] of spec.split(",").entries()) {
    if (!pair.trim()) continue;
    const m = /^\s*([UW][A-Z0-9]{2,30})\s*=\s*(.+?)\s*$/.exec(pair);
    if (!m) return { error: `entry ${i + 1} must be SLACKUSERID=name (like U024BE7LH=alice)` };
    if (out.has(m[1]!)) return { error: `entry ${i + 1} maps ${m[1]} a second time` };
    out.set(m[1]!, m[2]!);
  }
  return out;
}

export type SlackEmailLookup = (slackUserId: string) => Promise<string | null>;

export function createSlackUserResolver(deps: {
  db: Sql;
  map: SlackUserMap;
  emailOf?: SlackEmailLookup | null;
}): (slackUserId: string) => Promise<UserRecord | null> {
  return async (slackUserId) => {
    const mapped = deps.map.get(slackUserId);
    if (mapped) return findActiveUser(deps.db, { name: mapped });
    const linked = await findActiveUser(deps.db, { slackUserId });
    if (linked) return linked;
    if (!deps.emailOf) return null;
    const email = await deps.emailOf(slackUserId);
    return email ? findActiveUser(deps.db, { email }) : null;
  };
}

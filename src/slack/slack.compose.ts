import type { Config } from "../config.ts";
import { ConfigError } from "../config.ts";
import { seenTokensRepository } from "../email/seen-tokens.repository.ts";
import { renderSlack } from "../notify/slack.message.ts";
import type { SqlDriver } from "../store/driver.ts";
import { caseNotifications } from "../workflow/case-notification.query.ts";
import { createSlackEmailLookup, postResponse } from "./slack.api.ts";
import type { SlackInteractionDeps } from "./slack.interactions.service.ts";
import { createSlackUserResolver, parseSlackUserMap } from "./slack.users.ts";

/**
 * Wires Slack interactivity from settings for the composition root; null when SLACK_SIGNING_SECRET is
 * unset (then there is no interactions route at all: an unsigned click must never act). Throws
 * ConfigError naming SLACK_USER_MAP when it is malformed.
 */
export function slackInteractionsFromConfig(
  config: Pick<
    Config,
    "SLACK_SIGNING_SECRET" | "SLACK_USER_MAP" | "SLACK_BOT_TOKEN" | "SLACK_API_URL" | "PUBLIC_BASE_URL"
  >,
  deps: {
    db: SqlDriver;
    now: () => Date;
    logger: { warn(o: object, m: string): void };
    fetch?: typeof fetch;
  },
): SlackInteractionDeps | null {
  if (!config.SLACK_SIGNING_SECRET) return null;
  const map = parseSlackUserMap(config.SLACK_USER_MAP);
  if ("error" in map) throw new ConfigError([{ variable: "SLACK_USER_MAP", message: String(map.error) }]);
  const emailOf = config.SLACK_BOT_TOKEN
    ? createSlackEmailLookup({
        apiUrl: config.SLACK_API_URL,
        botToken: config.SLACK_BOT_TOKEN,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      })
    : null;
  return {
    db: deps.db,
    signingSecret: config.SLACK_SIGNING_SECRET,
    seen: seenTokensRepository(deps.db),
    resolveUser: createSlackUserResolver({ db: deps.db, map, emailOf }),
    async renderCase(caseId) {
      const [c] = await caseNotifications(deps.db, [caseId], {
        publicBaseUrl: config.PUBLIC_BASE_URL,
        now: deps.now(),
        event: "created",
      });
      return c ? renderSlack({ kind: "case", deliveryId: "(updated in place)", case: c }) : null;
    },
    async respond(url, message) {
      const r = await postResponse(url, message, deps.fetch ? { fetch: deps.fetch } : {});
      if (r.kind === "failed")
        deps.logger.warn({ status: r.status, detail: r.detail }, "Slack response_url refused the update");
    },
    now: deps.now,
  };
}

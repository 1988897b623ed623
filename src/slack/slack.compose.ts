import { ConfigError, type WorkflowConfig } from "../config.ts";
import { seenTokensRepository } from "../email/seen-tokens.repository.ts";
import { renderSlack } from "../notify/slack.message.ts";
import type { SqlDriver } from "../store/driver.ts";
import { caseNotifications } from "../workflow/case-notification.query.ts";
import type { SlackInteractionDeps } from "./slack.interactions.service.ts";
import type { RespondOutcome, ResponseMessage } from "./slack.port.ts";
import { createSlackUserResolver, parseSlackUserMap, type SlackEmailLookup } from "./slack.users.ts";

/**
 * Wires Slack interactivity from settings for the composition root; null when SLACK_SIGNING_SECRET is
 * unset (then there is no interactions route at all: an unsigned click must never act). Throws
 * ConfigError naming SLACK_USER_MAP when it is malformed.
 */
export function slackInteractionsFromConfig(
  config: Pick<WorkflowConfig, "SLACK_SIGNING_SECRET" | "SLACK_USER_MAP">,
  deps: {
    db: SqlDriver;
    now: () => Date;
    logger: { warn(o: object, m: string): void };
    publicBaseUrl: string;
    /** Slack's users.info (the adapter, wired by main.ts); null without SLACK_BOT_TOKEN. */
    emailOf: SlackEmailLookup | null;
    /** Posts to a response_url (the adapter, wired by main.ts). */
    post: (url: string, message: ResponseMessage) => Promise<RespondOutcome>;
  },
): SlackInteractionDeps | null {
  if (!config.SLACK_SIGNING_SECRET) return null;
  const map = parseSlackUserMap(config.SLACK_USER_MAP);
  if ("error" in map) throw new ConfigError([{ variable: "SLACK_USER_MAP", message: String(map.error) }]);
  return {
    db: deps.db,
    signingSecret: config.SLACK_SIGNING_SECRET,
    seen: seenTokensRepository(deps.db),
    resolveUser: createSlackUserResolver({ db: deps.db, map, emailOf: deps.emailOf }),
    async renderCase(caseId) {
      const [c] = await caseNotifications(deps.db, [caseId], {
        publicBaseUrl: deps.publicBaseUrl,
        now: deps.now(),
        event: "created",
      });
      return c ? renderSlack({ kind: "case", deliveryId: "(updated in place)", case: c }) : null;
    },
    async respond(url, message) {
      const r = await deps.post(url, message);
      if (r.kind === "failed")
        deps.logger.warn({ status: r.status, detail: r.detail }, "Slack response_url refused the update");
    },
    now: deps.now,
  };
}

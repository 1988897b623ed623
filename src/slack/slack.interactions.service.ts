import type { SeenTokens } from "../email/seen-tokens.repository.ts";
import type { SqlDriver } from "../store/driver.ts";
import { principalOf } from "../users/auth.service.ts";
import type { UserRecord } from "../users/users.repository.ts";
import {
  ACT_ROLE,
  actOnCase,
  decideAsRecommended,
  type RecommendedOutcome,
} from "../workflow/case-actions.service.ts";
import { currentWorkflowVersion } from "../workflow/case-workflow.query.ts";
import { parseInteraction } from "./slack.interaction.ts";
import type { ResponseMessage } from "./slack.port.ts";
import { SLACK_MAX_AGE_SECONDS, verifySlackSignature } from "./slack.signature.ts";

/**
 * `POST /v1/integrations/slack/interactions`: a click on Acknowledge or Decide as recommended.
 * Order: Slack's signature (forged → 401), its age (stale → 401), its novelty across every API
 * process (the signature is remembered in the store until it would be stale anyway; a replay → 401),
 * and only then the payload. Nothing changes before all three pass. The action goes through the same
 * service as the API (roles, transitions, one transaction with its event) as the eolgate user the
 * Slack user maps to. The message is then updated in place through `response_url`; a refusal is
 * told to the clicking person alone (ephemeral) and changes nothing.
 */
export interface SlackInteractionDeps {
  db: SqlDriver;
  signingSecret: string;
  seen: SeenTokens;
  resolveUser: (slackUserId: string) => Promise<UserRecord | null>;
  /** The case's message as it should now look (rendered from the store), or null if it is gone. */
  renderCase: (caseId: string) => Promise<{ text: string; blocks: unknown[] } | null>;
  respond: (url: string, message: ResponseMessage) => Promise<void>;
  now: () => Date;
}

export type InteractionOutcome =
  | { kind: "rejected"; reason: string }
  | { kind: "invalid"; reason: string }
  | { kind: "unavailable"; reason: string }
  | { kind: "ok"; followUp: (() => Promise<void>) | null; result: string };

export async function handleSlackInteraction(
  deps: SlackInteractionDeps,
  req: { rawBody: Buffer; timestamp: string | undefined; signature: string | undefined },
): Promise<InteractionOutcome> {
  const now = deps.now();
  const verdict = verifySlackSignature({
    secret: deps.signingSecret,
    timestamp: req.timestamp,
    signature: req.signature,
    rawBody: req.rawBody,
    now,
  });
  if (verdict.kind === "rejected") return { kind: "rejected", reason: verdict.reason };
  try {
    const expires = new Date((verdict.timestamp + SLACK_MAX_AGE_SECONDS + 1) * 1000);
    if ((await deps.seen.remember("slack", verdict.signature, expires, now)) === "replay")
      return { kind: "rejected", reason: "replayed" };
  } catch (e) {
    return { kind: "unavailable", reason: `replay check failed: ${(e as Error).message}` };
  }

  const p = parseInteraction(req.rawBody);
  if (p.kind === "invalid") return { kind: "invalid", reason: p.reason };
  if (p.kind === "ignored") return { kind: "ok", followUp: null, result: "ignored" };

  const tell = (text: string) => (p.responseUrl ? ephemeral(deps, p.responseUrl, text) : null);
  const user = await deps.resolveUser(p.slackUserId);
  if (!user)
    return {
      kind: "ok",
      result: "unmapped_user",
      followUp: tell(
        "Your Slack account is not linked to an eolgate user, so nothing was changed. An admin can link it " +
          "(`eolgate users add NAME --role decider --slack-user ID`, or SLACK_USER_MAP).",
      ),
    };
  const who = { ...principalOf(user, "slack") };
  const extra = { slack_user: p.slackUserId };
  let out: RecommendedOutcome;
  if (p.action === "acknowledge") {
    // A click carries no version: the person acts on the case as it is now; the transition rules
    // still apply (a second Acknowledge is refused as acknowledged → acknowledged).
    const version = await currentWorkflowVersion(deps.db, p.caseId);
    out =
      version === null
        ? { kind: "not_found" }
        : await actOnCase(deps.db, p.caseId, { action: "acknowledge", version }, who, now, extra);
  } else {
    out = await decideAsRecommended(deps.db, p.caseId, who, now, p.shown, extra);
  }
  if (out.kind === "applied") {
    const url = p.responseUrl;
    return {
      kind: "ok",
      result: "applied",
      followUp: url
        ? async () => {
            const message = await deps.renderCase(p.caseId);
            if (message) await deps.respond(url, { replace_original: true, ...message });
          }
        : null,
    };
  }
  return { kind: "ok", result: out.kind, followUp: tell(refusalText(out, user.name)) };
}

function ephemeral(deps: SlackInteractionDeps, url: string, text: string) {
  return () => deps.respond(url, { response_type: "ephemeral", replace_original: false, text });
}

function refusalText(out: Exclude<RecommendedOutcome, { kind: "applied" }>, name: string): string {
  switch (out.kind) {
    case "not_found":
      return "This case no longer exists in eolgate; nothing was changed.";
    case "forbidden":
      return `${name} is a ${out.role}; acting on cases needs the ${ACT_ROLE} role. Nothing was changed.`;
    case "illegal_transition":
      return out.from === out.to
        ? `The case is already ${out.from}; nothing was changed.`
        : `The case is ${out.from}, so it cannot become ${out.to} from here; nothing was changed.`;
    case "version_conflict":
      return "Someone changed the case at the same moment; nothing was changed. Open the case to see it.";
    case "no_recommendation":
      return "The case has no recommended action to decide; open it to decide another way.";
    case "recommendation_changed":
      return (
        `The recommendation changed since this message (${out.shown} → ${out.current}); nothing was decided. ` +
        "Open the case to see the new figures."
      );
    case "unknown_assignee":
      return "Unknown assignee; nothing was changed.";
  }
}

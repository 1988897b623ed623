/**
 * What the Slack interaction flow needs from Slack's HTTP side (adapters in slack.api.ts, wired by
 * src/main.ts): a message for an interaction's `response_url`, and what became of posting it.
 */
export type ResponseMessage =
  | { replace_original: true; text: string; blocks: unknown[] }
  | { response_type: "ephemeral"; replace_original: false; text: string };

export type RespondOutcome = { kind: "sent" } | { kind: "failed"; status: number | null; detail: string };

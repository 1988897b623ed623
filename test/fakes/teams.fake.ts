import { z } from "zod";
import { type FakeBehaviour, type HttpFake, type Reply, startHttpFake } from "./http-fake.base.ts";

/**
 * A fake Microsoft Teams Workflows webhook ("When a Teams webhook request is received"): `202
 * Accepted` with an empty body on success; `400` with a JSON error body when the message or its
 * Adaptive Card is malformed; `429` with Retry-After. The schema holds the documented message
 * envelope (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using)
 * and the Adaptive Card elements we use (https://adaptivecards.io/explorer/).
 */
type El = z.infer<typeof TextBlock> | { type: "FactSet" } | { type: "Container"; items: El[] };
const TextBlock = z.object({
  type: z.literal("TextBlock"),
  text: z.string().min(1),
  wrap: z.boolean().optional(),
  weight: z.enum(["Default", "Lighter", "Bolder"]).optional(),
  size: z.enum(["Default", "Small", "Medium", "Large", "ExtraLarge"]).optional(),
  isSubtle: z.boolean().optional(),
  spacing: z.enum(["None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"]).optional(),
  color: z.enum(["Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"]).optional(),
});
const FactSet = z.object({
  type: z.literal("FactSet"),
  facts: z.array(z.object({ title: z.string(), value: z.string() }).strict()).min(1),
});
const Element: z.ZodType<El> = z.lazy(() =>
  z.discriminatedUnion("type", [
    TextBlock,
    FactSet,
    z.object({
      type: z.literal("Container"),
      items: z.array(Element).min(1),
      separator: z.boolean().optional(),
    }),
  ]),
);

export const AdaptiveCard = z.object({
  type: z.literal("AdaptiveCard"),
  $schema: z.string().optional(),
  version: z.string().regex(/^1\.([4-9]|\d{2,})$/, "Adaptive Card version must be 1.4 or later"),
  body: z.array(Element).min(1),
  actions: z
    .array(z.object({ type: z.literal("Action.OpenUrl"), title: z.string().min(1), url: z.url() }))
    .optional(),
  msteams: z.object({ width: z.enum(["Full"]) }).optional(),
});

export const TeamsMessage = z.object({
  type: z.literal("message"),
  attachments: z
    .array(
      z.object({
        contentType: z.literal("application/vnd.microsoft.card.adaptive"),
        contentUrl: z.string().nullable().optional(),
        content: AdaptiveCard,
      }),
    )
    .min(1),
});

const bad = (message: string): Reply => ({
  status: 400,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ error: { code: "InvalidRequestContent", message } }),
});

export function validateTeams(raw: string): Reply | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return bad("The request content is not valid JSON.");
  }
  const r = TeamsMessage.safeParse(json);
  if (r.success) return null;
  return bad(r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
}

export const teamsReplies = {
  ok: { status: 202, body: "" } as Reply,
  tooMany: (s: number): Reply => ({
    status: 429,
    headers: { "retry-after": String(s), "content-type": "application/json" },
    body: JSON.stringify({
      error: { code: "WorkflowTriggeredTooManyRequests", message: "Rate limit is exceeded." },
    }),
  }),
  notFound: {
    status: 404,
    body: JSON.stringify({
      error: { code: "WorkflowNotFound", message: "The workflow could not be found." },
    }),
  } as Reply,
  serverError: { status: 502, body: "Bad Gateway" } as Reply,
};

export function startFakeTeams(behaviour: FakeBehaviour = {}): Promise<HttpFake> {
  return startHttpFake(
    { name: "teams", validate: validateTeams, ok: teamsReplies.ok, tooMany: teamsReplies.tooMany },
    { ratePerSec: null, ...behaviour },
  );
}

import { Webhook } from "standardwebhooks";
import { type FakeBehaviour, type HttpFake, type Reply, startHttpFake } from "./http-fake.base.ts";

/**
 * A downstream receiver of Standard Webhooks (https://www.standardwebhooks.com/): verifies
 * `webhook-id`, `webhook-timestamp` (within 5 minutes) and `webhook-signature` with the shared
 * `whsec_` secret; `401` when they do not verify, `200` otherwise. Verification happens in
 * `validateHeaders`, since the proof is in the headers.
 */
export async function startFakeWebhookReceiver(
  secret: string,
  behaviour: FakeBehaviour = {},
): Promise<HttpFake> {
  const wh = new Webhook(secret);
  let lastHeaders: Record<string, string> = {};
  const fake = await startHttpFake(
    {
      name: "webhook",
      validate: (raw): Reply | null => {
        try {
          wh.verify(raw, lastHeaders);
          return null;
        } catch (e) {
          return { status: 401, body: e instanceof Error ? e.message : "verification failed" };
        }
      },
      ok: { status: 200, body: "" },
      tooMany: (s) => ({ status: 429, body: "slow down", headers: { "retry-after": String(s) } }),
    },
    {
      ratePerSec: null,
      ...behaviour,
      onHeaders: (h: Record<string, string>) => {
        lastHeaders = h;
      },
    },
  );
  return fake;
}

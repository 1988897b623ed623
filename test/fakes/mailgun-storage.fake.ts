import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { loopbackCertificate } from "./tls.cert.ts";

/**
 * Mailgun's stored-messages API as `store(notify)` routes use it, over HTTPS on loopback:
 * `GET /v3/domains/{domain}/messages/{storage_key}` with HTTP basic auth `api:<API key>`.
 * - wrong or missing key → 401 with the text body `Forbidden`, as Mailgun answers;
 * - unknown key (or expired, Mailgun keeps messages ~3 days) → 404 `{"message":"Message not found"}`;
 * - over its rate → 429 `{"message":"Too many requests"}` (scripted);
 * - `Accept: message/rfc2822` → JSON with the MIME in `body-mime`; otherwise the parsed form
 *   (`body-plain`, `message-headers`…) — what the real API does for each Accept.
 * Scripted replies (429, 5xx, a redirect elsewhere, an oversized body) are served first, in order.
 */
export interface StoredMessage {
  mime: string;
  from: string;
  subject: string;
  plain: string;
}

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface MailgunStorageFake {
  /** Base URL, e.g. https://127.0.0.1:PORT */
  url: string;
  /** `host:port` for MAILGUN_STORAGE_HOSTS. */
  host: string;
  ca: string;
  store(domain: string, key: string, m: StoredMessage): string;
  script: ScriptedReply[];
  requests: { path: string; authorization: string | undefined; accept: string | undefined }[];
  close(): Promise<void>;
}

export async function startMailgunStorageFake(apiKey: string): Promise<MailgunStorageFake> {
  const tls = loopbackCertificate();
  const messages = new Map<string, StoredMessage>();
  const script: ScriptedReply[] = [];
  const requests: MailgunStorageFake["requests"] = [];
  const expected = `Basic ${Buffer.from(`api:${apiKey}`).toString("base64")}`;
  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body);
  };
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req: IncomingMessage, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    requests.push({ path, authorization: req.headers.authorization, accept: req.headers.accept });
    const scripted = script.shift();
    if (scripted) return send(res, scripted.status, scripted.body ?? "", scripted.headers);
    if (req.method !== "GET") return send(res, 405, JSON.stringify({ message: "Method not allowed" }));
    if (req.headers.authorization !== expected)
      return send(res, 401, "Forbidden", { "content-type": "text/plain" });
    const m = messages.get(path);
    if (!m) return send(res, 404, JSON.stringify({ message: "Message not found" }));
    const common = {
      From: m.from,
      Subject: m.subject,
      sender: m.from,
      recipients: "eol@inbound.example.com",
    };
    if ((req.headers.accept ?? "").includes("message/rfc2822"))
      return send(res, 200, JSON.stringify({ ...common, "body-mime": m.mime }));
    return send(
      res,
      200,
      JSON.stringify({
        ...common,
        "body-plain": m.plain,
        "message-headers": [
          ["From", m.from],
          ["Subject", m.subject],
        ],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    host: `127.0.0.1:${port}`,
    ca: tls.cert,
    script,
    requests,
    store(domain, key, m) {
      const path = `/v3/domains/${domain}/messages/${key}`;
      messages.set(path, m);
      return url + path;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

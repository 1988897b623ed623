import { execFileSync } from "node:child_process";
import { createPrivateKey, type KeyObject, randomBytes, randomUUID, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProviderRequest } from "./email-wire.ts";

/**
 * SNS as seen from an HTTPS subscriber: signed messages (with a test certificate, since AWS's cannot
 * be used) and a stand-in for AWS's HTTPS endpoints (certificates, ConfirmSubscription).
 */

/** A self-signed RSA certificate made with the openssl CLI, standing in for SNS's signing certificate. */
export interface SnsSigner {
  privateKey: KeyObject;
  certPem: string;
  certUrl: string;
}

export function makeSnsSigner(
  certUrl = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem",
  days = 2,
): SnsSigner {
  const dir = mkdtempSync(join(tmpdir(), "eolgate-sns-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        join(dir, "k.pem"),
        "-out",
        join(dir, "c.pem"),
        "-days",
        String(days),
        "-subj",
        "/CN=sns.amazonaws.com",
      ],
      { stdio: "ignore" },
    );
    return {
      privateKey: createPrivateKey(readFileSync(join(dir, "k.pem"))),
      certPem: readFileSync(join(dir, "c.pem"), "utf8"),
      certUrl,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type SnsMessage = Record<string, string | undefined> & { Type: string };

/** Signs an SNS message in place the way SNS does (SignatureVersion 1: SHA1, 2: SHA256). */
export function snsSign(msg: SnsMessage, signer: SnsSigner, version: "1" | "2" = "2"): SnsMessage {
  const keys =
    msg.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  const toSign = keys
    .filter((k) => msg[k] !== undefined)
    .map((k) => `${k}\n${msg[k]}\n`)
    .join("");
  msg.SignatureVersion = version;
  msg.SigningCertURL = signer.certUrl;
  msg.Signature = sign(
    version === "1" ? "sha1" : "sha256",
    Buffer.from(toSign, "utf8"),
    signer.privateKey,
  ).toString("base64");
  return msg;
}

export function snsRequest(msg: SnsMessage): ProviderRequest {
  return {
    body: Buffer.from(JSON.stringify(msg), "utf8"),
    headers: {
      "content-type": "text/plain; charset=UTF-8",
      "x-amz-sns-message-type": msg.Type,
      "x-amz-sns-message-id": msg.MessageId ?? "",
      "x-amz-sns-topic-arn": msg.TopicArn ?? "",
      "user-agent": "Amazon Simple Notification Service Agent",
    },
  };
}

export function subscriptionConfirmation(
  topicArn: string,
  signer: SnsSigner,
  subscribeUrl?: string,
): SnsMessage {
  const token = randomBytes(32).toString("hex");
  return snsSign(
    {
      Type: "SubscriptionConfirmation",
      MessageId: randomUUID(),
      Token: token,
      TopicArn: topicArn,
      Message: `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL:
        subscribeUrl ??
        `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`,
      Timestamp: new Date().toISOString(),
    },
    signer,
  );
}

/**
 * A stand-in for AWS's HTTPS endpoints: serves the signing certificates it holds and answers
 * ConfirmSubscription like SNS (XML, 200 / 404 / 403 for a bad token / 503 throttling on demand).
 */
export function fakeAws(certs: SnsSigner[]) {
  const gets: URL[] = [];
  const confirmed: string[] = [];
  const state = { down: false, throttle: false };
  const get = async (url: URL): Promise<{ status: number; body: Buffer }> => {
    gets.push(url);
    if (state.down) throw new Error("connect ECONNREFUSED (fake AWS is down)");
    const cert = certs.find((c) => c.certUrl === url.href);
    if (cert) return { status: 200, body: Buffer.from(cert.certPem) };
    if (url.searchParams.get("Action") === "ConfirmSubscription") {
      if (state.throttle)
        return { status: 503, body: Buffer.from(awsError("Throttling", "Rate exceeded", "Receiver")) };
      const token = url.searchParams.get("Token") ?? "";
      if (!/^[0-9a-f]{64}$/.test(token))
        return { status: 400, body: Buffer.from(awsError("InvalidParameter", "Invalid token", "Sender")) };
      confirmed.push(url.searchParams.get("TopicArn") ?? "");
      return {
        status: 200,
        body: Buffer.from(
          `<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult><SubscriptionArn>${url.searchParams.get("TopicArn")}:${randomUUID()}</SubscriptionArn></ConfirmSubscriptionResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></ConfirmSubscriptionResponse>`,
        ),
      };
    }
    return { status: 404, body: Buffer.from(awsError("NotFound", "Not Found", "Sender")) };
  };
  return { get, gets, confirmed, state };
}

function awsError(code: string, message: string, type: string): string {
  return `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

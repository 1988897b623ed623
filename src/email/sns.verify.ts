import { verify } from "node:crypto";
import type { AdapterOutcome, Rejection } from "./email.outcome.ts";
import { reject } from "./email.outcome.ts";
import { SnsCertificateError, type SnsCertificateSource } from "./sns.certificates.ts";
import { type SnsEnvelope, snsStringToSign, snsUrl } from "./sns.envelope.ts";

type RetryLater = Extract<AdapterOutcome, { kind: "retry_later" }>;

/**
 * Verifies an SNS message: its topic is one of `topics`, its SigningCertURL is an SNS host over
 * https, and its signature (RSA with SHA1 for SignatureVersion 1, SHA256 for 2) over the type's
 * string-to-sign holds under that certificate. Checks run cheapest first, so a forged message from an
 * unlisted topic or a foreign host never causes an outbound fetch. Returns null when verified.
 */
export async function verifySns(
  e: SnsEnvelope,
  topics: readonly string[],
  certs: SnsCertificateSource,
  now: Date,
): Promise<Rejection | RetryLater | null> {
  if (!topics.includes(e.TopicArn))
    return reject("forbidden", "topic_not_allowed", "TopicArn is not in SNS_TOPIC_ARNS", [
      { path: "TopicArn", message: "topic is not allowed" },
    ]);
  const certUrl = snsUrl(e.SigningCertURL, "pem");
  if (!certUrl)
    return reject(
      "unauthorized",
      "bad_cert_url",
      "SigningCertURL must be an https .pem URL on sns.<region>.amazonaws.com",
      [{ path: "SigningCertURL", message: "not an SNS certificate URL" }],
    );
  let publicKey: import("node:crypto").KeyObject;
  try {
    publicKey = (await certs.certificate(certUrl, now)).publicKey;
  } catch (err) {
    if (err instanceof SnsCertificateError && !err.retryable)
      return reject("unauthorized", "bad_certificate", `signing certificate refused: ${err.message}`);
    return { kind: "retry_later", reason: "certificate_unavailable", message: (err as Error).message };
  }
  const algorithm = e.SignatureVersion === "1" ? "sha1" : "sha256";
  let good = false;
  try {
    good = verify(
      algorithm,
      Buffer.from(snsStringToSign(e), "utf8"),
      publicKey,
      Buffer.from(e.Signature, "base64"),
    );
  } catch {
    good = false;
  }
  return good ? null : reject("unauthorized", "bad_signature", "SNS signature does not match the message");
}

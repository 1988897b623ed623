import type { MailgunStorage } from "../../src/email/email.adapters.ts";
import { seenTokensRepository } from "../../src/email/seen-tokens.repository.ts";
import { cachingCertificateSource, snsHttpsGet } from "../../src/email/sns.certificates.ts";
import type { EmailRouteOptions } from "../../src/http/deps.ts";
import { createGuardedGet } from "../../src/outbound/guarded.fetch.ts";
import { createBreakerRegistry } from "../../src/resilience/circuit-breaker.ts";
import type { SqlDriver } from "../../src/store/driver.ts";

/** A test's replacements: any option whole, or parts of Mailgun's storage access. */
export type EmailOptionOverrides = Partial<Omit<EmailRouteOptions, "mailgunStorage">> & {
  mailgunStorage?: Partial<MailgunStorage>;
};

/**
 * What the email routes reach, built as src/main.ts builds it (the real guarded GET, the store-backed
 * token memory, a breaker), with a test's fakes in place of what it cannot reach (AWS, Mailgun's
 * storage API).
 */
export function testEmailOptions(db: SqlDriver, over: EmailOptionOverrides = {}): EmailRouteOptions {
  const httpsGet = over.httpsGet ?? snsHttpsGet(createGuardedGet());
  return {
    httpsGet,
    certificates: over.certificates ?? cachingCertificateSource(httpsGet),
    tokens: over.tokens ?? seenTokensRepository(db),
    mailgunStorage: {
      get: createGuardedGet(),
      breaker: createBreakerRegistry({
        failureThreshold: 5,
        resetAfterMs: 30_000,
        halfOpenMax: 1,
        now: Date.now,
      }).get("mailgun-storage"),
      ...over.mailgunStorage,
    },
  };
}

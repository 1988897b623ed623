import pino, { type Logger } from "pino";
import type { Config } from "../config.ts";

/**
 * Structured JSON logs. Request headers that carry proofs are redacted wherever they appear, and the
 * configuration is only ever logged through `redactedConfig`.
 */
export function createLogger(config: Config["log"], destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: "eolgate" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'req.headers["x-eolgate-signature"]',
          'req.headers["x-twilio-email-event-webhook-signature"]',
          "headers.authorization",
          "*.apiKey",
          "*.password",
          "*.secret",
          "*.token",
        ],
        censor: "[redacted]",
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

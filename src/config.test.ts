import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, ConfigSchema, loadConfig, redactedConfig } from "./config.ts";

describe("loadConfig", () => {
  it("gives DESIGN §9 defaults with no settings (embedded mode)", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      http: { HOST: "127.0.0.1", PORT: 8000, WORKER_PORT: 8001, MAX_JSON_BYTES: 1024 * 1024 },
      // data/ in the eolgate folder, whatever the current directory (issue 16).
      store: { DATA_DIR: join(import.meta.dirname, "..", "data") },
      pipeline: { WORKER_CONCURRENCY: 4, MAX_RETRIES: 2, REEVALUATE_DAYS: 365 },
      llm: { LLM_PROVIDER: "none", LLM_TIMEOUT_SECONDS: 30 },
      impact: {
        ATTRITION_RATE: 0.03,
        HOLDING_COST_RATE: 0.2,
        ALTERNATE_NRE: 41000,
        SUBSTITUTE_NRE: 34000,
        REDESIGN_NRE: 1118000,
        BROKER_PREMIUM: 3,
        CURRENCY: "USD",
      },
    });
    expect(c.store.DATABASE_URL).toBeUndefined();
  });

  it("takes a currency by its ISO 4217 code and refuses one that is not", () => {
    expect(loadConfig({ CURRENCY: "eur" }).impact.CURRENCY).toBe("EUR");
    for (const bad of ["EURO", "XYZ", "$"]) {
      try {
        loadConfig({ CURRENCY: bad });
        expect.unreachable();
      } catch (err) {
        expect((err as ConfigError).problems.map((p) => p.variable)).toEqual(["CURRENCY"]);
      }
    }
  });

  it("reads TRUST_PROXY as off, on, a hop count or addresses, and refuses anything else", () => {
    expect(loadConfig({}).http.TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "true" }).http.TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: "2" }).http.TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, 127.0.0.1" }).http.TRUST_PROXY).toEqual([
      "10.0.0.0/8",
      "127.0.0.1",
    ]);
    try {
      loadConfig({ TRUST_PROXY: "my-load-balancer" });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.variable)).toEqual(["TRUST_PROXY"]);
    }
  });

  it("names each bad variable and never echoes a value", () => {
    const secretish = "postgres-but-not-a-url-s3cr3t";
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: secretish, LOG_LEVEL: "loud", API_TOKEN: "short" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const e = err as ConfigError;
      expect(e.problems.map((p) => p.variable).sort()).toEqual([
        "API_TOKEN",
        "DATABASE_URL",
        "LOG_LEVEL",
        "PORT",
      ]);
      expect(e.message).not.toContain(secretish);
      expect(e.message).not.toContain("short");
    }
  });

  it("treats empty values as unset and parses lists", () => {
    const c = loadConfig({ PORT: "", SNS_TOPIC_ARNS: "arn:a, arn:b,," });
    expect(c.http.PORT).toBe(8000);
    expect(c.email.SNS_TOPIC_ARNS).toEqual(["arn:a", "arn:b"]);
  });

  it("hands every setting to exactly one slice", () => {
    const slices = Object.values(loadConfig({})).flatMap((s) => Object.keys(s));
    expect(slices.length).toBe(new Set(slices).size);
    expect([...slices].sort()).toEqual(Object.keys(ConfigSchema.shape).sort());
  });

  it("masks secrets when the configuration is shown", () => {
    const c = loadConfig({ API_TOKEN: "very-secret-token", DATABASE_URL: "postgres://u:pw@h/db" });
    const shown = JSON.stringify(redactedConfig(c));
    expect(shown).not.toContain("very-secret-token");
    expect(shown).not.toContain("pw@h");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type OpenAiFake, startOpenAiFake } from "../../test/fakes/openai.fake.ts";
import { ModelExtraction } from "./extraction.prompt.ts";
import { StrictSchemaError, strictJsonSchema } from "./strict-schema.ts";

describe("strictJsonSchema", () => {
  it("derives the notices' schema with every property required and no others allowed", () => {
    const s = strictJsonSchema(ModelExtraction);
    expect(s).not.toHaveProperty("$schema");
    expect(s).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["is_lifecycle_notice", "notices"],
    });
    const item = (s.properties as { notices: { items: Record<string, unknown> } }).notices.items;
    expect(item.additionalProperties).toBe(false);
    expect(item.required).toEqual([
      "manufacturer",
      "mpn",
      "lifecycle_status",
      "notice_type",
      "pcn_id",
      "ltb_date",
      "last_ship_date",
      "replacement_mpn",
    ]);
    // minLength is outside the strict subset: dropped from the request, still enforced by zod.
    expect(item.properties).toMatchObject({ mpn: { type: "string" } });
    expect((item.properties as { mpn: object }).mpn).not.toHaveProperty("minLength");
  });

  it("refuses optional properties, naming them", () => {
    expect(() => strictJsonSchema(z.object({ a: z.string(), b: z.number().optional() }))).toThrow(
      StrictSchemaError,
    );
    expect(() => strictJsonSchema(z.object({ inner: z.object({ b: z.string().optional() }) }))).toThrow(
      /\$\.inner: optional properties \(b\)/,
    );
  });
});

describe("the fake OpenAI server checks requests like the real API", () => {
  let fake: OpenAiFake;
  beforeAll(async () => {
    fake = await startOpenAiFake({ apiKey: "sk-fake-key-123" });
  });
  afterAll(() => fake.close());

  const post = (body: unknown, key = "sk-fake-key-123") =>
    fetch(`${fake.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const valid = {
    model: "m",
    messages: [{ role: "user", content: "hi" }],
    response_format: {
      type: "json_schema",
      json_schema: { name: "x", strict: true, schema: strictJsonSchema(z.object({ a: z.string() })) },
    },
  };

  it.each([
    ["a wrong key", valid, "sk-other", 401, /Incorrect API key/],
    ["bad JSON", "{", undefined, 400, /parse the JSON body/],
    ["no model", { ...valid, model: "" }, undefined, 400, /model parameter/],
    ["no messages", { ...valid, messages: [] }, undefined, 400, /too short/],
    ["a bad role", { ...valid, messages: [{ role: "robot", content: "x" }] }, undefined, 400, /role/],
    [
      "a non-strict schema",
      {
        ...valid,
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "x",
            strict: true,
            schema: { type: "object", properties: { a: { type: "string" } } },
          },
        },
      },
      undefined,
      400,
      /additionalProperties/,
    ],
  ])("answers %s with %i and OpenAI's error body", async (_n, body, key, status, message) => {
    const res = await post(body, key);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { message: string; type: string } };
    expect(json.error.message).toMatch(message);
    expect(json.error.type).toBe("invalid_request_error");
  });

  it("answers 500 when nothing was scripted", async () => {
    expect((await post(valid)).status).toBe(500);
  });
});

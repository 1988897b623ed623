import fc from "fast-check";

/**
 * Requests generated from the OpenAPI document (so a new route is fuzzed without a line here):
 * every documented path and method, plus other methods; path parameters and query strings both
 * plausible and hostile; bodies built from the route's JSON schema, then broken in every way a
 * sender can break them (wrong shapes and types, NUL, lone surrogates, invalid UTF-8, deep nesting,
 * huge numbers and strings, duplicate keys, truncation, multipart with wrong or missing boundaries);
 * content types and charsets; missing, wrong and right credentials.
 */
export interface FuzzRequest {
  method: string;
  path: string;
  /** Template path from the document, for reports. */
  route: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
  format?: string;
  maxLength?: number;
  pattern?: string;
};

export interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string }[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
}

export interface Credentials {
  apiToken: string;
  ingestToken: string;
}

const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "TPS\u0000331",
  "\ud800",
  "x\udfffy",
  "\ud83d\udea8",
  "../../etc/passwd",
  "%00",
  "%",
  "%ZZ",
  "'; drop table inbox; --",
  "<script>alert(1)</script>",
  "\r\nX-Injected: 1",
  "\u202e\u2066",
  "ｔｐｓ５４３３１",
  "null",
  "[]",
  "{}",
  "-1",
  "1e309",
  "9".repeat(400),
];

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ minLength: 1, maxLength: 5 }), fc.integer({ min: 100, max: 4000 }))
      .map(([s, n]) => s.repeat(n)),
  },
);

const hugeNumber = fc.constantFrom(
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  -0,
  0.1 + 0.2,
  1.2345678901234568e29,
);

/** A value for a JSON schema: mostly well-formed, sometimes hostile. */
function fromSchema(s: Schema | undefined, depth = 0, clean = false): fc.Arbitrary<unknown> {
  if (!s || depth > 4) return fc.jsonValue({ maxDepth: 2 });
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return fc.oneof(...alts.map((a) => fromSchema(a, depth + 1, clean)));
  if (s.enum) return clean ? fc.constantFrom(...s.enum) : fc.oneof(fc.constantFrom(...s.enum), nastyString);
  if (clean && (s.type === "string" || (Array.isArray(s.type) && s.type.includes("string"))) && !s.pattern)
    return fc.oneof(
      fc.constantFrom(
        "TPS54331D",
        "EOL",
        "LTB",
        "NRND",
        "dead",
        "SiliconExpert",
        "TI",
        "ti.com",
        "PDN 2026-17",
      ),
      fc.stringMatching(/^[A-Z][A-Za-z0-9 -]{0,30}$/),
    );
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  const wellFormed = ((): fc.Arbitrary<unknown> => {
    switch (type) {
      case "string":
        if (s.format === "date" || s.format === "date-time")
          return fc.oneof(
            fc
              .date({ noInvalidDate: true })
              .map((d) => d.toISOString().slice(0, s.format === "date" ? 10 : 24)),
            fc.constantFrom("2027-02-30", "2027-13-01", "Q2 2027", "TBD"),
          );
        if (s.format === "uuid") return fc.uuid();
        if (s.pattern)
          return fc.oneof(
            {
              weight: 4,
              arbitrary: fc
                .date({ noInvalidDate: true, min: new Date("2000-01-01"), max: new Date("2099-12-31") })
                .map((d) => d.toISOString().slice(0, 10)),
            },
            { weight: 1, arbitrary: fc.stringMatching(new RegExp(s.pattern)) },
            { weight: 1, arbitrary: fc.constantFrom("2027-02-30", "Q2 2027", "TBD", "31/03/2027") },
          );
        return fc.oneof(
          {
            weight: 4,
            arbitrary: fc.constantFrom("TPS54331D", "EOL", "LTB", "dead", "SiliconExpert", "TI", "ti.com"),
          },
          { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
          { weight: 2, arbitrary: nastyString },
        );
      case "integer":
      case "number":
        return fc.oneof(fc.integer(), fc.double(), hugeNumber);
      case "boolean":
        return fc.boolean();
      case "array":
        return fc.array(fromSchema(s.items, depth + 1, clean), { maxLength: 4 });
      case "object": {
        const props = Object.entries(s.properties ?? {});
        const required = new Set(s.required ?? []);
        return fc
          .tuple(
            fc.tuple(
              ...props.map(([k, v]) =>
                fc.tuple(
                  fc.constant(k),
                  fromSchema(v, depth + 1, clean),
                  // Required fields present 90% of the time, optional ones 50%.
                  fc.double({ min: 0, max: 1, noNaN: true }).map((r) => r < (required.has(k) ? 0.9 : 0.5)),
                ),
              ),
            ),
            fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
          )
          .map(([entries, extra]) => {
            const o: Record<string, unknown> = { ...extra };
            for (const [k, v, keep] of entries) if (keep) o[k] = v;
            return o;
          });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  if (clean) return wellFormed;
  // Wrong types 10% of the time, null where it is not allowed 5%.
  return fc.oneof(
    { weight: 17, arbitrary: wellFormed },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

const deepNesting = fc.integer({ min: 50, max: 20_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`);

/** Bytes of a JSON body, well-formed or broken at the byte level. */
function jsonBytes(value: fc.Arbitrary<unknown>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 10, arbitrary: value.map((v) => Buffer.from(JSON.stringify(v) ?? "null")) },
    {
      weight: 2,
      arbitrary: fc.tuple(value, fc.double({ min: 0, max: 1, noNaN: true })).map(([v, r]) => {
        const s = Buffer.from(JSON.stringify(v) ?? "null");
        return s.subarray(0, Math.floor(s.length * r));
      }),
    },
    {
      weight: 1,
      arbitrary: value.map((v) => {
        const s = JSON.stringify(v) ?? "{}";
        // Duplicate keys: the same field twice with different values.
        return Buffer.from(
          s.startsWith("{") && s.length > 2 ? `{"part_number":"A","part_number":"B",${s.slice(1)}` : s,
        );
      }),
    },
    {
      weight: 1,
      arbitrary: value.map((v) =>
        Buffer.concat([
          Buffer.from((JSON.stringify(v) ?? "").slice(0, 20)),
          Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]),
        ]),
      ),
    },
    { weight: 1, arbitrary: deepNesting.map((s) => Buffer.from(s)) },
    // Over MAX_JSON_BYTES (1 MiB): rare, since each costs a megabyte on the wire.
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 0, max: 40 })
        .map((n) => (n === 0 ? Buffer.alloc(1_100_000, 0x61) : Buffer.from("{}"))),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{"a":1e999999}', '{"a":-0}', '"just a string"', "12", "null", "")
        .map((s) => Buffer.from(s)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  );
}

const boundary = fc.stringMatching(/^[A-Za-z0-9'()+_,-./:=?]{1,70}$/);

/** Multipart and urlencoded bodies: well-formed, truncated, wrong boundary. */
const formBody: fc.Arbitrary<{ body: Buffer; contentType: string }> = fc.oneof(
  fc
    .tuple(
      boundary,
      fc.array(
        fc.tuple(
          fc.constantFrom(
            "from",
            "to",
            "subject",
            "text",
            "html",
            "email",
            "envelope",
            "body-mime",
            "message-url",
            "assemblies",
            "parts",
            "bom",
            "attachment-1",
            "attachment-count",
            "timestamp",
            "token",
            "signature",
            "x",
          ),
          nastyString,
          fc.boolean(),
        ),
        { maxLength: 6 },
      ),
      fc.constantFrom("ok", "truncate", "wrong-boundary", "no-boundary", "no-final"),
    )
    .map(([b, fields, mode]) => {
      let s = "";
      for (const [name, value, asFile] of fields)
        s += `--${b}\r\nContent-Disposition: form-data; name="${name}"${asFile ? `; filename="${name}.csv"\r\nContent-Type: text/csv` : ""}\r\n\r\n${value}\r\n`;
      if (mode !== "no-final") s += `--${b}--\r\n`;
      let body = Buffer.from(s);
      if (mode === "truncate") body = body.subarray(0, Math.floor(body.length / 2));
      const ct =
        mode === "wrong-boundary"
          ? `multipart/form-data; boundary=${b}x`
          : mode === "no-boundary"
            ? "multipart/form-data"
            : `multipart/form-data; boundary=${b}`;
      return { body, contentType: ct };
    }),
  fc.array(fc.tuple(fc.string({ maxLength: 12 }), nastyString), { maxLength: 6 }).map((pairs) => ({
    body: Buffer.from(new URLSearchParams(pairs).toString()),
    contentType: "application/x-www-form-urlencoded",
  })),
  fc.constantFrom("a=%ZZ&b=%", "=&&=", "a".repeat(5000)).map((s) => ({
    body: Buffer.from(s),
    contentType: "application/x-www-form-urlencoded",
  })),
);

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "application/json; charset=utf-16",
  "APPLICATION/JSON",
  "application/json;;;",
  "text/plain",
  "text/plain; charset=UTF-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "application/xml",
  "foo/bar",
  "",
];

const pathParam = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: fc.constantFrom("TPS54331D", "1", "0", "-1", "999999999999999999999") },
  { weight: 3, arbitrary: nastyString.map((s) => pct(s.slice(0, 300)).replace(/%25/g, "%")) },
  { weight: 1, arbitrary: fc.constantFrom("%00", "%2e%2e", "%2F", "a%2Fb", "%ff", "%c0%af", "%ED%A0%80") },
);

const queryString = fc.oneof(
  fc.constant(""),
  fc
    .array(
      fc.tuple(
        fc.constantFrom(
          "sort",
          "limit",
          "offset",
          "state",
          "status",
          "manufacturer",
          "key",
          "q",
          "severity",
          "x",
        ),
        fc.oneof(fc.constantFrom("exposure", "-1", "1e9", "NaN", "0", "100000"), nastyString),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${pct(v.slice(0, 200))}`).join("&")}`),
  fc.constantFrom("?%00=1", "?a=%ZZ", "?&&&", "?limit=1&limit=2"),
);

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

/** The right credential for the route most of the time; none, the other route kind's, or garbage otherwise. */
function authHeaders(creds: Credentials, route: string): fc.Arbitrary<Record<string, string>> {
  const jsonIngest = route === "/v1/ingest/component-alert" || route === "/v1/ingest/email-forward";
  const right = jsonIngest ? creds.ingestToken : creds.apiToken;
  const other = jsonIngest ? creds.apiToken : creds.ingestToken;
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant<Record<string, string>>({ authorization: `Bearer ${right}` }) },
    { weight: 1, arbitrary: fc.constant<Record<string, string>>({ authorization: `Bearer ${other}` }) },
    { weight: 2, arbitrary: fc.constant<Record<string, string>>({}) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { authorization: "Bearer wrong-token" },
        { authorization: "Basic Zm9vOmJhcg==" },
        { authorization: "Bearer" },
        { authorization: "\u00ff\u00fe" },
        { "x-eolgate-signature": "sha256=00" },
      ),
    },
  );
}

/** One request arbitrary over every documented route. */
export function requestsFrom(doc: OpenApiDoc, creds: Credentials): fc.Arbitrary<FuzzRequest> {
  const routes = Object.entries(doc.paths).flatMap(([route, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ route, method: method.toUpperCase(), op })),
  );
  return fc.constantFrom(...routes).chain(({ route, method, op }) => {
    const names = [...route.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const jsonSchema = op.requestBody?.content?.["application/json"]?.schema;
    const body: fc.Arbitrary<{ body: Buffer | null; contentType: string | null }> = fc.oneof(
      {
        weight: 4,
        arbitrary: fromSchema(jsonSchema, 0, true).map((v) => ({
          body: Buffer.from(JSON.stringify(v)),
          contentType: "application/json",
        })),
      },
      {
        weight: 6,
        arbitrary: jsonBytes(fromSchema(jsonSchema)).map((b) => ({
          body: b,
          contentType: "application/json",
        })),
      },
      { weight: 3, arbitrary: formBody },
      { weight: 1, arbitrary: fc.constant({ body: null, contentType: null }) },
    );
    return fc
      .record({
        method: fc.oneof(
          { weight: 8, arbitrary: fc.constant(method) },
          { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
        ),
        params: fc.tuple(...names.map(() => pathParam)),
        query: queryString,
        body,
        contentType: fc.oneof(
          { weight: 6, arbitrary: fc.constant(null) },
          { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
        ),
        auth: authHeaders(creds, route),
        extra: fc.constantFrom<Record<string, string>>(
          {},
          {},
          { "idempotency-key": "fuzz-key" },
          { "x-amz-sns-message-type": "Notification" },
          {
            "x-amz-sns-rawdelivery": "true",
            "x-amz-sns-message-type": "Notification",
            "x-amz-sns-message-id": "m",
          },
          { "content-encoding": "gzip" },
        ),
      })
      .map(({ method: m, params, query, body: b, contentType, auth, extra }) => {
        let path = route;
        names.forEach((n, i) => {
          path = path.replace(`{${n}}`, params[i] ?? "");
        });
        const headers: Record<string, string> = { ...auth, ...extra };
        const ct = contentType ?? b.contentType;
        if (ct) headers["content-type"] = ct;
        const hasBody = m !== "GET" && m !== "HEAD" && b.body !== null;
        return { method: m, route, path: path + query, headers, body: hasBody ? b.body : null };
      });
  });
}

/** Percent-encodes the UTF-8 bytes of a string (encodeURIComponent throws on a lone surrogate). */
function pct(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

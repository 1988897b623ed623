/** Where in a payload, and why it cannot be stored (the shape of a 422 issue). */
export interface TextIssue {
  path: string;
  message: string;
}

/**
 * PostgreSQL `text` cannot hold U+0000, and a UTF-16 string with a lone surrogate has no UTF-8 form:
 * either makes an insert fail later, after the sender was told 202. Such values are refused at the
 * door, naming where they sit (a JSON path, or `params.mpn`, `query.sort`…). Keys are checked too,
 * since unknown field names end up in the schema-drift table.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function unstorableReason(s: string): string | null {
  const m = UNSTORABLE.exec(s);
  if (!m) return null;
  return m[0] === "\u0000" ? "contains a NUL character" : "contains a lone UTF-16 surrogate";
}

/** Every place in `value` (nested objects and arrays, keys and strings) the store cannot hold. */
export function unstorableText(value: unknown, root = "", max = 20): TextIssue[] {
  const issues: TextIssue[] = [];
  // Iterative walk: a deeply nested body must not overflow the stack.
  const stack: { v: unknown; path: string }[] = [{ v: value, path: root }];
  while (stack.length > 0 && issues.length < max) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      const reason = unstorableReason(v);
      if (reason) issues.push({ path: path || "(body)", message: reason });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: join(path, String(i)) });
    } else if (v !== null && typeof v === "object" && !Buffer.isBuffer(v)) {
      for (const [k, child] of Object.entries(v).reverse()) {
        const reason = unstorableReason(k);
        const p = join(path, reason ? JSON.stringify(k).slice(1, -1) : k);
        if (reason) issues.push({ path: p, message: `field name ${reason}` });
        else stack.push({ v: child, path: p });
      }
    }
  }
  return issues;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * The deterministic clean-up for text the gateway did not write and cannot refuse (an e-mail already
 * accepted in its provider's raw form): NUL removed, each lone surrogate replaced by U+FFFD. The
 * same input always gives the same output, so re-reading a stored message gives the same notices.
 */
export function storableText(s: string): string {
  if (unstorableReason(s) === null) return s;
  return s.split("\u0000").join("").replace(LONE_SURROGATE, "\ufffd");
}

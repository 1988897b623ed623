import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { lexer, type Token, type Tokens } from "marked";
import { describe, expect, it } from "vitest";

/**
 * The README and the pages it sends a reader to, read the way a renderer reads them (marked, a
 * CommonMark/GFM parser): every section renders as a section (a fence left open would swallow the
 * ones after it into a code block), and every file it names is in the repository (a fresh clone has
 * nothing beside it).
 */
const ROOT = join(import.meta.dirname, "..", "..");
const PAGES = [
  "README.md",
  "examples/README.md",
  "docs/api.md",
  "docs/bom-files.md",
  "docs/impact-model.md",
  "docs/email-providers.md",
];

function walk(tokens: readonly Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    const nested = (t as { tokens?: Token[] }).tokens;
    if (nested) walk(nested, visit);
    if (t.type === "list") for (const item of (t as Tokens.List).items) walk(item.tokens, visit);
    if (t.type === "table") {
      const table = t as Tokens.Table;
      for (const cell of [...table.header, ...table.rows.flat()]) walk(cell.tokens, visit);
    }
  }
}

/** Repository paths a page names: in code spans, code blocks and links. */
const PATH =
  /(?:^|[\s`'"(@=])((?:\.\/)?(?:docs|examples|src|test|bench|\.ci)\/[\w.*<>/-]*[\w*]|\.env\.example)/g;

function namedPaths(page: string): string[] {
  const out = new Set<string>();
  walk(lexer(readFileSync(join(ROOT, page), "utf8")), (t) => {
    const text =
      t.type === "codespan" || t.type === "code"
        ? (t as Tokens.Codespan | Tokens.Code).text
        : t.type === "link"
          ? (t as Tokens.Link).href
          : "";
    for (const m of text.matchAll(PATH)) out.add(m[1]!.replace(/^\.\//, ""));
  });
  return [...out];
}

/** A path exists; `dir/*.eml` needs at least one match; `…/<x>` placeholders are not files. */
function exists(path: string): boolean {
  if (path.includes("<")) return true;
  if (path.includes("*")) {
    const dir = join(ROOT, dirname(path));
    const suffix = path.slice(path.lastIndexOf("*") + 1);
    return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith(suffix));
  }
  return existsSync(join(ROOT, path));
}

describe("the README as rendered", () => {
  const source = readFileSync(join(ROOT, "README.md"), "utf8");
  const tokens = lexer(source);

  it("renders every section as a section: no fence swallows what follows", () => {
    const rendered = tokens
      .filter((t): t is Tokens.Heading => t.type === "heading" && t.depth === 2)
      .map((h) => h.text);
    // Every line that reads as a section heading in the source is one once rendered.
    const written: string[] = [];
    let fence: string | null = null;
    for (const line of source.split("\n")) {
      const f = /^(`{3,}|~{3,})/.exec(line);
      if (f) fence = fence === null ? f[1]! : line.startsWith(fence) ? null : fence;
      else if (fence === null && line.startsWith("## ")) written.push(line.slice(3).trim());
    }
    expect(rendered).toEqual(written);
    expect(rendered).toEqual([
      "The two commands",
      "Your first case, step by step",
      "Where your data is",
      "Sending notices",
      "Your BOM, and assessing a part",
      "Commands",
      "Lifecycle platforms that do not push",
      "Running on PostgreSQL and Redis",
      "People and decisions",
      "The console",
      "Settings",
      "Extraction quality",
      "Where to read on",
    ]);
    // Each code block holds commands or output only: none runs on into prose or a table.
    for (const code of tokens.filter((t): t is Tokens.Code => t.type === "code")) {
      expect(code.lang).toMatch(/^(sh|text)$/);
      expect(code.text).not.toMatch(/^\| |^## |^The |^Every /m);
    }
  });

  it("puts every setting of the configuration in its settings table", async () => {
    const { ConfigSchema } = await import("../../src/config.ts");
    const table = tokens.find(
      (t): t is Tokens.Table => t.type === "table" && t.header[0]?.text === "setting",
    );
    const named = (table?.rows ?? []).map((r) => r[0]!.text).join(" ");
    for (const key of Object.keys(ConfigSchema.shape))
      expect({ key, named: named.includes(`\`${key}\``) }).toEqual({ key, named: true });
  });
});

describe.each(PAGES)("%s works on a plain clone", (page) => {
  const text = readFileSync(join(ROOT, page), "utf8");

  it("names only files that are in the repository", () => {
    const missing = namedPaths(page).filter((p) => !exists(p));
    expect(missing).toEqual([]);
  });

  it("sends the reader nowhere outside it (no ../ paths, no design document they do not have)", () => {
    expect(text).not.toMatch(/\.\.\/shared|\/work\/shared|DESIGN §|DESIGN\.md/);
  });
});

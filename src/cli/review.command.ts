import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { reviewedAsLabels } from "../extract/labels.export.ts";
import { openConfiguredStore } from "../main.ts";
import { reviewedNotices } from "../review/review.query.ts";
import { runningGateway } from "./gateway.api.ts";
import { parseOrUsage } from "./usage.ts";

const USAGE =
  "usage: eolgate review export [--out FILE]\n" +
  "  the reviewed messages as a labelled set in the format of corpus/emails/labels.json\n" +
  "  (what GET /v1/review/export answers), to FILE or standard output\n";

/** `eolgate review export`: exit 0 written, 2 usage. */
export async function run(args: string[]): Promise<number> {
  const o = parseOrUsage("review", USAGE, () => parse(args));
  if (!o) return 2;
  const config = loadConfig();
  // The embedded store belongs to a running gateway: ask it when one answers.
  const gw = config.store.DATABASE_URL ? null : await runningGateway(config.http);
  let labels: unknown;
  if (gw) {
    const res = await gw.fetch("GET", "/v1/review/export");
    if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
    labels = await res.json();
  } else {
    const db = await openConfiguredStore(config);
    try {
      labels = reviewedAsLabels(await reviewedNotices(db));
    } finally {
      await db.close();
    }
  }
  const text = `${JSON.stringify(labels, null, 2)}\n`;
  if (o.out) {
    await writeFile(o.out, text);
    process.stderr.write(`wrote ${o.out} (${(labels as unknown[]).length} messages)\n`);
  } else process.stdout.write(text);
  return 0;
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { out: { type: "string" } },
  });
  if (positionals[0] !== "export" || positionals.length !== 1)
    throw new Error(positionals[0] ? `unknown subcommand '${positionals.join(" ")}'` : "missing subcommand");
  return { out: values.out };
}

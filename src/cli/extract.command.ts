/**
 * `eolgate extract [FILE.eml…]` (DESIGN §5): one JSON line per message, in argument order, with the
 * labels.json notice fields plus each notice's confidence, reasons, review flag, how it was found
 * and its source. Stdin is read when no file is given. A file that cannot be read or parsed gets a
 * line with "error"; the run goes on and exits 1. `--bom DIR` scans each message for the parts and
 * alternates of the BOM CSVs in DIR (parts.csv, alternates.csv).
 */
import { readFile } from "node:fs/promises";
import { type BomScanner, buildBomScanner } from "../extract/bom.scan.ts";
import { extractFromEmail } from "../extract/extract.email.ts";
import { parseMime } from "../mail/mime.ts";
import { readBomRefs } from "./bom-refs.file.ts";

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

function describe(err: unknown): string {
  if (err && typeof err === "object" && "code" in err && err.code === "ENOENT") return "file not found";
  return err instanceof Error ? err.message : String(err);
}

/** One message → one JSON line (or an error line). */
export async function extractLine(
  file: string,
  load: () => Promise<Buffer>,
  bom: BomScanner | null = null,
): Promise<{ line: string; ok: boolean }> {
  try {
    const raw = await load();
    if (raw.byteLength === 0) throw new Error("empty message");
    const email = await parseMime(raw, "json");
    if (!email.text && !email.html && email.attachments.length === 0)
      throw new Error("no body or attachment found");
    const now = email.date ? new Date(email.date) : new Date();
    const result = await extractFromEmail(email, { now, bom });
    return { line: JSON.stringify({ file, ...result }), ok: true };
  } catch (err) {
    return {
      line: JSON.stringify({ file, error: describe(err), is_lifecycle_notice: false, notices: [] }),
      ok: false,
    };
  }
}

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(
      "usage: eolgate extract [--bom DIR] [FILE.eml…]   (reads one message from stdin when no file is given)\n",
    );
    return 0;
  }
  let bom: BomScanner | null = null;
  const at = args.indexOf("--bom");
  if (at >= 0) {
    const dir = args[at + 1];
    if (!dir) {
      process.stderr.write("eolgate extract: --bom needs a folder with parts.csv\n");
      return 2;
    }
    try {
      bom = buildBomScanner(readBomRefs(dir));
    } catch (err) {
      process.stderr.write(
        `eolgate extract: --bom ${dir}: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return 2;
    }
    args = args.filter((_, i) => i !== at && i !== at + 1);
  }
  const files = args.length ? args : ["-"];
  let failed = 0;
  for (const file of files) {
    const { line, ok } = await extractLine(
      file === "-" ? "<stdin>" : file,
      () => (file === "-" ? readStdin() : readFile(file)),
      bom,
    );
    if (!ok) failed++;
    process.stdout.write(`${line}\n`);
  }
  return failed > 0 ? 1 : 0;
}

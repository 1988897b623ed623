import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.ts";
import { type Gateway, startGateway } from "../../src/main.ts";
import { silent, waitFor } from "../pipeline/pipeline.support.ts";

/** The sample company of examples/ (BOM and notices), sent to a real embedded gateway as providers would. */
export const EXAMPLES = join(import.meta.dirname, "..", "..", "examples");
export const EXAMPLE_BOM = join(EXAMPLES, "bom");

export interface ConsoleGateway {
  gw: Gateway;
  url: string;
  close(): Promise<void>;
}

/** An embedded gateway (API and worker in one process) on a fresh data folder. */
export async function startConsoleGateway(env: Record<string, string> = {}): Promise<ConsoleGateway> {
  const dir = mkdtempSync(join(tmpdir(), "eolgate-console-gw-"));
  const gw = await startGateway(
    loadConfig({ DATA_DIR: dir, PORT: "0", LOG_LEVEL: "silent", PIPELINE_POLL_MS: "50", ...env }),
    silent,
  );
  return {
    gw,
    url: gw.url!,
    async close() {
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Posts example notices (all, or those whose file names match) the way their sources do; returns trace ids. */
export async function sendExampleNotices(url: string, match: RegExp = /./): Promise<string[]> {
  const traces: string[] = [];
  for (const file of readdirSync(join(EXAMPLES, "notices")).sort()) {
    if (!match.test(file)) continue;
    const body = readFileSync(join(EXAMPLES, "notices", file), "utf8");
    const res = file.endsWith(".json")
      ? await fetch(`${url}/v1/ingest/component-alert`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        })
      : await fetch(`${url}/v1/ingest/email/mailgun`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            recipient: "pcn@kestrel-controls.example",
            "body-mime": body,
          }).toString(),
        });
    const out = (await res.json()) as { trace_id?: string };
    if (res.status !== 202 || !out.trace_id) throw new Error(`${file}: ${res.status} ${JSON.stringify(out)}`);
    traces.push(out.trace_id);
  }
  return traces;
}

/** Waits until every trace has finished (completed or dead). */
export async function waitForTraces(
  url: string,
  traces: readonly string[],
  headers: Record<string, string> = {},
): Promise<void> {
  for (const t of traces) {
    await waitFor(
      async () =>
        ((await (await fetch(`${url}/v1/notices/${t}`, { headers })).json()) as { status: string }).status,
      (s) => s === "completed" || s === "dead",
      `notice ${t}`,
      60_000,
    );
  }
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, inject, it } from "vitest";
import { SEED_ALERT } from "../support/gateway.ts";
import { spawnEolgate } from "../support/process.ts";
import { freePort } from "../support/services.ts";
import { createTestDatabase, describeEachStore } from "../support/stores.ts";

describeEachStore("durability", (kind) => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("keeps a notice acknowledged with 202 through a kill -9 right after the answer", {
    timeout: 120_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "eolgate-kill-"));
    dirs.push(dataDir);
    const env: Record<string, string> = { DATA_DIR: dataDir, PORT: String(await freePort()) };
    if (kind === "postgres") {
      if (!inject("postgresUrl")) return;
      env.DATABASE_URL = await createTestDatabase();
    }
    const first = await spawnEolgate(["serve"], env);
    const acks: string[] = [];
    try {
      // A stream of distinct alerts; the process dies the moment the last 202 arrives.
      const posts = Array.from({ length: 50 }, async (_, i) => {
        const res = await fetch(`${first.url}/v1/ingest/component-alert`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...SEED_ALERT, part_number: `KILL-${i}` }),
        });
        if (res.status === 202) acks.push(((await res.json()) as { trace_id: string }).trace_id);
      });
      await Promise.all(posts);
    } finally {
      await first.kill("SIGKILL");
    }
    expect(acks).toHaveLength(50);

    const second = await spawnEolgate(["serve"], { ...env, PORT: String(await freePort()) });
    try {
      for (const id of acks) {
        const r = await fetch(`${second.url}/v1/notices/${id}`);
        expect(r.status, `notice ${id} after restart`).toBe(200);
      }
      const again = await fetch(`${second.url}/v1/ingest/component-alert`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...SEED_ALERT, part_number: "KILL-0" }),
      });
      expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    } finally {
      await second.kill("SIGTERM");
    }
  });
});

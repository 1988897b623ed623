import pg from "pg";
import type { QueryResult, Sql, SqlDriver } from "./driver.ts";

// int8 and numeric come back as strings by default; counts and money here fit a double, and the
// repositories round money explicitly, so parse them as numbers like PGlite does.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface PostgresOptions {
  url: string;
  poolSize?: number;
}

/** A PostgreSQL server through a node-postgres pool. */
export async function openPostgres(opts: PostgresOptions): Promise<SqlDriver> {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener that would
  // crash the process. The next query reports the outage to its caller instead.
  pool.on("error", () => {});
  const run = async <Row>(
    client: Pick<pg.Pool, "query">,
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>> => {
    const r = await client.query(text, params ? [...params] : undefined);
    return { rows: r.rows as Row[], affected: r.rowCount ?? 0 };
  };
  const driver: SqlDriver = {
    kind: "postgres",
    query: (text, params) => run(pool, text, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const tx: Sql = { query: (text, params) => run(client, text, params) };
        const out = await fn(tx);
        await client.query("commit");
        return out;
      } catch (err) {
        await client.query("rollback").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(text) {
      await pool.query(text);
    },
    async ping() {
      await pool.query("select 1");
    },
    close: () => pool.end(),
  };
  try {
    await driver.ping();
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  return driver;
}

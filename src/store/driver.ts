/**
 * The SQL driver port. One dialect (PostgreSQL) behind two adapters: PGlite (embedded, in-process)
 * and node-postgres (a PostgreSQL server). Repositories take a `Sql` and never know which.
 * Parameters are positional ($1, $2…) as in PostgreSQL.
 */
export interface QueryResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted by the statement (0 for a select). */
  affected: number;
}

export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export interface SqlDriver extends Sql {
  readonly kind: "pglite" | "postgres";
  /**
   * Runs `fn` in one transaction on one connection: committed when `fn` resolves, rolled back when it
   * throws. Statements inside must use the `tx` given, never the driver itself.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Several statements separated by semicolons, no parameters (migrations). */
  exec(text: string): Promise<void>;
  /** A cheap round trip, for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store could not be reached or failed: the request should be retried later (HTTP 503). */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
}

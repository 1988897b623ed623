/**
 * Engineering alerts (circuit opened, unconfirmed sends, dead letters) to ENGINEERING_WEBHOOK_URL,
 * posted as Slack-compatible `{"text": …}` JSON. Rate-limited and aggregated: at most one post per
 * `minIntervalMs`; alerts raised in between are counted by key and sent together in the next post,
 * so an outage produces a handful of messages, not one per failed row.
 * Without a URL, alerts only go to the log. Posting failures are logged, never thrown: an alert
 * must not break the work that raised it.
 */
export interface EngineeringAlert {
  /** Groups repeats (e.g. `circuit:slack:ab12…`, `dead:invalid_payload`). */
  key: string;
  summary: string;
}

export interface EngineeringAlerter {
  alert(a: EngineeringAlert): void;
  /** Sends what is waiting now, regardless of the interval (used on stop and in tests). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export interface AlertLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface EngineeringAlerterOptions {
  url?: string | undefined;
  now: () => number;
  logger: AlertLogger;
  minIntervalMs?: number;
  timeoutMs?: number;
  /** Injected for tests; defaults to global fetch. */
  fetch?: typeof fetch;
}

export function createEngineeringAlerter(opts: EngineeringAlerterOptions): EngineeringAlerter {
  const interval = opts.minIntervalMs ?? 60_000;
  const doFetch = opts.fetch ?? fetch;
  const waiting = new Map<string, { summary: string; count: number }>();
  let lastPost = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();

  const post = async () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (waiting.size === 0) return;
    const items = [...waiting.values()];
    waiting.clear();
    lastPost = opts.now();
    const lines = items.map((i) => `• ${i.summary}${i.count > 1 ? ` (×${i.count})` : ""}`);
    const text = `:rotating_light: eolgate notifications: ${items.reduce((s, i) => s + i.count, 0)} alert(s)\n${lines.join("\n")}`;
    if (!opts.url) return;
    try {
      const res = await doFetch(opts.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      if (!res.ok) opts.logger.error({ status: res.status }, "engineering alert webhook refused the alert");
    } catch (e) {
      opts.logger.error(
        { err: e instanceof Error ? e.name : "Error" },
        "engineering alert webhook unreachable",
      );
    }
  };
  const schedule = () => {
    const wait = lastPost + interval - opts.now();
    if (wait <= 0) {
      inFlight = inFlight.then(post);
      return;
    }
    if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        inFlight = inFlight.then(post);
      }, wait);
      timer.unref();
    }
  };
  return {
    alert(a) {
      opts.logger.warn({ alert: a.key }, a.summary);
      const w = waiting.get(a.key);
      if (w) w.count++;
      else waiting.set(a.key, { summary: a.summary, count: 1 });
      schedule();
    },
    async flush() {
      inFlight = inFlight.then(post);
      await inFlight;
    },
    async stop() {
      await this.flush();
    },
  };
}

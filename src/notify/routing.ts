import { createHash } from "node:crypto";
import { z } from "zod";
import { ConfigError } from "../config.ts";
import type { NotificationCase } from "./notification.types.ts";

/**
 * Routing: which destinations a case event goes to. Pure.
 *
 * Operators write routes in one env variable, `NOTIFY_ROUTES`, as JSON mapping a route name (the
 * `notify_channel` of assemblies.csv) to destinations written `<channel>:<url>`:
 *   NOTIFY_ROUTES={"instruments":["slack:https://hooks.slack.com/services/…","teams:https://…"],"default":["webhook:https://erp.example/hooks/eol"]}
 * `SLACK_WEBHOOK_URL`, `TEAMS_WEBHOOK_URL` and `WEBHOOK_URL`, when set, are added to the `default` route.
 * URLs are secrets (a Slack webhook URL is its own credential): rows and logs carry only the
 * destination key, `<channel>:<first 16 hex of sha256(url)>`, and the URL is looked up at send time.
 */
export const CHANNEL_KINDS = ["slack", "teams", "webhook"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface Destination {
  key: string;
  channel: ChannelKind;
  url: string;
}

export interface Routing {
  /** Route name → destinations. The route named `default` receives every notified case. */
  routes: ReadonlyMap<string, readonly Destination[]>;
  /** Every configured destination by key (what the dispatcher sends to). */
  destinations: ReadonlyMap<string, Destination>;
  /** Cases with less revenue at risk than this send nothing. */
  minRevenueAtRisk: number;
}

export const DEFAULT_ROUTE = "default";

export function destinationKey(channel: ChannelKind, url: string): string {
  return `${channel}:${createHash("sha256").update(url).digest("hex").slice(0, 16)}`;
}

export function parseDestination(spec: string): Destination | { error: string } {
  const m = /^(slack|teams|webhook):(https?:\/\/.+)$/.exec(spec.trim());
  if (!m) return { error: "must be <slack|teams|webhook>:<http(s) URL>" };
  const channel = m[1] as ChannelKind;
  try {
    const url = new URL(m[2]!).href;
    return { key: destinationKey(channel, url), channel, url };
  } catch {
    return { error: "has an invalid URL" };
  }
}

const RoutesJson = z.record(z.string().min(1), z.array(z.string()));

export interface RoutingSettings {
  NOTIFY_ROUTES?: string | undefined;
  SLACK_WEBHOOK_URL?: string | undefined;
  TEAMS_WEBHOOK_URL?: string | undefined;
  WEBHOOK_URL?: string | undefined;
  NOTIFY_MIN_REVENUE_AT_RISK: number;
}

/**
 * Builds the routing from settings. Throws ConfigError naming `NOTIFY_ROUTES` (and the route and
 * position, never the URL) when it is not valid, so a bad env file stops the process at start.
 */
export function routingFromSettings(s: RoutingSettings): Routing {
  const problems: { variable: string; message: string }[] = [];
  let raw: Record<string, string[]> = {};
  if (s.NOTIFY_ROUTES) {
    let json: unknown;
    try {
      json = JSON.parse(s.NOTIFY_ROUTES);
    } catch {
      json = undefined;
      problems.push({ variable: "NOTIFY_ROUTES", message: "is not valid JSON" });
    }
    if (json !== undefined) {
      const r = RoutesJson.safeParse(json);
      if (r.success) raw = r.data;
      else
        problems.push({
          variable: "NOTIFY_ROUTES",
          message: 'must be a JSON object {"route": ["channel:url", …]}',
        });
    }
  }
  const routes = new Map<string, Destination[]>();
  const destinations = new Map<string, Destination>();
  const add = (route: string, d: Destination) => {
    const list = routes.get(route) ?? [];
    if (!list.some((x) => x.key === d.key)) list.push(d);
    routes.set(route, list);
    destinations.set(d.key, d);
  };
  for (const [route, specs] of Object.entries(raw)) {
    specs.forEach((spec, i) => {
      const d = parseDestination(spec);
      if ("error" in d)
        problems.push({ variable: "NOTIFY_ROUTES", message: `route "${route}" entry ${i + 1} ${d.error}` });
      else add(route, d);
    });
  }
  const singles: [ChannelKind, string | undefined][] = [
    ["slack", s.SLACK_WEBHOOK_URL],
    ["teams", s.TEAMS_WEBHOOK_URL],
    ["webhook", s.WEBHOOK_URL],
  ];
  for (const [channel, url] of singles) {
    if (!url) continue;
    const d = parseDestination(`${channel}:${url}`);
    if (!("error" in d)) add(DEFAULT_ROUTE, d);
  }
  if (problems.length) throw new ConfigError(problems);
  return { routes, destinations, minRevenueAtRisk: s.NOTIFY_MIN_REVENUE_AT_RISK };
}

export type RouteDecision =
  | { kind: "send"; destinations: Destination[]; notes: string[] }
  | { kind: "skip"; reason: string };

/**
 * The destinations of one case event: the routes of the products it hits plus `default`, each
 * destination once. A case no product with future demand uses, a case to act on with nothing to do
 * (recommendation `none`), and exposure under the threshold send nothing; a review or watch case
 * (the part is still orderable, DESIGN §6 step 0) is sent so its products' people see it.
 */
export function route(c: NotificationCase, routing: Routing): RouteDecision {
  if (c.affected.length === 0) return { kind: "skip", reason: "no product with future demand uses the part" };
  if (c.recommendation === "none" && (c.attention ?? "act") === "act")
    return { kind: "skip", reason: "recommendation is none" };
  if (c.revenue_at_risk < routing.minRevenueAtRisk)
    return {
      kind: "skip",
      reason: `revenue at risk ${c.revenue_at_risk} is below the threshold ${routing.minRevenueAtRisk}`,
    };
  const notes: string[] = [];
  const names = new Set<string>();
  for (const a of c.affected) if (a.notify_channel) names.add(a.notify_channel);
  names.add(DEFAULT_ROUTE);
  const out = new Map<string, Destination>();
  for (const name of names) {
    const ds = routing.routes.get(name);
    if (!ds) {
      if (name !== DEFAULT_ROUTE) notes.push(`unknown route "${name}"`);
      continue;
    }
    for (const d of ds) out.set(d.key, d);
  }
  if (out.size === 0) return { kind: "skip", reason: "no destination configured for its routes" };
  return { kind: "send", destinations: [...out.values()], notes };
}

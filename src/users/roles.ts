import { z } from "zod";

/**
 * Roles and what they may do (DESIGN §11), pure. Roles are ordered: each includes the ones before it.
 *  - viewer: reads everything the API shows (cases, events, notices, exports, dead letters);
 *  - decider: also acts on cases (acknowledge, assign, decide, start, close, dismiss, reopen, comment);
 *  - admin: also manages users, replays dead letters and imports the BOM.
 */
export const ROLES = ["viewer", "decider", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const Role = z.enum(ROLES);

export function hasRole(granted: Role, needed: Role): boolean {
  return ROLES.indexOf(granted) >= ROLES.indexOf(needed);
}

/**
 * Names no person may take: they mark who acted when no user did (the bootstrap `API_TOKEN`, an open
 * local trial, the gateway itself reopening a case), so an event's actor is never ambiguous.
 */
export const RESERVED_ACTORS = ["api-token", "anonymous", "system"] as const;

/** A user name: what events show as the actor, so short, printable, and never a reserved name. */
export const UserName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._@+ -]*$/u, "letters, digits, and . _ @ + - or spaces after the first")
  .refine((n) => !(RESERVED_ACTORS as readonly string[]).includes(n.toLowerCase()), "is a reserved name");

/** Who is calling, once authenticated: what the workflow records as the actor and checks the role of. */
export interface Principal {
  /** The user's name, or a reserved actor name. */
  name: string;
  role: Role;
  /** null for the bootstrap token and an open local trial. */
  userId: string | null;
  via: "user_token" | "api_token" | "open" | "slack" | "session";
}

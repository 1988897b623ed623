import { z } from "zod";
import type { Sql } from "../store/driver.ts";
import { Role, UserName } from "./roles.ts";
import { hashToken, newToken, newUserId } from "./token.ts";
import { disableUser, insertUser, listUsers, type UserRecord } from "./users.repository.ts";

/** Adding, listing and disabling users; shared by `eolgate users` and `/v1/users`. */
export const NewUser = z
  .object({
    name: UserName,
    role: Role,
    email: z.email().max(254).nullable().optional(),
    slack_user_id: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,30}$/, "a Slack user id, like U024BE7LH")
      .nullable()
      .optional(),
  })
  .strict();
export type NewUser = z.infer<typeof NewUser>;

export type AddUserOutcome =
  | { kind: "created"; user: UserRecord; token: string }
  | { kind: "taken"; field: string };

/** Creates a user and its token. The token is returned here once and exists nowhere else. */
export async function addUser(db: Sql, u: NewUser, now: Date): Promise<AddUserOutcome> {
  const id = newUserId();
  const token = newToken(id);
  const out = await insertUser(db, {
    id,
    name: u.name,
    role: u.role,
    email: u.email ?? null,
    slackUserId: u.slack_user_id ?? null,
    tokenHash: await hashToken(token),
    now,
  });
  return out.kind === "created" ? { kind: "created", user: out.user, token } : out;
}

export { disableUser, listUsers };

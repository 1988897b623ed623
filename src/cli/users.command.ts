import { parseArgs } from "node:util";
import { type Config, loadConfig } from "../config.ts";
import { openConfiguredStore } from "../main.ts";
import type { UserRecord } from "../users/users.repository.ts";
import { type AddUserOutcome, addUser, disableUser, listUsers, NewUser } from "../users/users.service.ts";
import { runningGateway } from "./gateway.api.ts";
import { parseOrUsage } from "./usage.ts";

const USAGE =
  "usage: eolgate users add NAME --role viewer|decider|admin [--email E] [--slack-user SLACKID]\n" +
  "       eolgate users list [--all] [--json]\n" +
  "       eolgate users disable NAME|ID\n" +
  "  add: prints the new user's token as the last line; it is shown once and only its hash is kept\n" +
  "  list: active users (--all: disabled ones too)\n" +
  "  disable: the user's token stops working at once, in every process\n";

/** `eolgate users`: exit 0 done, 1 refused (name taken, no such user), 2 usage. */
export async function run(args: string[]): Promise<number> {
  const cmd = parseOrUsage("users", USAGE, () => parse(args));
  if (!cmd) return 2;
  const config = loadConfig();
  const backend = config.store.DATABASE_URL
    ? await storeBackend(config)
    : ((await httpBackend(config.http)) ?? (await storeBackend(config)));
  try {
    if (cmd.kind === "add") {
      const out = await backend.add(cmd.user);
      if (out.kind === "taken") {
        process.stderr.write(`eolgate users: a user with that ${out.field.replace("_", " ")} exists\n`);
        return 1;
      }
      const u = out.user;
      process.stdout.write(
        `created ${u.name} (${u.id}), role ${u.role}${u.email ? `, e-mail ${u.email}` : ""}` +
          `${u.slack_user_id ? `, Slack ${u.slack_user_id}` : ""}\n` +
          "token (shown once; give it to the user, it cannot be shown again):\n" +
          `${out.token}\n`,
      );
      return 0;
    }
    if (cmd.kind === "list") {
      const users = await backend.list(cmd.all);
      if (cmd.json) for (const u of users) process.stdout.write(`${JSON.stringify(u)}\n`);
      else if (users.length === 0) process.stdout.write("no users\n");
      else for (const u of users) process.stdout.write(`${formatUser(u)}\n`);
      return 0;
    }
    const u = await backend.disable(cmd.who);
    if (!u) {
      process.stderr.write(`eolgate users: no user '${cmd.who}'\n`);
      return 1;
    }
    process.stdout.write(`disabled ${u.name} (${u.id}) at ${u.disabled_at}\n`);
    return 0;
  } finally {
    await backend.close();
  }
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      role: { type: "string" },
      email: { type: "string" },
      "slack-user": { type: "string" },
      all: { type: "boolean" },
      json: { type: "boolean" },
    },
  });
  const [cmd, ...rest] = positionals;
  if (cmd === "add") {
    if (rest.length !== 1) throw new Error("add needs one NAME (quote a name with spaces)");
    const r = NewUser.safeParse({
      name: rest[0],
      role: values.role,
      ...(values.email ? { email: values.email } : {}),
      ...(values["slack-user"] ? { slack_user_id: values["slack-user"] } : {}),
    });
    if (!r.success)
      throw new Error(
        r.error.issues
          .map((i) => `${i.path[0] === "role" ? "--role" : String(i.path[0])}: ${i.message}`)
          .join("; "),
      );
    return { kind: "add" as const, user: r.data };
  }
  if (cmd === "list") {
    if (rest.length) throw new Error("list takes no arguments");
    return { kind: "list" as const, all: values.all === true, json: values.json === true };
  }
  if (cmd === "disable") {
    if (rest.length !== 1) throw new Error("disable needs one NAME or ID");
    return { kind: "disable" as const, who: rest[0]! };
  }
  throw new Error(cmd ? `unknown subcommand '${cmd}'` : "missing subcommand");
}

function formatUser(u: UserRecord): string {
  const extra = [u.email, u.slack_user_id && `slack:${u.slack_user_id}`].filter(Boolean).join(" ");
  return `${u.id}\t${u.name}\t${u.role}\t${u.disabled_at ? `disabled ${u.disabled_at}` : "active"}\t${extra}`;
}

interface Backend {
  add(u: NewUser): Promise<AddUserOutcome>;
  list(all: boolean): Promise<UserRecord[]>;
  disable(who: string): Promise<UserRecord | null>;
  close(): Promise<void>;
}

async function storeBackend(config: Config): Promise<Backend> {
  const db = await openConfiguredStore(config);
  return {
    add: (u) => addUser(db, u, new Date()),
    list: (all) => listUsers(db, { includeDisabled: all }),
    disable: (who) => disableUser(db, who, new Date()),
    close: () => db.close(),
  };
}

async function httpBackend(config: Config["http"]): Promise<Backend | null> {
  const gw = await runningGateway(config);
  if (!gw) return null;
  const json = async (res: Response) => (await res.json()) as Record<string, unknown>;
  return {
    async add(u) {
      const res = await gw.fetch("POST", "/v1/users", { json: u });
      const body = await json(res);
      if (res.status === 201)
        return { kind: "created", user: body.user as UserRecord, token: String(body.token) };
      if (res.status === 409) return { kind: "taken", field: String(body.field) };
      throw new Error(`gateway answered ${res.status}: ${JSON.stringify(body)}`);
    },
    async list(all) {
      const res = await gw.fetch("GET", `/v1/users?include_disabled=${all}`);
      if (res.status !== 200) throw new Error(`gateway answered ${res.status}`);
      return (await json(res)).users as UserRecord[];
    },
    async disable(who) {
      const res = await gw.fetch("POST", `/v1/users/${encodeURIComponent(who)}/disable`);
      if (res.status === 404) return null;
      if (res.status !== 200) throw new Error(`gateway answered ${res.status}`);
      return (await json(res)).user as UserRecord;
    },
    close: async () => {},
  };
}

import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

/**
 * User tokens. A token is `eg_<user id>_<secret>`: the id says which single stored hash to check (no
 * scan over all users), the 32-byte random secret is the credential. Only a salted scrypt hash of the
 * whole token is stored; the token itself is shown once and never again.
 *
 * scrypt parameters: N=2^15, r=8, p=1 (32 MiB, OWASP's minimum recommendation for scrypt), 16-byte salt,
 * 32-byte key; stored as `scrypt$N$r$p$salt$hash` (base64url) so they can be raised later without
 * invalidating old tokens.
 */
const scryptAsync = promisify(scrypt) as (
  password: string | Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LEN = 32;
const maxmem = (n: number, r: number) => 128 * n * r + 1024 * 1024;

export function newUserId(): string {
  return `u${randomBytes(6).toString("hex")}`;
}

export function newToken(userId: string): string {
  return `eg_${userId}_${randomBytes(32).toString("base64url")}`;
}

/** The user id a token claims, or null when it is not shaped like one of ours. */
export function tokenUserId(token: string): string | null {
  const m = /^eg_(u[0-9a-f]{12})_[A-Za-z0-9_-]{43}$/.exec(token);
  return m ? m[1]! : null;
}

export async function hashToken(token: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await scryptAsync(token, salt, KEY_LEN, { ...PARAMS, maxmem: maxmem(PARAMS.N, PARAMS.r) });
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

/** Constant-time check of a token against its stored hash; false for a malformed hash. */
export async function verifyToken(token: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0)) return false;
  const salt = Buffer.from(parts[4]!, "base64url");
  const want = Buffer.from(parts[5]!, "base64url");
  const got = await scryptAsync(token, salt, want.length, { N: n, r, p, maxmem: maxmem(n, r) });
  return got.length === want.length && timingSafeEqual(got, want);
}

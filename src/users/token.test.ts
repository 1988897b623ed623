import { describe, expect, it } from "vitest";
import { UserName } from "./roles.ts";
import { hashToken, newToken, newUserId, tokenUserId, verifyToken } from "./token.ts";

describe("user tokens", () => {
  it("name their user, verify against a salted scrypt hash, and nothing else does", async () => {
    const id = newUserId();
    const token = newToken(id);
    expect(tokenUserId(token)).toBe(id);
    const stored = await hashToken(token);
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    // The whole secret (base64url may itself hold "_"), so a one-letter fragment never matches by chance.
    expect(stored).not.toContain(token.split("_").slice(2).join("_"));
    expect(await verifyToken(token, stored)).toBe(true);
    expect(await verifyToken(newToken(id), stored)).toBe(false);
    expect(await verifyToken(token, "scrypt$bad")).toBe(false);
    // Same token, two hashes: the salt differs.
    expect(await hashToken(token)).not.toBe(stored);
  });

  it("recognise only their own shape", () => {
    expect(tokenUserId("not-a-token")).toBeNull();
    expect(tokenUserId(`eg_${newUserId()}_short`)).toBeNull();
  });

  it("user names are printable and never a reserved actor", () => {
    expect(UserName.safeParse("Alice Martin").success).toBe(true);
    expect(UserName.safeParse("system").success).toBe(false);
    expect(UserName.safeParse("API-Token").success).toBe(false);
    expect(UserName.safeParse("-rf").success).toBe(false);
    expect(UserName.safeParse("a\nb").success).toBe(false);
  });
});

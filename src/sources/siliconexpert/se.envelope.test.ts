import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { asArray, readStatus, verdictOf } from "./se.envelope.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "siliconexpert");
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as unknown;

describe("SiliconExpert envelopes as published", () => {
  it("reads both login answers as success and the guide's code 39 as refused", () => {
    // [SE-GUIDE] wrapped, string code "2"; [SE-DOC] flat, number 200 and boolean.
    expect(verdictOf(200, fixture("authenticateUser.success.json"), { auth: true })).toBe("ok");
    expect(verdictOf(200, fixture("auth-user.json-curl.response.json"), { auth: true })).toBe("ok");
    expect(verdictOf(200, fixture("authenticateUser.error-39.json"), { auth: true })).toBe("auth_failed");
    // On a data call, "You are not authenticated" means the session is gone: log in again.
    expect(verdictOf(200, fixture("authenticateUser.error-39.json"))).toBe("session_expired");
  });

  it("reads string, number and lowercase status styles", () => {
    expect(readStatus(fixture("partsearch.json"))).toEqual({
      code: "0",
      message: "Successful Operation",
      success: true,
    });
    expect(readStatus(fixture("bom-create.response.json"))).toEqual({
      code: "200",
      message: "Successful Operation",
      success: true,
    });
    expect(readStatus(fixture("smartpcn-content.response.json"))?.code).toBe("200");
    expect(readStatus(fixture("acl-add.response.json"))).toEqual({
      code: null,
      message: "Parts added successfully using comIds.",
      success: true,
    });
    for (const f of [
      "partsearch.json",
      "partDetail.getLifeCycleData.json",
      "userStatus.json",
      "user-status.response.json",
      "bom-create.response.json",
      "smartpcn-content.response.json",
      "acl-add.response.json",
    ])
      expect(verdictOf(200, fixture(f)), f).toBe("ok");
  });

  it("maps the error table, reading the message where sources disagree on the code", () => {
    const status = (Code: string | number, Message: string) => ({
      Status: { Code, Message, Success: "false" },
    });
    expect(verdictOf(200, status("1", "Session Expired"))).toBe("session_expired");
    expect(verdictOf(200, status(3, "Invalid Parameters"))).toBe("invalid");
    expect(verdictOf(200, status("3", "No Results Found"))).toBe("no_results");
    expect(verdictOf(200, status("4", "No Results Found"))).toBe("no_results");
    expect(verdictOf(200, status("7", "No result found"))).toBe("no_results");
    expect(verdictOf(200, status("7", "Access Denied"))).toBe("access_denied");
    expect(verdictOf(200, status("30", "Entered fromDate exceed last update date"))).toBe("no_results");
    expect(verdictOf(200, status("6", "Quota Exceeded"))).toBe("quota");
    expect(verdictOf(200, status("8", "Rate Limited"))).toBe("rate_limited");
    expect(verdictOf(200, status("9", "Server Error"))).toBe("server_error");
    expect(verdictOf(200, status("3", "Parts already exist"))).toBe("ok");
    expect(verdictOf(200, status("77", "Something new"))).toBe("unreadable");
  });

  it("inspects the HTTP status first", () => {
    expect(verdictOf(429, undefined)).toBe("rate_limited");
    expect(verdictOf(401, undefined)).toBe("session_expired");
    expect(verdictOf(401, undefined, { auth: true })).toBe("auth_failed");
    expect(verdictOf(403, undefined)).toBe("access_denied");
    expect(verdictOf(502, fixture("partsearch.json"))).toBe("server_error");
    expect(verdictOf(400, undefined)).toBe("invalid");
  });

  it("takes a bare data object as data and a cut-off body as unreadable", () => {
    // [SE-DOC] /ACLAPI/updates shows `{"alerts": [...]}` with no status at all.
    expect(verdictOf(200, { alerts: [] })).toBe("ok");
    expect(verdictOf(200, undefined)).toBe("unreadable");
    expect(verdictOf(200, "<html>gateway error</html>")).toBe("unreadable");
  });

  it("treats one object where a list is expected as a list of one", () => {
    expect(asArray({ a: 1 })).toEqual([{ a: 1 }]);
    expect(asArray([1, 2])).toEqual([1, 2]);
    expect(asArray(undefined)).toEqual([]);
    expect(asArray("")).toEqual([]);
  });
});

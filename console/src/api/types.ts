/**
 * The API's answers, as the server declares them (src/http/api.types.ts): one source of truth, so a
 * field renamed on the server breaks the console's type check, not the page.
 */
export type * from "../../../src/http/api.types.ts";

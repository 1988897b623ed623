import { z } from "zod";

/** Canonical lifecycle statuses (DESIGN §8). Every record also keeps the raw value and its source. */
export const LIFECYCLE_STATUSES = [
  "preliminary",
  "active",
  "nrnd",
  "ltb",
  "eol",
  "obsolete",
  "transferred",
  "unknown",
] as const;
export const LifecycleStatus = z.enum(LIFECYCLE_STATUSES);
export type LifecycleStatus = z.infer<typeof LifecycleStatus>;

/** What kind of notice a message is (labels.json `notice_type`). */
export const NOTICE_TYPES = ["discontinuance", "product_change", "status_update"] as const;
export const NoticeType = z.enum(NOTICE_TYPES);
export type NoticeType = z.infer<typeof NoticeType>;

import { z } from "zod";

import { LIFECYCLE_STATUSES } from "./lifecycle.statuses.ts";

export { LIFECYCLE_STATUSES };
export const LifecycleStatus = z.enum(LIFECYCLE_STATUSES);
export type LifecycleStatus = z.infer<typeof LifecycleStatus>;

/** What kind of notice a message is (labels.json `notice_type`). */
export const NOTICE_TYPES = ["discontinuance", "product_change", "status_update"] as const;
export const NoticeType = z.enum(NOTICE_TYPES);
export type NoticeType = z.infer<typeof NoticeType>;

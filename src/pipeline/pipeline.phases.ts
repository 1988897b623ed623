import type { z } from "zod";
import type { InboxItem, Phase, PhaseName } from "./phase.ts";
import { AssessOutput, type AssessPhaseDeps, assessPhase } from "./phases/assess.phase.ts";
import { ExtractOutput, type ExtractPhaseDeps, extractPhase } from "./phases/extract.phase.ts";
import { type NotifyOutput, type NotifyPhaseDeps, notifyPhase } from "./phases/notify.phase.ts";
import { type PersistInput, persistPhase } from "./phases/persist.phase.ts";

/**
 * The four phases as the runner sees them, each with its typed input, and the one production
 * composition of them. `inputOf` turns the outputs recorded so far into a phase's input, checked
 * against the schemas of the phases that produced them.
 */
export interface Phases {
  extract: Phase<InboxItem, ExtractOutput>;
  assess: Phase<ExtractOutput, AssessOutput>;
  persist: Phase<PersistInput, { persisted: number; to_review?: number }>;
  notify: Phase<AssessOutput, NotifyOutput>;
}

export type PhaseDeps = ExtractPhaseDeps & AssessPhaseDeps & NotifyPhaseDeps;

export function buildPhases(deps: PhaseDeps): Phases {
  return {
    extract: extractPhase(deps),
    assess: assessPhase(deps),
    persist: persistPhase(),
    notify: notifyPhase(deps),
  };
}

export type PhaseInput =
  | { kind: "ok"; input: unknown }
  /** A recorded output no longer matches its schema: the notice cannot go on as it is. */
  | { kind: "invalid"; error: string };

export function inputOf(
  phase: PhaseName,
  item: InboxItem,
  outputs: Partial<Record<PhaseName, unknown>>,
): PhaseInput {
  switch (phase) {
    case "extract":
      return { kind: "ok", input: item };
    case "assess":
      return recorded(ExtractOutput, outputs.extract, "extract");
    case "persist": {
      const extracted = recorded(ExtractOutput, outputs.extract, "extract");
      const assessed = recorded(AssessOutput, outputs.assess, "assess");
      if (extracted.kind === "invalid") return extracted;
      if (assessed.kind === "invalid") return assessed;
      return { kind: "ok", input: { extracted: extracted.input, assessed: assessed.input } };
    }
    case "notify":
      return recorded(AssessOutput, outputs.assess, "assess");
  }
}

function recorded(schema: z.ZodType, value: unknown, phase: PhaseName): PhaseInput {
  const r = schema.safeParse(value);
  return r.success
    ? { kind: "ok", input: r.data }
    : { kind: "invalid", error: `${phase} output does not match its schema` };
}

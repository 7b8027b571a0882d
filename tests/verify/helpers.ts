/** Evaluates one check on facts for a method and returns its results as a list. */
import type { Facts } from "../../lib/verify/facts.ts";
import type { Check, CheckResult, Level } from "../../lib/verify/checks/types.ts";
import type { PreflightOptions } from "../../lib/verify/options.ts";
import { ctxFor } from "./fixtures.ts";

export function evalCheck(
  check: Check,
  facts: Facts,
  method: "offline" | "live",
  over: Partial<PreflightOptions> = {},
): CheckResult[] {
  const r = check.evaluate(facts, ctxFor(facts, method, over));
  return Array.isArray(r) ? r : [r];
}

/** The worst level among the results. */
export function worst(results: CheckResult[]): Level {
  const rank: Level[] = ["skip", "pass", "warn", "fail"];
  return results.reduce<Level>((w, r) => (rank.indexOf(r.level) > rank.indexOf(w) ? r.level : w), "skip");
}

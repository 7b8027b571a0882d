import { type Condition, conditionStatus, valueOf } from "../facts.ts";
import type { Check, CheckResult } from "./types.ts";
import { capObjects, fail, listNames, pass, plural, verb, warn } from "./util.ts";

const messageOf = (conditions: Condition[], type: string) => conditions.find((c) => c.type === type)?.message;

export const clusterOperators: Check = {
  id: "cluster-operators",
  title: "Cluster operators healthy",
  section: "Cluster",
  methods: ["offline", "live"],
  needs: ["clusterOperators"],
  evaluate(facts) {
    const cos = valueOf(facts.clusterOperators) ?? [];
    if (cos.length === 0) return fail("no ClusterOperators found; the cluster is not in a known good state");
    const unhealthy: string[] = [];
    const progressing: string[] = [];
    const details: string[] = [];
    for (const co of cos) {
      const available = conditionStatus(co.conditions, "Available");
      const degraded = conditionStatus(co.conditions, "Degraded") === "True";
      if (available !== "True" || degraded) {
        unhealthy.push(co.name);
        const problem = available !== "True" ? `not Available (${available ?? "no condition"})` : "Degraded";
        const why = messageOf(co.conditions, available !== "True" ? "Available" : "Degraded");
        details.push(`${co.name} is ${problem}${why ? `: ${why}` : ""}`);
      } else if (conditionStatus(co.conditions, "Progressing") === "True") {
        progressing.push(co.name);
      }
    }
    const out: CheckResult[] = [];
    if (unhealthy.length > 0) {
      out.push(fail(
        `${plural(unhealthy.length, "ClusterOperator")} ${verb(unhealthy.length, "is", "are")} unhealthy (` +
          `${details.slice(0, 3).join("; ")}${details.length > 3 ? `; and ${details.length - 3} more` : ""}): ` +
          "the migration needs a healthy cluster",
        `oc describe clusteroperator ${
          unhealthy[0]
        } (fix the cause, then: oc wait co --all --for=condition=Available=True)`,
        capObjects(unhealthy.map((name) => ({ kind: "ClusterOperator", name }))),
      ));
    }
    if (progressing.length > 0) {
      out.push(warn(
        `${plural(progressing.length, "ClusterOperator")} ${verb(progressing.length, "is", "are")} Progressing (` +
          `${listNames(progressing)}); wait until they settle`,
        "oc wait co --all --for=condition=Progressing=False --timeout=20m",
        capObjects(progressing.map((name) => ({ kind: "ClusterOperator", name }))),
      ));
    }
    return out.length > 0
      ? out
      : pass(`all ${cos.length} cluster operators are Available, not Progressing, not Degraded`);
  },
};

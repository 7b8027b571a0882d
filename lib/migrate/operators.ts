/** Cluster operators healthy, as the documented wait script checks them (procedures.md §5 step 3). */
import { formatDuration } from "../duration.ts";
import { BlockedError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import { findCondition } from "../openshift/conditions.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { watchUntil } from "./wait.ts";
import { sleep } from "../sleep.ts";

const status = (o: KubeObject, type: string): string | undefined => findCondition(o, type)?.status;

/** Why an operator is not healthy (Available=True, Progressing=False, Degraded=False), or undefined. */
export function operatorProblem(o: KubeObject): string | undefined {
  const problems = [];
  if (status(o, "Available") !== "True") problems.push("not Available");
  if (status(o, "Progressing") !== "False") problems.push("Progressing");
  if (status(o, "Degraded") !== "False") problems.push("Degraded");
  return problems.length ? `${o.metadata.name} ${problems.join(", ")}` : undefined;
}

export interface OperatorsWaitOptions {
  timeoutMs: number;
  /** Healthy on this many consecutive reads … */
  reads: number;
  /** … this far apart (the CI of the documented procedure uses 3 reads 30 s apart). */
  intervalMs: number;
  signal?: AbortSignal;
  report(line: string): void;
}

/** Waits until every cluster operator is healthy on several consecutive reads. */
export async function waitOperatorsHealthy(kube: Kube, opts: OperatorsWaitOptions): Promise<void> {
  const started = Date.now();
  const remaining = () => opts.timeoutMs > 0 ? Math.max(1, opts.timeoutMs - (Date.now() - started)) : 0;
  while (true) {
    await watchUntil<true>(kube, R.clusterOperator, {}, (cos) => {
      const bad = [...cos.values()].map(operatorProblem).filter(Boolean);
      return cos.size > 0 && bad.length === 0
        ? { done: true }
        : { progress: `waiting for cluster operators: ${bad.slice(0, 4).join("; ")}${bad.length > 4 ? "; …" : ""}` };
    }, {
      timeoutMs: remaining(),
      signal: opts.signal,
      report: opts.report,
      onTimeout: (last) =>
        new BlockedError(
          `Cluster operators did not become healthy within ${formatDuration(opts.timeoutMs)}${
            last ? ` (${last.replace("waiting for cluster operators: ", "")})` : ""
          }.`,
          "Check `oc get co` and the unhealthy operators' conditions (`oc describe co <name>`).",
        ),
    });
    let stable = true;
    for (let i = 1; i < opts.reads && stable; i++) {
      await sleep(opts.intervalMs, opts.signal);
      const bad = (await kube.list(R.clusterOperator)).map(operatorProblem).filter(Boolean);
      if (bad.length) {
        stable = false;
        opts.report(`cluster operators changed again: ${bad.join("; ")}`);
      } else opts.report(`cluster operators healthy (${i + 1}/${opts.reads} consecutive reads)`);
    }
    if (stable) return;
  }
}

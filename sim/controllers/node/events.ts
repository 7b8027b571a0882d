/** Best-effort core/v1 Events, as `oc describe` and `oc get events` show them. */
import type { Obj } from "../../store.ts";
import type { SimContext } from "../../types.ts";
import { EVENTS, randomSuffix } from "./keys.ts";

export function recordEvent(
  ctx: SimContext,
  involved: Obj,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
  component: string,
): void {
  if (!ctx.store.hasDef(EVENTS)) return;
  const ns = involved.metadata.namespace ?? "default";
  const now = ctx.clock.iso();
  try {
    ctx.store.create(EVENTS, {
      metadata: { name: `${involved.metadata.name}.${randomSuffix(16)}`, namespace: ns },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: involved.metadata.namespace,
        uid: involved.metadata.uid,
      },
      type,
      reason,
      message,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  } catch {
    // Events are advisory; a missing namespace or an injected error must not break a controller.
  }
}

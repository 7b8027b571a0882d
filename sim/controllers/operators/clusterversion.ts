/** ClusterVersion `version` status: desired version, history and the CVO conditions. */
import type { Obj } from "../../store.ts";
import type { ScenarioSpec } from "../../scenario/schema.ts";
import { type Condition, findCondition, setCondition } from "../cno/util.ts";

const releaseImage = (v: string) => `quay.io/openshift-release-dev/ocp-release:${v}-x86_64`;

export function clusterVersionStatus(cv: Obj, operators: Obj[], scenario: ScenarioSpec, now: string): Obj {
  const version = scenario.version;
  const to = scenario.upgradingTo;
  const old = cv.status ?? {};
  const started = old.history?.[old.history.length - 1]?.startedTime ?? cv.metadata.creationTimestamp ?? now;
  const completed = {
    state: "Completed",
    version,
    image: releaseImage(version),
    verified: false,
    startedTime: started,
  };
  const history = to
    ? [
      {
        state: "Partial",
        version: to,
        image: releaseImage(to),
        verified: true,
        startedTime: old.history?.[0]?.startedTime ?? now,
        completionTime: null,
      },
      { ...completed, completionTime: started },
    ]
    : [{ ...completed, completionTime: old.history?.[0]?.completionTime ?? started }];
  let conds: Condition[] = old.conditions ?? [];
  conds = setCondition(conds, {
    type: "RetrievedUpdates",
    status: "False",
    reason: "NoChannel",
    message: "The update channel has not been configured.",
  }, now);
  conds = setCondition(conds, { type: "Available", status: "True", message: `Done applying ${version}` }, now);
  conds = setCondition(conds, { type: "Failing", status: "False" }, now);
  conds = setCondition(
    conds,
    to
      ? { type: "Progressing", status: "True", message: `Working towards ${to}: 654 of 871 done (75% complete)` }
      : { type: "Progressing", status: "False", message: `Cluster version is ${version}` },
    now,
  );
  conds = setCondition(conds, upgradeable(operators), now);
  return {
    ...old,
    desired: { version: to ?? version, image: releaseImage(to ?? version) },
    history,
    observedGeneration: cv.metadata.generation ?? 1,
    versionHash: "sim-" + version,
    availableUpdates: null,
    capabilities: old.capabilities ?? { enabledCapabilities: [], knownCapabilities: [] },
    conditions: conds,
  };
}

/** The CVO aggregates operators' Upgradeable=False into its own condition. */
function upgradeable(operators: Obj[]): Condition {
  const blocked = operators
    .map((o) => ({ name: o.metadata.name as string, c: findCondition(o.status?.conditions, "Upgradeable") }))
    .filter((x) => x.c?.status === "False")
    .sort((a, b) => a.name.localeCompare(b.name));
  if (!blocked.length) return { type: "Upgradeable", status: "True" };
  if (blocked.length === 1) {
    const { name, c } = blocked[0];
    return {
      type: "Upgradeable",
      status: "False",
      reason: c!.reason,
      message: `Cluster operator ${name} should not be upgraded between minor versions: ${c!.message}`,
    };
  }
  return {
    type: "Upgradeable",
    status: "False",
    reason: "ClusterOperatorsNotUpgradeable",
    message: "Multiple cluster operators should not be upgraded between minor versions:\n" +
      blocked.map(({ name, c }) =>
        `* Cluster operator ${name} should not be upgraded between minor versions: ${c!.reason}: ${c!.message}`
      )
        .join("\n"),
  };
}

import { valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { pass, warn } from "./util.ts";
import { estimateMinutes, formatMinutes } from "../estimate.ts";
import { SOURCE_PLUGINS } from "../version.ts";

/** The docs ask for a support case above this many nodes. */
export const SUPPORT_CASE_NODES = 150;

export const nodeCount: Check = {
  id: "node-count",
  title: "Cluster size and duration estimate",
  section: "Nodes and pools",
  methods: ["offline", "live"],
  sources: SOURCE_PLUGINS,
  needs: ["nodes", "machineConfigPools"],
  evaluate(facts, ctx) {
    const count = valueOf(facts.nodes)?.length ?? 0;
    const pools = valueOf(facts.machineConfigPools)?.items ?? [];
    const est = formatMinutes(estimateMinutes(pools, ctx.method, count));
    const duration =
      `estimated ${ctx.method} duration about ${est} (pools roll in parallel, maxUnavailable nodes at a time` +
      `${ctx.method === "live" ? ", every node rebooted twice" : ""})`;
    if (count > SUPPORT_CASE_NODES) {
      return warn(
        `${count} nodes: more than ${SUPPORT_CASE_NODES} nodes — the documentation asks you to open a support case ` +
          `for consultation before migrating; ${duration}`,
        "open a Red Hat support case, then run with --skip-check node-count",
      );
    }
    return pass(`${count} nodes; ${duration}`);
  },
};

import { valueOf } from "../facts.ts";
import type { Check, CheckResult } from "./types.ts";
import { capObjects, fail, listNames, pass, plural } from "./util.ts";

export const nodes: Check = {
  id: "nodes",
  title: "Nodes Ready and schedulable",
  section: "Nodes and pools",
  methods: ["offline", "live"],
  needs: ["nodes"],
  evaluate(facts) {
    const all = valueOf(facts.nodes) ?? [];
    if (all.length === 0) return fail("the cluster has no nodes");
    const notReady = all.filter((n) => !n.ready);
    const cordoned = all.filter((n) => n.ready && n.unschedulable);
    const out: CheckResult[] = [];
    const refs = (list: typeof all) => capObjects(list.map((n) => ({ kind: "Node", name: n.name })));
    if (notReady.length > 0) {
      out.push(fail(
        `${plural(notReady.length, "node is", "nodes are")} not Ready: ${listNames(notReady.map((n) => n.name))}` +
          (notReady[0].readyMessage ? ` (${notReady[0].name}: ${notReady[0].readyMessage})` : "") +
          "; the machine config rollout cannot pass an unavailable node",
        `oc describe node ${notReady[0].name} (bring it back or remove it from the cluster)`,
        refs(notReady),
      ));
    }
    if (cordoned.length > 0) {
      out.push(fail(
        `${plural(cordoned.length, "node is", "nodes are")} cordoned (unschedulable): ${
          listNames(cordoned.map((n) => n.name))
        }; the MCO counts them as unavailable and the rollout stalls`,
        cordoned.map((n) => `oc adm uncordon ${n.name}`).slice(0, 5).join(" && "),
        refs(cordoned),
      ));
    }
    return out.length > 0 ? out : pass(`all ${all.length} nodes are Ready and schedulable`);
  },
};

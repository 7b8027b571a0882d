import { valueOf, type WebhookFact } from "../facts.ts";
import type { Check } from "./types.ts";
import { capObjects, listNames, pass, plural, verb, warn } from "./util.ts";

/** The documented mitigation sets each webhook timeout to 3 s. */
export const SAFE_TIMEOUT = 3;
const API_DEFAULT_TIMEOUT = 10;
const CRITICAL = new Set(["pods", "pods/*", "nodes", "nodes/*", "*", "*/*"]);

export function risky(w: WebhookFact): boolean {
  if (!w.resources.some((r) => CRITICAL.has(r))) return false;
  return (w.timeoutSeconds ?? API_DEFAULT_TIMEOUT) > SAFE_TIMEOUT;
}

export const admissionWebhooks: Check = {
  id: "admission-webhooks",
  title: "Admission webhooks with long timeouts",
  section: "Workloads",
  methods: ["offline", "live"],
  needs: ["webhooks"],
  evaluate(facts) {
    const hits = (valueOf(facts.webhooks) ?? []).filter(risky);
    if (hits.length === 0) return pass(`no admission webhook on pods or nodes waits longer than ${SAFE_TIMEOUT} s`);
    const first = hits[0];
    const resource = first.kind === "ValidatingWebhookConfiguration"
      ? "ValidatingWebhookConfiguration"
      : "MutatingWebhookConfiguration";
    return warn(
      `${plural(hits.length, "admission webhook")} on pods or nodes ${
        verb(hits.length, "waits", "wait")
      } longer than ${SAFE_TIMEOUT} s (${
        listNames(hits.map((w) =>
          `${w.configuration}/${w.name} ${w.timeoutSeconds ?? API_DEFAULT_TIMEOUT}s failurePolicy ${
            w.failurePolicy ?? "Fail"
          }`
        ))
      }): while the network is switched their backends are unreachable and pod and node updates stall`,
      `oc patch ${resource} ${first.configuration} --type='json' -p '[{"op": "replace", "path": "/webhooks/${first.index}/timeoutSeconds", "value": ${SAFE_TIMEOUT}}]'`,
      capObjects(hits.map((w) => ({ kind: w.kind, name: w.configuration }))),
    );
  },
};

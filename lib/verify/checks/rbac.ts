import { valueOf } from "../facts.ts";
import { accessKey, describeAccess, REQUIRED_ACCESS } from "../rbac.ts";
import type { Check } from "./types.ts";
import { fail, pass, skip } from "./util.ts";

export const rbac: Check = {
  id: "rbac",
  title: "Permissions for the migration",
  section: "Cluster",
  methods: ["offline", "live"],
  needs: ["access"],
  evaluate(facts, ctx) {
    const decisions = new Map((valueOf(facts.access) ?? []).map((d) => [accessKey(d), d]));
    const needed = REQUIRED_ACCESS.filter((r) => r.methods.includes(ctx.method));
    const unknown = needed.filter((r) => !decisions.has(accessKey(r)));
    const missing = needed.filter((r) => decisions.get(accessKey(r))?.allowed === false);
    if (missing.length > 0) {
      // One permission per line: the list is what an administrator hands to whoever grants them.
      const lines = missing.map((m) => `\n        - ${describeAccess(m)}: ${m.why}`);
      return fail(
        `the current user lacks ${missing.length} of ${needed.length} permissions the ${ctx.method} migration needs:` +
          lines.join(""),
        "run as a cluster-admin (log in as one, or --as a user you may impersonate), or have these granted; " +
          `check one with: oc auth can-i ${describeAccess(missing[0])}`,
      );
    }
    if (unknown.length === needed.length) return skip("the snapshot holds no access reviews");
    return pass(`all ${needed.length - unknown.length} permissions the ${ctx.method} migration needs are granted`);
  },
};

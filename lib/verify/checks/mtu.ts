import { valueOf } from "../facts.ts";
import type { Check, CheckResult } from "./types.ts";
import { fail, ovnConfig, pass, warn } from "./util.ts";
import { SOURCE_PLUGINS } from "../version.ts";

export const OVN_OVERHEAD = 100;
export const SDN_OVERHEAD = 50;
const MIN_MTU = 576;

export const mtu: Check = {
  id: "mtu",
  title: "MTU after the migration",
  section: "Network configuration",
  methods: ["offline", "live"],
  sources: SOURCE_PLUGINS,
  needs: ["mtuConfigMap", "networkConfig", "networkOperator"],
  evaluate(facts, ctx) {
    const cm = valueOf(facts.mtuConfigMap);
    const current = valueOf(facts.networkConfig)?.status.clusterNetworkMTU;
    const cmObj = [{ kind: "ConfigMap", namespace: "openshift-network-operator", name: "mtu" }];
    const out: CheckResult[] = [];
    const hw = cm?.present ? cm.mtu : undefined;
    if (!cm?.present || hw === undefined) {
      const problem = !cm?.present
        ? "ConfigMap openshift-network-operator/mtu is missing"
        : `ConfigMap openshift-network-operator/mtu has no usable data.mtu ("${cm.raw ?? ""}")`;
      const hwGuess = current ? current + SDN_OVERHEAD : 1500;
      const fix = `oc create configmap mtu -n openshift-network-operator --from-literal=mtu=${hwGuess} ` +
        "(the hardware MTU of the node's default interface)";
      if (ctx.method === "live") {
        out.push(
          fail(
            `${problem}: CNO reads the hardware MTU from it to compute the routable MTU and the live migration cannot start`,
            fix,
            cmObj,
          ),
        );
      } else {
        out.push(warn(`${problem}: cannot verify the MTU OVN-Kubernetes will use`, fix, cmObj));
      }
      return out;
    }
    const declared = ctx.options.mtu ?? ovnConfig(facts)?.mtu;
    const maxOvn = hw - OVN_OVERHEAD;
    if (declared !== undefined) {
      const from = ctx.options.mtu !== undefined ? "--mtu" : "ovnKubernetesConfig.mtu";
      if (declared > maxOvn) {
        out.push(fail(
          `${from} ${declared} exceeds the hardware MTU ${hw} − ${OVN_OVERHEAD} bytes of Geneve overhead = ${maxOvn}`,
          `--mtu ${maxOvn}`,
          cmObj,
        ));
        return out;
      }
      if (declared < MIN_MTU) {
        out.push(fail(`${from} ${declared} is below the minimum ${MIN_MTU}`, `--mtu ${maxOvn}`, cmObj));
        return out;
      }
    }
    const final = ctx.method === "live" ? (ovnConfig(facts)?.mtu ?? maxOvn) : (declared ?? maxOvn);
    const was = current !== undefined ? `from ${current} ` : "";
    if (ctx.method === "offline" && current !== undefined && declared === undefined && current < hw - SDN_OVERHEAD) {
      out.push(warn(
        `the cluster uses a custom MTU ${current} (hardware ${hw}); without --mtu it becomes ${maxOvn}`,
        `to keep the custom MTU pass --mtu ${Math.min(current, maxOvn)}`,
        cmObj,
      ));
      return out;
    }
    out.push(pass(
      `hardware MTU ${hw}: the cluster MTU goes ${was}to ${final} (OVN-Kubernetes overhead ${OVN_OVERHEAD} bytes vs ` +
        `SDN ${SDN_OVERHEAD}${ctx.method === "live" ? "; live migration ends 50 bytes lower" : ""})`,
      cmObj,
    ));
    return out;
  },
};

import { valueOf } from "../facts.ts";
import type { Check, CheckResult } from "./types.ts";
import { fail, ovnConfig, pass, sdnConfig, warn } from "./util.ts";
import { SOURCE_PLUGINS } from "../version.ts";

const CLOUD_SG_BY_INSTALLER = new Set(["AWS", "Azure", "GCP", "IBMCloud"]);

export const genevePort: Check = {
  id: "geneve-port",
  title: "Geneve port and firewall",
  section: "Network configuration",
  methods: ["offline", "live"],
  sources: SOURCE_PLUGINS,
  needs: ["networkOperator", "infrastructure"],
  evaluate(facts, ctx) {
    const geneve = ctx.options.genevePort ?? ovnConfig(facts)?.genevePort ?? 6081;
    const vxlan = sdnConfig(facts)?.vxlanPort ?? 4789;
    const from = ctx.options.genevePort !== undefined
      ? "--geneve-port"
      : ovnConfig(facts)?.genevePort
      ? "ovnKubernetesConfig.genevePort"
      : "default";
    const out: CheckResult[] = [];
    if (geneve < 1 || geneve > 65535) {
      out.push(fail(`Geneve port ${geneve} (${from}) is not a valid UDP port`, "--geneve-port 6081"));
    } else if (geneve === vxlan) {
      out.push(fail(
        `Geneve port ${geneve} (${from}) equals the VXLAN port ${vxlan} of ${ctx.source ?? "the current plugin"}: ` +
          "both overlays run side by side during the migration and must use different ports",
        `--geneve-port ${vxlan === 6081 ? 6082 : 6081}`,
        [{ kind: "Network", name: "cluster" }],
      ));
    }
    const infra = valueOf(facts.infrastructure);
    const p = infra?.platform ?? "unknown";
    const name = infra?.infrastructureName ?? "<infra-id>";
    if (out.length === 0) {
      if (p === "OpenStack") {
        out.push(warn(
          `UDP ${geneve} must be open between all nodes: on OpenStack add a rule to the master and worker security groups`,
          `openstack security group rule create --protocol udp --dst-port ${geneve} ${name}-master && ` +
            `openstack security group rule create --protocol udp --dst-port ${geneve} ${name}-worker`,
        ));
      } else if (CLOUD_SG_BY_INSTALLER.has(p)) {
        out.push(pass(
          `Geneve UDP ${geneve} differs from VXLAN ${vxlan}; on ${p} the installer's security groups allow it between ` +
            "nodes (check any extra firewall or network ACL you added)",
        ));
      } else {
        out.push(warn(
          `Geneve UDP ${geneve} differs from VXLAN ${vxlan}, but on ${p} the firewalls between nodes are yours: ` +
            `UDP ${geneve} must be open between all nodes before migrating`,
          `allow UDP ${geneve} between all node addresses in your host and network firewalls`,
        ));
      }
    }
    return out;
  },
};

/** What `execute` and `rollback` flags mean to a procedure: the feature conversions and how nodes reboot. */
import type { RebootMethod } from "./reboot.ts";

interface FeatureFlags {
  egressIp: boolean;
  egressFirewall: boolean;
  multicast: boolean;
}

/** `--no-egress-ip` etc.; undefined when every feature converts, so the migration field carries no `features`. */
export function featuresFrom(o: FeatureFlags) {
  return o.egressIp && o.egressFirewall && o.multicast
    ? undefined
    : { egressIP: o.egressIp, egressFirewall: o.egressFirewall, multicast: o.multicast };
}

interface RebootFlags {
  reboot: RebootMethod;
  sshUser?: string;
  sshKey?: string;
  rebootBatch?: number | "all";
  allowAllMasters: boolean;
  timeoutMs: number;
}

/** `--reboot`, `--ssh-*`, `--reboot-batch` (default: all at once, masters one at a time) and `--timeout`. */
export function rebootFlagsFrom(o: RebootFlags) {
  return {
    reboot: o.reboot,
    sshUser: o.sshUser,
    sshKey: o.sshKey,
    rebootBatch: o.rebootBatch ?? "all",
    allowAllMasters: o.allowAllMasters,
    timeoutMs: o.timeoutMs,
  };
}

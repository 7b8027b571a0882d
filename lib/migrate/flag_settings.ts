/** What `execute` and `rollback` flags mean to a procedure: the feature conversions and how nodes reboot. */
import type { FeatureOptions, RebootOptions } from "./options.ts";

/** `--no-egress-ip` etc.; undefined when every feature converts, so the migration field carries no `features`. */
export function featuresFrom(o: FeatureOptions) {
  return o.egressIp && o.egressFirewall && o.multicast
    ? undefined
    : { egressIP: o.egressIp, egressFirewall: o.egressFirewall, multicast: o.multicast };
}

/** `--reboot`, `--ssh-*`, `--reboot-batch` (default: all at once, masters one at a time) and `--timeout`. */
export function rebootFlagsFrom(o: RebootOptions & { timeoutMs: number }) {
  return {
    reboot: o.reboot,
    sshUser: o.sshUser,
    sshKey: o.sshKey,
    rebootBatch: o.rebootBatch ?? "all",
    allowAllMasters: o.allowAllMasters,
    timeoutMs: o.timeoutMs,
  };
}

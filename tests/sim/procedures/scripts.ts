/** Documented shell snippets, typed with kubectl in place of oc. */

export const MCD_NAMESPACE = "openshift-machine-config-operator";

/**
 * procedures.md §5 step 3: the CO-health wait script (`oc wait co --all` for Available, Progressing, Degraded),
 * bounded by OVN_SDN_MIGRATION_TIMEOUT (real seconds here).
 */
export const CO_HEALTH_WAIT = `
timeout=\${OVN_SDN_MIGRATION_TIMEOUT:-240s}
end=$(( $(date +%s) + \${timeout%s} ))
until kubectl wait co --all --for='condition=AVAILABLE=True' --timeout=10s && \\
      kubectl wait co --all --for='condition=PROGRESSING=False' --timeout=10s && \\
      kubectl wait co --all --for='condition=DEGRADED=False' --timeout=10s; do
  sleep 1
  if [ $(date +%s) -ge $end ]; then echo "Some ClusterOperators Degraded=False,Progressing=True,or Available=False"; exit 1; fi
done`;

/**
 * Seed offline step 9, the `oc rsh` reboot script. kubectl has no rsh, so it is `kubectl exec` into the
 * machine-config-daemon container; `echo rebooting` marks each node whose reboot was scheduled.
 */
export const REBOOT_ALL_NODES = `
readarray -t POD_NODES <<< "$(kubectl get pod -n ${MCD_NAMESPACE} -o wide| grep daemon|awk '{print $1" "$7}')"
for i in "\${POD_NODES[@]}"
do
  read -r POD NODE <<< "$i"
  until kubectl exec -n ${MCD_NAMESPACE} "$POD" -c machine-config-daemon -- chroot /rootfs shutdown -r +1
    do
      echo "cannot reboot node $NODE, retry" && sleep 3
    done
  echo "rebooting $NODE"
done`;

/** Seed "Initiating the limited live migration process" step 3 (cluster-behaviour.md §2.1). */
export const LIVE_TRIGGER_PATCH =
  '{"metadata":{"annotations":{"network.openshift.io/network-type-migration":""}},"spec":{"networkType":"OVNKubernetes"}}';

/**
 * procedures.md §7 (doc defects fixed: `Bearer`, a Prometheus query URL, no stray backtick): the condition or
 * blocked metric through the prometheus container of prometheus-k8s-0.
 */
export const promQuery = (query: string, token = "$TOKEN") =>
  `kubectl -n openshift-monitoring exec -c prometheus prometheus-k8s-0 -- curl -k -H "Authorization: Bearer ${token}" ` +
  `"https://thanos-querier.openshift-monitoring.svc:9091/api/v1/query" --data-urlencode "query=${query}"`;

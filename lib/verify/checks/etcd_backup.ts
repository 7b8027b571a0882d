import { valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { pass, warn } from "./util.ts";

export const etcdBackup: Check = {
  id: "etcd-backup",
  title: "Recent etcd backup",
  section: "Cluster",
  methods: ["offline", "live"],
  needs: [],
  evaluate(facts, ctx) {
    if (ctx.options.etcdBackupConfirmed) return pass("a recent etcd backup is confirmed (--etcd-backup-confirmed)");
    const master = (valueOf(facts.nodes) ?? []).find((n) =>
      n.roles.includes("master") || n.roles.includes("control-plane")
    );
    return warn(
      "no recent etcd backup confirmed: the documentation requires one before migrating",
      `oc debug --as-root node/${master?.name ?? "<control-plane-node>"} -- chroot /host ` +
        "/usr/local/bin/cluster-backup.sh /home/core/assets/backup, then pass --etcd-backup-confirmed",
    );
  },
};

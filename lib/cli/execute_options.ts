/** The options of `execute` as the CLI parses them (issues 5 and 7). Values are validated at parse time. */
import type { MigrationMethod } from "./preflight_options.ts";

import type { RebootMethod } from "../migrate/reboot.ts";
export type { RebootMethod };

export interface ExecuteOptions {
  /** `auto` runs preflight and uses the method it recommends. */
  method: "auto" | MigrationMethod;
  /** Print the plan with every patch; write nothing. */
  dryRun: boolean;
  /** Do not ask before the first disruptive step (required when stdin is not a terminal). */
  yes: boolean;
  /** Longest wait for each step, in milliseconds; 0 waits forever (`--timeout`, default 1h). */
  timeoutMs: number;
  /** Preflight check ids to skip (`--skip-check`, repeatable). */
  skipChecks: string[];
  /** Migrate egress IPs / egress firewall / multicast (false with `--no-egress-ip` etc.). */
  egressIp: boolean;
  egressFirewall: boolean;
  multicast: boolean;
  /** ovnKubernetesConfig settings. */
  mtu?: number;
  genevePort?: number;
  v4InternalSubnet?: string;
  v6InternalSubnet?: string;
  /** Live: OVN internal join / transit subnets to patch in first when they overlap. */
  joinSubnet?: string;
  transitSubnet?: string;
  /** Live: choose free join/transit subnets automatically when they overlap. */
  fixSubnets: boolean;
  /** New cluster network with the flip (`--cluster-network CIDR --host-prefix N`). */
  clusterNetwork?: string;
  hostPrefix?: number;
  reboot: RebootMethod;
  sshUser?: string;
  sshKey?: string;
  /** Nodes rebooted at once; undefined = the documented default. */
  rebootBatch?: number | "all";
  /** Allow every control-plane node to reboot in the same batch. */
  allowAllMasters: boolean;
  /** Remove NNCPs that configure the primary NIC. */
  deleteNncp: boolean;
  /** Live: save and delete egress router pods instead of refusing. */
  deleteEgressRouterPods: boolean;
  /** The user acknowledges the managed-platform (ROSA/OSD) annotation. */
  managedPlatformAck: boolean;
  /** Where backups of every changed object are written (default .ovn-migrate/backup). */
  backupDir: string;
  etcdBackupConfirmed: boolean;
}

/**
 * What `execute`, `rollback` and `cleanup` are asked to do, as the domain receives it: plain values (durations in
 * milliseconds, flags already validated), whatever front end filled them in (the CLI, a test, `rehearse`).
 */
import type { MigrationMethod } from "../verify/options.ts";

/** How nodes are rebooted: through the machine-config-daemon pod (documented), over ssh, or by the user. */
export type RebootMethod = "exec" | "ssh" | "none";

/** What every command that changes the cluster shares. */
export interface RunOptions {
  /** Print the plan with every patch; write nothing. */
  dryRun: boolean;
  /** Do not ask before the first disruptive step (required when stdin is not a terminal). */
  yes: boolean;
  /** Longest wait for each step, in milliseconds; 0 waits forever. */
  timeoutMs: number;
}

/** The SDN features CNO converts (false with `--no-egress-ip` etc.). */
export interface FeatureOptions {
  egressIp: boolean;
  egressFirewall: boolean;
  multicast: boolean;
}

/** How and how many nodes reboot. */
export interface RebootOptions {
  reboot: RebootMethod;
  sshUser?: string;
  sshKey?: string;
  /** Nodes rebooted at once; undefined = the documented default. */
  rebootBatch?: number | "all";
  /** Allow every control-plane node to reboot in the same batch. */
  allowAllMasters: boolean;
}

import type { OpenStackOptions } from "../openstack/connect.ts";

export type { OpenStackOptions };

export interface ExecuteOptions extends RunOptions, FeatureOptions, RebootOptions, OpenStackOptions {
  /** `auto` runs preflight and uses the method it recommends. */
  method: "auto" | MigrationMethod;
  /** Preflight check ids to skip (`--skip-check`, repeatable). */
  skipChecks: string[];
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

export interface RollbackOptions extends RunOptions, FeatureOptions, RebootOptions {
  method: MigrationMethod;
  /** openshiftSDNConfig settings for the way back. */
  mtu?: number;
  vxlanPort?: number;
  /** Where backups of every changed object are written (default .ovn-migrate/backup-rollback). */
  backupDir: string;
}

export interface CleanupOptions extends RunOptions, OpenStackOptions {}

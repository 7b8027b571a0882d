/**
 * What preflight is asked to evaluate: the method(s), the checks, and the values the user plans to pass to
 * `execute` (checked for overlaps now). `execute` and `rehearse` fill the same options for the same checks.
 */
export type MigrationMethod = "offline" | "live";

import type { OpenStackOptions } from "../openstack/connect.ts";

export interface PreflightOptions extends OpenStackOptions {
  /** `auto` evaluates offline and live and recommends one. */
  method: "auto" | MigrationMethod;
  /** Check ids to leave out (`--skip-check`, repeatable). */
  skipChecks: string[];
  /** Only these check ids (`--only`, repeatable). */
  onlyChecks: string[];
  /** Write the collected facts snapshot here (`--dump-facts FILE`). */
  dumpFacts?: string;
  /** Multitenant mode: write NetworkPolicies that keep the project isolation here (`--network-policies FILE`). */
  networkPolicies?: string;
  /** Evaluate a saved snapshot instead of reading the cluster (`--facts FILE`). */
  facts?: string;
  /** The user confirms a recent etcd backup (`--etcd-backup-confirmed`). */
  etcdBackupConfirmed: boolean;
  /** Values the user plans to pass to `execute`, checked for overlaps now. */
  v4InternalSubnet?: string;
  v6InternalSubnet?: string;
  joinSubnet?: string;
  transitSubnet?: string;
  clusterNetwork?: string;
  hostPrefix?: number;
  mtu?: number;
  genevePort?: number;
}

/** The options of `rollback` as the CLI parses them (issue 7). */
import type { RebootMethod } from "./execute_options.ts";
import type { MigrationMethod } from "./preflight_options.ts";

export interface RollbackOptions {
  method: MigrationMethod;
  dryRun: boolean;
  yes: boolean;
  /** Longest wait for each step, in milliseconds; 0 waits forever. */
  timeoutMs: number;
  /** openshiftSDNConfig settings for the way back. */
  mtu?: number;
  vxlanPort?: number;
  /** Migrate egress IPs / egress firewall / multicast back (false with `--no-egress-ip` etc.). */
  egressIp: boolean;
  egressFirewall: boolean;
  multicast: boolean;
  reboot: RebootMethod;
  sshUser?: string;
  sshKey?: string;
  rebootBatch?: number | "all";
  allowAllMasters: boolean;
  /** Where backups of every changed object are written (default .ovn-migrate/backup-rollback). */
  backupDir: string;
}

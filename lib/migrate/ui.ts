/**
 * What the procedures need from whoever runs them (the CLI's step UI, a test, `rehearse`): the engine's
 * questions and step marks, a redrawn progress line, lines that stay, and the cluster to work on.
 */
import type { Kube } from "../kube/types.ts";
import type { OpenStackClient } from "../openstack/client.ts";
import type { EngineUi } from "./engine.ts";
import type { Tuning } from "./tuning.ts";

export interface MigrationUi extends EngineUi {
  /** A line of progress (redrawn on a terminal). */
  report(line: string): void;
  /** A finished-state line that stays on screen. */
  note(line: string): void;
  /** A line as it is (e.g. the method chosen, a preflight warning). */
  message(line: string): void;
}

/** Everything a procedure runs with besides its options. */
export interface MigrationEnv {
  kube: Kube;
  ui: MigrationUi;
  /** The fixed waits, shortened against a simulated cluster (OVN_MIGRATE_TIME_SCALE). */
  tuning: Tuning;
  /** Aborts every wait (Ctrl-C); the engine then says how to resume. */
  signal: AbortSignal;
  /** The OpenStack cloud under the cluster (Kuryr), connected on first use; a clear error when none is set up. */
  openstack(): Promise<OpenStackClient>;
}

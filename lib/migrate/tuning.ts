/**
 * The fixed waits of a migration (operators healthy on reads 30 s apart, MCO start grace, reboot
 * retries). A rehearsal against the simulated cluster, whose clock runs faster, shortens them with
 * OVN_MIGRATE_TIME_SCALE (the simulator's --time-scale); against a real cluster leave it unset.
 */
export interface Tuning {
  /** OVN_MIGRATE_TIME_SCALE: how much faster than real time the cluster's clock runs (1 against a real one). */
  timeScale: number;
  operatorReads: number;
  operatorIntervalMs: number;
  mcoStartGraceMs: number;
  rebootRequestGraceMs: number;
  rebootRetryDelayMs: number;
  /** After the reboots: how long pods may take to start before those still failing count as in error. */
  podSettleMs: number;
  /** `status --watch`: how long blocked or failed must last before exit 3 (transient states pass). */
  statusGraceMs: number;
}

export function tuning(env: (name: string) => string | undefined): Tuning {
  const raw = Number(env("OVN_MIGRATE_TIME_SCALE") ?? "1");
  const scale = Number.isFinite(raw) && raw >= 1 ? raw : 1;
  return {
    timeScale: scale,
    operatorReads: 3,
    operatorIntervalMs: 30_000 / scale,
    mcoStartGraceMs: 600_000 / scale,
    rebootRequestGraceMs: 300_000 / scale,
    rebootRetryDelayMs: 3_000 / scale,
    podSettleMs: 120_000 / scale,
    statusGraceMs: 60_000 / scale,
  };
}

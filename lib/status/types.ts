/**
 * The shapes `status` works with: what was read from the cluster (ClusterView) and the snapshot it
 * prints (StatusSnapshot — the JSON schema documented in SCHEMA.md; change both together).
 */
import type { KubeObject } from "../kube/types.ts";
import type { MetricsReading } from "../metrics/live_migration.ts";
import type { ProgressRecord } from "../migrate/progress.ts";

export const SNAPSHOT_SCHEMA = "ovn-migrate.openshift.io/status/v1";

/** The sections read independently; a failed read becomes one error row for that section. */
export type SectionName =
  | "networkConfig"
  | "networkOperator"
  | "infrastructure"
  | "clusterOperators"
  | "pools"
  | "nodes"
  | "progress"
  | "metrics"
  | "machineConfigs"
  | "daemonSets"
  | "egressRouterPods";

/** Everything status knows about the cluster at one moment. */
export interface ClusterView {
  networkConfig?: KubeObject;
  networkOperator?: KubeObject;
  infrastructure?: KubeObject;
  clusterOperators: KubeObject[];
  pools: KubeObject[];
  nodes: KubeObject[];
  /** The tool's own progress record: only a hint (boot IDs at the flip, start time, method). */
  progress?: ProgressRecord;
  metrics?: MetricsReading;
  /** Rendered MachineConfig name → the plugin its configure-ovs.sh runs (undefined: none found). */
  renderedPlugin: Map<string, string | undefined>;
  /** DaemonSets in openshift-sdn (names), when read. */
  sdnDaemonSets?: string[];
  /** `namespace/name` of pods carrying the assign-macvlan annotation, when read. */
  egressRouterPods?: string[];
  errors: Partial<Record<SectionName, string>>;
}

export function emptyView(): ClusterView {
  return { clusterOperators: [], pools: [], nodes: [], renderedPlugin: new Map(), errors: {} };
}

export type PhaseState =
  | "not-started"
  | "starting"
  | "offline-preparing"
  | "offline-prepared"
  | "offline-flipped"
  | "live"
  | "complete"
  | "blocked"
  | "failed"
  | "unknown";

export interface Phase {
  state: PhaseState;
  /** One line for people, e.g. "live step 2 of 4: routable MTU (reboot round 1)". */
  title: string;
  method: "live" | "offline" | null;
  /** Current step (1-based) of `steps`; null when not migrating. */
  step: number | null;
  steps: number | null;
  from: string | null;
  to: string | null;
  /** The migration goes back to OpenShift SDN. */
  rollback: boolean;
  /** What the cluster is doing or waiting for. */
  detail: string;
}

export interface ConditionRow {
  type: string;
  status: string;
  reason: string;
  message: string;
  since: string | null;
}

export interface PoolRow {
  name: string;
  total: number;
  updated: number;
  ready: number;
  degraded: number;
  unavailable: number;
  paused: boolean;
  updating: boolean;
  /** The rendered config the pool reports as applied. */
  configuration: string | null;
  /** The plugin that config's configure-ovs.sh runs, when read. */
  plugin: string | null;
}

export interface NodeRow {
  name: string;
  pool: string | null;
  /** machineconfiguration.openshift.io/state (Done, Working, Degraded …). */
  state: string;
  /** currentConfig == desiredConfig. */
  configUpToDate: boolean;
  ready: boolean;
  unschedulable: boolean;
  /** Rebooted since the offline flip (boot ID changed); null when unknown or not relevant. */
  rebootedSinceFlip: boolean | null;
  /** The network plugin the node runs now, when it can be told. */
  plugin: string | null;
  /** Why it is listed (laggards only). */
  why: string;
}

export interface NodesSection {
  total: number;
  ready: number;
  configUpToDate: number;
  working: number;
  degraded: number;
  /** null when boot IDs at the flip are unknown or the flip has not happened. */
  rebootedSinceFlip: number | null;
  /** Plugin → node count, for the nodes where it can be told. */
  plugins: Record<string, number>;
  /** The nodes holding the migration up, worst first (at most 50). */
  laggards: NodeRow[];
  laggardsOmitted: number;
}

export interface OperatorRow {
  name: string;
  available: string;
  progressing: string;
  degraded: string;
  /** Reason and message of the first bad condition. */
  reason: string;
  message: string;
}

export interface MetricsSection {
  available: boolean;
  source: string | null;
  /** Why metrics are missing ("metrics unavailable: …"); null when available. */
  why: string | null;
  blocked: string[];
  conditions: Record<string, string>;
}

export interface Problem {
  /** Stable key: a CNO blocked reason (UnsupportedMACVLANInterface …) or our own (PoolPaused …). */
  reason: string;
  severity: "blocking" | "failed" | "warning";
  message: string;
  /** What to do, one command or sentence per entry. */
  fix: string[];
}

export interface Timing {
  startedAt: string | null;
  elapsedSeconds: number | null;
  /** Node updates (reboots) done and expected in total for the whole migration. */
  nodeUpdatesDone: number | null;
  nodeUpdatesTotal: number | null;
  etaSeconds: number | null;
}

export type Section<T> = T | { error: string };

export interface StatusSnapshot {
  schema: typeof SNAPSHOT_SCHEMA;
  observedAt: string;
  phase: Phase;
  conditions: Section<ConditionRow[]>;
  pools: Section<PoolRow[]>;
  nodes: Section<NodesSection>;
  operators: Section<OperatorRow[]>;
  metrics: MetricsSection;
  problems: Problem[];
  timing: Timing;
  /** One row per section that could not be read. */
  errors: { section: string; error: string }[];
}

export function isError<T>(s: Section<T>): s is { error: string } {
  return typeof s === "object" && s !== null && !Array.isArray(s) && "error" in s &&
    typeof (s as { error: unknown }).error === "string" && Object.keys(s).length === 1;
}

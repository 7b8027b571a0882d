/**
 * A migration is a list of steps as data. Each step can say whether the cluster already shows its
 * effect (so a resumed run never repeats it), describe the exact calls it makes (for `--dry-run`),
 * apply them, and verify the outcome. The engine records a step once it is verified.
 */
import type { Kube } from "../kube/types.ts";
import type { Progress } from "./progress.ts";

/** One call a step makes, as printed by `--dry-run` (the `oc` equivalent, then the API request). */
export interface PlannedCall {
  /** The documented command this call automates, e.g. `oc patch Network.operator.openshift.io cluster …`. */
  command: string;
  /** What it does to the cluster, e.g. `PATCH networks.operator.openshift.io/cluster (merge)`. */
  request?: string;
  /** The patch body, when the call is a patch. */
  body?: unknown;
}

/** What steps may use: the cluster, the user's options, progress, and a way to report. */
export interface StepContext<O> {
  kube: Kube;
  options: O;
  progress: Progress;
  /** A line of progress for the user (stderr, redrawn on a terminal). */
  report(message: string): void;
  /** A finished-state line for the user (kept on screen). */
  note(message: string): void;
  /** Resolves when the run is being aborted (Ctrl-C). */
  signal: AbortSignal;
}

export interface Step<O> {
  /** Stable kebab-case id: recorded in the progress record and accepted by nothing else. */
  id: string;
  title: string;
  /** Needs the user's confirmation before the first one runs (it reboots nodes or changes the network). */
  disruptive: boolean;
  /** The step does not apply to these options/this cluster (e.g. no NNCP to delete); the reason is shown. */
  skip?(ctx: StepContext<O>): Promise<string | undefined>;
  /** The cluster already shows this step's effect (checked before applying, so resumes never repeat it). */
  done(ctx: StepContext<O>): Promise<boolean>;
  /** The exact calls `apply` makes, for `--dry-run` and for the record. */
  plan(ctx: StepContext<O>): Promise<PlannedCall[]>;
  apply(ctx: StepContext<O>): Promise<void>;
  /** Waits until the effect is verified; throws BlockedError with a diagnosis when it cannot be. */
  verify(ctx: StepContext<O>): Promise<unknown>;
}

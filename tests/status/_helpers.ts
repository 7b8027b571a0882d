/** Runs `status` in-process against the simulated cluster (runStatus through a real CommandContext). */
import { startSim } from "../../sim/sim.ts";
import type { ScenarioInput } from "../../sim/scenario/schema.ts";
import { makeContext } from "../../lib/cli/make_context.ts";
import { createMemoryIo, type MemoryIo } from "../../lib/cli/io.ts";
import type { OutputFormat } from "../../lib/cli/context.ts";
import { runStatus } from "../../lib/cli/commands/status.ts";
import type { StatusSnapshot } from "../../lib/status/types.ts";
import type { ExitCode } from "../../lib/exit_codes.ts";

export const SCALE = 200;
export const NETCFG = "config.openshift.io/networks";
export const NETOP = "operator.openshift.io/networks";
export type Sim = Awaited<ReturnType<typeof startSim>>;

export async function withSim(
  scenario: string | ScenarioInput,
  fn: (sim: Sim) => Promise<void>,
  timeScale = SCALE,
): Promise<void> {
  const sim = await startSim({ scenario, timeScale });
  try {
    await fn(sim);
  } finally {
    await sim.stop();
  }
}

/** The documented live trigger (procedures.md §6 step 5), applied to the stored object. */
export function triggerLive(sim: Sim, target = "OVNKubernetes"): void {
  sim.store.mutate(NETCFG, undefined, "cluster", (o) => {
    o.metadata.annotations = { ...(o.metadata.annotations ?? {}), "network.openshift.io/network-type-migration": "" };
    o.spec.networkType = target;
  });
}

/** Polls `fn` on the real clock (the cap only guards against hangs). */
export async function until(what: string, fn: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What execute records before the offline flip: the boot IDs, so status can tell which nodes rebooted since. */
export function recordBootIdsAtFlip(sim: Sim): void {
  const ids = Object.fromEntries(sim.store.all("core/nodes").map((n) => [n.metadata.name, n.status.nodeInfo.bootID]));
  const now = new Date().toISOString();
  sim.store.create("core/configmaps", {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "oc-ovn-migrate-progress", namespace: "kube-system" },
    data: {
      "progress.json": JSON.stringify({
        apiVersion: "ovn-migrate.openshift.io/v1alpha1",
        kind: "MigrationProgress",
        operation: "migrate",
        method: "offline",
        from: "OpenShiftSDN",
        to: "OVNKubernetes",
        startedAt: now,
        updatedAt: now,
        runs: [],
        steps: {},
        data: { bootIDsAtFlip: ids },
      }),
    },
  });
}

export interface StatusRun {
  code: ExitCode;
  io: MemoryIo;
  /** Every NDJSON line parsed (with -o json / not a terminal). */
  snapshots: StatusSnapshot[];
}

export interface StatusRunOptions {
  watch?: boolean;
  output?: OutputFormat;
  intervalMs?: number;
  tty?: boolean;
  columns?: number;
  /** Called once the first snapshot was printed (e.g. to trigger the migration). */
  afterFirst?: () => void;
  /** Aborts the run after this many ms (a safety net: the test then fails on its assertions). */
  limitMs?: number;
  /** Ends the watch as Ctrl-C would. */
  stop?: AbortSignal;
  /** A kubeconfig context of the simulator (one per user, e.g. "readonly"). */
  context?: string;
}

export async function runStatusOn(sim: Sim, opts: StatusRunOptions = {}): Promise<StatusRun> {
  const io = createMemoryIo({
    env: { OVN_MIGRATE_TIME_SCALE: String(sim.clock.scale) },
    tty: opts.tty,
    columns: opts.columns,
  });
  let fired = false;
  const stdout = io.stdout;
  io.stdout = (t) => {
    stdout(t);
    if (!fired && opts.afterFirst) {
      fired = true;
      queueMicrotask(opts.afterFirst);
    }
  };
  const ctx = makeContext(
    {
      kubeconfig: sim.kubeconfigPath,
      verbose: 0,
      output: opts.output ?? "json",
      color: "never",
      ...(opts.context ? { context: opts.context } : {}),
    },
    io,
  );
  // A safety net for watches: ends the watch as Ctrl-C would (exit 0 with the last snapshot); the test's assertions
  // then fail. Not a real SIGINT: that would reach every test running in this process.
  const stop = new AbortController();
  const limit = opts.watch ? setTimeout(() => stop.abort(), opts.limitMs ?? 240_000) : undefined;
  try {
    const code = await runStatus(
      ctx,
      { watch: opts.watch ?? false, intervalMs: opts.intervalMs ?? 1_000 },
      opts.stop ? AbortSignal.any([stop.signal, opts.stop]) : stop.signal,
    );
    const text = io.stdoutText();
    const snapshots = (opts.output ?? "json") === "json" && !opts.tty
      ? (opts.watch ? text.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [JSON.parse(text)])
      : [];
    return { code, io, snapshots };
  } finally {
    clearTimeout(limit);
    await (await ctx.connect()).close?.();
  }
}

/** Phases as "state/step" strings, consecutive duplicates dropped. */
export function phaseTrail(snaps: StatusSnapshot[]): string[] {
  const out: string[] = [];
  for (const s of snaps) {
    const p = `${s.phase.state}${s.phase.step ? `/${s.phase.step}` : ""}`;
    if (out[out.length - 1] !== p) out.push(p);
  }
  return out;
}

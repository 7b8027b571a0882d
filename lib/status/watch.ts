/**
 * `status --watch`: the view is kept current by watches on network.config, network.operator, the pools,
 * the nodes and the cluster operators (no polling of the API); Prometheus and the other phase-specific
 * reads are refreshed at most once per `intervalMs`. A dropped watch is resumed by the Kube facade
 * (resourceVersion, re-list on 410); a watch that fails outright is retried after a pause.
 *
 * When a snapshot is shown and when the watch ends is decided by watch_machine.ts; how it is shown (redrawn on a
 * terminal, one JSON object per line otherwise) by the front end's `WatchOutput`. Ends with 0 when the migration
 * is complete, 3 when it stays blocked or failed for `graceMs`, and 0 when interrupted (the last snapshot is shown
 * first: the user chose to stop watching, nothing failed).
 */
import type { ExitCode } from "../exit_codes.ts";
import { R, type ResourceRef } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { readProgress } from "../migrate/progress.ts";
import {
  blockedByEgressRouters,
  describeError,
  readEgressRouterPods,
  readMetrics,
  readRenderedPlugins,
  readSdnDaemonSets,
  wantsRenderedPlugins,
  wantsSdnDaemonSets,
} from "./collect.ts";
import { buildSnapshot } from "./snapshot.ts";
import { aborted, evaluated, newMachine, refreshed, type Step } from "./watch_machine.ts";
import { type ClusterView, emptyView, type SectionName, type StatusSnapshot } from "./types.ts";

/** Where the snapshots go (the CLI: redrawn on a terminal, one JSON or YAML document per change otherwise). */
export interface WatchOutput {
  /** Redraws continuously (the watch then re-evaluates every second, for the clock). */
  live: boolean;
  show(snapshot: StatusSnapshot): void;
  /** The watch ended; `last` is the last snapshot shown (to print once more if it was not yet). */
  finish(last: StatusSnapshot | undefined): void;
}

export interface WatchOptions {
  kube: Pick<Kube, "get" | "list" | "listMetadata" | "exec" | "watch">;
  output: WatchOutput;
  /** Metrics and other non-watched reads are refreshed this often (ms). */
  intervalMs: number;
  /** Blocked or failed must last this long before exit 3 (transient states pass). */
  graceMs: number;
  /** A watch that failed outright is retried after this long (ms). */
  retryMs?: number;
  /** Aborting (Ctrl-C) prints the last snapshot and ends with 0. */
  signal?: AbortSignal;
  /** Coalesces bursts of events (ms, default 100). */
  debounceMs?: number;
  /** Receives every snapshot evaluated (tests). */
  onSnapshot?: (s: StatusSnapshot) => void;
}

type ListKey = "clusterOperators" | "pools" | "nodes";
type OneKey = "networkConfig" | "networkOperator";

/** How often the egress router pods (a list of every pod, metadata only) are read again while they block. */
const EGRESS_REREAD_MS = 300_000;

const WATCHED: { section: SectionName; ref: ResourceRef; one?: string }[] = [
  { section: "networkConfig", ref: R.networkConfig, one: "cluster" },
  { section: "networkOperator", ref: R.networkOperator, one: "cluster" },
  { section: "pools", ref: R.machineConfigPool },
  { section: "nodes", ref: R.node },
  { section: "clusterOperators", ref: R.clusterOperator },
];

const phaseKey = (s: StatusSnapshot) => `${s.phase.state}/${s.phase.step ?? ""}`;

export function watchStatus(opts: WatchOptions): Promise<ExitCode> {
  const { kube, output } = opts;
  const view: ClusterView = emptyView();
  const stop = new AbortController();
  const debounceMs = opts.debounceMs ?? 100;
  const retryMs = opts.retryMs ?? 5_000;
  const synced = new Set<SectionName>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let machine = newMachine(opts.graceMs);
  let last: StatusSnapshot | undefined;
  let recheck: ReturnType<typeof setTimeout> | undefined;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let refresher: ReturnType<typeof setInterval> | undefined;
  let initialRefreshDone = false;
  let renderedInFlight = false;
  let refreshing = false;
  let refreshAgain = false;
  let egressReadAt = -Infinity;

  return new Promise<ExitCode>((resolve) => {
    /** Carries out what the machine decided about `s` (the snapshot just evaluated, if any). */
    const apply = (step: Step, s?: StatusSnapshot) => {
      machine = step.machine;
      if (machine.state.name !== "deciding") {
        clearTimeout(recheck);
        recheck = undefined;
      }
      for (const e of step.effects) {
        if (e.type === "show" && s) {
          last = s;
          opts.onSnapshot?.(s);
          output.show(s);
        } else if (e.type === "refresh") void refreshNow();
        else if (e.type === "recheck") {
          clearTimeout(recheck);
          recheck = setTimeout(evaluate, Math.max(50, e.ms + 1));
        } else if (e.type === "finish") finish(e.code);
      }
    };
    const finish = (code: ExitCode) => {
      stop.abort();
      clearTimeout(debounce);
      clearTimeout(recheck);
      clearInterval(ticker);
      clearInterval(refresher);
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener("abort", onAbort);
      // Ctrl-C between evaluation and printing: the last snapshot is still shown, once.
      output.finish(last);
      resolve(code);
    };
    const done = () => machine.state.name === "done";

    const evaluate = () => {
      if (done() || synced.size < WATCHED.length || !initialRefreshDone) return;
      maybeReadRendered();
      const s = buildSnapshot(view);
      apply(evaluated(machine, { key: phaseKey(s), state: s.phase.state }, Date.now()), s);
    };
    const schedule = () => {
      if (done() || debounce !== undefined) return;
      debounce = setTimeout(() => {
        debounce = undefined;
        evaluate();
      }, debounceMs);
    };

    /** Rendered configs are read once per name, when a node or pool points at a new one. */
    const maybeReadRendered = () => {
      if (renderedInFlight || !wantsRenderedPlugins(view)) return;
      const names = [
        ...view.nodes.map((n) => n.metadata.annotations?.["machineconfiguration.openshift.io/currentConfig"]),
        ...view.pools.map((p) => p.status?.configuration?.name),
      ].filter((n): n is string => Boolean(n));
      if (names.every((n) => view.renderedPlugin.has(n))) return;
      renderedInFlight = true;
      readRenderedPlugins(kube, view).finally(() => {
        renderedInFlight = false;
        schedule();
      });
    };

    const refresh = async () => {
      await Promise.all([
        readMetrics(kube, view),
        readProgress(kube).then((p) => {
          view.progress = p;
          delete view.errors.progress;
        }, (e) => view.errors.progress = describeError(e)),
        wantsSdnDaemonSets(view) ? readSdnDaemonSets(kube, view) : undefined,
      ]);
      // Listing every pod is the one heavy read: at most once per EGRESS_REREAD_MS while CNO names them.
      if (blockedByEgressRouters(view) && Date.now() - egressReadAt >= Math.max(EGRESS_REREAD_MS, opts.intervalMs)) {
        egressReadAt = Date.now();
        await readEgressRouterPods(kube, view);
      }
    };
    /** One refresh at a time; a request during one runs another right after (its reads may be stale). */
    const refreshNow = async () => {
      if (refreshing) {
        refreshAgain = true;
        return;
      }
      refreshing = true;
      try {
        do {
          refreshAgain = false;
          const started = Date.now();
          // Each read records its own failure in the view; a refresh never blocks what waits for it.
          await refresh().catch(() => {});
          machine = refreshed(machine, started);
        } while (refreshAgain && !done());
      } finally {
        refreshing = false;
        schedule();
      }
    };

    const onAbort = () => apply(aborted(machine));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort);

    const startWatch = (w: typeof WATCHED[number]) => {
      const items = new Map<string, KubeObject>();
      const publish = () => {
        const all = [...items.values()];
        if (w.one) {
          (view as unknown as Record<OneKey, KubeObject | undefined>)[w.section as OneKey] = all.find((o) =>
            o.metadata.name === w.one
          );
        } else (view as unknown as Record<ListKey, KubeObject[]>)[w.section as ListKey] = all;
        delete view.errors[w.section];
        synced.add(w.section);
        schedule();
      };
      const run = () => {
        if (done()) return;
        kube.watch(w.ref, {
          signal: stop.signal,
          onSync: (all) => {
            items.clear();
            for (const o of all) items.set(key(o), o);
            publish();
          },
        }, (type, obj) => {
          if (type === "DELETED") items.delete(key(obj));
          else items.set(key(obj), obj);
          publish();
        }).then(() => {
          // Ended without an abort: start again (the facade normally resumes by itself).
          if (!stop.signal.aborted) retry();
        }, (e) => {
          if (stop.signal.aborted) return;
          view.errors[w.section] = describeError(e);
          synced.add(w.section);
          schedule();
          retry();
        });
      };
      const retry = () => {
        const t = setTimeout(() => {
          timers.delete(t);
          run();
        }, retryMs);
        timers.add(t);
      };
      run();
    };

    for (const w of WATCHED) startWatch(w);
    // The infrastructure is read once; the first refresh also brings the progress record and the metrics.
    const firstRefresh = Date.now();
    Promise.all([
      kube.get(R.infrastructure, "cluster").then(
        (o) => view.infrastructure = o,
        (e) => view.errors.infrastructure = describeError(e),
      ),
      refresh(),
    ]).finally(() => {
      machine = refreshed(machine, firstRefresh);
      initialRefreshDone = true;
      schedule();
    });
    refresher = setInterval(() => void refreshNow(), Math.max(1_000, opts.intervalMs));
    // A live view redraws every second (elapsed time, estimate) even when nothing changes.
    if (output.live) ticker = setInterval(() => last && evaluate(), 1_000);
  });
}

const key = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

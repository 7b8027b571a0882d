/**
 * `status --watch`: the view is kept current by watches on network.config, network.operator, the pools,
 * the nodes and the cluster operators (no polling of the API); Prometheus and the other phase-specific
 * reads are refreshed at most once per `intervalMs`. A dropped watch is resumed by the Kube facade
 * (resourceVersion, re-list on 410); a watch that fails outright is retried after a pause.
 *
 * Output: on a terminal the human view is redrawn in place with log-update (it wraps long lines to the
 * width and erases exactly the lines it drew, patching only what changed: no flicker); otherwise, or with
 * `-o json`, one JSON snapshot per line whenever something other than the clock changed.
 * Ends with 0 when the migration is complete, 3 when it stays blocked or failed for `graceMs`, and 0 when
 * interrupted (the last snapshot is printed first: the user chose to stop watching, nothing failed).
 */
import { createLogUpdate } from "log-update";
import type { Io, OutputFormat } from "../cli/context.ts";
import { toYaml } from "../cli/output.ts";
import { ExitCode } from "../exit_codes.ts";
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
import { fitToScreen, renderHuman } from "./render.ts";
import { buildSnapshot } from "./snapshot.ts";
import { type ClusterView, emptyView, type SectionName, type StatusSnapshot } from "./types.ts";

export interface WatchOptions {
  kube: Pick<Kube, "get" | "list" | "listMetadata" | "exec" | "watch">;
  io: Io;
  format: OutputFormat;
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

/** The snapshot without what only the clock changes: the key that decides whether to print again. */
export function changeKey(s: StatusSnapshot): string {
  const { observedAt: _o, timing, ...rest } = s;
  return JSON.stringify({ ...rest, timing: { ...timing, elapsedSeconds: null, etaSeconds: null } });
}

const phaseKey = (s: StatusSnapshot) => `${s.phase.state}/${s.phase.step ?? ""}`;

const terminal = (s: StatusSnapshot) => s.phase.state === "blocked" || s.phase.state === "failed";

export function watchStatus(opts: WatchOptions): Promise<ExitCode> {
  const { kube, io } = opts;
  const view: ClusterView = emptyView();
  const stop = new AbortController();
  const debounceMs = opts.debounceMs ?? 100;
  const retryMs = opts.retryMs ?? 5_000;
  const tty = io.stdoutIsTTY && io.columns > 0 && opts.format === "human";
  const screenRows = terminalRows() ?? 24;
  const log = tty ? createLogUpdate(ttyStream(io, screenRows), { showCursor: true }) : undefined;
  const synced = new Set<SectionName>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let last: StatusSnapshot | undefined;
  let lastKey = "";
  /** The final state seen (complete, blocked, failed) and since when. */
  let decided: { state: string; since: number } | undefined;
  /** Start time of the last completed refresh of the non-watched reads. */
  let refreshedFrom = -Infinity;
  /** The phase last shown, and a different one computed since (held back until a refresh after it). */
  let shownPhase: string | undefined;
  let seenPhase: { key: string; since: number } | undefined;
  let refreshAgain = false;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let refresher: ReturnType<typeof setInterval> | undefined;
  let initialRefreshDone = false;
  let renderedInFlight = false;
  let refreshing = false;
  let egressReadAt = -Infinity;
  let finished = false;

  return new Promise<ExitCode>((resolve) => {
    const finish = (code: ExitCode) => {
      if (finished) return;
      finished = true;
      stop.abort();
      clearTimeout(debounce);
      clearInterval(ticker);
      clearInterval(refresher);
      clearTimeout(graceTimer);
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener("abort", onAbort);
      // Ctrl-C between evaluation and printing: the last snapshot is still printed, once.
      if (last && !log && changeKey(last) !== printedKey) print(last);
      if (log) log.done();
      resolve(code);
    };
    let printedKey = "";
    const print = (s: StatusSnapshot) => {
      printedKey = changeKey(s);
      if (log) log(fitToScreen(renderHuman(s, io, { columns: io.columns }), io.columns, screenRows));
      else if (opts.format === "yaml") io.stdout(`---\n${toYaml(s)}`);
      else io.stdout(JSON.stringify(s) + "\n");
    };

    const evaluate = () => {
      if (finished) return;
      if (synced.size < WATCHED.length || !initialRefreshDone) return;
      maybeReadRendered();
      const s = buildSnapshot(view);
      // A new phase is shown only once the unwatched reads (the progress record with the boot IDs at the flip,
      // the metrics) were refreshed after it appeared: a stale record would call a flip without reboots complete.
      const phase = phaseKey(s);
      if (phase !== shownPhase) {
        if (seenPhase?.key !== phase) {
          seenPhase = { key: phase, since: Date.now() };
          void refreshNow();
        }
        if (refreshedFrom < seenPhase.since) return; // the refresh schedules another evaluation when done
      }
      shownPhase = phase;
      last = s;
      opts.onSnapshot?.(s);
      if (finished) return;
      const key = changeKey(s);
      if (log) print(s);
      else if (key !== lastKey) print(s);
      lastKey = key;
      const state = s.phase.state;
      if (state !== "complete" && !terminal(s)) {
        decided = undefined;
        clearTimeout(graceTimer);
        graceTimer = undefined;
        return;
      }
      if (decided?.state !== state) {
        // The decision and the final snapshot rest on unwatched reads made after the state appeared: the refresh
        // that let this phase be shown (above) when there was one, else a new one.
        decided = { state, since: seenPhase?.key === phase ? seenPhase.since : Date.now() };
        if (refreshedFrom < decided.since) void refreshNow();
      }
      if (refreshedFrom < decided.since) return; // the refresh schedules another evaluation when done
      if (state === "complete") return finish(ExitCode.Ok);
      const left = opts.graceMs - (Date.now() - decided.since);
      if (left <= 0) return finish(ExitCode.Failed);
      // Re-check when the grace period ends even if nothing else happens.
      graceTimer ??= setTimeout(() => {
        graceTimer = undefined;
        evaluate();
      }, Math.max(50, left + 1));
    };
    const schedule = () => {
      if (finished || debounce !== undefined) return;
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
          refreshedFrom = started;
        } while (refreshAgain && !finished);
      } finally {
        refreshing = false;
        schedule();
      }
    };

    const onAbort = () => finish(ExitCode.Ok);
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
        if (finished) return;
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
      refreshedFrom = Math.max(refreshedFrom, firstRefresh);
      initialRefreshDone = true;
      schedule();
    });
    refresher = setInterval(() => void refreshNow(), Math.max(1_000, opts.intervalMs));
    if (log) ticker = setInterval(() => last && evaluate(), 1_000);
  });
}

const key = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** The stream log-update writes to: our Io's stdout with its width (and the terminal's height when known). */
function ttyStream(io: Io, rows: number) {
  const stream = { write: (s: string) => io.stdout(s), columns: io.columns, rows, isTTY: true };
  // log-update only calls write and reads columns/rows/isTTY.
  return stream as unknown as Parameters<typeof createLogUpdate>[0];
}

function terminalRows(): number | undefined {
  try {
    return Deno.consoleSize().rows || undefined;
  } catch {
    return undefined;
  }
}

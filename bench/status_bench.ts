/**
 * API load of `status --watch` in steady state on sdn-large (issue 6 "Must show"), beside the documented
 * polling loop of procedures.md §9 step 2 (`watch -n1 '… oc get network.config … ; oc get mcp -o wide;
 * oc get node -o custom-columns=…'`) run with kubectl every second. Both run as subprocesses against the
 * same simulated cluster, one after the other; each is counted over the same fixed window, after it has
 * started up (status: after its first snapshot; the loop: after its first round).
 *
 *   deno run --allow-all bench/status_bench.ts [--window 60]
 */
import { parseArgs } from "node:util";
import { type Sim, startSim } from "../sim/sim.ts";
import { PERMISSION_FLAGS } from "../lib/permissions.ts";
import type { RequestRecord } from "../sim/server/request_log.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const STATUS_COMMAND = new URL("../lib/cli/commands/status.ts", import.meta.url).pathname;

export interface StatusBenchResult {
  scenario: string;
  windowSeconds: number;
  statusRequestsPerMinute: number;
  pollingRequestsPerMinute: number;
  /** Bytes the API server sent per minute (watch events vs. full lists every second). */
  statusBytesPerMinute: number;
  pollingBytesPerMinute: number;
  /** Requests per minute by resource ("nodes", "pods/exec" …) for each run. */
  statusByResource: Record<string, number>;
  pollingByResource: Record<string, number>;
  /** Rounds of the polling loop completed in the window. */
  pollingRounds: number;
  /** How the status process was started: the wired CLI or runStatus directly. */
  statusLauncher: "main.ts" | "runStatus";
}

export interface StatusBenchOptions {
  /** Counting window in seconds (default 60: two Prometheus refreshes at the default 30 s interval). */
  windowSeconds?: number;
  scenario?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `main.ts status` once the lead has wired the command; until then runStatus through the same context code. */
async function statusArgs(): Promise<{ args: string[]; launcher: StatusBenchResult["statusLauncher"] }> {
  const wired = (await Deno.readTextFile(STATUS_COMMAND)).includes("status/command.ts");
  if (wired) {
    return { args: ["run", ...PERMISSION_FLAGS, MAIN, "status", "--watch", "-o", "json"], launcher: "main.ts" };
  }
  const lib = new URL("../lib/", import.meta.url).href;
  const script = `
    import { makeContext } from "${lib}cli/make_context.ts";
    import { createTerminalIo } from "${lib}cli/io.ts";
    import { runStatus } from "${lib}status/command.ts";
    const io = createTerminalIo("never");
    const ctx = makeContext({ verbose: 0, output: "json", color: "never" }, io);
    Deno.exit(await runStatus(ctx, { watch: true, intervalMs: 30000 }));
  `;
  return {
    args: ["eval", "--config", new URL("../deno.json", import.meta.url).pathname, script],
    launcher: "runStatus",
  };
}

function perMinute(records: readonly RequestRecord[], from: number, to: number, windowSeconds: number) {
  const inWindow = records.filter((r) => r.at >= from && r.at < to);
  const byResource: Record<string, number> = {};
  for (const r of inWindow) {
    const k = r.subresource ? `${r.resource}/${r.subresource}` : r.resource || r.path.split("?")[0];
    byResource[k] = (byResource[k] ?? 0) + 1;
  }
  const scale = 60 / windowSeconds;
  for (const k of Object.keys(byResource)) byResource[k] = Math.round(byResource[k] * scale * 10) / 10;
  return {
    requests: Math.round(inWindow.length * scale * 10) / 10,
    bytes: Math.round(inWindow.reduce((n, r) => n + r.bytesOut, 0) * scale),
    byResource,
  };
}

/** `status --watch -o json` as a subprocess: started, left to sync, then counted over the window. */
async function measureStatus(sim: Sim, windowSeconds: number) {
  const { args, launcher } = await statusArgs();
  sim.requestLog.clear();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env: { KUBECONFIG: sim.kubeconfigPath, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  const dec = new TextDecoder();
  let buffered = "";
  // The first snapshot means every watch has synced: from here on the load is steady.
  while (!buffered.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("status --watch ended before its first snapshot");
    buffered += dec.decode(value, { stream: true });
  }
  const drain = (async () => {
    while (!(await reader.read()).done) { /* later snapshots: not needed */ }
  })();
  const from = Date.now();
  await sleep(windowSeconds * 1000);
  const to = Date.now();
  child.kill("SIGINT");
  await child.status;
  await drain.catch(() => {});
  return { ...perMinute(sim.requestLog.records(), from, to, windowSeconds), launcher };
}

/** One round of the documented watch command (its three oc calls; jq/column only format the output). */
async function pollingRound(kubeconfig: string): Promise<void> {
  const kc = ["--kubeconfig", kubeconfig];
  const calls = [
    ["get", "network.config/cluster", "-o", "json"],
    ["get", "mcp", "-o", "wide"],
    [
      "get",
      "node",
      "-o",
      "custom-columns=NAME:metadata.name,STATE:metadata.annotations.machineconfiguration\\.openshift\\.io/state," +
      "DESIRED:metadata.annotations.machineconfiguration\\.openshift\\.io/desiredConfig," +
      "CURRENT:metadata.annotations.machineconfiguration\\.openshift\\.io/currentConfig," +
      "REASON:metadata.annotations.machineconfiguration\\.openshift\\.io/reason",
    ],
  ];
  for (const c of calls) {
    await new Deno.Command("kubectl", { args: [...kc, ...c], stdout: "null", stderr: "null", stdin: "null" }).output();
  }
}

/** `watch -n1 '…'`: a round, then one second, again and again. */
async function measurePolling(sim: Sim, windowSeconds: number) {
  sim.requestLog.clear();
  await pollingRound(sim.kubeconfigPath); // warm-up: kubectl's discovery cache
  const from = Date.now();
  let rounds = 0;
  while (Date.now() - from < windowSeconds * 1000) {
    await pollingRound(sim.kubeconfigPath);
    rounds++;
    await sleep(1000);
  }
  const to = Date.now();
  return { ...perMinute(sim.requestLog.records(), from, to, windowSeconds), rounds };
}

/** Measures both against `sim` (or a fresh sdn-large when none is given). */
export async function benchStatus(sim?: Sim, opts: StatusBenchOptions = {}): Promise<StatusBenchResult> {
  const windowSeconds = opts.windowSeconds ?? 60;
  const scenario = opts.scenario ?? "sdn-large";
  const own = sim ? undefined : await startSim({ scenario, timeScale: 1 });
  const cluster = sim ?? own!;
  try {
    const status = await measureStatus(cluster, windowSeconds);
    const polling = await measurePolling(cluster, windowSeconds);
    return {
      scenario: sim ? "(given)" : scenario,
      windowSeconds,
      statusRequestsPerMinute: status.requests,
      pollingRequestsPerMinute: polling.requests,
      statusBytesPerMinute: status.bytes,
      pollingBytesPerMinute: polling.bytes,
      statusByResource: status.byResource,
      pollingByResource: polling.byResource,
      pollingRounds: polling.rounds,
      statusLauncher: status.launcher,
    };
  } finally {
    await own?.stop();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { window: { type: "string", default: "60" }, scenario: { type: "string", default: "sdn-large" } },
  });
  const r = await benchStatus(undefined, { windowSeconds: Number(values.window), scenario: values.scenario });
  console.log(JSON.stringify(r, null, 2));
}

/**
 * Rebooting nodes after the flip, as documented (procedures.md §5 step 12): through each node's
 * machine-config-daemon pod (`chroot /rootfs shutdown -r +1`, retried), by ssh, or by the user. Every
 * reboot is verified by the node's bootID changing and the node returning Ready.
 */
import { formatDuration } from "../duration.ts";
import { BlockedError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { MCO_NAMESPACE } from "../openshift/names.ts";
import type { RebootMethod } from "./options.ts";
import { bootID, internalIP, isMaster, nodeReady } from "../openshift/nodes.ts";
import type { Progress } from "./progress.ts";
import { watchUntil } from "./wait.ts";
import { sleep } from "../sleep.ts";

export interface RebootOptions {
  method: RebootMethod;
  sshUser?: string;
  sshKey?: string;
  /** Nodes rebooted at once (masters one at a time unless `allowAllMasters`). */
  batch: number | "all";
  allowAllMasters: boolean;
  /** Per batch: how long a node may take to come back. */
  timeoutMs: number;
  /** A reboot requested less than this long ago is not requested again on resume (shutdown -r +1 waits a minute). */
  requestGraceMs: number;
  /** Pause between exec attempts (the documented loop sleeps 3 s). */
  retryDelayMs: number;
  attempts: number;
  signal?: AbortSignal;
  report(line: string): void;
  note(line: string): void;
}

export const REBOOT_COMMAND = ["chroot", "/rootfs", "shutdown", "-r", "+1"];
const REQUESTS_KEY = "rebootRequests";

/** Batches in reboot order: workers (and other pools) in groups of `batch`, masters one by one unless allowed. */
export function rebootBatches(nodes: KubeObject[], batch: number | "all", allowAllMasters: boolean): KubeObject[][] {
  const size = (n: number) => batch === "all" ? Math.max(n, 1) : batch;
  const chunk = (list: KubeObject[], n: number) => {
    const out: KubeObject[][] = [];
    for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
    return out;
  };
  const byName = (a: KubeObject, b: KubeObject) => a.metadata.name.localeCompare(b.metadata.name);
  const masters = nodes.filter(isMaster).sort(byName);
  const others = nodes.filter((n) => !isMaster(n)).sort(byName);
  const masterBatches = allowAllMasters ? chunk(masters, size(masters.length)) : masters.map((m) => [m]);
  return [...chunk(others, size(others.length)), ...masterBatches];
}

/** Reboots every node whose bootID is still the one recorded before the flip; resumable. */
export async function rebootNodes(
  kube: Kube,
  progress: Progress,
  bootIDsBefore: Record<string, string>,
  opts: RebootOptions,
): Promise<void> {
  const nodes = await kube.list(R.node);
  const pending = nodes.filter((n) => bootIDsBefore[n.metadata.name] === bootID(n));
  if (pending.length === 0) return;
  if (opts.method === "none") {
    opts.note(
      `Reboot these ${pending.length} node(s) now (e.g. oc debug node/<name> -- chroot /host shutdown -r +1); ` +
        `waiting for each to come back with a new boot ID:\n      ` + pending.map((n) =>
          n.metadata.name
        ).join("\n      "),
    );
    await waitRebooted(kube, pending.map((n) => n.metadata.name), bootIDsBefore, opts);
    return;
  }
  const daemons = opts.method === "exec" ? await daemonPods(kube) : new Map<string, string>();
  for (const batch of rebootBatches(pending, opts.batch, opts.allowAllMasters)) {
    const requests = { ...(progress.get<Record<string, number>>(REQUESTS_KEY) ?? {}) };
    const now = Date.now();
    const toRequest = batch.filter((n) => !(now - (requests[n.metadata.name] ?? 0) < opts.requestGraceMs));
    // Recorded before the reboot is requested: a resumed run waits for it instead of rebooting twice.
    for (const n of toRequest) requests[n.metadata.name] = now;
    if (toRequest.length) await progress.set(REQUESTS_KEY, requests);
    await Promise.all(toRequest.map((n) => requestReboot(kube, n, daemons, opts)));
    opts.report(`rebooting ${batch.map((n) => n.metadata.name).join(", ")}`);
    await waitRebooted(kube, batch.map((n) => n.metadata.name), bootIDsBefore, opts);
    opts.note(`rebooted ${batch.map((n) => n.metadata.name).join(", ")}`);
  }
}

async function daemonPods(kube: Kube): Promise<Map<string, string>> {
  const pods = await kube.list(R.pod, { namespace: MCO_NAMESPACE });
  const out = new Map<string, string>();
  for (const p of pods) {
    const owner = p.metadata.ownerReferences?.some((o) => o.kind === "DaemonSet" && o.name === "machine-config-daemon");
    if ((owner || p.metadata.name.startsWith("machine-config-daemon-")) && p.spec?.nodeName) {
      out.set(p.spec.nodeName, p.metadata.name);
    }
  }
  return out;
}

async function requestReboot(kube: Kube, node: KubeObject, daemons: Map<string, string>, opts: RebootOptions) {
  const name = node.metadata.name;
  let lastError = "";
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    if (opts.method === "exec") {
      const pod = daemons.get(name) ?? (await daemonPods(kube)).get(name);
      if (pod) {
        try {
          const r = await kube.exec(MCO_NAMESPACE, pod, "machine-config-daemon", REBOOT_COMMAND, { timeoutMs: 60_000 });
          if (r.exitCode === 0) return;
          lastError = `exit code ${r.exitCode}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ""}`;
        } catch (e) {
          lastError = e instanceof Error ? e.message : String(e);
        }
      } else lastError = `no machine-config-daemon pod runs on ${name}`;
    } else {
      const ip = internalIP(node);
      if (!ip) {
        throw new BlockedError(`Node ${name} has no InternalIP address to ssh to.`, "Use --reboot exec or none.");
      }
      const args = ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=20"];
      if (opts.sshKey) args.push("-i", opts.sshKey);
      args.push(`${opts.sshUser ?? "core"}@${ip}`, "sudo", "shutdown", "-r", "+1");
      try {
        const r = await new Deno.Command("ssh", { args, stdout: "piped", stderr: "piped" }).output();
        if (r.code === 0) return;
        lastError = `ssh exit code ${r.code}: ${new TextDecoder().decode(r.stderr).trim()}`;
      } catch (e) {
        lastError = e instanceof Deno.errors.NotFound ? "the ssh command was not found" : String(e);
      }
    }
    opts.report(`cannot reboot node ${name} (${lastError}), retry ${attempt}/${opts.attempts}`);
    if (attempt < opts.attempts) await sleep(opts.retryDelayMs, opts.signal);
  }
  throw new BlockedError(
    `Could not reboot node ${name}: ${lastError}.`,
    opts.method === "exec"
      ? `Check the daemon pod: oc get pods -n ${MCO_NAMESPACE} -o wide --field-selector spec.nodeName=${name}`
      : "Check ssh access to the node, or use --reboot exec.",
  );
}

async function waitRebooted(kube: Kube, names: string[], before: Record<string, string>, opts: RebootOptions) {
  const wanted = new Set(names);
  await watchUntil<true>(
    kube,
    R.node,
    names.length === 1 ? { fieldSelector: `metadata.name=${names[0]}` } : {},
    (
      nodes,
    ) => {
      const waiting = [...nodes.values()].filter((n) =>
        wanted.has(n.metadata.name) && (bootID(n) === before[n.metadata.name] || !nodeReady(n))
      );
      const seen = [...nodes.values()].filter((n) => wanted.has(n.metadata.name)).length;
      if (seen === wanted.size && waiting.length === 0) return { done: true };
      return {
        progress: `waiting for ${waiting.length} node(s) to come back: ${
          waiting.slice(0, 5).map((n) =>
            `${n.metadata.name} (${bootID(n) === before[n.metadata.name] ? "not rebooted yet" : "NotReady"})`
          )
            .join(", ")
        }${waiting.length > 5 ? ", …" : ""}`,
      };
    },
    {
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      report: opts.report,
      onTimeout: (last) =>
        new BlockedError(
          `A rebooted node did not come back within ${formatDuration(opts.timeoutMs)}${last ? ` (${last})` : ""}.`,
          "Check the node's console or `oc describe node <name>`; once it is Ready, run the same command again.",
        ),
    },
  );
}

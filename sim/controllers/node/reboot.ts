/**
 * Node reboots: `shutdown -r` (from the MCD or an exec), then the node stops posting status (Unknown),
 * the kubelet comes back with a new bootID (NotReady while the CNI starts) and finally posts Ready.
 * A node listed in faults.nodesNeverReturn goes down and stays down.
 */
import type { Obj } from "../../store.ts";
import type { SimContext } from "../../types.ts";
import { recordEvent } from "./events.ts";
import { NODES } from "./keys.ts";
import { newBootId, type ReadyState, withLifecycleTaint, withReady } from "./node_status.ts";
import { nodeRuntime, statusNetworkType } from "./runtime.ts";

export interface RebootOptions {
  /** Simulated seconds before the shutdown starts (`shutdown -r +1` = one simulated minute). */
  delaySeconds?: number;
}

/** Schedules a reboot of the node; a later call replaces a pending one, as a new `shutdown` does. */
export function rebootNode(ctx: SimContext, nodeName: string, opts: RebootOptions = {}): void {
  const rt = nodeRuntime(ctx);
  const t = ctx.scenario.timings;
  for (const id of rt.pendingReboots.get(nodeName) ?? []) ctx.clock.cancel(id);
  // Each step schedules the next, so a stalled event loop cannot reorder them.
  const chain = (simSeconds: number, fn: () => void) => {
    const id = ctx.clock.after(simSeconds * 1000, fn);
    rt.pendingReboots.set(nodeName, id === undefined ? [] : [id]);
  };
  const neverReturns = ctx.scenario.faults.nodesNeverReturn.includes(nodeName);
  rt.scheduledReboots.add(nodeName);
  chain((opts.delaySeconds ?? 0) + t.shutdownSeconds, () => {
    rt.scheduledReboots.delete(nodeName);
    setNodeState(ctx, nodeName, "unknown");
    if (neverReturns) return;
    // The kubelet starts (new boot) a little before the CNI is ready.
    chain(t.rebootSeconds * 0.75, () => {
      rt.bootNetworkType.set(nodeName, statusNetworkType(ctx));
      const boot = newBootId();
      setNodeState(ctx, nodeName, "notReady", boot);
      const node = ctx.store.get(NODES, undefined, nodeName);
      if (node) {
        recordEvent(
          ctx,
          node,
          "Warning",
          "Rebooted",
          `Node ${nodeName} has been rebooted, boot id: ${boot}`,
          "kubelet",
        );
      }
      chain(t.rebootSeconds * 0.25, () => {
        rt.pendingReboots.delete(nodeName);
        setNodeState(ctx, nodeName, "ready");
      });
    });
  });
  ctx.log("node", `reboot of ${nodeName} scheduled in ${opts.delaySeconds ?? 0}s`);
}

/**
 * `shutdown -c`: cancels a reboot that has not started shutting down yet. Returns false when there was none
 * (or it is too late).
 */
export function cancelReboot(ctx: SimContext, nodeName: string): boolean {
  const rt = nodeRuntime(ctx);
  if (!rt.scheduledReboots.has(nodeName)) return false;
  for (const id of rt.pendingReboots.get(nodeName) ?? []) ctx.clock.cancel(id);
  rt.pendingReboots.delete(nodeName);
  rt.scheduledReboots.delete(nodeName);
  return true;
}

/** True while a reboot of the node is scheduled or in progress. */
export function rebootPending(ctx: SimContext, nodeName: string): boolean {
  return nodeRuntime(ctx).pendingReboots.has(nodeName);
}

function setNodeState(ctx: SimContext, nodeName: string, state: ReadyState, bootID?: string): void {
  const now = ctx.clock.iso();
  if (!ctx.store.get(NODES, undefined, nodeName)) return;
  ctx.store.mutate(NODES, undefined, nodeName, (n: Obj) => {
    n.status = withReady(n.status, state, now);
    if (bootID) n.status.nodeInfo = { ...(n.status.nodeInfo ?? {}), bootID };
  }, { subresource: "status" });
  ctx.store.mutate(NODES, undefined, nodeName, (n: Obj) => {
    const taints = withLifecycleTaint(n.spec?.taints, state, now);
    if (JSON.stringify(taints) === JSON.stringify(n.spec?.taints ?? [])) return false;
    n.spec = { ...(n.spec ?? {}), taints };
    if (!taints.length) delete n.spec.taints;
  });
  ctx.log("node", `${nodeName} ${state}${bootID ? ` (boot ${bootID})` : ""}`);
}

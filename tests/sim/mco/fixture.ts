/** A simulated cluster (scenario builder + node and MCO controllers) on a fast clock, and waiting helpers. */
import { mcoControllers } from "../../../sim/controllers/mco/index.ts";
import { nodeControllers } from "../../../sim/controllers/node/index.ts";
import { newSimContext } from "../../../sim/context.ts";
import { buildCluster } from "../../../sim/scenario/build.ts";
import { type ScenarioInput, ScenarioSpec } from "../../../sim/scenario/schema.ts";
import type { Obj, StoreEvent } from "../../../sim/store.ts";
import type { Controller, SimContext } from "../../../sim/types.ts";

export const NODES = "core/nodes";
export const PODS = "core/pods";
export const POOLS = "machineconfiguration.openshift.io/machineconfigpools";
export const MCS = "machineconfiguration.openshift.io/machineconfigs";
export const NETWORK = "config.openshift.io/networks";
export const DAEMONSETS = "apps/daemonsets";

/** Short operator timings so a rollout takes a few hundred simulated seconds. */
export const FAST_TIMINGS = {
  mcoRenderSeconds: 2,
  mcoStartSeconds: 1,
  drainSeconds: 2,
  shutdownSeconds: 2,
  rebootSeconds: 8,
  daemonSetPodSeconds: 2,
  deploymentSeconds: 2,
  shutdownMinuteSeconds: 60,
};

export interface Sim {
  ctx: SimContext;
  controllers: Controller[];
  stop(): void;
}

export function startSim(input: Partial<ScenarioInput> = {}, opts: { timeScale?: number; build?: boolean } = {}): Sim {
  const scenario = ScenarioSpec.parse({
    name: "test",
    ...input,
    timings: { ...FAST_TIMINGS, ...(input.timings ?? {}) },
  });
  const log = Deno.env.get("SIM_LOG")
    ? (c: string, m: string) => console.log(`${new Date(ctx.clock.now()).toISOString()} [${c}] ${m}`)
    : undefined;
  const ctx = newSimContext(scenario, { timeScale: opts.timeScale ?? 500, log });
  if (opts.build !== false) buildCluster(ctx);
  const controllers = [...nodeControllers(), ...mcoControllers()];
  for (const c of controllers) c.start(ctx);
  return {
    ctx,
    controllers,
    stop() {
      for (const c of controllers) c.stop();
      ctx.clock.stop();
    },
  };
}

/** Resolves once `pred` holds (checked now and after every store change); rejects after `realMs` wall time. */
export function until(ctx: SimContext, pred: () => boolean, what: string, realMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    // deno-lint-ignore prefer-const
    let poll: ReturnType<typeof setInterval> | undefined;
    const timer = setTimeout(() => {
      unsubscribe();
      clearInterval(poll);
      reject(new Error(`timed out waiting for ${what}`));
    }, realMs);
    const check = () => {
      let ok = false;
      try {
        ok = pred();
      } catch {
        ok = false;
      }
      if (ok) {
        clearTimeout(timer);
        clearInterval(poll);
        unsubscribe();
        resolve();
      }
      return ok;
    };
    if (check()) return;
    unsubscribe = ctx.store.subscribe(() => check());
    poll = setInterval(check, 20);
  });
}

/** Lets simulated time pass (real wall time / scale). */
export function simSleep(ctx: SimContext, simSeconds: number): Promise<void> {
  return ctx.clock.sleep(simSeconds * 1000);
}

export function pool(ctx: SimContext, name: string): Obj {
  return ctx.store.mustGet(POOLS, undefined, name);
}

export function cond(o: Obj, type: string): Obj | undefined {
  return (o.status?.conditions ?? []).find((c: Obj) => c.type === type);
}

export function poolUpdated(ctx: SimContext, name: string): boolean {
  const p = pool(ctx, name);
  return cond(p, "Updated")?.status === "True" && p.status?.configuration?.name === p.spec?.configuration?.name;
}

export function nodesOfRole(ctx: SimContext, role: string): Obj[] {
  return ctx.store.all(NODES).filter((n) => Object.hasOwn(n.metadata.labels ?? {}, `node-role.kubernetes.io/${role}`));
}

export const ann = (n: Obj, k: string) => n.metadata.annotations?.[`machineconfiguration.openshift.io/${k}`];

/** Simulates the CNO writing network.config status (cluster-behaviour.md §1.3/§2.4). */
export function setNetworkStatus(ctx: SimContext, fn: (status: Obj) => void): void {
  ctx.store.mutate(NETWORK, undefined, "cluster", (o) => {
    o.status = { ...(o.status ?? {}) };
    fn(o.status);
  });
}

/** Every store event, recorded from now on. */
export function record(ctx: SimContext): { events: StoreEvent[]; stop(): void } {
  const events: StoreEvent[] = [];
  const stop = ctx.store.subscribe((e) => events.push(e));
  return { events, stop };
}

/** The rendered MachineConfig's unit by name. */
export function unit(mc: Obj, name: string): Obj | undefined {
  return (mc.spec?.config?.systemd?.units ?? []).find((u: Obj) => u.name === name);
}
